package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// Without credentials and region (no provider block, no HW_*), a resource
// to be created fails at plan time, not first at apply: the provider
// configures without them (for OpenTofu's function calls), and each
// resource's ModifyPlan reports them.
func TestResourcesPlanReportsMissingSettings(t *testing.T) {
	for name, config := range map[string]string{
		"ims_image_share": `resource "ims_image_share" "test" {
  image_id    = "` + shareImage + `"
  project_ids = ["` + shareProject + `"]
}`,
		"ims_shared_image_acceptance": `resource "ims_shared_image_acceptance" "test" {
  image_id = "` + shareImage + `"
}`,
	} {
		t.Run(name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{{
					Config:      config,
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(`(?s)Missing credentials.*HW_ACCESS_KEY.*Missing region.*HW_REGION_NAME`),
				}},
			})
		})
	}
}
