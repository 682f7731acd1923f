package provider

import (
	"fmt"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
)

// Credentials and names of the emulated account used across the tests.
const (
	testAccessKey = "TESTACCESSKEY0000001"
	testSecretKey = "test-secret-key-do-not-log-0001"
	testRegion    = "cn-north-4"
	testProjectID = "0123456789abcdef0123456789abcdef"
	testDomainID  = "fedcba9876543210fedcba9876543210"
)

// The server main serves, so that what OpenTofu needs is tested too.
var testProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"ims": func() (tfprotov6.ProviderServer, error) { return NewServer("test")(), nil },
}

// TestMain keeps a developer's own HW_* settings out of the offline tests,
// which must never reach a real cloud. Acceptance runs keep them.
func TestMain(m *testing.M) {
	if os.Getenv("TF_ACC") == "" || os.Getenv("HW_ACCESS_KEY") == "" {
		for _, kv := range os.Environ() {
			if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "HW_") {
				_ = os.Unsetenv(name)
			}
		}
	}
	os.Exit(m.Run())
}

// testServer is an emulator on loopback with one project in testRegion.
type testServer struct {
	*emulator.Emulator
	URL string
}

func newTestServer(t *testing.T) *testServer {
	t.Helper()
	return newTestServerWithToken(t, "")
}

// newTestServerWithToken demands temporary credentials with this token.
func newTestServerWithToken(t *testing.T, token string) *testServer {
	t.Helper()
	e := emulator.New(emulator.Config{
		AccessKey:     testAccessKey,
		SecretKey:     testSecretKey,
		SecurityToken: token,
		Projects:      []emulator.Project{{ID: testProjectID, Name: testRegion, DomainID: testDomainID, Enabled: true}},
	})
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return &testServer{Emulator: e, URL: srv.URL}
}

// addImage serves n generated members for a fresh image ID and returns it.
func (s *testServer) addImage(imageID string, n int) []emulator.Member {
	members := emulator.GenerateMembers(imageID, n)
	s.AddImage(testProjectID, imageID, members)
	return members
}

// providerBlock reaches the emulator with explicit arguments.
func (s *testServer) providerBlock() string { return s.providerBlockWithIMS(s.URL) }

// providerBlockWithIMS is providerBlock with endpoints.ims set to ims.
func (s *testServer) providerBlockWithIMS(ims string) string {
	return fmt.Sprintf(`
provider "ims" {
  region     = %q
  project_id = %q
  access_key = %q
  secret_key = %q
  endpoints  = { ims = %q, iam = %q }
}
`, testRegion, testProjectID, testAccessKey, testSecretKey, ims, s.URL)
}

// endpointsOnly is a provider block that leaves everything else to the
// environment or the shared config.
func (s *testServer) endpointsOnly() string {
	return fmt.Sprintf(`
provider "ims" {
  endpoints = { ims = %q, iam = %q }
}
`, s.URL, s.URL)
}

// memberRequests counts the data source's reads and requests of image id
// in the emulator's log: a read starts with a request without a marker.
func (s *testServer) memberRequests(imageID string) (reads, requests int) {
	for _, r := range s.Requests() {
		if !strings.Contains(r.Path, "/cloudimages/"+imageID+"/members") {
			continue
		}
		requests++
		if !strings.Contains(r.RawQuery, "marker=") {
			reads++
		}
	}
	return reads, requests
}
