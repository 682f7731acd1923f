package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
)

const otherRegion, otherProject = "ap-southeast-1", "aaaabbbbccccddddeeeeffff00001111"

// noProjectBlock leaves project_id to the IAM lookup.
func (s *testServer) noProjectBlock() string {
	return fmt.Sprintf(`
provider "ims" {
  region     = %q
  access_key = %q
  secret_key = %q
  endpoints  = { ims = %q, iam = %q }
}
`, testRegion, testAccessKey, testSecretKey, s.URL, s.URL)
}

func expectIAMRequests(s *testServer, want func(int) bool, what string) checkFunc {
	return func(*tfjson.State) error {
		if n := s.CountRequests("/v3/projects"); !want(n) {
			return fmt.Errorf("%d IAM project lookups, want %s", n, what)
		}
		return nil
	}
}

// TestProjectLookupOnceForConcurrentReads: ten data sources of different
// images, read in parallel by Terraform, share one IAM lookup per provider
// instance.
func TestProjectLookupOnceForConcurrentReads(t *testing.T) {
	s := newTestServer(t)
	var config strings.Builder
	config.WriteString(s.noProjectBlock())
	for i := range 10 {
		imageID := fmt.Sprintf("%08d-1bc3-4c3f-893e-3e471fd16e64", i)
		s.addImage(imageID, 3)
		fmt.Fprintf(&config, "data \"ims_image_members\" \"i%d\" {\n  image_id = %q\n}\n", i, imageID)
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: config.String(),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.ims_image_members.i0", tfjsonpath.New("project_id"), knownvalue.StringExact(testProjectID)),
				statecheck.ExpectKnownValue("data.ims_image_members.i9", tfjsonpath.New("project_id"), knownvalue.StringExact(testProjectID)),
				statecheck.ExpectKnownValue("data.ims_image_members.i9", tfjsonpath.New("members"), knownvalue.ListSizeExact(3)),
				// Each terraform command runs its own provider instance: one
				// lookup per command, never one per read.
				expectIAMRequests(s, func(n int) bool {
					reads, _ := s.memberRequests("00000000-1bc3-4c3f-893e-3e471fd16e64")
					return n >= 1 && n <= reads
				}, "at most one per provider instance"),
			},
		}},
	})
	// Against the 10 reads of each command: strictly fewer lookups than reads.
	if n, total := s.CountRequests("/v3/projects"), s.CountRequests("/members"); n*10 > total {
		t.Errorf("%d lookups for %d member requests: the lookup is not shared", n, total)
	}
}

func TestPerReadOverrides(t *testing.T) {
	s := newTestServer(t)
	s.AddProject(emulator.Project{ID: otherProject, Name: otherRegion, Enabled: true})
	const imageID = "0ee4ede5-1bc3-4c3f-893e-3e471fd16e64"
	s.AddImage(otherProject, imageID, emulator.GenerateMembers(imageID, 4))
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				// A region override looks up that region's project.
				Config: s.providerBlock() + imageConfig(imageID, fmt.Sprintf("region = %q", otherRegion)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("region"), knownvalue.StringExact(otherRegion)),
					statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("project_id"), knownvalue.StringExact(otherProject)),
					statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("members"), knownvalue.ListSizeExact(4)),
					expectIAMRequests(s, func(n int) bool { return n >= 1 }, "at least one"),
				},
			},
			{
				// A project override alone keeps the provider's region.
				Config: s.providerBlock() + imageConfig(imageID, fmt.Sprintf("project_id = %q", otherProject)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("region"), knownvalue.StringExact(testRegion)),
					statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("project_id"), knownvalue.StringExact(otherProject)),
				},
			},
		},
	})
	// Both together make no lookup.
	s.ResetRequests()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: s.providerBlock() + imageConfig(imageID, fmt.Sprintf("region = %q\n  project_id = %q", otherRegion, otherProject)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("project_id"), knownvalue.StringExact(otherProject)),
				expectIAMRequests(s, func(n int) bool { return n == 0 }, "none"),
			},
		}},
	})
}

func TestProjectLookupNotFoundSaysWhatToSet(t *testing.T) {
	s := newTestServer(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config:      s.noProjectBlock() + imageConfig("0ee4ede5-1bc3-4c3f-893e-3e471fd16e64", `region = "la-north-9"`),
			ExpectError: regexp.MustCompile(`no\s+project\s+named\s+"la-north-9"[\s\S]*project_id[\s\S]*HW_PROJECT_ID`),
		}},
	})
}

// TestUnknownProviderConfiguration: a provider argument, or one element of
// endpoints, that comes from a resource not yet created makes the read fail
// with "not known yet" naming it, not crash or misreport it as invalid.
func TestUnknownProviderConfiguration(t *testing.T) {
	for _, tc := range []struct {
		name, region, endpoints, want string
	}{
		{"region", "terraform_data.later.output", `{ ims = %q }`, `region`},
		{"one element of endpoints", `"cn-north-4"`, `{ ims = %q, iam = "http://${terraform_data.later.output}:1" }`, `endpoints\["iam"\]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t)
			config := fmt.Sprintf(`
resource "terraform_data" "later" {
  input = "cn-north-4"
}

provider "ims" {
  region     = %s
  project_id = %q
  access_key = %q
  secret_key = %q
  endpoints  = `+tc.endpoints+`
}
`, tc.region, testProjectID, testAccessKey, testSecretKey, s.URL) + imageConfig("0ee4ede5-1bc3-4c3f-893e-3e471fd16e64", "")
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{{
					Config:      config,
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(`Provider\s+configuration\s+not\s+known\s+yet[\s\S]*` + tc.want),
				}},
			})
			if n := len(s.Requests()); n != 0 {
				t.Errorf("%d requests with an unknown configuration, want 0", n)
			}
		})
	}
}

func TestEuropeanRegionDefaultsToEuropeanCloud(t *testing.T) {
	p := fakeEnv(t, map[string]string{"HW_REGION_NAME": "eu-west-101", "HW_ACCESS_KEY": "AK", "HW_SECRET_KEY": "SK"})
	s, diags := p.resolveSettings(nullModel())
	if diags.HasError() {
		t.Fatal(diags)
	}
	c := mustClient(t, s)
	if got := c.Endpoint("ims", "eu-west-101"); got != "https://ims.eu-west-101.myhuaweicloud.eu" {
		t.Errorf("ims endpoint %s", got)
	}
	if got := c.Endpoint("iam", "eu-west-101"); got != "https://iam.eu-west-101.myhuaweicloud.eu" {
		t.Errorf("iam endpoint %s", got)
	}
	if got := c.Endpoint("ims", "cn-north-4"); got != "https://ims.cn-north-4.myhuaweicloud.com" {
		t.Errorf("a per-read region outside Europe: %s", got)
	}
	p = fakeEnv(t, map[string]string{"HW_REGION_NAME": "eu-west-101", "HW_ACCESS_KEY": "AK", "HW_SECRET_KEY": "SK", "HW_CLOUD": "example.cloud"})
	s, _ = p.resolveSettings(nullModel())
	if got := mustClient(t, s).Endpoint("ims", "eu-west-101"); got != "https://ims.eu-west-101.example.cloud" {
		t.Errorf("HW_CLOUD ignored: %s", got)
	}
}

func mustClient(t *testing.T, s settings) *client.Client {
	t.Helper()
	c, err := newClient(s, "test", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
