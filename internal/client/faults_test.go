package client_test

// One test per fault the emulator can inject, each asserting the outcome
// and the exact number of requests the server saw.

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
)

const (
	faultAK      = "FAULTTESTACCESSKEY01"
	faultSK      = "fault-test-secret-key-0001"
	faultProject = "0123456789abcdef0123456789abcdef"
	faultRegion  = "cn-north-4"
	faultImage   = "f0f0f0f0-1bc3-4c3f-893e-3e471fd16e64"
)

// logEntry is one line the client logged.
type logEntry struct {
	msg    string
	fields map[string]any
}

// recordingLogger keeps every line; onLine, if set, sees each as it comes.
type recordingLogger struct {
	mu      sync.Mutex
	entries []logEntry
	onLine  func(logEntry)
}

func (l *recordingLogger) Debug(_ context.Context, msg string, fields map[string]any) {
	e := logEntry{msg, fields}
	l.mu.Lock()
	l.entries = append(l.entries, e)
	l.mu.Unlock()
	if l.onLine != nil {
		l.onLine(e)
	}
}

func (l *recordingLogger) lines() []logEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]logEntry(nil), l.entries...)
}

// faultEnv is an emulator on loopback serving faultImage.
type faultEnv struct {
	emu     *emulator.Emulator
	url     string
	members []emulator.Member
	log     *recordingLogger
}

func newFaultEnv(t *testing.T, members int) *faultEnv {
	t.Helper()
	emu := emulator.New(emulator.Config{
		AccessKey: faultAK, SecretKey: faultSK,
		Projects: []emulator.Project{{ID: faultProject, Name: faultRegion, Enabled: true}},
	})
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	f := &faultEnv{emu: emu, url: srv.URL, members: emulator.GenerateMembers(faultImage, members), log: &recordingLogger{}}
	emu.AddImage(faultProject, faultImage, f.members)
	return f
}

// client has three retries and millisecond waits, so a test of four
// attempts takes milliseconds; change adjusts the Config.
func (f *faultEnv) client(t *testing.T, change func(*client.Config)) *client.Client {
	t.Helper()
	cfg := client.Config{
		Credentials: client.Credentials{AccessKey: faultAK, SecretKey: faultSK},
		IMSEndpoint: f.url, IAMEndpoint: f.url,
		MaxRetries: 3,
		Retry:      client.RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, MaxRetryAfter: 25 * time.Millisecond},
		Logger:     f.log,
	}
	if change != nil {
		change(&cfg)
	}
	c, err := client.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (f *faultEnv) list(ctx context.Context, c *client.Client, pageSize int) (*client.MemberList, error) {
	return c.ListImageMembers(ctx, client.ListImageMembersInput{
		Region: faultRegion, ProjectID: faultProject, ImageID: faultImage, PageSize: pageSize,
	})
}

// expectRequests fails unless the server saw exactly n requests.
func (f *faultEnv) expectRequests(t *testing.T, n int) {
	t.Helper()
	if got := f.emu.CountRequests(""); got != n {
		t.Errorf("the server saw %d requests, want %d", got, n)
	}
}

// expectAllMembers fails unless list is every member, in order, once.
func (f *faultEnv) expectAllMembers(t *testing.T, list *client.MemberList, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("read failed: %v", err)
	}
	if len(list.Members) != len(f.members) {
		t.Fatalf("read %d members, want %d", len(list.Members), len(f.members))
	}
	for i, m := range list.Members {
		if m.MemberID != f.members[i].MemberID {
			t.Fatalf("member %d is %s, want %s", i, m.MemberID, f.members[i].MemberID)
		}
	}
}

// lastRequestID is the X-Request-Id of the last request the server answered.
func (f *faultEnv) lastRequestID(t *testing.T) string {
	t.Helper()
	reqs := f.emu.Requests()
	if len(reqs) == 0 {
		t.Fatal("the server saw no request")
	}
	return reqs[len(reqs)-1].RequestID
}

