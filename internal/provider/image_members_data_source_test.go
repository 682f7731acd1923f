package provider

import (
	"fmt"
	"regexp"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
)

const dsAddress = "data.ims_image_members.test"

func imageConfig(imageID, extra string) string {
	return fmt.Sprintf(`
data "ims_image_members" "test" {
  image_id = %q
%s
}
`, imageID, extra)
}

func memberIDs(members []emulator.Member) []string {
	ids := make([]string, len(members))
	for i, m := range members {
		ids[i] = m.MemberID
	}
	return ids
}

func filterMembers(members []emulator.Member, keep func(emulator.Member) bool) []emulator.Member {
	var out []emulator.Member
	for _, m := range members {
		if keep(m) {
			out = append(out, m)
		}
	}
	return out
}

// expectRequestsPerRead asserts every read of imageID took exactly perRead
// requests (Terraform may read a data source more than once per step).
func expectRequestsPerRead(s *testServer, imageID string, perRead int) checkFunc {
	return func(*tfjson.State) error {
		reads, requests := s.memberRequests(imageID)
		if reads == 0 || requests != reads*perRead {
			return fmt.Errorf("image %s: %d requests over %d reads, want %d per read", imageID, requests, reads, perRead)
		}
		return nil
	}
}

func memberIndex(members []emulator.Member, memberType string) int {
	for i, m := range members {
		if m.MemberType == memberType {
			return i
		}
	}
	return -1
}

func TestImageMembers_everyAttributeRoundTrips(t *testing.T) {
	s := newTestServer(t)
	const imageID = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"
	members := s.addImage(imageID, 12)
	project, org := memberIndex(members, "project"), memberIndex(members, "organization")
	if project < 0 || org < 0 {
		t.Fatalf("generated members lack a project or an organization: %+v", members)
	}
	p, o := members[project], members[org]
	member := func(i int, key string) tfjsonpath.Path {
		return tfjsonpath.New("members").AtSliceIndex(i).AtMapKey(key)
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: s.providerBlock() + imageConfig(imageID, ""),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("id"), knownvalue.StringExact(imageID)),
				statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("image_id"), knownvalue.StringExact(imageID)),
				statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("region"), knownvalue.StringExact(testRegion)),
				statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("project_id"), knownvalue.StringExact(testProjectID)),
				statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("schema"), knownvalue.StringExact("/v2/schemas/members")),
				statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("status"), knownvalue.Null()),
				statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("member_type"), knownvalue.Null()),
				statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("page_size"), knownvalue.Null()),
				statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("members"), knownvalue.ListSizeExact(12)),
				statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("members").AtSliceIndex(project), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"member_id":   knownvalue.StringExact(p.MemberID),
					"member_type": knownvalue.StringExact("project"),
					"status":      knownvalue.StringExact(p.Status),
					"urn":         knownvalue.Null(),
					"image_id":    knownvalue.StringExact(imageID),
					"schema":      knownvalue.StringExact(p.Schema),
					"created_at":  knownvalue.StringExact(p.CreatedAt),
					"updated_at":  knownvalue.StringExact(p.UpdatedAt),
				})),
				statecheck.ExpectKnownValue(dsAddress, member(org, "urn"), knownvalue.StringExact(o.URN)),
				statecheck.ExpectKnownValue(dsAddress, member(org, "member_type"), knownvalue.StringExact("organization")),
				expectMemberIDs(dsAddress, memberIDs(members)),
				expectRequestsPerRead(s, imageID, 1),
			},
		}},
	})
}

// Every member is read, in as few requests as the page size allows: the
// default page of 1000, page_size, and an image without members.
func TestImageMembers_pagesPerRead(t *testing.T) {
	for _, tc := range []struct {
		name, imageID, args string
		members, requests   int
		check               statecheck.StateCheck
	}{
		{"2345 members in three requests", "2345b5df-1bc3-4c3f-893e-3e471fd16e64", "", 2345, 3,
			statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("members"), knownvalue.ListSizeExact(2345))},
		{"page_size 7", "00000007-1bc3-4c3f-893e-3e471fd16e64", "page_size = 7", 50, 8, // ceil(50/7)
			statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("page_size"), knownvalue.Int64Exact(7))},
		{"an empty image takes one request", "00000000-1bc3-4c3f-893e-3e471fd16e64", "", 0, 1,
			statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("members"), knownvalue.ListExact([]knownvalue.Check{}))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t)
			members := s.addImage(tc.imageID, tc.members)
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{{
					Config: s.providerBlock() + imageConfig(tc.imageID, tc.args),
					ConfigStateChecks: []statecheck.StateCheck{
						tc.check,
						expectMemberIDs(dsAddress, memberIDs(members)),
						expectRequestsPerRead(s, tc.imageID, tc.requests),
					},
				}},
			})
		})
	}
}

