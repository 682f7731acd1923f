package provider

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
)

const sharedAddress = "data.ims_shared_images.test"

// expectSharedImages asserts the images' IDs, names and member IDs in
// order, straight from the state.
func expectSharedImages(address string, want []sharedImageWant) checkFunc {
	return func(state *tfjson.State) error {
		for _, r := range state.Values.RootModule.Resources {
			if r.Address != address {
				continue
			}
			images, _ := r.AttributeValues["images"].([]any)
			if len(images) != len(want) {
				return fmt.Errorf("%s: %d images, want %d", address, len(images), len(want))
			}
			for i, raw := range images {
				img, _ := raw.(map[string]any)
				var name any
				if want[i].name != "" {
					name = want[i].name
				}
				if img["id"] != want[i].id || img["name"] != name {
					return fmt.Errorf("images[%d] = %v (%v), want %s (%q)", i, img["id"], img["name"], want[i].id, want[i].name)
				}
				members, _ := img["members"].([]any)
				if members == nil {
					return fmt.Errorf("images[%d].members is null", i)
				}
				var ids []string
				for _, m := range members {
					ids = append(ids, m.(map[string]any)["member_id"].(string))
				}
				if !slices.Equal(ids, want[i].members) {
					return fmt.Errorf("images[%d] members %v, want %v", i, ids, want[i].members)
				}
			}
			return nil
		}
		return fmt.Errorf("%s not in state", address)
	}
}

type sharedImageWant struct {
	id, name string
	members  []string
}

// expectMemberReadsPerRead asserts each image's members were read once per
// read of the data source, and no other image's.
func expectMemberReadsPerRead(s *testServer, images ...string) checkFunc {
	return func(*tfjson.State) error {
		reads := s.memberReads()
		if len(reads) != len(images) {
			return fmt.Errorf("member lists read: %v, want exactly %v", reads, images)
		}
		for _, id := range images {
			if reads[id] == 0 || reads[id] != reads[images[0]] {
				return fmt.Errorf("member lists read: %v, want each of %v the same number of times", reads, images)
			}
		}
		return nil
	}
}

func TestSharedImages_enumeratesAndReadsEveryMember(t *testing.T) {
	s := newTestServer(t)
	w := s.addWorld()
	peer := w.members[worldShared1][4]
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: s.providerBlock() + `data "ims_shared_images" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(sharedAddress, tfjsonpath.New("region"), knownvalue.StringExact(testRegion)),
				statecheck.ExpectKnownValue(sharedAddress, tfjsonpath.New("project_id"), knownvalue.StringExact(testProjectID)),
				statecheck.ExpectKnownValue(sharedAddress, tfjsonpath.New("image_ids"), knownvalue.Null()),
				expectSharedImages(sharedAddress, []sharedImageWant{
					{worldShared2, "batch", emulatorMemberIDs(w.members[worldShared2])},
					{worldShared1, "web-golden", emulatorMemberIDs(w.members[worldShared1])},
				}),
				// members exactly as ims_image_members gives them.
				statecheck.ExpectKnownValue(sharedAddress, tfjsonpath.New("images").AtSliceIndex(1).AtMapKey("members").AtSliceIndex(4),
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"member_id": knownvalue.StringExact(peerProjectID), "member_type": knownvalue.StringExact("project"),
						"status": knownvalue.StringExact("accepted"), "urn": knownvalue.Null(),
						"image_id": knownvalue.StringExact(worldShared1), "schema": knownvalue.StringExact("/v2/schemas/member"),
						"created_at": knownvalue.StringExact(peer.CreatedAt), "updated_at": knownvalue.StringExact(peer.UpdatedAt),
					})),
				statecheck.ExpectKnownValue(sharedAddress, tfjsonpath.New("images").AtSliceIndex(1).AtMapKey("members").AtSliceIndex(2).AtMapKey("urn"),
					knownvalue.StringExact(w.members[worldShared1][2].URN)),
				// Enumeration: one page and the empty one; then one request per image.
				expectQueriesPerRead(s, "__imagetype=shared&limit=500&owner="+testProjectID,
					"__imagetype=shared&limit=500&marker="+worldShared1+"&owner="+testProjectID),
				expectMemberReadsPerRead(s, worldShared1, worldShared2),
			},
		}},
	})
}

func emulatorMemberIDs(members []emulator.Member) []string {
	ids := make([]string, len(members))
	for i, m := range members {
		ids[i] = m.MemberID
	}
	return ids
}

// image_ids skips the listing; an image shared with nobody has no members;
// names are unknown without the listing, so null.
func TestSharedImages_imageIDs(t *testing.T) {
	s := newTestServer(t)
	w := s.addWorld()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: s.providerBlock() + `
data "ims_shared_images" "test" {
  image_ids = ["` + worldPrivate + `", "` + worldShared1 + `"]
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				expectSharedImages(sharedAddress, []sharedImageWant{
					{worldShared1, "", emulatorMemberIDs(w.members[worldShared1])},
					{worldPrivate, "", []string(nil)},
				}),
				statecheck.ExpectKnownValue(sharedAddress, tfjsonpath.New("images").AtSliceIndex(1).AtMapKey("members"), knownvalue.ListSizeExact(0)),
				checkFunc(func(*tfjson.State) error {
					if q := s.imageListQueries(); len(q) != 0 {
						return fmt.Errorf("image_ids still listed images: %q", q)
					}
					return nil
				}),
				expectMemberReadsPerRead(s, worldShared1, worldPrivate),
			},
		}},
	})
}

