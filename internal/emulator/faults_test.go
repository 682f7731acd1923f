package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestFaultStatus(t *testing.T) {
	v := newEnv(t, Config{})
	v.emu.AddImage(testProject, testImage, GenerateMembers(testImage, 3))
	v.emu.Inject(Fault{Kind: FaultStatus, Status: http.StatusTooManyRequests, RetryAfter: "2", Count: 2})
	for range 2 {
		r := v.list(testProject, testImage, 0, "")
		wantGateway(t, r, http.StatusTooManyRequests, "APIGW.0308")
		if r.header.Get("Retry-After") != "2" {
			t.Errorf("Retry-After %q, want 2", r.header.Get("Retry-After"))
		}
	}
	decodePage(t, v.list(testProject, testImage, 0, ""))
	if n := v.emu.PendingFaults(); n != 0 {
		t.Errorf("%d faults left", n)
	}
}

func TestFaultStatusDefaultsAndOrder(t *testing.T) {
	v := newEnv(t, Config{})
	v.emu.AddImage(testProject, testImage, nil)
	v.emu.Inject(
		Fault{Kind: FaultStatus},
		Fault{Kind: FaultStatus, Status: http.StatusBadGateway},
		Fault{Kind: FaultStatus, Status: http.StatusServiceUnavailable, Body: `{"error":{"code":"IMG.9999","message":"down for maintenance"}}`},
		Fault{Kind: FaultStatus, Status: http.StatusGatewayTimeout},
	)
	wantIMS(t, v.list(testProject, testImage, 0, ""), http.StatusInternalServerError, "IMG.0061")
	wantGateway(t, v.list(testProject, testImage, 0, ""), http.StatusBadGateway, "APIGW.0202")
	if msg := wantIMS(t, v.list(testProject, testImage, 0, ""), http.StatusServiceUnavailable, "IMG.9999"); msg != "down for maintenance" {
		t.Errorf("custom body not sent: %q", msg)
	}
	r := v.list(testProject, testImage, 0, "")
	wantGateway(t, r, http.StatusGatewayTimeout, "APIGW.0203")
	if r.header.Get("Retry-After") != "" {
		t.Errorf("Retry-After %q without one asked for", r.header.Get("Retry-After"))
	}
	decodePage(t, v.list(testProject, testImage, 0, ""))
}

// TestFaultStatusOnIAMSpeaksKeystone: a status fault on the IAM lookup
// answers in IAM's own error shape, not IMS's.
func TestFaultStatusOnIAMSpeaksKeystone(t *testing.T) {
	v := newEnv(t, Config{})
	v.emu.Inject(Fault{Kind: FaultStatus, Status: http.StatusForbidden, Path: "/v3/projects"})
	r := v.projects("cn-north-4")
	var b keystoneErrorBody
	if r.status != http.StatusForbidden || json.Unmarshal(r.body, &b) != nil || b.Error.Code != http.StatusForbidden ||
		b.Error.Title != "Forbidden" || !strings.Contains(b.Error.Message, "not authorized") {
		t.Errorf("IAM fault answered %d %s, want 403 in Keystone's shape", r.status, r.body)
	}
}

