package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// The images shared with the project that it answered: accepted and
// rejected, not pending; status in the list block's config narrows to one
// answer.
func TestSharedImageAcceptanceList_query(t *testing.T) {
	s := newTestServer(t)
	s.addWorld()
	status := func(imageID, want string) querycheck.QueryResultCheck {
		return querycheck.ExpectResourceKnownValues("ims_shared_image_acceptance.answered", queryfilter.ByResourceIdentity(identityOf(imageID)),
			[]querycheck.KnownValueCheck{
				{Path: tfjsonpath.New("status"), KnownValue: knownvalue.StringExact(want)},
				{Path: tfjsonpath.New("image_id"), KnownValue: knownvalue.StringExact(imageID)},
				{Path: tfjsonpath.New("project_id"), KnownValue: knownvalue.StringExact(testProjectID)},
				{Path: tfjsonpath.New("vault_id"), KnownValue: knownvalue.Null()},
			})
	}
	queryTest(t, resource.TestStep{
		Config: s.listBlock("ims_shared_image_acceptance", "answered", "  include_resource = true"),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength("ims_shared_image_acceptance.answered", 2),
			querycheck.ExpectResourceDisplayName("ims_shared_image_acceptance.answered", queryfilter.ByResourceIdentity(identityOf(worldIncomingAccepted)),
				knownvalue.StringExact("peer-accepted ("+worldIncomingAccepted+")")),
			status(worldIncomingAccepted, "accepted"),
			status(worldIncomingRejected, "rejected"),
		},
	}, resource.TestStep{
		Config: s.listBlock("ims_shared_image_acceptance", "rejected", "  config {\n    status = \"rejected\"\n  }"),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength("ims_shared_image_acceptance.rejected", 1),
			querycheck.ExpectIdentity("ims_shared_image_acceptance.rejected", identityOf(worldIncomingRejected)),
		},
	}, resource.TestStep{
		Config:      s.listBlock("ims_shared_image_acceptance", "pending", "  config {\n    status = \"pending\"\n  }"),
		ExpectError: wrappedText(`value must be one of: ["accepted" "rejected"]`),
	})
}
