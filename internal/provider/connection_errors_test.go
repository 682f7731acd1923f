package provider

// The mistakes made most often in the provider block, through real
// terraform: an endpoint nothing listens on, https:// to a plain-HTTP
// server, an untrusted certificate, a misspelled region in a host name or
// an IAM project name, wrong keys. Each headline names what failed, each
// detail says what to check, and what cannot succeed is not retried. Every
// server is on loopback; host names end in .invalid and are answered by a
// DNS server on loopback (internal/loopback), so no lookup leaves the
// machine.

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
	"github.com/cloudimages/terraform-provider-ims/internal/loopback"
)

// warningLog collects the warnings of ConfigureProvider, which
// plugin-testing does not show, from every provider process of a test.
type warningLog struct {
	mu       sync.Mutex
	warnings []string
}

func (w *warningLog) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return strings.Join(w.warnings, "\n")
}

// recordingServer adds the warnings of ConfigureProvider, ReadDataSource
// and PlanResourceChange to log: plan-time warnings, which terraform
// prints but resource.UnitTest cannot see.
type recordingServer struct {
	tfprotov6.ProviderServer
	log *warningLog
}

func (w *warningLog) add(diags []*tfprotov6.Diagnostic) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityWarning {
			w.warnings = append(w.warnings, d.Summary+": "+d.Detail)
		}
	}
}

func (r *recordingServer) ConfigureProvider(ctx context.Context, req *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	resp, err := r.ProviderServer.ConfigureProvider(ctx, req)
	if resp != nil {
		r.log.add(resp.Diagnostics)
	}
	return resp, err
}

func (r *recordingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	resp, err := r.ProviderServer.ReadDataSource(ctx, req)
	if resp != nil {
		r.log.add(resp.Diagnostics)
	}
	return resp, err
}

func (r *recordingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	resp, err := r.ProviderServer.PlanResourceChange(ctx, req)
	if resp != nil {
		r.log.add(resp.Diagnostics)
	}
	return resp, err
}

// localDNSFactories serve the provider with its DNS answered by dns, and
// record its configure warnings.
func localDNSFactories(dns *loopback.NXDomainServer) (map[string]func() (tfprotov6.ProviderServer, error), *warningLog) {
	warnings := &warningLog{}
	return map[string]func() (tfprotov6.ProviderServer, error){
		"ims": func() (tfprotov6.ProviderServer, error) {
			p := newProvider("test")
			p.resolver = dns.Resolver()
			return &recordingServer{ProviderServer: &nullArgumentsServer{frameworkServer: newDirectReadsServer(p, p)}, log: warnings}, nil
		},
	}, warnings
}

// membersConfig reads one image's members with this provider block body.
func membersConfig(providerBody string) string {
	return fmt.Sprintf(`
provider "ims" {
  access_key = %q
  secret_key = %q
%s
}

data "ims_image_members" "one" {
  image_id = %q
}
`, testAccessKey, testSecretKey, providerBody, faultImageID)
}

