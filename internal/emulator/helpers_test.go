package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
)

const (
	testAK      = "QTWAOYTTINDUT2QVKYUC"
	testSK      = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"
	testProject = "1bed856811654c1cb661a6ca845ebc77"
	testDomain  = "8f1c6c1e2a4e4d7f9a6b1c2d3e4f5a6b"
	testImage   = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"
)

var requestIDPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

// env is an emulator behind a real HTTP server, with a signing client.
type env struct {
	t     testing.TB
	emu   *Emulator
	srv   *httptest.Server
	creds client.Credentials
}

func newEnv(t testing.TB, cfg Config) *env {
	t.Helper()
	if cfg.AccessKey == "" {
		cfg.AccessKey, cfg.SecretKey = testAK, testSK
	}
	if cfg.Projects == nil {
		cfg.Projects = []Project{{ID: testProject, Name: "cn-north-4", DomainID: testDomain, Enabled: true}}
	}
	emu := New(cfg)
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	return &env{t: t, emu: emu, srv: srv, creds: client.Credentials{
		AccessKey: cfg.AccessKey, SecretKey: cfg.SecretKey, SecurityToken: cfg.SecurityToken,
	}}
}

func membersPath(projectID, imageID string) string {
	return "/v1/" + projectID + "/cloudimages/" + imageID + "/members"
}

// signed builds a GET signed the way the provider's client does; before
// runs ahead of signing (to add or drop headers), after runs once signed
// (to tamper with the request).
func (v *env) signed(method, path string, query []client.QueryParam, before, after func(*http.Request)) *http.Request {
	v.t.Helper()
	req, err := http.NewRequestWithContext(v.t.Context(), method, v.srv.URL+path, nil)
	if err != nil {
		v.t.Fatal(err)
	}
	req.Header.Set("Accept", "application/json")
	if pid := projectFromPath(path); pid != "" {
		req.Header.Set(client.HeaderProjectID, pid)
	}
	if before != nil {
		before(req)
	}
	if err := v.creds.Sign(req, query, nil, time.Now()); err != nil {
		v.t.Fatal(err)
	}
	if after != nil {
		after(req)
	}
	return req
}

func projectFromPath(path string) string {
	if rt := parseRoute(path); rt.kind == routeMembers {
		return rt.projectID
	}
	return ""
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (v *env) do(req *http.Request) response {
	v.t.Helper()
	resp, err := v.srv.Client().Do(req)
	if err != nil {
		v.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		v.t.Fatalf("%s %s: reading body: %v", req.Method, req.URL, err)
	}
	if id := resp.Header.Get("X-Request-Id"); !requestIDPattern.MatchString(id) {
		v.t.Errorf("X-Request-Id = %q, want 32 hex digits", id)
	}
	return response{resp.StatusCode, resp.Header, body}
}

// list fetches one page; limit 0 and marker "" leave the parameter out.
func (v *env) list(projectID, imageID string, limit int, marker string) response {
	v.t.Helper()
	var q []client.QueryParam
	if limit != 0 {
		q = append(q, client.QueryParam{Key: "limit", Value: itoa(limit)})
	}
	if marker != "" {
		q = append(q, client.QueryParam{Key: "marker", Value: marker})
	}
	return v.do(v.signed(http.MethodGet, membersPath(projectID, imageID), q, nil, nil))
}

type page struct {
	Members  *[]Member `json:"members"`
	Schema   string    `json:"schema"`
	PageInfo *struct {
		NextMarker   *string `json:"next_marker"`
		CurrentCount *int    `json:"current_count"`
	} `json:"page_info"`
}

func (p page) next() string {
	if p.PageInfo == nil || p.PageInfo.NextMarker == nil {
		return ""
	}
	return *p.PageInfo.NextMarker
}

func decodePage(t testing.TB, r response) page {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d, body %s", r.status, r.body)
	}
	var p page
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatalf("page is not JSON: %v: %s", err, r.body)
	}
	return p
}

// readAll pages through an image like the provider must, failing on a
// repeated marker; it returns the members and the number of requests.
func (v *env) readAll(projectID, imageID string, limit int) ([]Member, int) {
	v.t.Helper()
	var all []Member
	seen := map[string]bool{}
	marker, requests := "", 0
	for {
		p := decodePage(v.t, v.list(projectID, imageID, limit, marker))
		requests++
		if p.Members == nil {
			v.t.Fatal("page without members")
		}
		all = append(all, *p.Members...)
		marker = p.next()
		if marker == "" {
			return all, requests
		}
		if seen[marker] {
			v.t.Fatalf("marker %q repeated", marker)
		}
		seen[marker] = true
	}
}

type gatewayError struct {
	ErrorCode string `json:"error_code"`
	ErrorMsg  string `json:"error_msg"`
	RequestID string `json:"request_id"`
}

// wantGateway checks a gateway-shaped error, request_id matching the header.
func wantGateway(t *testing.T, r response, status int, code string) gatewayError {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
	var g gatewayError
	if err := json.Unmarshal(r.body, &g); err != nil {
		t.Fatalf("not a gateway error: %v: %s", err, r.body)
	}
	if g.ErrorCode != code || g.ErrorMsg == "" {
		t.Fatalf("error_code %q msg %q, want %s", g.ErrorCode, g.ErrorMsg, code)
	}
	if g.RequestID != r.header.Get("X-Request-Id") {
		t.Errorf("request_id %q != X-Request-Id %q", g.RequestID, r.header.Get("X-Request-Id"))
	}
	return g
}

// wantIMS checks an IMS-shaped error.
func wantIMS(t *testing.T, r response, status int, code string) string {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
	var b imsErrorBody
	if err := json.Unmarshal(r.body, &b); err != nil {
		t.Fatalf("not an IMS error: %v: %s", err, r.body)
	}
	if b.Error.Code != code || b.Error.Message == "" {
		t.Fatalf("error %+v, want code %s", b.Error, code)
	}
	return b.Error.Message
}
