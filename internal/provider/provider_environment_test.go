package provider

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// setEnvKeysAndRegion configures the emulated account the way a shell set
// up for the official provider does.
func setEnvKeysAndRegion(t *testing.T) {
	t.Helper()
	t.Setenv("HW_REGION_NAME", testRegion)
	t.Setenv("HW_ACCESS_KEY", testAccessKey)
	t.Setenv("HW_SECRET_KEY", testSecretKey)
}

// TestOnlyKeysAndRegionInEnvironment: HW_ACCESS_KEY, HW_SECRET_KEY and
// HW_REGION_NAME alone are enough; the project is looked up.
func TestOnlyKeysAndRegionInEnvironment(t *testing.T) {
	s := newTestServer(t)
	const imageID = "e1e1e1df-1bc3-4c3f-893e-3e471fd16e64"
	members := s.addImage(imageID, 7)
	setEnvKeysAndRegion(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: s.endpointsOnly() + imageConfig(imageID, ""),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("project_id"), knownvalue.StringExact(testProjectID)),
				expectMemberIDs(dsAddress, memberIDs(members)),
				expectIAMRequests(s, func(n int) bool { return n >= 1 }, "a lookup"),
			},
		}},
	})
}

// TestOnlyKooCLIProfile: an SSO profile in ~/.hcloud/config.json, chosen
// by HW_PROFILE, supplies temporary keys and the region.
func TestOnlyKooCLIProfile(t *testing.T) {
	s := newTestServerWithToken(t, "sso-session-token+/=")
	const imageID = "e2e2e2df-1bc3-4c3f-893e-3e471fd16e64"
	members := s.addImage(imageID, 4)
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".hcloud"), 0o700); err != nil {
		t.Fatal(err)
	}
	writeKooCLI(t, filepath.Join(home, ".hcloud"), `{
  "current": "work",
  "profiles": [
    {"name": "work", "mode": "SSO", "region": "`+testRegion+`",
     "ssoAuth": {"stsToken": {"accessKeyId": "`+testAccessKey+`", "secretAccessKey": "`+testSecretKey+`", "securityToken": "sso-session-token+/="}}}
  ]
}`)
	t.Setenv("HOME", home)
	t.Setenv("HW_PROFILE", "work")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: s.endpointsOnly() + imageConfig(imageID, ""),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("region"), knownvalue.StringExact(testRegion)),
				expectMemberIDs(dsAddress, memberIDs(members)),
			},
		}},
	})
}