func TestImageMembers_filters(t *testing.T) {
	s := newTestServer(t)
	const imageID = "f11e75df-1bc3-4c3f-893e-3e471fd16e64"
	members := s.addImage(imageID, 90)
	accepted := filterMembers(members, func(m emulator.Member) bool { return m.Status == "accepted" })
	orgs := filterMembers(members, func(m emulator.Member) bool { return m.MemberType == "organization" })
	pendingDomains := filterMembers(members, func(m emulator.Member) bool { return m.Status == "pending" && m.MemberType == "domain" })
	if len(accepted) == 0 || len(orgs) == 0 || len(pendingDomains) == 0 || len(accepted) == len(members) {
		t.Fatalf("generated data does not exercise the filters: %d accepted, %d organizations, %d pending domains of %d",
			len(accepted), len(orgs), len(pendingDomains), len(members))
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: s.providerBlock() + imageConfig(imageID, `status = "accepted"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("status"), knownvalue.StringExact("accepted")),
					expectMemberIDs(dsAddress, memberIDs(accepted)),
				},
			},
			{
				Config: s.providerBlock() + imageConfig(imageID, `member_type = "organization"`),
				ConfigStateChecks: []statecheck.StateCheck{
					expectMemberIDs(dsAddress, memberIDs(orgs)),
				},
			},
			{
				Config: s.providerBlock() + imageConfig(imageID, "status = \"pending\"\n  member_type = \"domain\""),
				ConfigStateChecks: []statecheck.StateCheck{
					expectMemberIDs(dsAddress, memberIDs(pendingDomains)),
				},
			},
		},
	})
}

func TestImageMembers_planTimeValidation(t *testing.T) {
	s := newTestServer(t)
	cases := map[string]struct {
		config string
		want   string
	}{
		"image id not a UUID":   {imageConfig("not-a-uuid", ""), `must be an image ID in UUID form`},
		"unknown status":        {imageConfig("d164b5df-1bc3-4c3f-893e-3e471fd16e64", `status = "shared"`), `value must be one of:.*"accepted"`},
		"unknown member type":   {imageConfig("d164b5df-1bc3-4c3f-893e-3e471fd16e64", `member_type = "user"`), `value must be one of:.*"project"`},
		"page size zero":        {imageConfig("d164b5df-1bc3-4c3f-893e-3e471fd16e64", `page_size = 0`), `page_size value must be between 1 and 1000`},
		"page size too large":   {imageConfig("d164b5df-1bc3-4c3f-893e-3e471fd16e64", `page_size = 1001`), `page_size value must be between 1 and 1000`},
		"bad read timeout":      {imageConfig("d164b5df-1bc3-4c3f-893e-3e471fd16e64", "timeouts {\n    read = \"soon\"\n  }"), `Invalid Attribute Value Time Duration`},
		"negative read timeout": {imageConfig("d164b5df-1bc3-4c3f-893e-3e471fd16e64", "timeouts {\n    read = \"-5m\"\n  }"), `must be a positive duration`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s.ResetRequests()
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{{
					Config:      s.providerBlock() + tc.config,
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(`(?s)` + tc.want),
				}},
			})
			if n := len(s.Requests()); n != 0 {
				t.Errorf("invalid configuration sent %d requests, want 0", n)
			}
		})
	}
}

func TestImageMembers_notFoundDiagnostic(t *testing.T) {
	s := newTestServer(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: s.providerBlock() + imageConfig("404404df-1bc3-4c3f-893e-3e471fd16e64", ""),
			// Status, IMS error code, message and request ID, in that order.
			ExpectError: regexp.MustCompile(`HTTP 404 Not Found: IMG\.\d+:\s+\S[\s\S]*request\s+ID\s+[0-9a-f]{8,}`),
		}},
	})
}

func TestImageMembers_badSignatureDiagnostic(t *testing.T) {
	s := newTestServer(t)
	const imageID = "baad5190-1bc3-4c3f-893e-3e471fd16e64"
	s.addImage(imageID, 3)
	config := fmt.Sprintf(`
provider "ims" {
  region     = %q
  project_id = %q
  access_key = %q
  secret_key = "wrong-secret"
  endpoints  = { ims = %q }
}
`, testRegion, testProjectID, testAccessKey, s.URL) + imageConfig(imageID, "")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config:      config,
			ExpectError: regexp.MustCompile(`HTTP 401 Unauthorized: APIGW\.0301:\s+\S[\s\S]*request\s+ID\s+[0-9a-f]{8,}[\s\S]*Check\s+access_key\s+and\s+secret_key`),
		}},
	})
	if _, requests := s.memberRequests(imageID); requests != 1 {
		t.Errorf("a bad signature was sent %d times; 401 must never be retried", requests)
	}
}