// The member filters apply to each image; an image left with nothing
// stays listed with an empty list.
func TestSharedImages_memberFilters(t *testing.T) {
	s := newTestServer(t)
	w := s.addWorld()
	keep := func(id, status, typ string) []string {
		var out []string
		for _, m := range w.members[id] {
			if m.Status == status && m.MemberType == typ {
				out = append(out, m.MemberID)
			}
		}
		return out
	}
	accepted := keep(worldShared1, "accepted", "project")
	if len(accepted) != 2 || len(keep(worldShared2, "accepted", "organization")) != 0 {
		t.Fatalf("the world changed: %v", accepted)
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: s.providerBlock() + `
data "ims_shared_images" "test" {
  status      = "accepted"
  member_type = "project"
}`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(sharedAddress, tfjsonpath.New("status"), knownvalue.StringExact("accepted")),
					expectSharedImages(sharedAddress, []sharedImageWant{
						{worldShared2, "batch", keep(worldShared2, "accepted", "project")},
						{worldShared1, "web-golden", accepted},
					}),
				},
			},
			{
				Config: s.providerBlock() + `
data "ims_shared_images" "test" {
  status      = "accepted"
  member_type = "organization"
}`,
				ConfigStateChecks: []statecheck.StateCheck{
					expectSharedImages(sharedAddress, []sharedImageWant{{worldShared2, "batch", nil}, {worldShared1, "web-golden", nil}}),
				},
			},
		},
	})
}

// Ten of Terraform's reads at once is the most one read asks of the API;
// the member lists are read in parallel, never more than that at a time.
func TestSharedImages_readsMembersConcurrentlyWithinTheBound(t *testing.T) {
	e := emulator.New(emulator.Config{
		AccessKey: testAccessKey, SecretKey: testSecretKey,
		Projects: []emulator.Project{{ID: testProjectID, Name: testRegion, DomainID: testDomainID, Enabled: true}},
	})
	var inFlight, most atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/members") {
			n := inFlight.Add(1)
			defer inFlight.Add(-1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
		}
		e.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	s := &testServer{Emulator: e, URL: srv.URL}
	images := emulator.GenerateImages(testProjectID, 40)
	for _, img := range images {
		s.AddImage(testProjectID, img.ID, emulator.GenerateMembers(img.ID, 2))
		s.AddImageMetadata(img)
	}
	// Each member list answers after a pause, so reads overlap.
	s.Inject(emulator.Fault{Kind: emulator.FaultSlow, Delay: 20 * time.Millisecond, Count: -1})
	state, diags, err := configuredProvider(t, s).readDataSource(context.Background(), "ims_shared_images", nil)
	if err != nil || len(diags) != 0 {
		t.Fatalf("read: %v %s", err, diagnosticsText(diags))
	}
	if got := len(sharedImageIDs(t, state)); got != 40 {
		t.Fatalf("%d images", got)
	}
	if m := most.Load(); m > memberReadConcurrency || m < 2 {
		t.Errorf("at most %d member lists in flight, want 2..%d", m, memberReadConcurrency)
	}
}

// sharedImageIDs is images[*].id of a protocol state.
func sharedImageIDs(t *testing.T, state tftypes.Value) []string {
	t.Helper()
	var obj map[string]tftypes.Value
	var images []tftypes.Value
	if err := state.As(&obj); err != nil {
		t.Fatal(err)
	}
	if err := obj["images"].As(&images); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(images))
	for i, img := range images {
		var fields map[string]tftypes.Value
		if err := img.As(&fields); err != nil {
			t.Fatal(err)
		}
		if err := fields["id"].As(&ids[i]); err != nil {
			t.Fatal(err)
		}
	}
	return ids
}

