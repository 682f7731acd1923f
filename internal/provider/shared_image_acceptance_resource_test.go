package provider

import (
	"fmt"
	"net/http"
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

const acceptanceAddress = "ims_shared_image_acceptance.test"

func (s *testServer) acceptanceConfig(imageID, body string) string {
	return s.providerBlock() + "resource \"ims_shared_image_acceptance\" \"test\" {\n  image_id = \"" + imageID + "\"\n" + body + "\n}\n"
}

func answerBody(imageID, status string) string {
	return `{"images":["` + imageID + `"],"project_id":"` + testProjectID + `","status":"` + status + `"}`
}

// ourStatus is the test project's status on an image the peer shares.
func (s *testServer) ourStatus(imageID string) string {
	for _, m := range s.Members(peerProjectID, imageID) {
		if m.MemberID == testProjectID {
			return m.Status
		}
	}
	return ""
}

func expectOurStatus(s *testServer, imageID, want string) checkFunc {
	return func(*tfjson.State) error {
		if got := s.ourStatus(imageID); got != want {
			return fmt.Errorf("our status on %s is %q in the emulator, want %q", imageID, got, want)
		}
		return nil
	}
}

func TestSharedImageAcceptance_lifecycleDriftAndImport(t *testing.T) {
	s := newTestServer(t)
	s.addWorld()
	w := &writeLog{s: s}
	img := worldIncomingPending
	statusIs := func(status string) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(acceptanceAddress, tfjsonpath.New("status"), knownvalue.StringExact(status))
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: s.acceptanceConfig(img, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(acceptanceAddress, plancheck.ResourceActionCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(acceptanceAddress, tfjsonpath.New("id"), knownvalue.StringExact(img)),
					statecheck.ExpectKnownValue(acceptanceAddress, tfjsonpath.New("project_id"), knownvalue.StringExact(testProjectID)),
					statecheck.ExpectKnownValue(acceptanceAddress, tfjsonpath.New("vault_id"), knownvalue.Null()),
					statusIs("accepted"),
					w.expect("PUT " + answerBody(img, "accepted")),
					expectOurStatus(s, img, "accepted"),
				},
			},
			{
				// Someone rejects it in the console: the plan shows it, apply accepts again.
				PreConfig: func() {
					mustEmu(t, s.UpsertMembers(peerProjectID, img, emulator.Member{MemberID: testProjectID, MemberType: "project", Status: "rejected"}))
					s.ResetRequests()
					w.seen = 0
				},
				Config: s.acceptanceConfig(img, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(acceptanceAddress, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(acceptanceAddress, tfjsonpath.New("status"), knownvalue.StringExact("accepted")),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statusIs("accepted"),
					w.expect("PUT " + answerBody(img, "accepted")),
					expectOurStatus(s, img, "accepted"),
					// The refresh asked for the state's status first, then the others
					// until found; each listing ends with its empty page.
					checkFunc(func(*tfjson.State) error {
						want := "id=" + img + "&limit=500&member_status=accepted&visibility=shared"
						if got := s.imageListQueries(); len(got) < 3 || got[0] != want ||
							got[1] != "id="+img+"&limit=500&member_status=rejected&visibility=shared" ||
							got[2] != "id="+img+"&limit=500&marker="+img+"&member_status=rejected&visibility=shared" {
							return fmt.Errorf("image list queries %q", got)
						}
						return nil
					}),
				},
			},
			{
				Config: s.acceptanceConfig(img, `status = "rejected"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(acceptanceAddress, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statusIs("rejected"),
					w.expect("PUT " + answerBody(img, "rejected")),
					expectOurStatus(s, img, "rejected"),
				},
			},
			{
				Config: s.acceptanceConfig(img, `status = "accepted"
  vault_id = "vault-1"`),
				ConfigStateChecks: []statecheck.StateCheck{
					w.expect(`PUT {"images":["` + img + `"],"project_id":"` + testProjectID + `","status":"accepted","vault_id":"vault-1"}`),
				},
			},
			{ResourceName: acceptanceAddress, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"vault_id"}},
		},
		// Destroy rejects: the API has no way to forget an answer.
		CheckDestroy: func(*terraform.State) error {
			if err := w.expect(`PUT {"images":["` + img + `"],"project_id":"` + testProjectID + `","status":"rejected","vault_id":"vault-1"}`)(nil); err != nil {
				return err
			}
			return expectOurStatus(s, img, "rejected")(nil)
		},
	})
}

// An image no longer shared with the project leaves the state at refresh,
// and destroying what is left sends nothing that fails.
func TestSharedImageAcceptance_unshared(t *testing.T) {
	s := newTestServer(t)
	s.addWorld()
	config := s.acceptanceConfig(worldIncomingAccepted, "")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() { mustEmu(t, s.RemoveMembers(peerProjectID, worldIncomingAccepted, testProjectID)) },
				Config:    config,
				PlanOnly:  true, ExpectNonEmptyPlan: true,
			},
		},
	})
}

func TestSharedImageAcceptance_importFindsPending(t *testing.T) {
	s := newTestServer(t)
	s.addWorld()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config:             s.acceptanceConfig(worldIncomingPending, ""),
			ResourceName:       acceptanceAddress,
			ImportState:        true,
			ImportStateId:      testProjectID + "/" + worldIncomingPending,
			ImportStatePersist: true,
			ImportStateCheck: func(states []*terraform.InstanceState) error {
				if len(states) != 1 || states[0].Attributes["status"] != "pending" || states[0].Attributes["project_id"] != testProjectID {
					return fmt.Errorf("imported %v", states)
				}
				return nil
			},
		}, {
			// The configuration wants it accepted: the plan says so.
			Config:             s.acceptanceConfig(worldIncomingPending, ""),
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
		}},
	})
	if n := s.CountRequests("/v1/cloudimages/members"); n != 1 {
		t.Errorf("%d write requests, want only the destroy's rejection", n)
	}
}

func TestSharedImageAcceptance_invalidConfigurationsSendNothing(t *testing.T) {
	s := newTestServer(t)
	expectPlanErrors(t, s, []planError{
		{"pending", s.acceptanceConfig(worldIncomingPending, `status = "pending"`), wrappedText(`value must be one of`)},
		{"image ID", s.acceptanceConfig("1c000002", ""), wrappedText("must be an image ID in UUID form")},
		{"empty vault", s.acceptanceConfig(worldIncomingPending, `vault_id = ""`), wrappedText("vault_id")},
	})
	t.Run("import ID", func(t *testing.T) {
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testProviderFactories,
			Steps: []resource.TestStep{{
				Config: s.acceptanceConfig(worldIncomingPending, ""), ResourceName: acceptanceAddress,
				ImportState: true, ImportStateId: "project/" + worldIncomingPending,
				ExpectError: wrappedText("Invalid import ID", "project_id/image_id"),
			}},
		})
	})
	if n := s.CountRequests(""); n != 0 {
		t.Errorf("the invalid import ID sent %d requests", n)
	}
}

// The write rules of ims_image_share hold for answers too: a PUT whose
// status the image already has is not sent; a PUT whose answer is lost
// after IMS acted is not resent (a fresh read shows it done); a create
// that times out after its PUT keeps its record (tainted), and the next
// apply converges.
func TestSharedImageAcceptance_writesNeverLoseTrack(t *testing.T) {
	t.Parallel() // mostly waits for jobs: overlaps with other tests
	t.Run("status already given", func(t *testing.T) {
		s := newTestServer(t)
		s.addWorld()
		w := &writeLog{s: s}
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testProviderFactories,
			Steps: []resource.TestStep{{
				Config:            s.acceptanceConfig(worldIncomingAccepted, ""),
				ConfigStateChecks: []statecheck.StateCheck{w.expect()},
			}},
		})
	})
	t.Run("answer lost after IMS acted", func(t *testing.T) {
		s := newTestServer(t)
		s.addWorld()
		s.Inject(emulator.Fault{Kind: emulator.FaultDropConnection, After: true, Method: http.MethodPut, Path: "/v1/cloudimages/members"})
		w := &writeLog{s: s}
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testProviderFactories,
			Steps: []resource.TestStep{{
				Config: s.acceptanceConfig(worldIncomingPending, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					w.expect("PUT " + answerBody(worldIncomingPending, "accepted")),
					expectOurStatus(s, worldIncomingPending, "accepted"),
				},
			}},
		})
	})
	t.Run("create timeout shorter than the job", func(t *testing.T) {
		s := newTestServer(t)
		s.addWorld()
		s.SetJobs(emulator.JobBehaviour{Duration: 1200 * time.Millisecond})
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testProviderFactories,
			Steps: []resource.TestStep{
				{
					Config: s.acceptanceConfig(worldIncomingPending, `timeouts { create = "500ms" }`),
					ExpectError: wrappedText("Cannot set the answer to image "+worldIncomingPending, "The create did not finish within 500ms",
						"recorded in the state", "tainted", "terraform untaint"),
				},
				{
					PreConfig: func() {
						for range 200 {
							if s.ourStatus(worldIncomingPending) == "accepted" {
								break
							}
							time.Sleep(25 * time.Millisecond)
						}
						s.SetJobs(emulator.JobBehaviour{})
					},
					Config: s.acceptanceConfig(worldIncomingPending, ""),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(acceptanceAddress, plancheck.ResourceActionReplace)},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					ConfigStateChecks: []statecheck.StateCheck{expectOurStatus(s, worldIncomingPending, "accepted")},
				},
			},
		})
	})
}
