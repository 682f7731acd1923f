package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
)

const (
	shareAddress = "ims_image_share.test"
	shareImage   = "5a0000aa-0000-4000-8000-0000000000aa"
	shareProject = "b0000000000000000000000000000001"
	shareDomain  = "d0000000000000000000000000000001"
	shareOU      = "organizations::3a2d95404f964a6aba78819bf8ddc1e3:ou:o-wvntq58r3poyv180t5df1mdna4uwy9se/ou-5x1bvygwrplokk622i9gbn3f5ftfb2l9"
	outsider     = "e0000000000000000000000000000001"
)

// newShareServer serves shareImage, owned by the test project and shared
// with no one, with jobs that end at once; shareProject, outsider and the
// peer project exist, as a project shared with must.
func newShareServer(t *testing.T) *testServer {
	t.Helper()
	s := newTestServer(t)
	addShareRecipients(s)
	s.AddImageMetadata(emulator.ImageMetadata{ID: shareImage, Owner: testProjectID, Name: "golden"})
	return s
}

// addShareRecipients adds the projects the share tests share with: the
// emulator refuses to share with a project it does not know (IMG.0067).
func addShareRecipients(s *testServer) {
	for _, id := range []string{shareProject, outsider, peerProjectID} {
		s.AddProject(emulator.Project{ID: id, Name: "cn-north-4_" + id[:4], Enabled: true})
	}
	// The quota tests and the fault campaign.
	for i, id := range manyProjects(maxShareMembers+1, 0) {
		s.AddProject(emulator.Project{ID: id, Name: fmt.Sprintf("cn-north-4_many%d", i), Enabled: true})
	}
}

func (s *testServer) shareConfig(body string) string {
	return s.providerBlock() + "resource \"ims_image_share\" \"test\" {\n  image_id = \"" + shareImage + "\"\n" + body + "\n}\n"
}

// writeLog hands out the write requests (method and body) the emulator
// received since the previous call.
type writeLog struct {
	s    *testServer
	seen int
}

func (w *writeLog) expect(want ...string) checkFunc {
	return func(*tfjson.State) error {
		var got []string
		for _, r := range w.s.Requests() {
			if r.Method != http.MethodGet {
				got = append(got, r.Method+" "+r.Body)
			}
		}
		fresh := got[min(w.seen, len(got)):]
		w.seen = len(got)
		if strings.Join(fresh, "\n") != strings.Join(want, "\n") {
			return fmt.Errorf("write requests:\n%s\nwant:\n%s", strings.Join(fresh, "\n"), strings.Join(want, "\n"))
		}
		return nil
	}
}

func membersBody(projects, domains, organizations string) string {
	b := `{"images":["` + shareImage + `"],"projects":[` + projects + `]`
	if domains != "" {
		b += `,"domains":[` + domains + `]`
	}
	if organizations != "" {
		b += `,"organizations":[` + organizations + `]`
	}
	return b + "}"
}

func q(ids ...string) string { return `"` + strings.Join(ids, `","`) + `"` }

// shareMember is the state's element for a member added by the provider.
func shareMember(id, memberType, status string, urn knownvalue.Check) knownvalue.Check {
	return knownvalue.ObjectPartial(map[string]knownvalue.Check{
		"member_id": knownvalue.StringExact(id), "member_type": knownvalue.StringExact(memberType),
		"status": knownvalue.StringExact(status), "urn": urn,
	})
}