// An image deleted between the listing and its members (IMS's own 404) is
// left out with a warning naming it; a gateway 404 (APIGW.0101) and any
// other failure fail the read naming the image; with image_ids, a missing
// image is an error (the user named it).
func TestSharedImages_failures(t *testing.T) {
	imageIDs := tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{tfString(worldShared1), tfString(worldShared2)})
	cases := []struct {
		name      string
		status    int
		body      string
		attrs     map[string]tftypes.Value
		severity  tfprotov6.DiagnosticSeverity
		says      []string
		wantState []string
	}{
		{"gone after listing", 404, `{"error":{"code":"IMG.0027","message":"The image ID in the request does not exist."}}`, nil, tfprotov6.DiagnosticSeverityWarning,
			[]string{"Shared images disappeared during the read", worldShared2 + ` ("batch")`, "left out"}, []string{worldShared1}},
		{"gateway 404", 404, "", nil, tfprotov6.DiagnosticSeverityError,
			[]string{"Cannot read the members of image " + worldShared2 + ` ("batch")`, "HTTP 404", "APIGW.0101", "request ID", "endpoints.ims"}, nil},
		{"forbidden", 403, "", nil, tfprotov6.DiagnosticSeverityError,
			[]string{"Cannot read the members of image " + worldShared2 + ` ("batch")`, "HTTP 403", "IMS read permission"}, nil},
		{"named but missing", 404, `{"error":{"code":"IMG.0027","message":"The image ID in the request does not exist."}}`, map[string]tftypes.Value{"image_ids": imageIDs}, tfprotov6.DiagnosticSeverityError,
			[]string{"Cannot read the members of image " + worldShared2, "HTTP 404"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t)
			s.addWorld()
			s.Inject(emulator.Fault{Kind: emulator.FaultStatus, Status: tc.status, Body: tc.body, Count: -1, Path: "/cloudimages/" + worldShared2 + "/members"})
			state, diags, err := configuredProvider(t, s).readDataSource(context.Background(), "ims_shared_images", tc.attrs)
			if err != nil {
				t.Fatal(err)
			}
			expectDiagnostic(t, readResult{diagnostics: diags}, tc.severity, tc.says...)
			if tc.wantState == nil { // no partial result: images stays null
				var obj map[string]tftypes.Value
				if err := state.As(&obj); err != nil || !obj["images"].IsNull() {
					t.Errorf("a failed read set images: %v (%v)", obj["images"], err)
				}
				return
			}
			if got := sharedImageIDs(t, state); !slices.Equal(got, tc.wantState) {
				t.Errorf("images %v, want %v", got, tc.wantState)
			}
		})
	}
}

// The policy recipe: one scoped data source in a check block covers the
// whole project. A violation (here the domain and organization members
// outside var.org_id) is a warning: the apply still succeeds. The same
// condition as an output precondition fails, which shows the check was
// evaluated on the data and found false, not skipped. Terraform 1.11
// evaluates both sides of && and ||, so the URN is guarded by a
// conditional (which evaluates only the branch taken).
func TestSharedImages_inCheckBlockWarnsAndSucceeds(t *testing.T) {
	s := newTestServer(t)
	s.addWorld()
	const condition = `alltrue(flatten([for i in data.ims_shared_images.all.images : [
      for m in i.members : m.member_type == "project" ||
        (m.urn == null ? false : provider::ims::parse_organization_urn(m.urn).organization_id == var.org_id)
    ]]))`
	const variable = `
variable "org_id" {
  default = "o-ours"
}
`
	checkBlock := s.providerBlock() + variable + `
check "images_stay_in_our_organization" {
  data "ims_shared_images" "all" {}
  assert {
    condition     = ` + condition + `
    error_message = "an image is shared outside the organization"
  }
}`
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				// The assertion fails: a warning, and the apply succeeds.
				// Terraform plans a check's data source to be read again at
				// every apply, so the plan after apply is never empty.
				Config:             checkBlock,
				ExpectNonEmptyPlan: true,
				ConfigStateChecks: []statecheck.StateCheck{
					checkFunc(func(*tfjson.State) error {
						if reads := s.memberReads(); reads[worldShared1] == 0 || reads[worldShared2] == 0 {
							return fmt.Errorf("the check's data source read no members: %v", reads)
						}
						return nil
					}),
				},
			},
			{
				Config: s.providerBlock() + variable + `
data "ims_shared_images" "all" {}
output "policy" {
  value = "ok"
  precondition {
    condition     = ` + condition + `
    error_message = "an image is shared outside the organization"
  }
}`,
				ExpectError: wrappedText("an image is shared outside the organization"),
			},
		},
	})

	// resource.UnitTest cannot see warnings: the CLI's own output shows the
	// check's warning, with its message, on an apply that succeeds.
	cli := newCLIRunner(t)
	work := filepath.Join(cli.dir, "work")
	writeFile(t, filepath.Join(work, "main.tf"), `terraform {
  required_providers {
    ims = { source = "cloudimages/ims" }
  }
}
`+checkBlock)
	out, err := cli.run(work, nil, "apply", "-auto-approve")
	if err != nil {
		t.Fatalf("terraform apply failed; a failed check must only warn: %v\n%s", err, tail(out, 4000))
	}
	for _, want := range []string{"Warning: Check block assertion failed", "an image is shared outside the organization", "Apply complete!"} {
		if !strings.Contains(out, want) {
			t.Errorf("the apply's output lacks %q:\n%s", want, tail(out, 4000))
		}
	}
}