func TestFaultMatching(t *testing.T) {
	v := newEnv(t, Config{})
	v.emu.AddImage(testProject, testImage, nil)

	// By default faults wait for a member list: IAM and bad signatures pass.
	v.emu.Inject(Fault{Kind: FaultStatus, Status: http.StatusInternalServerError})
	if r := v.projects("cn-north-4"); r.status != http.StatusOK {
		t.Fatalf("IAM took an IMS fault: %d", r.status)
	}
	good := v.creds
	v.creds.SecretKey = "wrong"
	wantGateway(t, v.list(testProject, testImage, 0, ""), http.StatusUnauthorized, "APIGW.0301")
	v.creds = good
	wantIMS(t, v.list(testProject, testImage, 0, ""), http.StatusInternalServerError, "IMG.0061")

	// Path picks the IAM lookup, which the member list then skips over.
	v.emu.Inject(Fault{Kind: FaultStatus, Status: http.StatusServiceUnavailable, Path: "/v3/projects"})
	decodePage(t, v.list(testProject, testImage, 0, ""))
	if r := v.projects("cn-north-4"); r.status != http.StatusServiceUnavailable {
		t.Errorf("IAM fault: %d", r.status)
	}

	// "/" matches everything; negative Count lasts until cleared.
	v.emu.Inject(Fault{Kind: FaultStatus, Status: http.StatusBadGateway, Path: "/", Count: -1})
	for range 3 {
		wantGateway(t, v.list(testProject, testImage, 0, ""), http.StatusBadGateway, "APIGW.0202")
		if r := v.projects("cn-north-4"); r.status != http.StatusBadGateway {
			t.Errorf("IAM: %d", r.status)
		}
	}
	if v.emu.PendingFaults() != 1 {
		t.Errorf("%d pending, want the unlimited one", v.emu.PendingFaults())
	}
	v.emu.ClearFaults()
	decodePage(t, v.list(testProject, testImage, 0, ""))

	// Content faults never match IAM, even with a Path that would.
	v.emu.Inject(Fault{Kind: FaultMissingMembers, Path: "/"})
	if r := v.projects("cn-north-4"); r.status != http.StatusOK || !strings.Contains(string(r.body), `"projects"`) {
		t.Errorf("IAM took a content fault: %d %s", r.status, r.body)
	}
	if v.emu.PendingFaults() != 1 {
		t.Error("the content fault was used up by IAM")
	}
}

func TestInjectRejectsUnknownKind(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Inject accepted a zero Fault")
		}
	}()
	New(Config{}).Inject(Fault{})
}

// rawGet sends a signed member-list GET on a fresh connection, so the
// transport cannot quietly retry on another one.
func (v *env) rawGet(ctx context.Context) (*http.Response, error) {
	req := v.signed(http.MethodGet, membersPath(testProject, testImage), nil, nil, nil).WithContext(ctx)
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	return c.Do(req)
}

func TestFaultDropConnection(t *testing.T) {
	v := newEnv(t, Config{})
	v.emu.AddImage(testProject, testImage, nil)
	v.emu.Inject(Fault{Kind: FaultDropConnection})
	resp, err := v.rawGet(t.Context())
	if err == nil {
		_ = resp.Body.Close()
		t.Fatalf("got a response (%d) from a dropped connection", resp.StatusCode)
	}
	if st := v.emu.Requests()[0].Status; st != 0 {
		t.Errorf("recorded status %d, want 0", st)
	}
	decodePage(t, v.list(testProject, testImage, 0, ""))
}

func TestFaultTruncatedBody(t *testing.T) {
	v := newEnv(t, Config{})
	v.emu.AddImage(testProject, testImage, GenerateMembers(testImage, 40))
	v.emu.Inject(Fault{Kind: FaultTruncatedBody})
	resp, err := v.rawGet(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("status %d", resp.StatusCode)
	}
	body, err := io.ReadAll(resp.Body)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("reading a cut body: %v, want unexpected EOF", err)
	}
	if len(body) == 0 || int64(len(body)) >= resp.ContentLength || json.Valid(body) || !strings.HasPrefix(string(body), `{"members":[`) {
		t.Errorf("got %d bytes of %d: %.40s", len(body), resp.ContentLength, body)
	}
}

func TestFaultGarbage(t *testing.T) {
	v := newEnv(t, Config{})
	v.emu.AddImage(testProject, testImage, nil)
	v.emu.Inject(Fault{Kind: FaultGarbage}, Fault{Kind: FaultGarbage, Body: `{"members":[{"status":`})
	r := v.list(testProject, testImage, 0, "")
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || json.Valid(r.body) {
		t.Errorf("proxy page: %d %q %s", r.status, r.header.Get("Content-Type"), r.body)
	}
	r = v.list(testProject, testImage, 0, "")
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") || json.Valid(r.body) {
		t.Errorf("broken JSON: %d %q %s", r.status, r.header.Get("Content-Type"), r.body)
	}
}