func TestImageShare_lifecycleDriftAndImport(t *testing.T) {
	s := newShareServer(t)
	w := &writeLog{s: s}
	ou := "ou-5x1bvygwrplokk622i9gbn3f5ftfb2l9"
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: s.shareConfig(`
  project_ids       = ["` + shareProject + `", "` + peerProjectID + `"]
  domain_ids        = ["` + shareDomain + `"]
  organization_urns = ["` + shareOU + `"]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(shareAddress, plancheck.ResourceActionCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(shareAddress, tfjsonpath.New("id"), knownvalue.StringExact(shareImage)),
					statecheck.ExpectKnownValue(shareAddress, tfjsonpath.New("region"), knownvalue.StringExact(testRegion)),
					statecheck.ExpectKnownValue(shareAddress, tfjsonpath.New("project_id"), knownvalue.StringExact(testProjectID)),
					statecheck.ExpectKnownValue(shareAddress, tfjsonpath.New("project_ids"),
						knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(shareProject), knownvalue.StringExact(peerProjectID)})),
					statecheck.ExpectKnownValue(shareAddress, tfjsonpath.New("members"), knownvalue.ListExact([]knownvalue.Check{
						shareMember(peerProjectID, "project", "pending", knownvalue.Null()),
						shareMember(shareProject, "project", "pending", knownvalue.Null()),
						shareMember(shareDomain, "domain", "pending", knownvalue.Null()),
						shareMember(ou, "organization", "pending", knownvalue.StringExact(shareOU)),
					})),
					// One POST with every member, IDs sorted; the job awaited.
					w.expect("POST " + membersBody(q(peerProjectID, shareProject), q(shareDomain), q(shareOU))),
				},
			},
			{
				// One apply removes the gone, then adds the new, each job awaited.
				Config: s.shareConfig(`
  project_ids = ["` + peerProjectID + `"]
  domain_ids  = ["` + shareDomain + `", "` + outsider + `"]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(shareAddress, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					// Left out of the configuration: the empty set, as [] would be.
					statecheck.ExpectKnownValue(shareAddress, tfjsonpath.New("organization_urns"), knownvalue.SetSizeExact(0)),
					statecheck.ExpectKnownValue(shareAddress, tfjsonpath.New("members"), knownvalue.ListSizeExact(3)),
					w.expect(
						"DELETE "+membersBody(q(shareProject), "", q(shareOU)),
						"POST "+membersBody("", q(outsider), ""),
					),
				},
			},
			{
				// Drift: someone shares the image in the console, and the
				// peer accepts; the plan shows it, apply removes the stranger.
				PreConfig: func() {
					mustEmu(t, s.UpsertMembers(testProjectID, shareImage,
						emulator.Member{MemberID: shareProject, MemberType: "project", Status: "accepted"},
						emulator.Member{MemberID: peerProjectID, MemberType: "project", Status: "accepted"}))
				},
				Config: s.shareConfig(`
  project_ids = ["` + peerProjectID + `"]
  domain_ids  = ["` + shareDomain + `", "` + outsider + `"]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(shareAddress, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(shareAddress, tfjsonpath.New("project_ids"),
							knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(peerProjectID)})),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(shareAddress, tfjsonpath.New("members").AtSliceIndex(0),
						shareMember(peerProjectID, "project", "accepted", knownvalue.Null())),
					w.expect("DELETE " + membersBody(q(shareProject), "", "")),
				},
			},
			{
				// Drift the other way: a member removed elsewhere is shared again.
				PreConfig: func() { mustEmu(t, s.RemoveMembers(testProjectID, shareImage, outsider)) },
				Config: s.shareConfig(`
  project_ids = ["` + peerProjectID + `"]
  domain_ids  = ["` + shareDomain + `", "` + outsider + `"]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(shareAddress, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{w.expect("POST " + membersBody("", q(outsider), ""))},
			},
			{ResourceName: shareAddress, ImportState: true, ImportStateVerify: true},
			{ResourceName: shareAddress, ImportState: true, ImportStateVerify: true, ImportStateId: testProjectID + "/" + shareImage},
		},
		CheckDestroy: func(*terraform.State) error {
			if err := w.expect("DELETE " + membersBody(q(peerProjectID), q(shareDomain, outsider), ""))(nil); err != nil {
				return err
			}
			if left := s.Members(testProjectID, shareImage); len(left) != 0 {
				return fmt.Errorf("members left after destroy: %v", left)
			}
			return nil
		},
	})
}

