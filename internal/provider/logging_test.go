package provider

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
)

// Temporary credentials, so both secrets travel: the secret key signs,
// the token is sent as X-Security-Token.
const (
	logSecretKey = "log-test-secret-key-must-not-appear-7f3a"
	logToken     = "log-test-security-token-must-not-appear-9c1e"
	logImageID   = "10610610-1bc3-4c3f-893e-3e471fd16e64"
)

// newTokenServer is an emulator that accepts only the temporary
// credentials, with logImageID holding three members. Its first member
// request fails with a proxy page that echoes the security token, so the
// logs also carry a failed attempt, its error and its retry.
func newTokenServer(t *testing.T) *testServer {
	t.Helper()
	e := emulator.New(emulator.Config{
		AccessKey: testAccessKey, SecretKey: logSecretKey, SecurityToken: logToken,
		Projects: []emulator.Project{{ID: testProjectID, Name: testRegion, DomainID: testDomainID, Enabled: true}},
	})
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	e.AddImage(testProjectID, logImageID, emulator.GenerateMembers(logImageID, 3))
	e.Inject(emulator.Fault{Kind: emulator.FaultStatus, Status: 502, RetryAfter: "0",
		Body: "<html><body>Bad gateway. Your request headers: X-Security-Token: " + logToken + "</body></html>"})
	return &testServer{Emulator: e, URL: srv.URL}
}

// expectNoSecrets fails if either secret, or a long piece of one, is in out.
func expectNoSecrets(t *testing.T, out string) {
	t.Helper()
	for name, secret := range map[string]string{"secret_key": logSecretKey, "security_token": logToken} {
		if strings.Contains(out, secret) {
			t.Errorf("the %s appears in the output", name)
		}
		if half := secret[:len(secret)/2]; strings.Contains(out, half) {
			t.Errorf("the first half of the %s appears in the output", name)
		}
	}
}

// TestTraceLog_terraformPlanHidesSecrets runs the real terraform CLI with
// TF_LOG=TRACE against the provider binary built from this tree and
// searches everything it printed, the provider's logs included, for the
// secret key and the security token. TF_ACC_TERRAFORM_PATH, which the
// resource.UnitTest cases honour, picks the CLI here too (make test-tofu).
func TestTraceLog_terraformPlanHidesSecrets(t *testing.T) {
	s := newTokenServer(t)
	cli := newCLIRunner(t)
	work := filepath.Join(cli.dir, "work")
	writeFile(t, filepath.Join(work, "main.tf"), fmt.Sprintf(`terraform {
  required_providers {
    ims = { source = "cloudimages/ims" }
  }
}

provider "ims" {
  region         = %q
  project_id     = %q
  access_key     = %q
  secret_key     = %q
  security_token = %q
  endpoints      = { ims = %q, iam = %q }
}

data "ims_image_members" "audit" {
  image_id = %q
}

output "member_ids" {
  value = join(",", data.ims_image_members.audit.members[*].member_id)
}
`, testRegion, testProjectID, testAccessKey, logSecretKey, logToken, s.URL, s.URL, logImageID))

	out, err := cli.run(work, []string{"TF_LOG=TRACE"}, "plan")
	if err != nil {
		t.Fatalf("terraform plan: %v\n%s", err, tail(out, 4000))
	}
	got := out
	var ids []string
	for _, m := range s.Members(testProjectID, logImageID) {
		ids = append(ids, m.MemberID)
	}
	if want := fmt.Sprintf("member_ids = %q", strings.Join(ids, ",")); !strings.Contains(got, want) {
		t.Fatalf("the plan does not show the members read (%s)\n%s", want, tail(got, 4000))
	}
	expectNoSecrets(t, got)
	for _, want := range []string{"Authorization: REDACTED", "X-Security-Token: REDACTED", "API request failed; will retry", "attempt=2", "status=200"} {
		if !strings.Contains(got, want) {
			t.Errorf("the TRACE output lacks %q", want)
		}
	}
	if n := s.CountRequests("/members"); n != 2 {
		t.Errorf("%d member requests, want 2 (one 502, one retry)", n)
	}
}

// TestTraceLog_inProcessRequestFieldsAndMasks reads through the protocol
// server with tflogtest's JSON root logger at TRACE and checks each
// request's log line field by field, and that no secret is anywhere.
func TestTraceLog_inProcessRequestFieldsAndMasks(t *testing.T) {
	s := newTokenServer(t)
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	p := newProtocolProvider(t)
	config := s.emulatorProviderConfig()
	config["secret_key"], config["security_token"] = tfString(logSecretKey), tfString(logToken)
	p.configure(ctx, t, config)
	res, err := p.read(ctx, map[string]tftypes.Value{"image_id": tfString(logImageID)})
	if err != nil || res.errorText() != "" || len(res.memberIDs) != 3 {
		t.Fatalf("read: %v %s, %d members", err, res.errorText(), len(res.memberIDs))
	}
	raw := buf.String()
	expectNoSecrets(t, raw)
	if !strings.Contains(raw, "Bad gateway. Your request headers: X-Security-Token: ***") {
		t.Error("the failed attempt's error (the proxy page, token masked) is not in the log")
	}

	entries, err := tflogtest.MultilineJSONDecode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	recorded := s.Requests()
	var requests []map[string]any
	for _, e := range entries {
		if msg, _ := e["@message"].(string); strings.HasPrefix(msg, "API request") {
			requests = append(requests, e)
		}
	}
	if len(requests) != 2 || len(recorded) != 2 {
		t.Fatalf("%d request log lines and %d requests served, want 2 and 2", len(requests), len(recorded))
	}
	for i, e := range requests {
		want := map[string]any{
			"@level": "debug", "method": "GET", "service": "ims", "attempt": float64(i + 1),
			"path":       "/v1/" + testProjectID + "/cloudimages/" + logImageID + "/members",
			"request_id": recorded[i].RequestID, "status": float64([]int{502, 200}[i]),
		}
		for k, v := range want {
			if e[k] != v {
				t.Errorf("log line %d: %s = %v, want %v", i+1, k, e[k], v)
			}
		}
		for _, k := range []string{"wait_ms", "duration_ms"} {
			if _, ok := e[k].(float64); !ok {
				t.Errorf("log line %d: %s = %v, want a number", i+1, k, e[k])
			}
		}
		headers, _ := e["headers"].(string)
		if !strings.Contains(headers, "Authorization: REDACTED") || !strings.Contains(headers, "X-Security-Token: REDACTED") ||
			!strings.Contains(headers, "X-Sdk-Date: ") {
			t.Errorf("log line %d: headers = %q, want them listed with the secrets redacted", i+1, headers)
		}
	}
	if _, ok := requests[0]["retry_in_ms"].(float64); !ok {
		t.Errorf("the failed attempt's line has no retry_in_ms: %v", requests[0])
	}
}