// expectResponseError fails unless err is a ResponseError that names the
// last request's ID and says what is wrong, with no list passed off.
func (f *faultEnv) expectResponseError(t *testing.T, list *client.MemberList, err error, says string) {
	t.Helper()
	var respErr *client.ResponseError
	if !errors.As(err, &respErr) {
		t.Fatalf("err = %v (%T), want a *client.ResponseError", err, err)
	}
	if list != nil {
		t.Errorf("a partial list of %d members came with the error", len(list.Members))
	}
	if id := f.lastRequestID(t); !strings.Contains(err.Error(), "request ID "+id) {
		t.Errorf("error does not name request ID %s: %v", id, err)
	}
	if !strings.Contains(err.Error(), says) {
		t.Errorf("error does not say %q: %v", says, err)
	}
}

func TestFaults_retryableStatusesAreRetried(t *testing.T) {
	for _, status := range []int{429, 500, 502, 503, 504} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			f := newFaultEnv(t, 3)
			f.emu.Inject(emulator.Fault{Kind: emulator.FaultStatus, Status: status, Count: 2})
			list, err := f.list(t.Context(), f.client(t, nil), 0)
			f.expectAllMembers(t, list, err)
			f.expectRequests(t, 3)
			lines := f.log.lines()
			if len(lines) != 3 {
				t.Fatalf("%d log lines, want one per attempt (3)", len(lines))
			}
			for i, want := range []int{status, status, 200} {
				if lines[i].fields["status"] != want || lines[i].fields["attempt"] != i+1 {
					t.Errorf("log line %d: status %v attempt %v, want %d and %d", i, lines[i].fields["status"], lines[i].fields["attempt"], want, i+1)
				}
			}
		})
	}
}

func TestFaults_finalStatusesAreNotRetried(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			f := newFaultEnv(t, 3)
			f.emu.Inject(emulator.Fault{Kind: emulator.FaultStatus, Status: status, Count: -1})
			list, err := f.list(t.Context(), f.client(t, nil), 0)
			var apiErr *client.APIError
			wantCode := "IMG.0001"
			if status == 404 {
				wantCode = "APIGW.0101" // the gateway's 404, for a path it does not route
			}
			if !errors.As(err, &apiErr) || apiErr.StatusCode != status || apiErr.Code != wantCode {
				t.Fatalf("err = %v, want HTTP %d %s", err, status, wantCode)
			}
			if list != nil || apiErr.RequestID != f.lastRequestID(t) || apiErr.Attempts != 1 {
				t.Errorf("list %v, request ID %q (want %q), attempts %d", list, apiErr.RequestID, f.lastRequestID(t), apiErr.Attempts)
			}
			f.expectRequests(t, 1)
		})
	}
}

// TestFaults_badSignatureIsNotRetried: a real 401 from the gateway; five
// in a row would lock the access key.
func TestFaults_badSignatureIsNotRetried(t *testing.T) {
	f := newFaultEnv(t, 3)
	c := f.client(t, func(cfg *client.Config) { cfg.Credentials.SecretKey = "wrong" })
	_, err := f.list(t.Context(), c, 0)
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 401 || apiErr.Code != "APIGW.0301" {
		t.Fatalf("err = %v, want HTTP 401 APIGW.0301", err)
	}
	f.expectRequests(t, 1)
}

func TestFaults_retriesRunOut(t *testing.T) {
	f := newFaultEnv(t, 3)
	f.emu.Inject(emulator.Fault{Kind: emulator.FaultStatus, Status: 503, Count: -1})
	_, err := f.list(t.Context(), f.client(t, nil), 0)
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || apiErr.Attempts != 4 {
		t.Fatalf("err = %v, want HTTP 503 after 4 attempts", err)
	}
	if !strings.HasSuffix(err.Error(), "after 4 attempts") {
		t.Errorf("error does not count the attempts: %v", err)
	}
	f.expectRequests(t, 4) // the first and max_retries = 3 more
}

