package provider

import (
	"fmt"
	"slices"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
)

// TestEndpointsFollowTheReadRegion: {region} in an endpoint is replaced by
// the region of each read, so a per-read region reaches that region's
// service; a fixed endpoint serves every region. The hosts are names only
// HTTP_PROXY reaches: the emulator itself, serving the absolute-URL
// requests a proxy gets, records the Host each request was sent to.
func TestEndpointsFollowTheReadRegion(t *testing.T) {
	const imageHome, imageOther = "e1d00001-1bc3-4c3f-893e-3e471fd16e64", "e1d00002-1bc3-4c3f-893e-3e471fd16e64"
	for _, tc := range []struct {
		name, ims, iam string
		wantHosts      []string
	}{
		{"{region} in both endpoints", "http://ims.{region}.emulator.test", "http://iam.{region}.emulator.test",
			[]string{"iam.ap-southeast-1.emulator.test", "ims.ap-southeast-1.emulator.test", "ims.cn-north-4.emulator.test"}},
		{"fixed endpoints serve every region", "http://ims.emulator.test", "http://iam.emulator.test",
			[]string{"iam.emulator.test", "ims.emulator.test"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t)
			s.addImage(imageHome, 2)
			s.AddProject(emulator.Project{ID: otherProject, Name: otherRegion, Enabled: true})
			s.AddImage(otherProject, imageOther, emulator.GenerateMembers(imageOther, 3))
			t.Setenv("HTTP_PROXY", s.URL)
			t.Setenv("NO_PROXY", "nothing.invalid")
			config := fmt.Sprintf(`
provider "ims" {
  region     = %q
  project_id = %q
  access_key = %q
  secret_key = %q
  endpoints  = { ims = %q, iam = %q }
}

data "ims_image_members" "home" {
  image_id = %q
}

data "ims_image_members" "other" {
  image_id = %q
  region   = %q
}
`, testRegion, testProjectID, testAccessKey, testSecretKey, tc.ims, tc.iam, imageHome, imageOther, otherRegion)
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{{
					Config: config,
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("data.ims_image_members.home", tfjsonpath.New("members"), knownvalue.ListSizeExact(2)),
						statecheck.ExpectKnownValue("data.ims_image_members.other", tfjsonpath.New("members"), knownvalue.ListSizeExact(3)),
						statecheck.ExpectKnownValue("data.ims_image_members.other", tfjsonpath.New("project_id"), knownvalue.StringExact(otherProject)),
						checkFunc(func(*tfjson.State) error {
							var hosts []string
							for _, r := range s.Requests() {
								if !slices.Contains(hosts, r.Host) {
									hosts = append(hosts, r.Host)
								}
							}
							slices.Sort(hosts)
							if !slices.Equal(hosts, tc.wantHosts) {
								return fmt.Errorf("requests went to %q, want %q", hosts, tc.wantHosts)
							}
							return nil
						}),
					},
				}},
			})
		})
	}
}
