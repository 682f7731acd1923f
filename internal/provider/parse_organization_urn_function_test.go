package provider

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

const (
	testAccount = "3a2d95404f964a6aba78819bf8ddc1e3"
	testOrg     = "o-wvntq58r3poyv180t5df1mdna4uwy9se"
	testOU      = "ou-5x1bvygwrplokk622i9gbn3f5ftfb2l9"
	testURN     = "organizations::" + testAccount + ":ou:" + testOrg + "/" + testOU
)

func TestParseOrganizationURN(t *testing.T) {
	good := []struct {
		urn  string
		want organizationURN
	}{
		{testURN, organizationURN{testAccount, "ou", testOrg, testOU}},
		// The organization itself, as its root: another resource type.
		{"organizations::" + testAccount + ":organization:" + testOrg + "/" + testOrg, organizationURN{testAccount, "organization", testOrg, testOrg}},
		{"organizations::a:b:c/d", organizationURN{"a", "b", "c", "d"}},
	}
	for _, tc := range good {
		got, err := parseOrganizationURN(tc.urn)
		if err != nil || got != tc.want {
			t.Errorf("%s: %+v, %v; want %+v", tc.urn, got, err, tc.want)
		}
	}
	bad := []struct{ urn, says string }{
		{"", `does not start with "organizations::"`},
		{"8d50c165311550730a3a4f3299808ba6", `does not start with "organizations::"`},
		{"Organizations::a:ou:o/ou", `does not start with "organizations::"`},
		{"organizations:a:ou:o/ou", `does not start with "organizations::"`},
		{"organizations::a:ou", `has 2 ":"-separated parts, not 3`},
		{"organizations::a:ou:o/ou:x", `has 4 ":"-separated parts, not 3`},
		{"organizations::a:ou:o", `the last part has 1 "/"-separated IDs, not 2`},
		{"organizations::a:ou:o/ou/x", `the last part has 3 "/"-separated IDs, not 2`},
		{"organizations:::ou:o/ou", "account_id is empty"},
		{"organizations::a::o/ou", "resource_type is empty"},
		{"organizations::a:ou:/ou", "organization_id is empty"},
		{"organizations::a:ou:o/", "resource_id is empty"},
		{"organizations::a b:ou:o/ou", "account_id contains white space"},
		{"organizations::a:ou:o/ou\n", "resource_id contains white space"},
		{"organizations::a/b:ou:o/ou", `account_id contains "/"`},
	}
	for _, tc := range bad {
		_, err := parseOrganizationURN(tc.urn)
		if err == nil {
			t.Errorf("%q: accepted", tc.urn)
			continue
		}
		msg := err.Error()
		for _, want := range []string{tc.says, strconv.Quote(tc.urn), "Expected " + organizationURNForm} {
			if !strings.Contains(msg, want) {
				t.Errorf("%q: error %q does not say %q", tc.urn, msg, want)
			}
		}
	}
}

// The function through Terraform: every part, null in gives an object of
// nulls out (so the natural policy expression is false, not an error, for
// a project member), and a malformed URN fails the plan quoting it.
func TestParseOrganizationURN_inTerraform(t *testing.T) {
	config := fmt.Sprintf(`
output "parts" {
  value = provider::ims::parse_organization_urn(%[1]q)
}
output "null_gives_nulls" {
  value = provider::ims::parse_organization_urn(null)
}
output "project_member_is_not_ours" {
  value = "project" == "organization" && provider::ims::parse_organization_urn(null).organization_id == "o-1"
}
output "org" {
  value = provider::ims::parse_organization_urn(%[1]q).organization_id
}
`, testURN)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("parts", knownvalue.ObjectExact(map[string]knownvalue.Check{
						"account_id":      knownvalue.StringExact(testAccount),
						"resource_type":   knownvalue.StringExact("ou"),
						"organization_id": knownvalue.StringExact(testOrg),
						"resource_id":     knownvalue.StringExact(testOU),
					})),
					statecheck.ExpectKnownOutputValue("org", knownvalue.StringExact(testOrg)),
					statecheck.ExpectKnownOutputValue("null_gives_nulls", knownvalue.ObjectExact(map[string]knownvalue.Check{
						"account_id": knownvalue.Null(), "resource_type": knownvalue.Null(),
						"organization_id": knownvalue.Null(), "resource_id": knownvalue.Null(),
					})),
					statecheck.ExpectKnownOutputValue("project_member_is_not_ours", knownvalue.Bool(false)),
				},
			},
			{
				Config:      `output "bad" { value = provider::ims::parse_organization_urn("organizations::acct:ou:o-1") }`,
				ExpectError: regexp.MustCompile(`(?s)"organizations::acct:ou:o-1" is not an\s+organization URN.*Expected\s+organizations::\{account_id\}`),
			},
		},
	})
}

// The function needs no credentials and no provider block. OpenTofu, unlike
// Terraform, configures the provider of every function it calls (with an
// empty configuration when there is no provider block), so this runs
// Configure with no settings at all under make test-tofu: it must succeed.
// A data source in the same configuration reports what is missing.
func TestParseOrganizationURN_withoutCredentials(t *testing.T) {
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: fmt.Sprintf(`output "org" { value = provider::ims::parse_organization_urn(%q).organization_id }`, testURN),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("org", knownvalue.StringExact(testOrg)),
				},
			},
			{
				Config:      imageConfig("d164b5df-1bc3-4c3f-893e-3e471fd16e64", ""),
				ExpectError: regexp.MustCompile(`(?s)Missing credentials.*HW_ACCESS_KEY.*Missing region.*HW_REGION_NAME`),
			},
		},
	})
}