func TestFaults_maxRetriesZeroMeansOneAttempt(t *testing.T) {
	f := newFaultEnv(t, 3)
	f.emu.Inject(emulator.Fault{Kind: emulator.FaultStatus, Status: 500})
	_, err := f.list(t.Context(), f.client(t, func(cfg *client.Config) { cfg.MaxRetries = 0 }), 0)
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 500 {
		t.Fatalf("err = %v, want HTTP 500", err)
	}
	f.expectRequests(t, 1)
}

// TestFaults_retryAfterIsHonouredAndCapped: a 30-second Retry-After, in
// either form, is waited out up to MaxRetryAfter (25 ms here), not replaced
// by the millisecond backoff.
func TestFaults_retryAfterIsHonouredAndCapped(t *testing.T) {
	for name, value := range map[string]string{
		"seconds":   "30",
		"HTTP date": time.Now().Add(30 * time.Second).UTC().Format(http.TimeFormat),
	} {
		t.Run(name, func(t *testing.T) {
			f := newFaultEnv(t, 3)
			f.emu.Inject(emulator.Fault{Kind: emulator.FaultStatus, Status: 503, RetryAfter: value})
			list, err := f.list(t.Context(), f.client(t, nil), 0)
			f.expectAllMembers(t, list, err)
			f.expectRequests(t, 2)
			if got := f.log.lines()[0].fields["retry_in_ms"]; got != int64(25) {
				t.Errorf("retry_in_ms = %v, want the 25 ms cap on Retry-After %q", got, value)
			}
		})
	}
}

func TestFaults_droppedConnectionIsRetried(t *testing.T) {
	f := newFaultEnv(t, 3)
	f.emu.Inject(emulator.Fault{Kind: emulator.FaultDropConnection})
	list, err := f.list(t.Context(), f.client(t, nil), 0)
	f.expectAllMembers(t, list, err)
	f.expectRequests(t, 2)
}

func TestFaults_droppedEveryTimeGivesUp(t *testing.T) {
	f := newFaultEnv(t, 3)
	f.emu.Inject(emulator.Fault{Kind: emulator.FaultDropConnection, Count: -1})
	list, err := f.list(t.Context(), f.client(t, func(cfg *client.Config) { cfg.MaxRetries = 2 }), 0)
	if err == nil || list != nil || !strings.Contains(err.Error(), "giving up after 3 attempt(s)") {
		t.Fatalf("err = %v, want giving up after 3 attempts", err)
	}
	f.expectRequests(t, 3)
}

func TestFaults_truncatedBodyIsRetried(t *testing.T) {
	f := newFaultEnv(t, 50)
	f.emu.Inject(emulator.Fault{Kind: emulator.FaultTruncatedBody})
	list, err := f.list(t.Context(), f.client(t, nil), 0)
	f.expectAllMembers(t, list, err)
	f.expectRequests(t, 2)
	if msg, _ := f.log.lines()[0].fields["error"].(string); !strings.Contains(msg, "reading the body") {
		t.Errorf("the first attempt's logged error = %q, want a cut-short body", msg)
	}
}

// TestFaults_htmlFromAProxyWith200: a complete 200 that is not JSON is
// never retried; the error names the request ID and shows the page.
func TestFaults_htmlFromAProxyWith200(t *testing.T) {
	f := newFaultEnv(t, 3)
	f.emu.Inject(emulator.Fault{Kind: emulator.FaultGarbage})
	list, err := f.list(t.Context(), f.client(t, nil), 0)
	f.expectResponseError(t, list, err, "not valid JSON: <!DOCTYPE html>")
	f.expectRequests(t, 1)
}

func TestFaults_garbageJSONWith200(t *testing.T) {
	f := newFaultEnv(t, 3)
	f.emu.Inject(emulator.Fault{Kind: emulator.FaultGarbage, Body: `{"members":[{"member_id":"a"},`})
	list, err := f.list(t.Context(), f.client(t, nil), 0)
	f.expectResponseError(t, list, err, "not valid JSON")
	f.expectRequests(t, 1)
}