// TestConnectionMistakes: each mistake's headline names the endpoint (or
// the region in its host name) and the cause, its detail the setting to
// check, and only a refused connection is retried.
func TestConnectionMistakes(t *testing.T) {
	refused := loopback.ClosedPort(t)
	plain, plainConns := loopback.CountingServer(t, false)
	untrusted, untrustedConns := loopback.CountingServer(t, true)
	plainHTTPS := "https://" + strings.TrimPrefix(plain.URL, "http://")
	ssh, sshConns := loopback.NotTLSServer(t)
	untrustedHTTP := "http://" + strings.TrimPrefix(untrusted.URL, "https://")
	for _, tc := range []struct {
		name     string
		provider string
		want     *regexp.Regexp
		// connections is the attempts a server counted; dnsName the name
		// whose lookups are counted instead (A and AAAA per attempt).
		connections    *atomic.Int32
		wantConns      int32
		dnsName        string
		maxDNSQueries  int
		wantNoWarnings bool
	}{
		{
			name:     "nothing listens at the endpoint",
			provider: fmt.Sprintf("  region = %q\n  max_retries = 1\n  endpoints = { ims = \"http://%s\", iam = \"http://%s\" }", testRegion, refused, refused),
			want: wrappedText("Cannot connect to the IAM endpoint http://"+refused+": connection refused",
				"giving up after 2 attempt(s)", "connection refused", "Check endpoints.iam (host and port) and that the server it names (an emulator, a proxy) is running."),
		},
		{
			name:     "https:// to a plain-HTTP endpoint",
			provider: fmt.Sprintf("  region = %q\n  project_id = %q\n  endpoints = { ims = %q, iam = %q }", testRegion, testProjectID, plainHTTPS, plainHTTPS),
			want: wrappedText("The IMS endpoint "+plainHTTPS+" answers in plain HTTP, not HTTPS",
				"not retried", "server gave HTTP response to HTTPS client", "write endpoints.ims with http://"),
			connections: plainConns, wantConns: 1,
		},
		{
			name:     "https:// to a port that speaks neither TLS nor HTTP",
			provider: fmt.Sprintf("  region = %q\n  project_id = %q\n  endpoints = { ims = \"https://%s\", iam = \"https://%s\" }", testRegion, testProjectID, ssh, ssh),
			want: wrappedText("Cannot start TLS with the IMS endpoint https://"+ssh,
				"TLS handshake failed, not retried", "Check the scheme and the port in endpoints.ims"),
			connections: sshConns, wantConns: 1,
		},
		{
			name:     "http:// to an HTTPS endpoint",
			provider: fmt.Sprintf("  region = %q\n  project_id = %q\n  endpoints = { ims = %q, iam = %q }", testRegion, testProjectID, untrustedHTTP, untrustedHTTP),
			want: wrappedText("The IMS endpoint expects HTTPS, not http://",
				"HTTP 400", "Client sent an HTTP request to an HTTPS server", "write endpoints.ims with https://"),
		},
		{
			name:     "untrusted certificate",
			provider: fmt.Sprintf("  region = %q\n  project_id = %q\n  endpoints = { ims = %q, iam = %q }", testRegion, testProjectID, untrusted.URL, untrusted.URL),
			want: wrappedText("The TLS certificate of the IMS endpoint "+untrusted.URL+" was not accepted",
				"not retried", "certificate", "Check that endpoints.ims names the host its certificate is for", "insecure = true"),
			connections: untrustedConns, wantConns: 1,
		},
		{
			name: "misspelled region in the endpoints' host names",
			provider: "  region = \"ap-southeast-l\"\n" +
				"  endpoints = { ims = \"https://ims.{region}.cloud.invalid\", iam = \"https://iam.{region}.cloud.invalid\" }",
			want: wrappedText(`Cannot reach IAM in region "ap-southeast-l": host iam.ap-southeast-l.cloud.invalid not found`,
				"unknown host, not retried", `is region "ap-southeast-l" spelled right`,
				`"ap-southeast-l" is not a known Huawei Cloud region; known regions near it: ap-southeast-1`, "check endpoints.iam"),
			dnsName: "iam.ap-southeast-l.cloud.invalid", maxDNSQueries: 2,
			wantNoWarnings: true, // both endpoints are the user's: any region name may be right
		},
		{
			name:     "misspelled region with the cloud's endpoint convention",
			provider: "  region = \"cn-nort-4\"\n  cloud = \"cloud.invalid\"",
			want: wrappedText(`Cannot reach IAM in region "cn-nort-4": host iam.cn-nort-4.cloud.invalid not found`,
				`is region "cn-nort-4" spelled right`, "known regions near it: cn-north-4", "check cloud (HW_CLOUD)"),
			dnsName: "iam.cn-nort-4.cloud.invalid", maxDNSQueries: 2,
			wantNoWarnings: true, // another cloud: its regions are its own
		},
		{
			name:     "unknown host in a fixed endpoint",
			provider: fmt.Sprintf("  region = %q\n  endpoints = { ims = \"https://ims.cloud.invalid\", iam = \"https://iam.cloud.invalid\" }", testRegion),
			want: wrappedText("Cannot reach the IAM endpoint https://iam.cloud.invalid: host iam.cloud.invalid not found",
				"not retried", "Check the host name in endpoints.iam: it does not resolve."),
			dnsName: "iam.cloud.invalid", maxDNSQueries: 2,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("HTTPS_PROXY", "")
			t.Setenv("HTTP_PROXY", "")
			if tc.connections != nil {
				tc.connections.Store(0) // servers are shared between cases
			}
			dns := loopback.NewNXDomainServer(t)
			factories, rec := localDNSFactories(dns)
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories,
				Steps:                    []resource.TestStep{{Config: membersConfig(tc.provider), ExpectError: tc.want}},
			})
			if tc.connections != nil {
				if n := tc.connections.Load(); n != tc.wantConns {
					t.Errorf("%d connections, want %d", n, tc.wantConns)
				}
			}
			if tc.dnsName != "" {
				if n := dns.Count(tc.dnsName); n == 0 || n > tc.maxDNSQueries {
					t.Errorf("%d DNS queries for %s, want 1 to %d (one attempt)", n, tc.dnsName, tc.maxDNSQueries)
				}
			}
			if w := rec.String(); tc.wantNoWarnings && w != "" {
				t.Errorf("configure warned: %s", w)
			}
		})
	}
}

