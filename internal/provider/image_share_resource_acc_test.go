package provider

import (
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// TestAccImageShare_realCloud shares IMS_ACC_SHARE_IMAGE_ID, an image the
// project owns and shares with no one (the resource is authoritative: it
// would remove any other member), with IMS_ACC_SHARE_PROJECT_ID, another
// project; reads it back, imports it, and removes the share. It writes:
// run it only with an image kept for the purpose (make testacc).
func TestAccImageShare_realCloud(t *testing.T) {
	resource.Test(t, resource.TestCase{
		PreCheck: func() {
			for _, name := range []string{"HW_ACCESS_KEY", "HW_SECRET_KEY", "HW_REGION_NAME", "IMS_ACC_SHARE_IMAGE_ID", "IMS_ACC_SHARE_PROJECT_ID"} {
				if os.Getenv(name) == "" {
					t.Skipf("TF_ACC is set but %s is not: the sharing test needs HW_ACCESS_KEY, HW_SECRET_KEY, HW_REGION_NAME, "+
						"an image shared with no one (IMS_ACC_SHARE_IMAGE_ID) and a project to share it with (IMS_ACC_SHARE_PROJECT_ID)", name)
				}
			}
		},
		ProtoV6ProviderFactories: testProviderFactories,
		Steps:                    imageShareAccSteps("", os.Getenv("IMS_ACC_SHARE_IMAGE_ID"), os.Getenv("IMS_ACC_SHARE_PROJECT_ID")),
	})
}

// imageShareAccSteps are the real-cloud steps behind providerBlock (empty:
// the environment configures the provider); the emulator runs them too.
func imageShareAccSteps(providerBlock, imageID, projectID string) []resource.TestStep {
	const address = "ims_image_share.acc"
	config := providerBlock + `
resource "ims_image_share" "acc" {
  image_id    = "` + imageID + `"
  project_ids = ["` + projectID + `"]
}
`
	return []resource.TestStep{
		{
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(address, tfjsonpath.New("id"), knownvalue.StringExact(imageID)),
				statecheck.ExpectKnownValue(address, tfjsonpath.New("members"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"member_id": knownvalue.StringExact(projectID), "member_type": knownvalue.StringExact("project"),
						"urn": knownvalue.Null(),
					}),
				})),
			},
		},
		{ResourceName: address, ImportState: true, ImportStateVerify: true},
	}
}

func TestImageShare_acceptanceStepsOnTheEmulator(t *testing.T) {
	s := newShareServer(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps:                    imageShareAccSteps(s.providerBlock(), shareImage, shareProject),
	})
	if n := len(s.Members(testProjectID, shareImage)); n != 0 {
		t.Errorf("%d members left after destroy", n)
	}
}