// TestFaults_htmlFromAProxyWith502 is a gateway error page: retried, and
// reported with the page's text when it persists.
func TestFaults_htmlFromAProxyWith502(t *testing.T) {
	f := newFaultEnv(t, 3)
	f.emu.Inject(emulator.Fault{Kind: emulator.FaultGarbage, Status: 502, Count: -1})
	_, err := f.list(t.Context(), f.client(t, nil), 0)
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 502 || !strings.Contains(apiErr.Message, "Access to this site is blocked") {
		t.Fatalf("err = %v, want HTTP 502 with the proxy's text", err)
	}
	f.expectRequests(t, 4)
}

func TestFaults_slowAnswerHitsTheAttemptTimeout(t *testing.T) {
	f := newFaultEnv(t, 3)
	f.emu.Inject(emulator.Fault{Kind: emulator.FaultSlow, Delay: time.Minute})
	c := f.client(t, func(cfg *client.Config) { cfg.AttemptTimeout = 200 * time.Millisecond })
	list, err := f.list(t.Context(), c, 0)
	f.expectAllMembers(t, list, err)
	f.expectRequests(t, 2)
	if msg, _ := f.log.lines()[0].fields["error"].(string); !strings.Contains(msg, client.ErrAttemptTimeout.Error()) {
		t.Errorf("the first attempt's logged error = %q, want the per-attempt timeout", msg)
	}
}

func TestFaults_200WithoutMembers(t *testing.T) {
	f := newFaultEnv(t, 3)
	f.emu.Inject(emulator.Fault{Kind: emulator.FaultMissingMembers})
	list, err := f.list(t.Context(), f.client(t, nil), 0)
	f.expectResponseError(t, list, err, `no "members" list`)
	f.expectRequests(t, 1)
}

func TestFaults_loopingMarker(t *testing.T) {
	f := newFaultEnv(t, 5)
	f.emu.Inject(emulator.Fault{Kind: emulator.FaultLoopingMarker})
	list, err := f.list(t.Context(), f.client(t, nil), 2)
	f.expectResponseError(t, list, err, "the server is looping")
	f.expectRequests(t, 2) // the second page names its own marker again
}

// TestFaults_endlessMarkersStopAtTheListCap: a server that names a new
// marker forever is stopped once the chain is longer than a list of
// MaxListItems members needs at the page size in use; the error names it.
func TestFaults_endlessMarkersStopAtTheListCap(t *testing.T) {
	for _, tc := range []struct{ pageSize, pages int }{{1000, 101}, {250, 401}} {
		t.Run(strconv.Itoa(tc.pageSize), func(t *testing.T) {
			f := newFaultEnv(t, 3)
			f.emu.Inject(emulator.Fault{Kind: emulator.FaultEndlessMarkers})
			list, err := f.list(t.Context(), f.client(t, unthrottled), tc.pageSize)
			f.expectResponseError(t, list, err, fmt.Sprintf("did not end after %d pages of %d, more than 100000 members", tc.pages, tc.pageSize))
			f.expectRequests(t, tc.pages)
		})
	}
}

// TestFaults_longListAtPageSizeOne: the guard against endless chains never
// refuses a real list, here 1,001 members one per page.
func TestFaults_longListAtPageSizeOne(t *testing.T) {
	f := newFaultEnv(t, 1001)
	list, err := f.list(t.Context(), f.client(t, unthrottled), 1)
	f.expectAllMembers(t, list, err)
	f.expectRequests(t, 1001)
}

// unthrottled gives a client a budget that never makes it wait, for tests
// of long page chains.
func unthrottled(cfg *client.Config) { cfg.Budget = client.NewBudget(1e6, 1e6, 1e6, 1<<20) }

