package provider

// Failing safely across reads: a mistake in the provider block costs at
// most one request, never one per data source.

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
)

// auditImageIDs are ten images of testProjectID, for reads in parallel.
func (s *testServer) auditImageIDs() []string {
	ids := make([]string, 10)
	for i := range ids {
		ids[i] = fmt.Sprintf("a0d17%03d-1bc3-4c3f-893e-3e471fd16e64", i)
		s.addImage(ids[i], 2)
	}
	return ids
}

// auditConfig reads every image of ids, all at once (Terraform reads up to
// ten data sources in parallel).
func auditConfig(ids []string, extra string) string {
	return fmt.Sprintf(`
data "ims_image_members" "audit" {
  for_each = toset(["%s"])
  image_id = each.key
%s
}
`, strings.Join(ids, `", "`), extra)
}

// TestFailSafe_wrongSecretSendsOneSignature: ten data sources with a wrong
// secret send one bad signature, not ten (five lock the access key), and
// every read reports that first 401 with what to check.
func TestFailSafe_wrongSecretSendsOneSignature(t *testing.T) {
	s := newTestServer(t)
	ids := s.auditImageIDs()
	config := strings.Replace(s.providerBlock(), testSecretKey, "wrong-secret", 1) + auditConfig(ids, "")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config:      config,
			ExpectError: regexp.MustCompile(`HTTP 401 Unauthorized: APIGW\.0301:\s+\S[\s\S]*request\s+ID\s+[0-9a-f]{8,}[\s\S]*Check\s+access_key\s+and\s+secret_key`),
		}},
	})
	if n := s.CountRequests(""); n != 1 {
		t.Errorf("ten reads with a wrong secret sent %d requests, want 1", n)
	}
}

// TestFailSafe_laterReadsReportTheFirst401: after the 401, each read
// fails at once with that first error (its request ID) and what to check.
func TestFailSafe_laterReadsReportTheFirst401(t *testing.T) {
	s := newTestServer(t)
	ids := s.auditImageIDs()
	p := newProtocolProvider(t)
	config := s.emulatorProviderConfig()
	config["secret_key"] = tfString("wrong-secret")
	p.configure(context.Background(), t, config)
	for i, id := range ids[:3] {
		res, err := p.read(context.Background(), map[string]tftypes.Value{"image_id": tfString(id)})
		if err != nil {
			t.Fatal(err)
		}
		first := s.Requests()[0].RequestID
		expectDiagnostic(t, res, tfprotov6.DiagnosticSeverityError, "HTTP 401 Unauthorized: APIGW.0301", "request ID "+first, "Check access_key and secret_key")
		if i > 0 {
			expectDiagnostic(t, res, tfprotov6.DiagnosticSeverityError, "not sent")
		}
	}
	if n := s.CountRequests(""); n != 1 {
		t.Errorf("three reads with a wrong secret sent %d requests, want 1", n)
	}
}

// TestFailSafe_failedProjectLookupIsRemembered: with no project_id and an
// IAM that refuses to list projects, ten reads make one IAM request.
func TestFailSafe_failedProjectLookupIsRemembered(t *testing.T) {
	s := newTestServer(t)
	ids := s.auditImageIDs()
	config := s.noProjectBlock() + auditConfig(ids, "")
	s.Inject(emulator.Fault{Kind: emulator.FaultStatus, Status: 403, Path: "/v3/projects", Count: -1})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config:      config,
			ExpectError: regexp.MustCompile(`GET /v3/projects: HTTP 403 Forbidden`),
		}},
	})
	if n, iam := s.CountRequests(""), s.CountRequests("/v3/projects"); n != 1 || iam != 1 {
		t.Errorf("the server saw %d requests (%d to IAM), want the one lookup", n, iam)
	}
}

// TestFailSafe_regionThatCannotBeAHostName fails at plan time, before any
// request, wherever the region is set.
func TestFailSafe_regionThatCannotBeAHostName(t *testing.T) {
	s := newTestServer(t)
	ids := s.auditImageIDs()
	for name, tc := range map[string]struct {
		config string
		env    string
	}{
		"provider region": {config: strings.Replace(s.providerBlock(), `"`+testRegion+`"`, `"cn north 4"`, 1) + auditConfig(ids[:1], "")},
		"provider cloud": {config: strings.Replace(s.providerBlock(), "endpoints", `cloud = "my cloud.com"`+"\n  endpoints", 1) +
			auditConfig(ids[:1], "")},
		"read region": {config: s.providerBlock() + auditConfig(ids[:1], `  region = "cn north 4"`)},
		"HW_REGION_NAME": {
			config: strings.Replace(s.providerBlock(), fmt.Sprintf("region     = %q", testRegion), "", 1) + auditConfig(ids[:1], ""),
			env:    "cn north 4",
		},
	} {
		t.Run(name, func(t *testing.T) {
			if tc.env != "" {
				t.Setenv(envRegion, tc.env)
			}
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{{
					Config:      tc.config,
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(`Invalid[\s\S]*cannot\s+be\s+part\s+of\s+a\s+host\s+name`),
				}},
			})
			if n := s.CountRequests(""); n != 0 {
				t.Errorf("%d requests, want none", n)
			}
		})
	}
}
