package provider

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
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

// The account of the account-wide tests: the provider's project in
// cn-north-4 (testProjectID), a sub-project of that region, the default
// project of ap-southeast-1, and a disabled project in la-south-2 that
// all_projects must leave out. Each shares images; IAM lists them in the
// order below, which is not the order of the result.
const (
	accountSubProjectID  = "5b000000000000000000000000000001"
	accountAsiaProjectID = "3c000000000000000000000000000001"
	accountOffProjectID  = "7d000000000000000000000000000001"
	accountSubProject    = testRegion + "_analytics"
	accountAsiaRegion    = "ap-southeast-1"
)

// accountImage is one shared image of the account, for the assertions.
type accountImage struct {
	region, projectID, id string
	members               []string
}

// addAccount serves the account, with ownImages shared images in the
// provider's project; it returns every enabled project's shared images in
// the order an account-wide read of everything gives them.
func (s *testServer) addAccount(ownImages int) []accountImage {
	for _, p := range []emulator.Project{
		{ID: accountAsiaProjectID, Name: accountAsiaRegion, DomainID: testDomainID, Enabled: true},
		{ID: accountSubProjectID, Name: accountSubProject, DomainID: testDomainID, Enabled: true},
		{ID: accountOffProjectID, Name: "la-south-2", DomainID: testDomainID, Enabled: false},
		// OBS's system project, in every account's list: no region, no IMS.
		{ID: "6e000000000000000000000000000001", Name: "MOS", DomainID: testDomainID, Enabled: true},
	} {
		s.AddProject(p)
	}
	images := map[string][]accountImage{}
	for _, p := range []struct {
		region, id string
		images     int
	}{
		{testRegion, testProjectID, ownImages}, {testRegion, accountSubProjectID, 1},
		{accountAsiaRegion, accountAsiaProjectID, 3}, {"la-south-2", accountOffProjectID, 1},
	} {
		for i, meta := range emulator.GenerateImages(p.id, p.images) {
			// Created one minute apart: the API lists the newest first.
			members := emulator.GenerateMembers(meta.ID, 2+i)
			s.AddImage(p.id, meta.ID, members)
			s.AddImageMetadata(meta)
			images[p.id] = append([]accountImage{{region: p.region, projectID: p.id, id: meta.ID, members: emulatorMemberIDs(members)}}, images[p.id]...)
		}
	}
	// By region, then project ID: 0123… < 5b00… in cn-north-4.
	return slices.Concat(images[accountAsiaProjectID], images[testProjectID], images[accountSubProjectID])
}

// regionalEndpoint is the emulator as one gateway per region: the
// provider's {region} placeholder becomes a path prefix the emulator
// routes on, and refuses a project of another region.
func (s *testServer) regionalEndpoint() string { return s.URL + "/{region}" }

// regionalProviderBlock is providerBlock with the regional ims endpoint.
func (s *testServer) regionalProviderBlock() string {
	return s.providerBlockWithIMS(s.regionalEndpoint())
}

// regionalProviderConfig is emulatorProviderConfig with the regional ims
// endpoint.
func (s *testServer) regionalProviderConfig() map[string]tftypes.Value {
	cfg := s.emulatorProviderConfig()
	cfg["endpoints"] = tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, map[string]tftypes.Value{
		"ims": tfString(s.regionalEndpoint()), "iam": tfString(s.URL),
	})
	return cfg
}

// expectAccountImages asserts images' id, region, project_id and member IDs
// in order.
func expectAccountImages(address string, want []accountImage) checkFunc {
	return func(state *tfjson.State) error {
		for _, r := range state.Values.RootModule.Resources {
			if r.Address != address {
				continue
			}
			images, _ := r.AttributeValues["images"].([]any)
			var got []accountImage
			for _, raw := range images {
				img, _ := raw.(map[string]any)
				a := accountImage{}
				a.id, _ = img["id"].(string)
				a.region, _ = img["region"].(string)
				a.projectID, _ = img["project_id"].(string)
				members, _ := img["members"].([]any)
				for _, m := range members {
					id, _ := m.(map[string]any)["member_id"].(string)
					a.members = append(a.members, id)
				}
				got = append(got, a)
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				return fmt.Errorf("%s images:\n got %v\nwant %v", address, got, want)
			}
			return nil
		}
		return fmt.Errorf("%s not in state", address)
	}
}