func TestFaults_oversizedBodyIsCapped(t *testing.T) {
	f := newFaultEnv(t, 100) // about 25 kB in one page
	list, err := f.list(t.Context(), f.client(t, func(cfg *client.Config) { cfg.MaxBodyBytes = 4096 }), 0)
	f.expectResponseError(t, list, err, "larger than 4096 bytes")
	f.expectRequests(t, 1)
}

// TestFaults_memberOnTwoPagesIsKeptOnce: the image's list holds one member
// twice, on different pages, as when sharing changes during a read.
func TestFaults_memberOnTwoPagesIsKeptOnce(t *testing.T) {
	f := newFaultEnv(t, 3)
	dup := append(append([]emulator.Member(nil), f.members...), f.members[0])
	f.emu.AddImage(faultProject, faultImage, dup)
	list, err := f.list(t.Context(), f.client(t, nil), 2)
	f.expectAllMembers(t, list, err)
	if len(list.Duplicates) != 1 || list.Duplicates[0] != f.members[0].MemberID {
		t.Errorf("Duplicates = %v, want [%s]", list.Duplicates, f.members[0].MemberID)
	}
	f.expectRequests(t, 2)
}

// TestFaults_tlsCertificateErrorIsNotRetried: a server whose certificate
// the client does not trust gets one handshake, no retry.
func TestFaults_tlsCertificateErrorIsNotRetried(t *testing.T) {
	f := newFaultEnv(t, 3)
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(f.emu)
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the failed handshake is the point
	srv.StartTLS()
	t.Cleanup(srv.Close)
	c := f.client(t, func(cfg *client.Config) { cfg.IMSEndpoint = srv.URL })
	_, err := f.list(t.Context(), c, 0)
	var verify *tls.CertificateVerificationError
	if !errors.As(err, &verify) {
		t.Fatalf("err = %v, want a certificate verification error", err)
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("%d TLS connections, want 1: certificate errors are final", n)
	}
	f.expectRequests(t, 0)
}

// TestFaults_cancelDuringRetryAfter: Ctrl-C during a 30-second Retry-After
// ends the wait at once. The elapsed-time bound checks the cancellation.
func TestFaults_cancelDuringRetryAfter(t *testing.T) {
	f := newFaultEnv(t, 3)
	f.emu.Inject(emulator.Fault{Kind: emulator.FaultStatus, Status: 503, RetryAfter: "30"})
	ctx, cancel := context.WithCancel(t.Context())
	var cancelled atomic.Int64
	f.log.onLine = func(e logEntry) {
		if e.fields["retry_in_ms"] == int64(30000) {
			cancelled.Store(time.Now().UnixNano())
			cancel()
		}
	}
	c := f.client(t, func(cfg *client.Config) { cfg.Retry.MaxRetryAfter = 0 }) // the default: no cap
	_, err := f.list(ctx, c, 0)
	returned := time.Now()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if cancelled.Load() == 0 {
		t.Fatal("the client never scheduled the 30-second retry")
	}
	if d := returned.Sub(time.Unix(0, cancelled.Load())); d >= time.Second {
		t.Errorf("returned %s after cancellation", d)
	}
	f.expectRequests(t, 1)
}

// TestFaults_longRetryAfterIsHonoured: by default a Retry-After is not
// cut short by a cap: a server that asks for 90 s within a 5-minute read
// gets 90 s (the test cancels once the wait is scheduled).
func TestFaults_longRetryAfterIsHonoured(t *testing.T) {
	f := newFaultEnv(t, 3)
	f.emu.Inject(emulator.Fault{Kind: emulator.FaultStatus, Status: 429, RetryAfter: "90"})
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	var scheduled atomic.Value
	f.log.onLine = func(e logEntry) {
		scheduled.Store(e.fields["retry_in_ms"])
		cancel()
	}
	_, err := f.list(ctx, f.client(t, func(cfg *client.Config) { cfg.Retry.MaxRetryAfter = 0 }), 0)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want the test's cancellation during the wait", err)
	}
	if got := scheduled.Load(); got != int64(90000) {
		t.Errorf("retry_in_ms = %v, want the 90000 the server asked for", got)
	}
	f.expectRequests(t, 1)
}

