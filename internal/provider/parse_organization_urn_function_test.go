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
	// The three forms of the contract's table.
	good := []struct {
		urn  string
		want organizationURN
	}{
		{testURN, organizationURN{testAccount, "ou", testOrg, testOU}},
		{"organizations::" + testAccount + ":organization:" + testOrg, organizationURN{testAccount, "organization", testOrg, testOrg}},
		{"organizations::" + testAccount + ":root:" + testOrg + "/r-a1b2", organizationURN{testAccount, "root", testOrg, "r-a1b2"}},
	}
	for _, tc := range good {
		got, err := parseOrganizationURN(tc.urn)
		if err != nil || got != tc.want {
			t.Errorf("%s: %+v, %v; want %+v", tc.urn, got, err, tc.want)
		}
	}
	a := testAccount
	bad := []struct{ urn, says string }{
		{"", `does not start with "organizations::"`},
		{"8d50c165311550730a3a4f3299808ba6", `does not start with "organizations::"`},
		{"Organizations::" + a + ":ou:o-1/ou-1", `does not start with "organizations::"`},
		{"organizations:" + a + ":ou:o-1/ou-1", `does not start with "organizations::"`},
		{"organizations::" + a + ":ou", `has 2 ":"-separated parts, not 3`},
		{"organizations::" + a + ":ou:o-1/ou-1:x", `has 4 ":"-separated parts, not 3`},
		{"organizations::" + a + ":ou:o-1", `an ou URN ends in 2 "/"-separated ID(s), not 1`},
		{"organizations::" + a + ":ou:o-1/ou-1/x", `an ou URN ends in 2 "/"-separated ID(s), not 3`},
		{"organizations::" + a + ":organization:o-1/o-1", `an organization URN ends in 1 "/"-separated ID(s), not 2`},
		{"organizations::" + a + ":root:o-1", `a root URN ends in 2 "/"-separated ID(s), not 1`},
		{"organizations:::ou:o-1/ou-1", `account_id "" is not a 32-character`},
		{"organizations::acct:ou:o-1/ou-1", `account_id "acct" is not a 32-character`},
		{"organizations::" + a + "::o-1/ou-1", `resource_type "" is none of organization, root and ou`},
		{"organizations::" + a + ":account:o-1/ou-1", `resource_type "account" is none of`},
		{"organizations::" + a + ":ou:/ou-1", `organization_id "" is not o-`},
		{"organizations::" + a + ":ou:O-1/ou-1", `organization_id "O-1" is not o-`},
		{"organizations::" + a + ":ou:o-1/", `resource_id "" is not ou-`},
		{"organizations::" + a + ":ou:o-1/r-1", `resource_id "r-1" is not ou-`},
		{"organizations::" + a + ":root:o-1/ou-1", `resource_id "ou-1" is not r-`},
		{"organizations::" + a + ":ou:o-1/ou-1\n", `resource_id "ou-1\n" is not ou-`},
		{"organizations::" + a + ":ou:o-1/ou 1", `resource_id "ou 1" is not ou-`},
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
