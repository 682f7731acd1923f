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

// TestConfigurationFromEnvironment: a shell set up for the official
// provider (HW_ACCESS_KEY, HW_SECRET_KEY, HW_REGION_NAME) is enough; with
// HW_PROJECT_ID the project is taken as given, without it it is looked up.
func TestConfigurationFromEnvironment(t *testing.T) {
	for _, tc := range []struct {
		name, projectEnv string
		lookups          func(int) bool
		want             string
	}{
		{"with HW_PROJECT_ID", testProjectID, func(n int) bool { return n == 0 }, "no lookup"},
		{"without HW_PROJECT_ID", "", func(n int) bool { return n >= 1 }, "a lookup"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t)
			const imageID = "e0e0e0df-1bc3-4c3f-893e-3e471fd16e64"
			members := s.addImage(imageID, 7)
			t.Setenv("HW_REGION_NAME", testRegion)
			t.Setenv("HW_ACCESS_KEY", testAccessKey)
			t.Setenv("HW_SECRET_KEY", testSecretKey)
			if tc.projectEnv != "" {
				t.Setenv("HW_PROJECT_ID", tc.projectEnv)
			}
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{{
					Config: s.endpointsOnly() + imageConfig(imageID, ""),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("region"), knownvalue.StringExact(testRegion)),
						statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("project_id"), knownvalue.StringExact(testProjectID)),
						expectMemberIDs(dsAddress, memberIDs(members)),
						expectIAMRequests(s, tc.lookups, tc.want),
					},
				}},
			})
		})
	}
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

// TestStaleSecurityTokenBesideProfileKeys: a token left in the shell from
// an earlier session must not join a profile's long-term keys (every
// request would fail with 401); the plan fails at configure time naming
// both places, and nothing is sent.
func TestStaleSecurityTokenBesideProfileKeys(t *testing.T) {
	s := newTestServer(t)
	const imageID = "e3e3e3df-1bc3-4c3f-893e-3e471fd16e64"
	s.addImage(imageID, 2)
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".hcloud"), 0o700); err != nil {
		t.Fatal(err)
	}
	writeKooCLI(t, filepath.Join(home, ".hcloud"), `{
  "current": "work",
  "profiles": [
    {"name": "work", "mode": "AKSK", "accessKeyId": "`+testAccessKey+`", "secretAccessKey": "`+testSecretKey+`", "region": "`+testRegion+`"}
  ]
}`)
	t.Setenv("HOME", home)
	t.Setenv("HW_PROFILE", "work")
	t.Setenv("HW_SECURITY_TOKEN", "stale-token-from-yesterday")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config:      s.endpointsOnly() + imageConfig(imageID, ""),
			ExpectError: wrappedText("Credentials from two sources", "HW_SECURITY_TOKEN in the environment", `profile "work"`),
		}},
	})
	if n := len(s.Requests()); n != 0 {
		t.Errorf("%d requests with credentials from two sources, want 0", n)
	}
}