// TestFaults_retryAfterPastTheDeadline: with less time left than the
// server asks to wait, the read fails at once as a deadline, not after it.
func TestFaults_retryAfterPastTheDeadline(t *testing.T) {
	f := newFaultEnv(t, 3)
	f.emu.Inject(emulator.Fault{Kind: emulator.FaultStatus, Status: 503, RetryAfter: "30"})
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	c := f.client(t, func(cfg *client.Config) { cfg.Retry.MaxRetryAfter = 0 }) // the default: no cap
	_, err := f.list(ctx, c, 0)
	var apiErr *client.APIError
	if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &apiErr) || apiErr.StatusCode != 503 {
		t.Fatalf("err = %v, want a deadline error carrying the 503", err)
	}
	if ctx.Err() != nil {
		t.Error("the client sat out the wait until the deadline instead of failing at once")
	}
	f.expectRequests(t, 1)
}

// TestFaults_throttlingSlowsTheSharedBudget: a 429 cuts the rate of the
// budget the client shares with every other read.
func TestFaults_throttlingSlowsTheSharedBudget(t *testing.T) {
	f := newFaultEnv(t, 3)
	f.emu.Inject(emulator.Fault{Kind: emulator.FaultStatus, Status: 429, RetryAfter: "1"})
	budget := client.NewBudget(50, 1, 1000, 10)
	list, err := f.list(t.Context(), f.client(t, func(cfg *client.Config) { cfg.Budget = budget }), 0)
	f.expectAllMembers(t, list, err)
	if r := budget.Rate(); r >= 50*client.BudgetDecrease+1 {
		t.Errorf("budget rate %v after a 429, want about %v", r, 50*client.BudgetDecrease)
	}
	f.expectRequests(t, 2)
}

// TestFaults_projectLookupIsRetried: IAM calls go through the same policy.
func TestFaults_projectLookupIsRetried(t *testing.T) {
	f := newFaultEnv(t, 3)
	f.emu.Inject(emulator.Fault{Kind: emulator.FaultStatus, Status: 502, Path: "/v3/projects"})
	id, err := f.client(t, nil).ProjectID(t.Context(), faultRegion)
	if err != nil || id != faultProject {
		t.Fatalf("ProjectID = %q, %v; want %s", id, err, faultProject)
	}
	if n := f.emu.CountRequests("/v3/projects"); n != 2 {
		t.Errorf("%d IAM requests, want 2", n)
	}
}

// TestInvalidJSONEchoingTheTokenIsMasked: a 200 whose body is not JSON and
// repeats the security token must not carry it into the error.
func TestInvalidJSONEchoingTheTokenIsMasked(t *testing.T) {
	const token = "echoed-security-token-0123456789"
	e := emulator.New(emulator.Config{AccessKey: testAK, SecretKey: testSK, SecurityToken: token,
		Projects: []emulator.Project{{ID: testProject, Name: testRegion, Enabled: true}}})
	e.AddImage(testProject, testImage, emulator.GenerateMembers(testImage, 2))
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	c, err := client.New(client.Config{
		Credentials: client.Credentials{AccessKey: testAK, SecretKey: testSK, SecurityToken: token},
		IMSEndpoint: srv.URL, MaxRetries: 0,
	})
	if err != nil {
		t.Fatal(err)
	}
	e.Inject(emulator.Fault{Kind: emulator.FaultGarbage, Status: 200, Body: "<html>token " + token + " and key " + testSK + "</html>"})
	_, err = c.ListImageMembers(context.Background(), client.ListImageMembersInput{Region: testRegion, ProjectID: testProject, ImageID: testImage})
	if err == nil || !strings.Contains(err.Error(), "not valid JSON") {
		t.Fatalf("want an invalid-JSON error, got %v", err)
	}
	if strings.Contains(err.Error(), token) || strings.Contains(err.Error(), testSK) {
		t.Fatalf("a credential reached the error: %v", err)
	}
}

