package emulator

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
)

func TestRegionPrefix(t *testing.T) {
	for _, tc := range []struct{ path, region, rest string }{
		{"/v2/cloudimages", "", "/v2/cloudimages"},
		{"/cn-north-4/v2/cloudimages", "cn-north-4", "/v2/cloudimages"},
		{"/ap-southeast-1/v1/p/cloudimages/i/members", "ap-southeast-1", "/v1/p/cloudimages/i/members"},
		{"/v3/auth/projects", "", "/v3/auth/projects"},
		{"/cn-north-4", "", "/cn-north-4"},
		{"/", "", "/"},
	} {
		if region, rest := regionPrefix(tc.path); region != tc.region || rest != tc.rest {
			t.Errorf("regionPrefix(%q) = %q, %q; want %q, %q", tc.path, region, rest, tc.region, tc.rest)
		}
	}
}

// regionalWorld is an emulator with a project in each of two regions,
// served over HTTP, and a client reaching it per region.
func regionalWorld(t *testing.T) (*Emulator, *client.Client) {
	t.Helper()
	e := New(Config{AccessKey: testAK, SecretKey: testSK, Projects: []Project{
		{ID: testProject, Name: "cn-north-4", DomainID: "d0", Enabled: true},
		{ID: "ap000000000000000000000000000001", Name: "ap-southeast-1", DomainID: "d0", Enabled: true},
		{ID: "sub00000000000000000000000000001", Name: "cn-north-4_analytics", DomainID: "d0", Enabled: true},
		{ID: "off00000000000000000000000000001", Name: "la-south-2", DomainID: "d0", Enabled: false},
	}})
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	c, err := client.New(client.Config{
		Credentials: client.Credentials{AccessKey: testAK, SecretKey: testSK},
		IMSEndpoint: srv.URL + "/{region}", IAMEndpoint: srv.URL + "/{region}", MaxRetries: 0,
	})
	if err != nil {
		t.Fatal(err)
	}
	return e, c
}

// A region's gateway serves its own projects, sub-projects included, and
// refuses a project of another region; the unprefixed endpoint serves all.
func TestRegionGatewayRefusesAnotherRegionsProject(t *testing.T) {
	_, c := regionalWorld(t)
	for _, tc := range []struct {
		region, project string
		ok              bool
	}{
		{"cn-north-4", testProject, true},
		{"cn-north-4", "sub00000000000000000000000000001", true},
		{"ap-southeast-1", "ap000000000000000000000000000001", true},
		{"ap-southeast-1", testProject, false},
		{"cn-north-4", "ap000000000000000000000000000001", false},
	} {
		_, err := c.ListImages(t.Context(), client.ListImagesInput{Region: tc.region, ProjectID: tc.project})
		if (err == nil) != tc.ok {
			t.Errorf("project %s at %s's gateway: err %v, want ok=%v", tc.project, tc.region, err, tc.ok)
		}
	}
}

// GET /v3/auth/projects lists every project, disabled ones with enabled
// false, in IAM's format, from any region's IAM endpoint.
func TestAuthProjects(t *testing.T) {
	_, c := regionalWorld(t)
	got, err := c.ListAuthProjects(t.Context(), "ap-southeast-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || got[3].Enabled || !got[2].Enabled || got[2].Name != "cn-north-4_analytics" {
		t.Errorf("projects %+v", got)
	}
}

// Each region's gateway throttles on its own bucket: emptying one
// region's leaves another's full.
func TestRateLimitPerRegion(t *testing.T) {
	e, _ := regionalWorld(t)
	e.SetRateLimit(0.001, 1)
	status := func(path string) int {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		return rec.Code
	}
	if got := status("/cn-north-4/v3/auth/projects"); got == http.StatusTooManyRequests {
		t.Fatal("the first request of a region was throttled")
	}
	if got := status("/cn-north-4/v3/auth/projects"); got != http.StatusTooManyRequests {
		t.Errorf("the second request in the region answered %d, want 429", got)
	}
	if got := status("/ap-southeast-1/v3/auth/projects"); got == http.StatusTooManyRequests {
		t.Error("another region's gateway was throttled by the first region's requests")
	}
	if got := status("/v3/auth/projects"); got == http.StatusTooManyRequests {
		t.Error("the unprefixed gateway was throttled by a region's requests")
	}
}