// imsRegionsRead is the region prefix of every IMS request, by project
// (X-Project-Id): each project must have been read at its own region only.
func (s *testServer) imsRegionsRead() map[string][]string {
	out := map[string][]string{}
	for _, r := range s.Requests() {
		region, rest, ok := strings.Cut(strings.TrimPrefix(r.Path, "/"), "/")
		if !ok || !strings.HasPrefix(rest, "v") || strings.HasPrefix(r.Path, "/v") {
			continue
		}
		p := r.Header.Get("X-Project-Id")
		if !slices.Contains(out[p], region) {
			out[p] = append(out[p], region)
		}
	}
	return out
}

// The account-wide forms, through Terraform against the emulator's
// regional gateways: which projects each form covers, the order, each
// image's region and project_id, and null top-level region and project_id.
func TestSharedImages_accountWide(t *testing.T) {
	s := newTestServer(t)
	all := s.addAccount(2)
	inRegion := func(regions ...string) []accountImage {
		return slices.DeleteFunc(slices.Clone(all), func(a accountImage) bool { return !slices.Contains(regions, a.region) })
	}
	defaults := slices.DeleteFunc(slices.Clone(all), func(a accountImage) bool { return a.projectID == accountSubProjectID })
	for _, tc := range []struct {
		name, args string
		want       []accountImage
		projects   map[string][]string // IMS requests' region by project
		authLists  int                 // GET /v3/auth/projects requests
	}{
		{"all projects", `all_projects = true`, all, map[string][]string{
			testProjectID: {testRegion}, accountSubProjectID: {testRegion}, accountAsiaProjectID: {accountAsiaRegion},
		}, 1},
		{"regions alone: each region's default project", `regions = ["` + accountAsiaRegion + `", "` + testRegion + `"]`, defaults, map[string][]string{
			testProjectID: {testRegion}, accountAsiaProjectID: {accountAsiaRegion},
		}, 0},
		{"all projects in some regions", `
  all_projects = true
  regions      = ["` + testRegion + `"]`, inRegion(testRegion), map[string][]string{
			testProjectID: {testRegion}, accountSubProjectID: {testRegion},
		}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s.ResetRequests()
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{{
					Config: s.regionalProviderBlock() + "data \"ims_shared_images\" \"test\" {\n" + tc.args + "\n}",
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(sharedAddress, tfjsonpath.New("region"), knownvalue.Null()),
						statecheck.ExpectKnownValue(sharedAddress, tfjsonpath.New("project_id"), knownvalue.Null()),
						expectAccountImages(sharedAddress, tc.want),
						checkFunc(func(*tfjson.State) error {
							if got := s.imsRegionsRead(); fmt.Sprint(got) != fmt.Sprint(tc.projects) {
								return fmt.Errorf("IMS requests' regions by project %v, want %v", got, tc.projects)
							}
							lists := 0
							for _, r := range s.Requests() {
								if r.Path == "/v3/auth/projects" {
									lists++
								}
							}
							// Terraform reads the data source at plan and at
							// refresh: one listing per read at most.
							if (lists == 0) != (tc.authLists == 0) {
								return fmt.Errorf("%d GET /v3/auth/projects, want %d per read", lists, tc.authLists)
							}
							return nil
						}),
					},
				}},
			})
		})
	}
}

