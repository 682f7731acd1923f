package client_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
)

// Each endpoint has its own budget: a 429 from one region's gateway cuts
// that region's rate and leaves another region's (and IAM's) untouched; two
// calls to one endpoint share one budget, as every call did before.
func TestBudgetPerEndpoint(t *testing.T) {
	e := emulator.New(emulator.Config{AccessKey: testAK, SecretKey: testSK, Projects: []emulator.Project{
		{ID: testProject, Name: testRegion, DomainID: "d0", Enabled: true},
		{ID: otherProject, Name: "ap-southeast-1", DomainID: "d0", Enabled: true},
	}})
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	c, err := client.New(client.Config{
		Credentials: client.Credentials{AccessKey: testAK, SecretKey: testSK},
		IMSEndpoint: srv.URL + "/{region}", IAMEndpoint: srv.URL, MaxRetries: 2,
		Retry: client.RetryPolicy{BaseDelay: 1, MaxDelay: 2},
	})
	if err != nil {
		t.Fatal(err)
	}
	throttled, calm := c.Budget("ims", testRegion), c.Budget("ims", "ap-southeast-1")
	if throttled == calm || throttled == c.Budget("iam", testRegion) {
		t.Fatal("two endpoints share one budget")
	}
	if c.Budget("ims", testRegion) != throttled {
		t.Fatal("one endpoint got two budgets")
	}
	e.Inject(emulator.Fault{Kind: emulator.FaultStatus, Status: 429, RetryAfter: "0", Path: "/" + testRegion + "/v2/cloudimages"})
	for _, p := range []struct{ region, project string }{{testRegion, testProject}, {"ap-southeast-1", otherProject}} {
		if _, err := c.ListImages(context.Background(), client.ListImagesInput{Region: p.region, ProjectID: p.project}); err != nil {
			t.Fatalf("%s: %v", p.region, err)
		}
	}
	if r := throttled.Rate(); r >= 50*client.BudgetDecrease+1 {
		t.Errorf("the throttled region's rate is %v after its 429, want about %v", r, 50*client.BudgetDecrease)
	}
	if r := calm.Rate(); r < 50 {
		t.Errorf("the other region's rate is %v: another region's 429 slowed it", r)
	}
}

// Config.Budget, when given, is the one budget of every endpoint.
func TestBudgetGivenIsShared(t *testing.T) {
	budget := client.NewBudget(5, 1, 10, 1)
	c, err := client.New(client.Config{
		Credentials: client.Credentials{AccessKey: testAK, SecretKey: testSK},
		IMSEndpoint: "http://127.0.0.1:1/{region}", Budget: budget,
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.Budget("ims", "a-1") != budget || c.Budget("ims", "b-1") != budget || c.Budget("iam", "a-1") != budget {
		t.Error("a given budget is not used for every endpoint")
	}
}

// ListAuthProjects lists every project, disabled ones too, with its region
// (the name up to the first "_").
func TestListAuthProjects(t *testing.T) {
	e, c := newEmulatorClient(t, nil)
	e.AddProject(emulator.Project{ID: "sub00000000000000000000000000001", Name: testRegion + "_analytics", Enabled: true})
	e.AddProject(emulator.Project{ID: "off00000000000000000000000000001", Name: "la-south-2", Enabled: false})
	got, err := c.ListAuthProjects(context.Background(), testRegion)
	if err != nil {
		t.Fatal(err)
	}
	want := []client.Project{
		{ID: testProject, Name: testRegion, Enabled: true},
		{ID: "sub00000000000000000000000000001", Name: testRegion + "_analytics", Enabled: true},
		{ID: "off00000000000000000000000000001", Name: "la-south-2", Enabled: false},
	}
	if len(got) != len(want) {
		t.Fatalf("projects %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("projects[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
	if r := got[1].Region(); r != testRegion {
		t.Errorf("region of %s is %q, want %q", got[1].Name, r, testRegion)
	}
	if r := e.Requests(); len(r) != 1 || r[0].Path != "/v3/auth/projects" || r[0].RawQuery != "" {
		t.Errorf("requests %+v, want one GET /v3/auth/projects", r)
	}
}