// TestRegionAndKeyMistakes: a misspelled region IAM has no project for
// asks for the spelling before project_id (following the old advice
// recorded the wrong region); a region that is not a known Huawei Cloud
// region warns at plan time, with the closest known names, where the
// public endpoints are used, and the plan goes on; wrong keys are named in
// the headline, not "Cannot find the project".
func TestRegionAndKeyMistakes(t *testing.T) {
	s := newTestServer(t)
	s.addImage(faultImageID, 2)
	for _, tc := range []struct {
		name, provider string
		want           *regexp.Regexp // nil: the plan succeeds
		wantWarning    string         // "": no configure warning
	}{
		{
			name:     "IAM has no project named after a misspelled region",
			provider: fmt.Sprintf("  region = \"cn-nort-4\"\n  endpoints = { ims = %q, iam = %q }", s.URL, s.URL),
			want: wrappedText(`IAM has no project for region "cn-nort-4"`,
				`IAM has no project named "cn-nort-4"`, `check the spelling of region "cn-nort-4" first`,
				"records the wrong region in state", `known regions near it: cn-north-4`,
				"If the region is right, set project_id"),
		},
		{
			name:        "unknown region with the public IAM endpoint warns and goes on",
			provider:    fmt.Sprintf("  region = \"ap-southeast-l\"\n  project_id = %q\n  endpoints = { ims = %q }", testProjectID, s.URL),
			wantWarning: `Unknown region "ap-southeast-l": "ap-southeast-l" is not a known Huawei Cloud region; known regions near it: ap-southeast-1`,
		},
		{
			name:     "a known region does not warn",
			provider: fmt.Sprintf("  region = %q\n  project_id = %q\n  endpoints = { ims = %q }", testRegion, testProjectID, s.URL),
		},
		{
			name:     "wrong keys are the headline",
			provider: fmt.Sprintf("  region = %q\n  endpoints = { ims = %q, iam = %q }", testRegion, s.URL, s.URL),
			want:     wrappedText("IAM rejected the credentials (HTTP 401)", "Check access_key and secret_key"),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dns := loopback.NewNXDomainServer(t)
			factories, warnings := localDNSFactories(dns)
			config := membersConfig(tc.provider)
			if tc.name == "wrong keys are the headline" {
				config = strings.Replace(config, testSecretKey, "wrong-secret", 1)
			}
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories,
				Steps:                    []resource.TestStep{{Config: config, ExpectError: tc.want}},
			})
			got := warnings.String()
			switch {
			case tc.wantWarning == "" && got != "":
				t.Errorf("configure warned: %s", got)
			case tc.wantWarning != "" && !strings.Contains(got, tc.wantWarning):
				t.Errorf("configure warnings %q, want one saying %q", got, tc.wantWarning)
			}
		})
	}
}