func TestFaultSlow(t *testing.T) {
	v := newEnv(t, Config{})
	v.emu.AddImage(testProject, testImage, GenerateMembers(testImage, 2))
	v.emu.Inject(Fault{Kind: FaultSlow, Delay: 300 * time.Millisecond})
	start := time.Now()
	decodePage(t, v.list(testProject, testImage, 0, ""))
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("answered after %v, before the delay", d)
	}

	// A client that gives up is not kept waiting, and the handler ends too.
	v.emu.ResetRequests()
	v.emu.Inject(Fault{Kind: FaultSlow, Delay: time.Hour})
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	start = time.Now()
	if resp, err := v.rawGet(ctx); err == nil {
		_ = resp.Body.Close()
		t.Fatal("a response despite the hour's delay")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("cancellation took %v", d)
	}
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if reqs := v.emu.Requests(); len(reqs) == 1 && reqs[0].Status == 0 {
			return
		}
	}
	t.Error("the slow handler did not finish after the client left")
}

// pages follows markers for at most n requests and returns the markers
// received, in order.
func (v *env) pages(limit, n int) []string {
	v.t.Helper()
	var markers []string
	marker := ""
	for range n {
		marker = decodePage(v.t, v.list(testProject, testImage, limit, marker)).next()
		if marker == "" {
			break
		}
		markers = append(markers, marker)
	}
	return markers
}

func TestFaultLoopingMarker(t *testing.T) {
	v := newEnv(t, Config{})
	v.emu.AddImage(testProject, testImage, GenerateMembers(testImage, 25))

	// On a later page: next_marker is the marker just sent.
	first := decodePage(t, v.list(testProject, testImage, 10, "")).next()
	v.emu.Inject(Fault{Kind: FaultLoopingMarker})
	if again := decodePage(t, v.list(testProject, testImage, 10, first)).next(); again != first {
		t.Errorf("looping page's next_marker %q, want the request's %q", again, first)
	}

	// On a first page: the marker handed out names itself from then on, even
	// for a single-page image.
	for _, n := range []int{25, 3} {
		v.emu.AddImage(testProject, testImage, GenerateMembers(testImage, n))
		v.emu.Inject(Fault{Kind: FaultLoopingMarker})
		markers := v.pages(10, 3)
		if len(markers) != 3 || markers[1] != markers[0] || markers[2] != markers[0] {
			t.Errorf("n=%d: markers %q, want one marker repeated", n, markers)
		}
	}
}

func TestFaultMissingMembers(t *testing.T) {
	v := newEnv(t, Config{})
	v.emu.AddImage(testProject, testImage, GenerateMembers(testImage, 3))
	v.emu.Inject(Fault{Kind: FaultMissingMembers}, Fault{Kind: FaultMissingMembers, Body: `{"images":[]}`})
	for _, want := range []string{`"schema"`, `"images"`} {
		r := v.list(testProject, testImage, 0, "")
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(r.body, &raw); err != nil || r.status != http.StatusOK {
			t.Fatalf("%d %s: %v", r.status, r.body, err)
		}
		if _, ok := raw["members"]; ok || !strings.Contains(string(r.body), want) {
			t.Errorf("body %s, want no members and %s", r.body, want)
		}
	}
}

func TestFaultEndlessMarkers(t *testing.T) {
	for _, n := range []int{5, 0} {
		v := newEnv(t, Config{})
		v.emu.AddImage(testProject, testImage, GenerateMembers(testImage, n))
		v.emu.Inject(Fault{Kind: FaultEndlessMarkers})
		markers := v.pages(2, 50)
		if len(markers) != 50 {
			t.Fatalf("n=%d: the listing ended after %d pages", n, len(markers))
		}
		seen := map[string]bool{}
		for _, m := range markers {
			if seen[m] {
				t.Fatalf("n=%d: marker %q repeated; endless markers must all be new", n, m)
			}
			seen[m] = true
		}
		// One fault, one endless listing: the next one ends.
		if got, _ := v.readAll(testProject, testImage, 2); len(got) != n {
			t.Errorf("n=%d: fresh listing got %d members", n, len(got))
		}
	}
}
