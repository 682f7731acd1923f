package provider

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
)

// expectQueriesPerRead asserts the /v2/cloudimages requests were whole
// reads, each exactly the queries of want in order (Terraform may read a
// data source more than once per step).
func expectQueriesPerRead(s *testServer, want ...string) checkFunc {
	return func(*tfjson.State) error {
		got := s.imageListQueries()
		if len(got) == 0 || len(got)%len(want) != 0 {
			return fmt.Errorf("image list queries %q, want reads of %q", got, want)
		}
		for i, q := range got {
			if q != want[i%len(want)] {
				return fmt.Errorf("image list request %d: %s, want %s", i, q, want[i%len(want)])
			}
		}
		return nil
	}
}

func stringsExact(values ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(values))
	for i, v := range values {
		checks[i] = knownvalue.StringExact(v)
	}
	return knownvalue.ListExact(checks)
}

func TestImages_everyAttribute(t *testing.T) {
	s := newTestServer(t)
	w := s.addWorld()
	full := w.full
	const address = "data.ims_images.test"
	image := func(i int) tfjsonpath.Path { return tfjsonpath.New("images").AtSliceIndex(i) }
	owner := "&owner=" + testProjectID
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: s.providerBlock() + `
data "ims_images" "test" {
  image_type = "shared"
  owner      = "` + testProjectID + `"
  page_size  = 1
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(address, tfjsonpath.New("region"), knownvalue.StringExact(testRegion)),
				statecheck.ExpectKnownValue(address, tfjsonpath.New("project_id"), knownvalue.StringExact(testProjectID)),
				statecheck.ExpectKnownValue(address, tfjsonpath.New("image_type"), knownvalue.StringExact("shared")),
				statecheck.ExpectKnownValue(address, tfjsonpath.New("member_status"), knownvalue.Null()),
				statecheck.ExpectKnownValue(address, tfjsonpath.New("ids"), stringsExact(worldShared2, worldShared1)),
				statecheck.ExpectKnownValue(address, image(1), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"id":                    knownvalue.StringExact(worldShared1),
					"name":                  knownvalue.StringExact("web-golden"),
					"status":                knownvalue.StringExact("active"),
					"visibility":            knownvalue.StringExact("shared"),
					"image_type":            knownvalue.StringExact("shared"),
					"owner":                 knownvalue.StringExact(testProjectID),
					"os_type":               knownvalue.StringExact(full.OSType),
					"platform":              knownvalue.StringExact(full.Platform),
					"os_version":            knownvalue.StringExact(full.OSVersion),
					"os_bit":                knownvalue.StringExact("64"),
					"architecture":          knownvalue.StringExact("x86"),
					"min_disk_gb":           knownvalue.Int64Exact(int64(*full.MinDisk)),
					"min_ram_mb":            knownvalue.Int64Exact(int64(*full.MinRAM)),
					"size_bytes":            knownvalue.Int64Exact(1 << 30),
					"disk_format":           knownvalue.StringExact(full.DiskFormat),
					"virtual_env_type":      knownvalue.StringExact(full.VirtualEnvType),
					"enterprise_project_id": knownvalue.StringExact("0"),
					"tags":                  stringsExact("team=web", "tier=golden"),
					"protected":             knownvalue.Bool(true),
					"description":           knownvalue.StringExact("the web tier's image"),
					"created_at":            knownvalue.StringExact(full.CreatedAt),
					"updated_at":            knownvalue.StringExact(full.UpdatedAt),
				})),
				// Every field the API left out is null, never a default.
				statecheck.ExpectKnownValue(address, image(0), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"id": knownvalue.StringExact(worldShared2), "name": knownvalue.StringExact("batch"),
					"status": knownvalue.StringExact("active"), "visibility": knownvalue.StringExact("shared"),
					"image_type": knownvalue.StringExact("shared"), "owner": knownvalue.StringExact(testProjectID),
					"os_type": knownvalue.Null(), "platform": knownvalue.Null(), "os_version": knownvalue.Null(),
					"os_bit": knownvalue.Null(), "architecture": knownvalue.Null(), "min_disk_gb": knownvalue.Null(),
					"min_ram_mb": knownvalue.Null(), "size_bytes": knownvalue.Null(), "disk_format": knownvalue.Null(),
					"virtual_env_type": knownvalue.Null(), "enterprise_project_id": knownvalue.Null(), "tags": knownvalue.Null(),
					"protected": knownvalue.Null(), "description": knownvalue.Null(),
					"created_at": knownvalue.StringExact("2024-01-01T00:01:00Z"), "updated_at": knownvalue.Null(),
				})),
				// Two images a page of one: ceil(2/1)+1 requests, the marker the last ID.
				expectQueriesPerRead(s,
					"__imagetype=shared&limit=1"+owner,
					"__imagetype=shared&limit=1&marker="+worldShared2+owner,
					"__imagetype=shared&limit=1&marker="+worldShared1+owner),
			},
		}},
	})
}

// Each argument reaches the API as the spec maps it: public as gold,
// member_status with visibility=shared and __imagetype=shared sent once.
func TestImages_filters(t *testing.T) {
	cases := []struct {
		name, args string
		query      string
		ids        []string
	}{
		{"none", ``, "limit=500", []string{worldGold, worldIncomingAccepted, worldPrivate, worldShared2, worldShared1}},
		{"public", `image_type = "public"`, "__imagetype=gold&limit=500", []string{worldGold}},
		{"private", `image_type = "private"`, "__imagetype=private&limit=500", []string{worldPrivate}},
		{"pending", `member_status = "pending"`, "__imagetype=shared&limit=500&member_status=pending&visibility=shared", []string{worldIncomingPending}},
		{"rejected, shared given too", `
  image_type    = "shared"
  member_status = "rejected"`, "__imagetype=shared&limit=500&member_status=rejected&visibility=shared", []string{worldIncomingRejected}},
		{"name and os", `
  name    = "peer-accepted"
  os_type = "Linux"`, "__os_type=Linux&limit=500&name=peer-accepted", []string{worldIncomingAccepted}},
		{"everything else", `
  owner                 = "` + testProjectID + `"
  status                = "active"
  platform              = "Ubuntu"
  architecture          = "x86"
  enterprise_project_id = "all_granted_eps"
  tag                   = "team=web"
  sort_key              = "name"
  sort_dir              = "asc"
  page_size             = 1000`, "__platform=Ubuntu&architecture=x86&enterprise_project_id=all_granted_eps&limit=1000&owner=" + testProjectID +
			"&sort_dir=asc&sort_key=name&status=active&tag=team%3Dweb", []string{worldShared1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t)
			s.addWorld()
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{{
					Config: s.providerBlock() + "data \"ims_images\" \"test\" {\n" + tc.args + "\n}\n",
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("data.ims_images.test", tfjsonpath.New("ids"), stringsExact(tc.ids...)),
						expectQueriesPerRead(s, tc.query, withMarker(tc.query, tc.ids[len(tc.ids)-1])),
					},
				}},
			})
		})
	}
}

// withMarker adds marker to a query, keeping the keys sorted as they are
// signed and sent.
func withMarker(query, marker string) string {
	pairs := append(strings.Split(query, "&"), "marker="+marker)
	slices.SortFunc(pairs, func(a, b string) int {
		ka, _, _ := strings.Cut(a, "=")
		kb, _, _ := strings.Cut(b, "=")
		return strings.Compare(ka, kb)
	})
	return strings.Join(pairs, "&")
}

// Every enum and pattern is checked at plan time, before any request.
func TestImages_invalidArgumentsSendNothing(t *testing.T) {
	cases := []struct{ args, says string }{
		{`image_type = "gold"`, `image_type value must be one of`},
		{`member_status = "accepted"
  image_type = "private"`, `member_status needs image_type shared`},
		{`member_status = "all"`, `member_status value must be one of`},
		{`owner = "not-a-project"`, `32 hexadecimal`},
		{`status = "ACTIVE"`, `status value must be one of`},
		{`os_type = "linux"`, `os_type value must be one of`},
		{`architecture = "aarch64"`, `architecture value must be one of`},
		{`enterprise_project_id = "default"`, `all_granted_eps`},
		{`tag = "team"`, `key=value`},
		{`sort_key = "owner"`, `sort_key value must be one of`},
		{`sort_dir = "up"`, `sort_dir value must be one of`},
		{`page_size = 1001`, `page_size value must be between 1 and 1000`},
		{`name = ""`, `name string length must be at least 1`},
	}
	s := newTestServer(t)
	s.addWorld()
	steps := make([]resource.TestStep, len(cases))
	for i, tc := range cases {
		steps[i] = resource.TestStep{
			Config:      s.providerBlock() + "data \"ims_images\" \"test\" {\n  " + tc.args + "\n}\n",
			ExpectError: wrappedText(tc.says),
		}
	}
	resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: testProviderFactories, Steps: steps})
	if n := len(s.Requests()); n != 0 {
		t.Errorf("invalid configurations sent %d requests", n)
	}
}

// A field of an unexpected JSON type fails the read naming the field and
// the image, with the request ID.
func TestImages_fieldOfUnexpectedType(t *testing.T) {
	s := newTestServer(t)
	s.Inject(emulator.Fault{Kind: emulator.FaultGarbage, Status: 200, Count: -1, Path: "/v2/cloudimages",
		Body: `{"images":[{"id":"` + worldShared1 + `","min_disk":"40"}]}`})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: s.providerBlock() + `data "ims_images" "test" {}`,
			ExpectError: wrappedText("Cannot list the images of project "+testProjectID,
				"images[0] (id "+worldShared1+`): field "min_disk": expected a number, got string "40" (request ID`),
		}},
	})
	if got := s.imageListQueries(); !slices.Equal(got, []string{"limit=500"}) {
		t.Errorf("queries %q, want one (not retried)", got)
	}
}