// TestFaults_errorsBeforeSendingAreFinal: a region that cannot be part of
// a host name fails at once, with nothing sent and nothing retried.
func TestFaults_errorsBeforeSendingAreFinal(t *testing.T) {
	f := newFaultEnv(t, 3)
	c := f.client(t, func(cfg *client.Config) { cfg.IMSEndpoint, cfg.IAMEndpoint = "", "" })
	_, err := c.ListImageMembers(t.Context(), client.ListImageMembersInput{Region: "cn north 4", ProjectID: faultProject, ImageID: faultImage})
	if err == nil || !strings.Contains(err.Error(), `not sent`) || !strings.Contains(err.Error(), `region: "cn north 4" cannot be part of a host name`) {
		t.Fatalf("err = %v, want a final error naming the region", err)
	}
	_, err = c.ProjectID(t.Context(), "cn_north_4")
	if err == nil || !strings.Contains(err.Error(), `region: "cn_north_4" cannot be part of a host name`) {
		t.Fatalf("err = %v, want a final error naming the region", err)
	}
	if lines := f.log.lines(); len(lines) != 2 || lines[0].msg != "API request not sent" {
		t.Errorf("logged %v, want one line per call saying it was not sent", lines)
	}
	f.expectRequests(t, 0)
}

// TestFaults_duplicatesDoNotDependOnThePageSize: a member listed twice is
// kept once, with the same warning, whether its copies share a page or not.
func TestFaults_duplicatesDoNotDependOnThePageSize(t *testing.T) {
	for _, pageSize := range []int{1, 2, 3, 4, 1000} {
		t.Run(strconv.Itoa(pageSize), func(t *testing.T) {
			f := newFaultEnv(t, 3)
			f.emu.AddImage(faultProject, faultImage, []emulator.Member{f.members[0], f.members[1], f.members[0], f.members[2]})
			list, err := f.list(t.Context(), f.client(t, nil), pageSize)
			f.expectAllMembers(t, list, err)
			if len(list.Duplicates) != 1 || list.Duplicates[0] != f.members[0].MemberID {
				t.Errorf("Duplicates = %v, want [%s]", list.Duplicates, f.members[0].MemberID)
			}
		})
	}
}

// TestFaults_memberFieldOfTheWrongType names the member and the field,
// rather than calling a valid JSON answer invalid.
func TestFaults_memberFieldOfTheWrongType(t *testing.T) {
	for name, tc := range map[string]struct{ body, says string }{
		"status a number": {`{"members":[{"member_id":"m1","status":"accepted"},{"member_id":"m2","status":5}]}`,
			`members[1] (member_id m2): field "status": expected a string, got number 5`},
		"member_id an object": {`{"members":[{"member_id":{"id":"m1"}}]}`,
			`members[0]: field "member_id": expected a string, got object {"id":"m1"}`},
		"member not an object": {`{"members":["m1"]}`, `members[0]: expected an object, got string`},
		"members an object":    {`{"members":{"m1":{}}}`, `"members" is object, not a list`},
		"next_marker a number": {`{"members":[],"page_info":{"next_marker":7}}`,
			`field "page_info.next_marker": expected a string, got number 7`},
		"an array": {`[{"member_id":"m1"}]`, `the response is array, not an object`},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFaultEnv(t, 3)
			f.emu.Inject(emulator.Fault{Kind: emulator.FaultGarbage, Status: 200, Body: tc.body})
			list, err := f.list(t.Context(), f.client(t, nil), 0)
			f.expectResponseError(t, list, err, tc.says)
			if strings.Contains(err.Error(), "not valid JSON") {
				t.Errorf("a valid JSON answer is called invalid: %v", err)
			}
			f.expectRequests(t, 1)
		})
	}
}