// The single-project arguments name one project: beside all_projects or
// regions they are a plan-time error naming the argument. all_projects =
// false is the single-project form and takes them.
func TestSharedImages_accountWideConflicts(t *testing.T) {
	s := newTestServer(t)
	s.addWorld()
	var steps []resource.TestStep
	for _, tc := range []struct{ args, conflicting, with string }{
		{`all_projects = true` + "\n" + `region = "cn-north-4"`, "region", "all_projects"},
		{`all_projects = true` + "\n" + `project_id = "` + testProjectID + `"`, "project_id", "all_projects"},
		{`regions = ["cn-north-4"]` + "\n" + `project_id = "` + testProjectID + `"`, "project_id", "regions"},
		{`regions = ["cn-north-4"]` + "\n" + `region = "cn-north-4"`, "region", "regions"},
		{`regions = ["cn-north-4"]` + "\n" + `all_projects = true` + "\n" + `image_ids = ["` + worldShared1 + `"]`, "image_ids", "all_projects and regions"},
	} {
		steps = append(steps, resource.TestStep{
			Config:      s.providerBlock() + "data \"ims_shared_images\" \"test\" {\n" + tc.args + "\n}",
			PlanOnly:    true,
			ExpectError: wrappedText("Conflicting arguments", tc.conflicting+" names one project's read and cannot be combined with "+tc.with),
		})
	}
	steps = append(steps,
		resource.TestStep{
			Config:      s.providerBlock() + `data "ims_shared_images" "test" { regions = [] }`,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)regions.*at least 1`),
		},
		resource.TestStep{
			Config:      s.providerBlock() + `data "ims_shared_images" "test" { regions = ["cn north"] }`,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)regions`),
		},
		resource.TestStep{
			Config: s.providerBlock() + `data "ims_shared_images" "test" {
  all_projects = false
  project_id   = "` + testProjectID + `"
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(sharedAddress, tfjsonpath.New("project_id"), knownvalue.StringExact(testProjectID)),
				statecheck.ExpectKnownValue(sharedAddress, tfjsonpath.New("images").AtSliceIndex(0).AtMapKey("project_id"), knownvalue.StringExact(testProjectID)),
				statecheck.ExpectKnownValue(sharedAddress, tfjsonpath.New("images").AtSliceIndex(0).AtMapKey("region"), knownvalue.StringExact(testRegion)),
			},
		})
	resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: testProviderFactories, Steps: steps})
}

// A project that cannot be read fails the whole read, naming the project
// and its region, with the permission hint for a 403: never a result with
// a silent gap. Likewise a region with no project, and IAM refusing the
// project list.
func TestSharedImages_accountWideFailures(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault emulator.Fault
		args  map[string]tftypes.Value
		says  []string
	}{
		{"a project's listing forbidden",
			emulator.Fault{Kind: emulator.FaultStatus, Status: http.StatusForbidden, Count: -1, Path: "/" + accountAsiaRegion + "/v2/cloudimages"},
			map[string]tftypes.Value{"all_projects": tftypes.NewValue(tftypes.Bool, true)},
			[]string{"Cannot read the shared images of project " + accountAsiaProjectID + " in region " + accountAsiaRegion, "HTTP 403", "IMS read permission to list images"}},
		{"a project's member list forbidden",
			emulator.Fault{Kind: emulator.FaultStatus, Status: http.StatusForbidden, Count: -1, Path: "/" + testRegion + "/v1/" + accountSubProjectID + "/cloudimages/"},
			map[string]tftypes.Value{"all_projects": tftypes.NewValue(tftypes.Bool, true)},
			[]string{"Cannot read the shared images of project " + accountSubProjectID + " in region " + testRegion, "Reading the members of image", "HTTP 403", "IMS read permission on image members"}},
		{"IAM refuses the project list",
			emulator.Fault{Kind: emulator.FaultStatus, Status: http.StatusForbidden, Count: -1, Path: "/v3/auth/projects"},
			map[string]tftypes.Value{"all_projects": tftypes.NewValue(tftypes.Bool, true)},
			[]string{"Cannot find the projects to read shared images of", "HTTP 403", "all_projects", "GET /v3/auth/projects"}},
		{"a region without a project",
			emulator.Fault{},
			map[string]tftypes.Value{"all_projects": tftypes.NewValue(tftypes.Bool, true), "regions": tfStringSet("la-south-2", testRegion)},
			[]string{"Cannot find the projects to read shared images of", "no enabled project", "la-south-2"}},
		{"regions alone, a region without its default project",
			emulator.Fault{},
			map[string]tftypes.Value{"regions": tfStringSet("eu-west-101", testRegion)},
			[]string{`IAM has no project for region "eu-west-101"`, "region eu-west-101", `no project named "eu-west-101"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t)
			s.addAccount(2)
			if tc.fault.Kind != 0 {
				s.Inject(tc.fault)
			}
			p := newProtocolProvider(t)
			p.configure(context.Background(), t, s.regionalProviderConfig())
			state, diags, err := p.readDataSource(context.Background(), "ims_shared_images", tc.args)
			if err != nil {
				t.Fatal(err)
			}
			expectDiagnostic(t, readResult{diagnostics: diags}, tfprotov6.DiagnosticSeverityError, tc.says...)
			var obj map[string]tftypes.Value
			if err := state.As(&obj); err != nil || !obj["images"].IsNull() {
				t.Errorf("a failed read set images: %v (%v)", obj["images"], err)
			}
		})
	}
}