func mustEmu(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// Every invalid configuration is refused at plan time, before any request.
func TestImageShare_invalidConfigurationsSendNothing(t *testing.T) {
	s := newShareServer(t)
	expectPlanErrors(t, s, []planError{
		{"no member", s.shareConfig(""), wrappedText("No member to share with")},
		{"empty sets", s.shareConfig(`project_ids = []
  domain_ids = []`), wrappedText("No member to share with")},
		{"image ID", s.providerBlock() + `resource "ims_image_share" "test" {
  image_id    = "not-a-uuid"
  project_ids = ["` + shareProject + `"]
}`, wrappedText("must be an image ID in UUID form")},
		{"region", s.shareConfig(`project_ids = ["` + shareProject + `"]
  region = "cn north 4"`), wrappedText("Invalid region", `"cn north 4" cannot be part of a host name`)},
		{"upper-case project", s.shareConfig(`project_ids = ["` + strings.ToUpper(shareProject) + `"]`), wrappedText("must be a project ID: 32 lower-case hexadecimal")},
		{"yourself", s.shareConfig(`project_ids = ["` + testProjectID + `"]`), wrappedText("Image shared with its own project", "IMG.0076")},
		{"short domain", s.shareConfig(`domain_ids = ["d000"]`), wrappedText("must be an account (domain) ID")},
		{"over the quota", s.shareConfig(`project_ids = [` + q(manyProjects(maxShareMembers+1, 0)...) + `]`), wrappedText("set must contain at most 256 elements")},
		{"URN form", s.shareConfig(`organization_urns = ["organizations::` + testAccount + `:organization:` + testOrg + `/` + testOrg + `"]`),
			wrappedText("Invalid organization URN", `an organization URN ends in 1 "/"-separated ID(s), not 2`)},
		{"URN", s.shareConfig(`organization_urns = ["ou-5x1bvygwrplokk622i9gbn3f5ftfb2l9"]`), wrappedText("Invalid organization URN", `does not start with "organizations::"`)},
		{"timeout", s.shareConfig(`project_ids = ["` + shareProject + `"]
  timeouts { create = "soon" }`), regexp.MustCompile(`(?s)timeouts.*create|duration`)},
	})
}

// A job that fails names the job, its code, its reason and the member, and
// for the quota the numbers; the POST is not resent (the job's failure is
// judged by a fresh read, which shows the member missing).
func TestImageShare_jobFailure(t *testing.T) {
	s := newShareServer(t)
	s.SetJobs(emulator.JobBehaviour{Fail: true, ErrorCode: emulator.QuotaErrorCode, FailReason: "share quota exceeded"})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: s.shareConfig(`project_ids = ["` + shareProject + `"]`),
			ExpectError: regexp.MustCompile(`(?s)Cannot share image ` + shareImage + `.*job\s+[0-9a-f]{32}\s+\(imsAddImageMembersJob\)\s+ended\s+in\s+FAIL:` +
				`\s+error\s+code\s+IMG\.0088,\s+reason\s+"share\s+quota\s+exceeded";\s+member\s+` + shareProject + `\s+of\s+image\s+` + shareImage +
				`:\s+failed;\s+image\s+` + shareImage + `\s+has\s+0\s+member\(s\).*1\s+more\s+were\s+to\s+be\s+added,\s+1\s+in\s+all,\s+over\s+the\s+limit\s+of\s+256.*as\s+many\s+tenants\s+as\s+allowed`),
		}},
		CheckDestroy: func(*terraform.State) error {
			if n := s.CountRequests("/v1/cloudimages/members"); n != 1 {
				return fmt.Errorf("%d write requests, want the one POST", n)
			}
			return nil
		},
	})
}

// A job still RUNNING at the create timeout fails the apply and says
// which timeout to raise.
func TestImageShare_jobTimeout(t *testing.T) {
	s := newShareServer(t)
	s.SetJobs(emulator.JobBehaviour{Duration: time.Hour})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: s.shareConfig(`project_ids = ["` + shareProject + `"]
  timeouts { create = "2s" }`),
			ExpectError: wrappedText("was still RUNNING after", "context deadline exceeded", "The create did not finish within 2s", `timeouts { create = "..." }`),
		}},
	})
}

// An image deleted after apply leaves the state at the next refresh: the
// plan creates the share again instead of failing. Destroy (which the test
// framework runs without a refresh) reads the members first, finds the
// image gone (IMS's 404, confirmed by the image list) and sends nothing.
func TestImageShare_imageGoneAfterApply(t *testing.T) {
	s := newShareServer(t)
	config := s.shareConfig(`project_ids = ["` + shareProject + `"]`)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() { s.DeleteImage(testProjectID, shareImage) },
				Config:    config,
				PlanOnly:  true, ExpectNonEmptyPlan: true,
			},
		},
		CheckDestroy: func(*terraform.State) error {
			if n := s.CountRequests("/v1/cloudimages/members"); n != 1 {
				return fmt.Errorf("%d write requests, want the POST only", n)
			}
			if n := s.CountRequests("/jobs/"); n != 1 {
				return fmt.Errorf("%d job polls, want the POST's only", n)
			}
			return nil
		},
	})
}
