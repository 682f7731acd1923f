package provider

// The README's project-wide policy recipe, as examples/policy/project-wide
// (a check block) and examples/policy/project-wide-gate (a postcondition
// that fails closed) write it, planned by real terraform against the demo
// world that make demo serves. The recipe is written the natural way,
// m.member_type == "organization" && parse_organization_urn(m.urn)..., which
// failed every plan on Terraform 1.11 while parse_organization_urn(null) was
// null.

import (
	"fmt"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
	"github.com/cloudimages/terraform-provider-ims/internal/loopback"
)

// The demo world's owner project and our organization, as in
// scripts/emulator-lib.sh and examples/demo.
const (
	demoProjectID      = "1bed856811654c1cb661a6ca845ebc77"
	demoOrganizationID = "o-wvntq58r3poyv180t5df1mdna4uwy9se"
)

// exampleModule is an example's main.tf without its terraform block, which
// names the provider by the address the tests do not serve.
func exampleModule(t *testing.T, dir string) string {
	t.Helper()
	src, err := os.ReadFile("../../examples/" + dir + "/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile(`(?ms)^terraform \{.*?^\}\n`)
	if !block.Match(src) {
		t.Fatalf("examples/%s/main.tf has no terraform block to replace", dir)
	}
	return block.ReplaceAllString(string(src), "")
}

// demoWorld serves cmd/ims-emulator's demo fixture and names a member
// outside our organization, which the policy must report.
func demoWorld(t *testing.T) (url, outsider string) {
	t.Helper()
	fixture, err := emulator.LoadFixture("../../cmd/ims-emulator/testdata/demo.json")
	if err != nil {
		t.Fatal(err)
	}
	e := emulator.New(emulator.Config{AccessKey: testAccessKey, SecretKey: testSecretKey})
	e.AddFixture(fixture)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	for _, img := range fixture.Images {
		for _, m := range img.Members {
			if img.ProjectID == demoProjectID && m.MemberType == "organization" && m.URN != "" && !strings.Contains(m.URN, demoOrganizationID) {
				return srv.URL, m.URN
			}
		}
	}
	t.Fatal("the demo world shares no image outside our organization")
	return "", ""
}

func demoProviderBlock(endpoint string) string {
	return fmt.Sprintf(`
provider "ims" {
  region      = %q
  project_id  = %q
  access_key  = %q
  secret_key  = %q
  max_retries = 0
  endpoints   = { ims = %q, iam = %q }
}
`, testRegion, demoProjectID, testAccessKey, testSecretKey, endpoint, endpoint)
}

var demoPolicyVariables = config.Variables{"organization_id": config.StringVariable(demoOrganizationID)}

// TestPolicyRecipe_checkBlockOnTheDemoWorld: the check plans without an
// error and fails, naming a member of another organization; with the API
// unreachable it is a warning and the run goes on (which is why the gate
// exists).
func TestPolicyRecipe_checkBlockOnTheDemoWorld(t *testing.T) {
	url, outsider := demoWorld(t)
	module := exampleModule(t, "policy/project-wide")
	checkStatus := func(want tfjson.CheckStatus, says string) statecheck.StateCheck {
		return checkFunc(func(s *tfjson.State) error {
			for _, c := range s.Checks {
				if c.Address.ToDisplay != "check.images_stay_in_our_organization" {
					continue
				}
				var problems []string
				for _, inst := range c.Instances {
					for _, p := range inst.Problems {
						problems = append(problems, p.Message)
					}
				}
				if c.Status != want || !strings.Contains(strings.Join(problems, "\n"), says) {
					return fmt.Errorf("check status %s with %q, want %s saying %q", c.Status, problems, want, says)
				}
				return nil
			}
			return fmt.Errorf("no check result in the state: %+v", s.Checks)
		})
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:            demoProviderBlock(url) + module,
				ConfigVariables:   demoPolicyVariables,
				ConfigStateChecks: []statecheck.StateCheck{checkStatus(tfjson.CheckStatusFail, "organization "+outsider)},
				// A failing check's data source is read again at every
				// apply, so the plan is never empty.
				ExpectNonEmptyPlan: true,
			},
			{
				// Fails open: the read's error is a warning, the run succeeds.
				Config:             demoProviderBlock("http://"+loopback.ClosedPort(t)) + module,
				ConfigVariables:    demoPolicyVariables,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// TestPolicyRecipe_gateOnTheDemoWorld: the postcondition fails the plan
// naming a member of another organization, and fails it as well when the
// API cannot be read.
func TestPolicyRecipe_gateOnTheDemoWorld(t *testing.T) {
	url, outsider := demoWorld(t)
	module := exampleModule(t, "policy/project-wide-gate")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:          demoProviderBlock(url) + module,
				ConfigVariables: demoPolicyVariables,
				ExpectError:     wrappedText("Resource postcondition failed", "Images shared outside organization "+demoOrganizationID, "organization "+outsider),
			},
			{
				Config:          demoProviderBlock("http://"+loopback.ClosedPort(t)) + module,
				ConfigVariables: demoPolicyVariables,
				ExpectError:     wrappedText("Cannot connect to the IMS endpoint", "connection refused"),
			},
		},
	})
}
