package provider

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
)

// directShareResource is ims_image_share on a client with short waits
// (backoff, job polls, attempt timeout), for tests that call its methods
// directly.
func directShareResource(t *testing.T, s *testServer) (*imageShareResource, schema.Schema) {
	t.Helper()
	return directShareResourceWith(t, s, 2, 200*time.Millisecond)
}

// directShareResourceWith sets the retries and the attempt timeout: short
// for the faults to bite, generous for a fault-free apply that must not
// fail on a loaded machine.
func directShareResourceWith(t *testing.T, s *testServer, maxRetries int, attemptTimeout time.Duration) (*imageShareResource, schema.Schema) {
	t.Helper()
	c, err := client.New(client.Config{
		Credentials: client.Credentials{AccessKey: testAccessKey, SecretKey: testSecretKey},
		IMSEndpoint: s.URL, IAMEndpoint: s.URL,
		MaxRetries: maxRetries, AttemptTimeout: attemptTimeout,
		Retry:           client.RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, MaxRetryAfter: 5 * time.Millisecond},
		JobPollInterval: 2 * time.Millisecond, JobPollMaxInterval: 10 * time.Millisecond,
		Budget: client.NewBudget(1e4, 1, 1e4, 1000), // the emulator does not throttle here
	})
	if err != nil {
		t.Fatal(err)
	}
	r := &imageShareResource{data: &providerData{client: c, region: testRegion, projectID: testProjectID}}
	var resp fwresource.SchemaResponse
	r.Schema(t.Context(), fwresource.SchemaRequest{}, &resp)
	return r, resp.Schema
}

var shareTimeoutsType = map[string]attr.Type{"create": types.StringType, "read": types.StringType, "update": types.StringType, "delete": types.StringType}

// shareModelOf is the plan of a create of shareImage with these members,
// as Terraform and the schema's plan modifiers would make it.
func shareModelOf(sets shareSets) imageShareModel {
	return imageShareModel{
		ID: types.StringUnknown(), ImageID: types.StringValue(shareImage), Region: types.StringUnknown(), ProjectID: types.StringUnknown(),
		ProjectIDs: readSet(sets.projects), DomainIDs: readSet(sets.domains), OrganizationURNs: readSet(sets.organizations),
		Members:  types.ListUnknown(shareMemberObjectType),
		Timeouts: timeouts.Value{Object: types.ObjectNull(shareTimeoutsType)},
	}
}

// withTimeout sets every operation's timeout of m.
func withTimeout(m imageShareModel, d string) imageShareModel {
	v := types.StringValue(d)
	m.Timeouts = timeouts.Value{Object: types.ObjectValueMust(shareTimeoutsType, map[string]attr.Value{"create": v, "read": v, "update": v, "delete": v})}
	return m
}

// shareDriver plays Terraform's part for one ims_image_share: refresh,
// then create, update, or (for a tainted resource) delete and create;
// destroy. A create that fails with a state is tainted, as Terraform does.
type shareDriver struct {
	r       *imageShareResource
	sch     schema.Schema
	state   *imageShareModel // nil: not in state
	tainted bool
}

func (d *shareDriver) stateOf(ctx context.Context, m *imageShareModel) (tfsdk.State, error) {
	st := tfsdk.State{Schema: d.sch, Raw: tftypes.NewValue(d.sch.Type().TerraformType(ctx), nil)}
	if m != nil {
		if diags := st.Set(ctx, m); diags.HasError() {
			return st, fmt.Errorf("state: %v", diags)
		}
	}
	return st, nil
}

// adopt takes the response's state: nil when it is null.
func (d *shareDriver) adopt(ctx context.Context, st tfsdk.State) error {
	if st.Raw.IsNull() {
		d.state = nil
		return nil
	}
	var m imageShareModel
	if diags := st.Get(ctx, &m); diags.HasError() {
		return fmt.Errorf("state: %v", diags)
	}
	d.state = &m
	return nil
}

