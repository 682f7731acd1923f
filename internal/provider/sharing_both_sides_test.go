package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
)

// Both sides in one configuration: our project shares the image with the
// peer, the peer accepts it, and the owner's
// members show the peer's answer at the next refresh; the peer's rejection
// on destroy shows too.
func TestSharing_bothSides(t *testing.T) {
	s := newShareServer(t)
	s.AddProject(emulator.Project{ID: peerProjectID, Name: testRegion, DomainID: "0000000000000000000000000000peer", Enabled: true})
	share := s.shareConfig(`project_ids = ["` + peerProjectID + `"]`)
	// The peer answers through the resource's own project_id (a second,
	// aliased provider block would do the same in a real run; the test
	// harness serves every alias from one provider instance).
	both := share + `
resource "ims_shared_image_acceptance" "peer" {
  project_id = "` + peerProjectID + `"
  image_id   = ims_image_share.test.image_id
}
`
	peerStatus := func(status string) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(shareAddress, tfjsonpath.New("members").AtSliceIndex(0).AtMapKey("status"), knownvalue.StringExact(status))
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{Config: share, ConfigStateChecks: []statecheck.StateCheck{peerStatus("pending")}},
			{
				Config: both,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("ims_shared_image_acceptance.peer", tfjsonpath.New("project_id"), knownvalue.StringExact(peerProjectID)),
					statecheck.ExpectKnownValue("ims_shared_image_acceptance.peer", tfjsonpath.New("status"), knownvalue.StringExact("accepted")),
				},
			},
			{
				// The acceptance happened after the share was read: a refresh
				// brings the peer's answer into the owner's members, and no change.
				Config: both,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{peerStatus("accepted")},
			},
			// Dropping the acceptance rejects the image; the share stays, and
			// its next refresh shows the rejection.
			{Config: share},
			{Config: share, ConfigStateChecks: []statecheck.StateCheck{peerStatus("rejected")}},
		},
	})
}
