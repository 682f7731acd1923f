package provider

import (
	"os"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
)

// Real-cloud tests: they run only with TF_ACC=1 and real credentials in
// HW_ACCESS_KEY, HW_SECRET_KEY, HW_REGION_NAME, and in IMS_ACC_IMAGE_ID an
// image the account owns that is shared with at least two members, so that
// page_size = 1 takes more than one page (make testacc; DEVELOPMENT.md
// "Acceptance tests").
func testAccPreCheck(t *testing.T) {
	t.Helper()
	for _, name := range []string{"HW_ACCESS_KEY", "HW_SECRET_KEY", "HW_REGION_NAME", "IMS_ACC_IMAGE_ID"} {
		if os.Getenv(name) == "" {
			t.Skipf("TF_ACC is set but %s is not: real-cloud tests need HW_ACCESS_KEY, HW_SECRET_KEY, HW_REGION_NAME and IMS_ACC_IMAGE_ID", name)
		}
	}
}

// accMember is what every member the real API returns must look like:
// values as the API documents them, not merely present.
func accMember(imageID string) knownvalue.Check {
	return knownvalue.ObjectPartial(map[string]knownvalue.Check{
		"member_id":   knownvalue.StringRegexp(regexp.MustCompile(`^\S+$`)),
		"member_type": knownvalue.StringRegexp(regexp.MustCompile(`^(project|domain|organization)$`)),
		"status":      knownvalue.StringRegexp(regexp.MustCompile(`^(accepted|rejected|pending)$`)),
		"image_id":    knownvalue.StringExact(imageID),
		"schema":      knownvalue.StringExact("/v2/schemas/member"),
		"created_at":  knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d`)),
		"updated_at":  knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d`)),
	})
}

// TestAccImageMembers_realCloud reads the image's members with the default
// page size and again one member per page, and requires the same list: a
// cloud that ignored marker would repeat the first page (a looping-marker
// error) or lose members, and fail the comparison.
func TestAccImageMembers_realCloud(t *testing.T) {
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps:                    imageMembersAccSteps("", os.Getenv("IMS_ACC_IMAGE_ID"), os.Getenv("HW_REGION_NAME")),
	})
}

// imageMembersAccSteps are the acceptance test's steps, behind
// providerBlock (empty: the environment configures the provider). The
// emulator runs them too (TestImageMembers_acceptanceStepsOnTheEmulator),
// so a wrong check shows up before anyone pays for a cloud run.
func imageMembersAccSteps(providerBlock, imageID, region string) []resource.TestStep {
	sameMembers := statecheck.CompareValue(compare.ValuesSame())
	return []resource.TestStep{
		{
			Config: providerBlock + imageConfig(imageID, ""),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("id"), knownvalue.StringExact(imageID)),
				statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("region"), knownvalue.StringExact(region)),
				statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("project_id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{32}$`))),
				statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("schema"), knownvalue.StringExact("/v2/schemas/members")),
				// At least two members, each of the documented shape.
				statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("members"), knownvalue.ListPartial(map[int]knownvalue.Check{
					0: accMember(imageID), 1: accMember(imageID),
				})),
				sameMembers.AddStateValue(dsAddress, tfjsonpath.New("members")),
			},
		},
		{
			// One member per page walks the marker chain and must give
			// exactly the list of the default read.
			Config: providerBlock + imageConfig(imageID, `page_size = 1`),
			ConfigStateChecks: []statecheck.StateCheck{
				sameMembers.AddStateValue(dsAddress, tfjsonpath.New("members")),
			},
		},
		{
			Config: providerBlock + imageConfig(imageID, `member_type = "project"`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("member_type"), knownvalue.StringExact("project")),
			},
		},
	}
}

// TestImageMembers_acceptanceStepsOnTheEmulator runs the real-cloud steps
// against the emulator.
func TestImageMembers_acceptanceStepsOnTheEmulator(t *testing.T) {
	s := newTestServer(t)
	const imageID = "acce9700-1bc3-4c3f-893e-3e471fd16e64"
	s.addImage(imageID, 5)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps:                    imageMembersAccSteps(s.providerBlock(), imageID, testRegion),
	})
}

// TestImageMembers_acceptanceStepsCatchAStuckMarker: the same steps fail
// against a server that answers a marker with that marker again, as a cloud
// that ignored marker would: the acceptance test can fail.
func TestImageMembers_acceptanceStepsCatchAStuckMarker(t *testing.T) {
	s := newTestServer(t)
	const imageID = "acce9701-1bc3-4c3f-893e-3e471fd16e64"
	s.addImage(imageID, 5)
	steps := imageMembersAccSteps(s.providerBlock(), imageID, testRegion)
	steps[1].PreConfig = func() { s.Inject(emulator.Fault{Kind: emulator.FaultLoopingMarker, Count: -1}) }
	rec := runRecordingFailures(t, func(rt *failureRecorder) {
		resource.UnitTest(rt, resource.TestCase{ProtoV6ProviderFactories: testProviderFactories, Steps: steps})
	})
	if !rec.Failed() || !wrappedText("Step 2/3", "the server is looping").MatchString(rec.messages()) {
		t.Errorf("the acceptance steps did not fail at the page_size = 1 read; they reported: %s", rec.messages())
	}
}