func (d *shareDriver) refresh(ctx context.Context) error {
	if d.state == nil {
		return nil
	}
	st, err := d.stateOf(ctx, d.state)
	if err != nil {
		return err
	}
	resp := fwresource.ReadResponse{State: st}
	d.r.Read(ctx, fwresource.ReadRequest{State: st}, &resp)
	if resp.Diagnostics.HasError() {
		return fmt.Errorf("read: %v", resp.Diagnostics)
	}
	return d.adopt(ctx, resp.State)
}

func (d *shareDriver) create(ctx context.Context, want shareSets, timeout string) error {
	plan := tfsdk.Plan{Schema: d.sch}
	if diags := plan.Set(ctx, withTimeout(shareModelOf(want), timeout)); diags.HasError() {
		return fmt.Errorf("plan: %v", diags)
	}
	st, _ := d.stateOf(ctx, nil)
	resp := fwresource.CreateResponse{State: st}
	d.r.Create(ctx, fwresource.CreateRequest{Plan: plan}, &resp)
	if err := d.adopt(ctx, resp.State); err != nil {
		return err
	}
	d.tainted = d.state != nil && resp.Diagnostics.HasError()
	if resp.Diagnostics.HasError() {
		return fmt.Errorf("create: %v", resp.Diagnostics)
	}
	return nil
}

func (d *shareDriver) update(ctx context.Context, want shareSets, timeout string) error {
	m := withTimeout(shareModelOf(want), timeout)
	m.ID, m.Region, m.ProjectID = d.state.ID, d.state.Region, d.state.ProjectID
	plan := tfsdk.Plan{Schema: d.sch}
	if diags := plan.Set(ctx, m); diags.HasError() {
		return fmt.Errorf("plan: %v", diags)
	}
	prior, err := d.stateOf(ctx, d.state)
	if err != nil {
		return err
	}
	resp := fwresource.UpdateResponse{State: prior}
	d.r.Update(ctx, fwresource.UpdateRequest{Plan: plan, State: prior}, &resp)
	if err := d.adopt(ctx, resp.State); err != nil {
		return err
	}
	if resp.Diagnostics.HasError() {
		return fmt.Errorf("update: %v", resp.Diagnostics)
	}
	return nil
}

func (d *shareDriver) destroy(ctx context.Context, timeout string) error {
	if d.state == nil {
		return nil
	}
	m := withTimeout(*d.state, timeout)
	prior, err := d.stateOf(ctx, &m)
	if err != nil {
		return err
	}
	resp := fwresource.DeleteResponse{State: prior}
	d.r.Delete(ctx, fwresource.DeleteRequest{State: prior}, &resp)
	if resp.Diagnostics.HasError() {
		return fmt.Errorf("delete: %v", resp.Diagnostics)
	}
	d.state, d.tainted = nil, false
	return nil
}

// apply is terraform apply: refresh, then whatever the plan would be.
func (d *shareDriver) apply(ctx context.Context, want shareSets, timeout string) error {
	if err := d.refresh(ctx); err != nil {
		return err
	}
	switch {
	case d.state == nil:
		return d.create(ctx, want, timeout)
	case d.tainted:
		if err := d.destroy(ctx, timeout); err != nil {
			return err
		}
		return d.create(ctx, want, timeout)
	}
	if have := d.state.sets(ctx, &diag.Diagnostics{}); !sameSets(have, want) {
		return d.update(ctx, want, timeout)
	}
	return nil
}

func sameSets(a, b shareSets) bool {
	return slices.Equal(a.projects, b.projects) && slices.Equal(a.domains, b.domains) && slices.Equal(a.organizations, b.organizations)
}

// memberKeys are the members as type/ID, the form the emulator and the
// state can both be put in (an organization by its URN's last ID).
func memberKeys(sets shareSets) []string {
	var out []string
	for _, p := range sets.projects {
		out = append(out, "project/"+p)
	}
	for _, d := range sets.domains {
		out = append(out, "domain/"+d)
	}
	for _, urn := range sets.organizations {
		u, _ := parseOrganizationURN(urn)
		out = append(out, "organization/"+u.resourceID)
	}
	slices.Sort(out)
	return out
}

func (s *testServer) memberKeys() []string {
	var out []string
	for _, m := range s.Members(testProjectID, shareImage) {
		out = append(out, m.MemberType+"/"+m.MemberID)
	}
	slices.Sort(out)
	return out
}

