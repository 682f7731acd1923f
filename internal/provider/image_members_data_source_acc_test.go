package provider

import (
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// Real-cloud tests: they run only with TF_ACC=1 and real credentials in
// HW_ACCESS_KEY, HW_SECRET_KEY, HW_REGION_NAME, and an image the account
// owns in IMS_ACC_IMAGE_ID (make testacc).
func testAccPreCheck(t *testing.T) {
	t.Helper()
	for _, name := range []string{"HW_ACCESS_KEY", "HW_SECRET_KEY", "HW_REGION_NAME", "IMS_ACC_IMAGE_ID"} {
		if os.Getenv(name) == "" {
			t.Skipf("TF_ACC is set but %s is not: real-cloud tests need HW_ACCESS_KEY, HW_SECRET_KEY, HW_REGION_NAME and IMS_ACC_IMAGE_ID", name)
		}
	}
}

func TestAccImageMembers_realCloud(t *testing.T) {
	imageID := os.Getenv("IMS_ACC_IMAGE_ID")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: imageConfig(imageID, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("id"), knownvalue.StringExact(imageID)),
					statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("region"), knownvalue.StringExact(os.Getenv("HW_REGION_NAME"))),
					statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("project_id"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("schema"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("members"), knownvalue.NotNull()),
				},
			},
			{
				// One member per page exercises the marker chain on the real API.
				Config: imageConfig(imageID, `page_size = 1`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("members"), knownvalue.NotNull()),
				},
			},
			{
				Config: imageConfig(imageID, `member_type = "project"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("member_type"), knownvalue.StringExact("project")),
				},
			},
		},
	})
}