func tfStringSet(values ...string) tftypes.Value {
	set := make([]tftypes.Value, len(values))
	for i, v := range values {
		set[i] = tfString(v)
	}
	return tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, set)
}

// Projects are read in parallel: with every listing slowed down, listings
// of different regions are in flight at the same moment. (The emulator's
// in-flight count, not the wall time, is what is asserted.)
func TestSharedImages_accountWideReadsProjectsInParallel(t *testing.T) {
	e := emulator.New(emulator.Config{
		AccessKey: testAccessKey, SecretKey: testSecretKey,
		Projects: []emulator.Project{{ID: testProjectID, Name: testRegion, DomainID: testDomainID, Enabled: true}},
	})
	var (
		mu       sync.Mutex
		inFlight = map[string]int{} // listings in flight by region
		most     int                // most regions with a listing in flight at once
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		region, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		if rest == "v2/cloudimages" {
			mu.Lock()
			inFlight[region]++
			most = max(most, len(inFlight))
			mu.Unlock()
			defer func() {
				mu.Lock()
				if inFlight[region]--; inFlight[region] == 0 {
					delete(inFlight, region)
				}
				mu.Unlock()
			}()
		}
		e.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	s := &testServer{Emulator: e, URL: srv.URL}
	want := s.addAccount(2)
	s.Inject(emulator.Fault{Kind: emulator.FaultSlow, Delay: 100 * time.Millisecond, Count: -1, Path: "/v2/cloudimages"})
	p := newProtocolProvider(t)
	p.configure(context.Background(), t, s.regionalProviderConfig())
	state, diags, err := p.readDataSource(context.Background(), "ims_shared_images",
		map[string]tftypes.Value{"all_projects": tftypes.NewValue(tftypes.Bool, true)})
	if err != nil || len(diags) != 0 {
		t.Fatalf("read: %v %s", err, diagnosticsText(diags))
	}
	if got := sharedImageIDs(t, state); len(got) != len(want) {
		t.Fatalf("%d images, want %d", len(got), len(want))
	}
	mu.Lock()
	defer mu.Unlock()
	if most < 2 {
		t.Errorf("at most %d region(s) had a listing in flight at once: the projects were read one after another", most)
	}
}

// One check block over all_projects polices every project of the account
// through real Terraform against the emulator's regional gateways: the
// violation is a warning and the apply succeeds; the same condition as an
// output precondition fails with the same message, which names the region,
// project, image and member of the violation.
func TestSharedImages_accountWideCheckNamesRegionProjectImageMember(t *testing.T) {
	s := newTestServer(t)
	all := s.addAccount(2)
	// The first member of the account that is not a project, in the
	// read's order: the first the message names.
	var first accountImage
	var member string
	for _, img := range all {
		for _, m := range s.Members(img.projectID, img.id) {
			if m.MemberType != "project" && member == "" {
				first, member = img, m.MemberID
			}
		}
	}
	if member == "" {
		t.Fatal("the account has no member outside the account to find")
	}
	const offenders = `flatten([for i in data.ims_shared_images.account.images : [
      for m in i.members : "region ${i.region}, project ${i.project_id}, image ${i.id}, member ${m.member_id}"
      if m.member_type != "project"
    ]])`
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: s.regionalProviderBlock() + `
check "images_stay_in_the_account" {
  data "ims_shared_images" "account" {
    all_projects = true
  }
  assert {
    condition     = length(` + offenders + `) == 0
    error_message = "shared outside the account: ${join("; ", ` + offenders + `)}"
  }
}`,
				// Terraform plans a check's data source to be read again at
				// every apply, so the plan after apply is never empty.
				ExpectNonEmptyPlan: true,
				ConfigStateChecks: []statecheck.StateCheck{
					checkFunc(func(*tfjson.State) error {
						if got := s.imsRegionsRead(); len(got) != 3 {
							return fmt.Errorf("the check's data source read projects %v, want the 3 enabled ones", got)
						}
						return nil
					}),
				},
			},
			{
				Config: s.regionalProviderBlock() + `
data "ims_shared_images" "account" {
  all_projects = true
}
output "policy" {
  value = "ok"
  precondition {
    condition     = length(` + offenders + `) == 0
    error_message = "shared outside the account: ${join("; ", ` + offenders + `)}"
  }
}`,
				ExpectError: wrappedText("shared outside the account: region " + first.region + ", project " + first.projectID +
					", image " + first.id + ", member " + member),
			},
		},
	})
}