// TestRegionOverrideMistakes: a data source's or resource's own region
// that is not a known Huawei Cloud region warns at plan time, naming the
// known regions near it, as the provider's region does; the read goes on
// with the name as given (never an error), and custom endpoints for both
// services (an emulator, a private cloud) make any name valid.
func TestRegionOverrideMistakes(t *testing.T) {
	s := newShareServer(t)
	s.addImage(faultImageID, 2)
	const typo = `Unknown region "ap-southeast-l": "ap-southeast-l" is not a known Huawei Cloud region; known regions near it: ap-southeast-1`
	publicIAM := fmt.Sprintf("  region = %q\n  project_id = %q\n  endpoints = { ims = %q }", testRegion, testProjectID, s.URL)
	customBoth := fmt.Sprintf("  region = %q\n  project_id = %q\n  endpoints = { ims = %q, iam = %q }", testRegion, testProjectID, s.URL, s.URL)
	override := "\n  region = \"ap-southeast-l\"\n  project_id = \"" + testProjectID + "\""
	for _, tc := range []struct {
		name, config, wantWarning string
	}{
		{"ims_image_members", membersConfig(publicIAM) + "data \"ims_image_members\" \"other\" {\n  image_id = \"" + faultImageID + "\"" + override + "\n}\n", typo},
		{"ims_shared_images", membersConfig(publicIAM) + "data \"ims_shared_images\" \"other\" {" + override + "\n}\n", typo},
		{"ims_image_share, planned", membersConfig(publicIAM) + "resource \"ims_image_share\" \"other\" {\n  image_id = \"" + shareImage + "\"\n  project_ids = [\"" + shareProject + "\"]" + override + "\n}\n", typo},
		{"custom endpoints for both services", membersConfig(customBoth) + "data \"ims_image_members\" \"other\" {\n  image_id = \"" + faultImageID + "\"" + override + "\n}\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dns := loopback.NewNXDomainServer(t)
			factories, warnings := localDNSFactories(dns)
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories,
				Steps:                    []resource.TestStep{{Config: tc.config, PlanOnly: true, ExpectNonEmptyPlan: strings.Contains(tc.name, "planned")}},
			})
			got := warnings.String()
			switch {
			case tc.wantWarning == "" && strings.Contains(got, "Unknown region"):
				t.Errorf("warned: %s", got)
			case tc.wantWarning != "" && !strings.Contains(got, tc.wantWarning):
				t.Errorf("warnings %q, want one saying %q", got, tc.wantWarning)
			}
		})
	}
}

// TestSharedImagesProjectLookupHeadline: a failed project lookup of
// ims_shared_images names the region and what the read was for (it said
// "Cannot find the project to read shared images of").
func TestSharedImagesProjectLookupHeadline(t *testing.T) {
	s := newTestServer(t)
	s.Inject(emulator.Fault{Kind: emulator.FaultStatus, Status: http.StatusForbidden, Path: "/v3/projects"})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "ims" {
  region     = %q
  access_key = %q
  secret_key = %q
  endpoints  = { ims = %q, iam = %q }
}

data "ims_shared_images" "all" {}
`, testRegion, testAccessKey, testSecretKey, s.URL, s.URL),
			ExpectError: wrappedText(`Cannot find the project of region "`+testRegion+`" to list the images it shares`, "HTTP 403"),
		}},
	})
}