// campaignPool is what the campaign's configurations draw members from:
// projects, accounts and the three organization forms.
var campaignPool = shareSets{
	projects: manyProjects(5, 0),
	domains:  []string{shareDomain, "d0000000000000000000000000000002"},
	organizations: []string{shareOU,
		"organizations::" + testAccount + ":organization:" + testOrg,
		"organizations::" + testAccount + ":root:" + testOrg + "/r-a1b2"},
}

func randomSets(rng *rand.Rand) shareSets {
	for {
		pick := func(pool []string) []string {
			var out []string
			for _, v := range pool {
				if rng.IntN(3) == 0 {
					out = append(out, v)
				}
			}
			return out
		}
		s := shareSets{pick(campaignPool.projects), pick(campaignPool.domains), pick(campaignPool.organizations)}
		slices.Sort(s.organizations)
		if !s.empty() {
			return s
		}
	}
}

// TestImageShare_faultCampaign runs a few hundred apply, plan and destroy
// cycles with random aimed faults (before and after IMS acts), lost
// answers, job polls that fail, jobs failing for chosen members, short
// timeouts, interrupts and kills, under random answers to the undocumented
// cases. After every cycle: every member on the emulator's image is known
// to the state (unless the cycle was a kill, which the docs name), and a
// fault-free apply of the same configuration converges to exactly the
// declared members.
//
// It drives the resource's methods in process, playing Terraform's part
// (refresh, create/update, tainted replacement, destroy; shareDriver), not
// the terraform binary: a terraform run costs a second or more, so a few
// hundred cycles would take minutes, while in process they take seconds.
// The real-terraform tests in image_share_faults_test.go play each fault
// once through Terraform itself. Set IMS_CAMPAIGN_SEED to replay a seed
// (the faults and configurations repeat; timings of interrupts may vary)
// and IMS_CAMPAIGN_CYCLES to change the number of cycles.
func TestImageShare_faultCampaign(t *testing.T) {
	t.Parallel() // mostly waits (jobs, timeouts): overlaps with other tests
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("IMS_CAMPAIGN_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("IMS_CAMPAIGN_SEED: %v", err)
		}
		seed = n
	}
	cycles := 300
	if testing.Short() {
		cycles = 60
	}
	if v := os.Getenv("IMS_CAMPAIGN_CYCLES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			t.Fatalf("IMS_CAMPAIGN_CYCLES: %v", err)
		}
		cycles = n
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	s := newShareServer(t)
	r, sch := directShareResource(t, s)
	calm, _ := directShareResourceWith(t, s, 5, time.Minute)
	d := &shareDriver{r: r, sch: sch}
	fail := func(cycle int, format string, args ...any) {
		t.Helper()
		t.Fatalf("seed %d, cycle %d: %s\nreplay: IMS_CAMPAIGN_SEED=%d go test -run TestImageShare_faultCampaign ./internal/provider/",
			seed, cycle, fmt.Sprintf(format, args...), seed)
	}
	writes := "/v1/cloudimages/members"
	for cycle := range cycles {
		want := randomSets(rng)
		s.SetUnknowns(emulator.Unknowns{
			DuplicateAdd: emulator.UnknownAnswer(rng.IntN(3)), RemoveAbsent: emulator.UnknownAnswer(rng.IntN(3)),
			Quota: emulator.QuotaAnswer(rng.IntN(2)), FailedEntrySucceeds: rng.IntN(2) == 0,
		})
		jobs := emulator.JobBehaviour{}
		timeout := "1m"
		ctx, cancel := context.WithCancel(t.Context())
		killed := false
		fault := rng.IntN(15)
		method := []string{http.MethodPost, http.MethodDelete}[rng.IntN(2)]
		switch fault {
		case 1:
			s.Inject(emulator.Fault{Kind: emulator.FaultDropConnection, Method: method, Path: writes})
		case 2:
			s.Inject(emulator.Fault{Kind: emulator.FaultDropConnection, After: true, Method: method, Path: writes})
		case 3:
			s.Inject(emulator.Fault{Kind: emulator.FaultStatus, Status: http.StatusServiceUnavailable, After: rng.IntN(2) == 0, Method: method, Path: writes})
		case 4:
			s.Inject(emulator.Fault{Kind: emulator.FaultStatus, Status: http.StatusNotFound, Body: imsNotFoundBody, Path: "/jobs/"})
		case 5:
			s.Inject(emulator.Fault{Kind: emulator.FaultDropConnection, Path: "/jobs/", Count: 1 + rng.IntN(3)})
		case 6:
			jobs.Duration, timeout = 20*time.Millisecond, []string{"5ms", "15ms", "40ms"}[rng.IntN(3)]
		case 7:
			jobs.Duration = 20 * time.Millisecond
			time.AfterFunc(time.Duration(rng.IntN(30))*time.Millisecond, cancel) // Ctrl-C
		case 8:
			all := memberKeys(campaignPool)
			key := all[rng.IntN(len(all))]
			jobs.FailMembers = []string{key[strings.IndexByte(key, '/')+1:]}
		case 9:
			s.Inject(emulator.Fault{Kind: emulator.FaultStatus, Status: http.StatusInternalServerError, Count: 1 + rng.IntN(3)})
		case 10:
			s.Inject(emulator.Fault{Kind: emulator.FaultStatus, Status: http.StatusNotFound, Count: -1, Path: "/v1/"}) // the gateway's 404
		case 11:
			s.Inject(emulator.Fault{Kind: emulator.FaultSlow, Delay: time.Second, After: true, Method: method, Path: writes}) // attempt timeout after acting
		case 13:
			s.Inject(emulator.Fault{Kind: emulator.FaultGarbage, After: rng.IntN(2) == 0, Method: method, Path: writes}) // a proxy's page
		case 12:
			if d.state == nil { // kill -9 during a create: nothing is saved
				killed = true
				jobs.Duration = 20 * time.Millisecond
				time.AfterFunc(time.Duration(rng.IntN(30))*time.Millisecond, cancel)
			}
		}
		s.SetJobs(jobs)
		var err error
		switch op := rng.IntN(10); {
		case op < 7:
			saved, wasTainted := d.state, d.tainted
			err = d.apply(ctx, want, timeout)
			if killed {
				d.state, d.tainted = saved, wasTainted // the process died: nothing was saved
			}
		case op < 9:
			err = d.destroy(ctx, timeout)
			if err == nil {
				err = d.refresh(ctx)
			}
		default:
			err = d.refresh(ctx)
		}
		cancel()
		_ = err // faults may fail the cycle; the properties are what count
		s.ClearFaults()
		if jobs.Duration > 0 {
			time.Sleep(2 * jobs.Duration) // let the jobs the cycle left running end
		}
		s.SetJobs(emulator.JobBehaviour{})
		// Every member on the image is known to the state.
		if !killed {
			var inState []string
			if d.state != nil {
				inState = memberKeys(d.state.sets(t.Context(), &diag.Diagnostics{}))
			}
			for _, m := range s.memberKeys() {
				if !slices.Contains(inState, m) {
					fail(cycle, "fault %d: member %s is on the image but not in the state %v (cycle error: %v)", fault, m, inState, err)
				}
			}
		}
		// A fault-free apply of the same configuration converges.
		s.SetUnknowns(emulator.Unknowns{})
		d.r = calm
		err = d.apply(t.Context(), want, "5m")
		d.r = r
		if err != nil {
			fail(cycle, "fault %d: the fault-free apply failed: %v", fault, err)
		}
		if got, wantKeys := s.memberKeys(), memberKeys(want); !slices.Equal(got, wantKeys) {
			fail(cycle, "fault %d: after a fault-free apply the image has %v, want %v", fault, got, wantKeys)
		}
		if d.state == nil || d.tainted || !sameSets(d.state.sets(t.Context(), &diag.Diagnostics{}), want) {
			fail(cycle, "fault %d: after a fault-free apply the state is %+v (tainted %v), want %v", fault, d.state, d.tainted, want)
		}
	}
	t.Logf("seed %d: %d cycles", seed, cycles)
}
