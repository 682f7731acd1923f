package provider

// What a Terraform user sees when the API misbehaves: the read's timeout,
// cancellation, a bad answer and a member listed twice, through the
// protocol server so the test holds the context.

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
)

const faultImageID = "fa017000-1bc3-4c3f-893e-3e471fd16e64"

// configuredProvider is a protocol provider configured for s.
func configuredProvider(t *testing.T, s *testServer) *protocolProvider {
	t.Helper()
	p := newProtocolProvider(t)
	p.configure(context.Background(), t, s.emulatorProviderConfig())
	return p
}

func expectDiagnostic(t *testing.T, res readResult, severity tfprotov6.DiagnosticSeverity, parts ...string) {
	t.Helper()
	for _, d := range res.diagnostics {
		text := d.Summary + ": " + d.Detail
		if d.Severity == severity && !slices.ContainsFunc(parts, func(p string) bool { return !strings.Contains(text, p) }) {
			return
		}
	}
	t.Errorf("no diagnostic of severity %v saying all of %q; got %s", severity, parts, diagnosticsText(res.diagnostics))
}

// TestRead_timeoutsReadBoundsTheWholeRead: an answer that never comes is
// cut off by timeouts.read (the per-attempt timeout is a minute).
func TestRead_timeoutsReadBoundsTheWholeRead(t *testing.T) {
	s := newTestServer(t)
	s.addImage(faultImageID, 3)
	s.Inject(emulator.Fault{Kind: emulator.FaultSlow, Delay: time.Hour, Count: -1})
	res, err := configuredProvider(t, s).read(context.Background(), map[string]tftypes.Value{
		"image_id": tfString(faultImageID), "timeouts": tfTimeouts("500ms"),
	})
	if err != nil {
		t.Fatal(err)
	}
	expectDiagnostic(t, res, tfprotov6.DiagnosticSeverityError, "Cannot read the members of image "+faultImageID, "did not finish within 500ms", "timeouts")
	if n := s.CountRequests("/members"); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// TestRead_retryAfterPastTheTimeoutFailsAtOnce: a Retry-After longer than
// the time left ends the read with the 503 and the reason, not a wait.
func TestRead_retryAfterPastTheTimeoutFailsAtOnce(t *testing.T) {
	s := newTestServer(t)
	s.addImage(faultImageID, 3)
	s.Inject(emulator.Fault{Kind: emulator.FaultStatus, Status: 503, RetryAfter: "30"})
	res, err := configuredProvider(t, s).read(context.Background(), map[string]tftypes.Value{
		"image_id": tfString(faultImageID), "timeouts": tfTimeouts("10s"),
	})
	if err != nil {
		t.Fatal(err)
	}
	id := s.Requests()[0].RequestID
	expectDiagnostic(t, res, tfprotov6.DiagnosticSeverityError, "next retry was due in 30s, after the read's deadline",
		"HTTP 503", "request ID "+id, "did not finish within 10s")
	if n := s.CountRequests("/members"); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// TestRead_cancelledDuringRetryAfter is Ctrl-C (Terraform's StopProvider
// cancels the read's context) during a 30-second Retry-After. The
// elapsed-time bound checks the cancellation, not speed.
func TestRead_cancelledDuringRetryAfter(t *testing.T) {
	s := newTestServer(t)
	s.addImage(faultImageID, 3)
	s.Inject(emulator.Fault{Kind: emulator.FaultStatus, Status: 503, RetryAfter: "30"})
	p := configuredProvider(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cancelledAt := make(chan time.Time, 1)
	go func() {
		for s.CountRequests("/members") == 0 || s.Requests()[0].Status == 0 {
			if ctx.Err() != nil {
				return // the test is over
			}
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(50 * time.Millisecond) // let the client start its wait
		cancelledAt <- time.Now()
		cancel()
	}()
	res, err := p.read(ctx, map[string]tftypes.Value{"image_id": tfString(faultImageID)})
	returned := time.Now()
	if err != nil {
		t.Fatal(err)
	}
	expectDiagnostic(t, res, tfprotov6.DiagnosticSeverityError, "cancelled", "HTTP 503")
	select {
	case at := <-cancelledAt:
		if d := returned.Sub(at); d >= time.Second {
			t.Errorf("the read returned %s after cancellation", d)
		}
	default:
		t.Fatal("the read returned before it was cancelled")
	}
	if n := s.CountRequests("/members"); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// TestRead_badAnswerNamesTheRequestID: a proxy's HTML page with a 200 is
// an error naming the request, never an empty list.
func TestRead_badAnswerNamesTheRequestID(t *testing.T) {
	s := newTestServer(t)
	s.addImage(faultImageID, 3)
	s.Inject(emulator.Fault{Kind: emulator.FaultGarbage})
	res, err := configuredProvider(t, s).read(context.Background(), map[string]tftypes.Value{"image_id": tfString(faultImageID)})
	if err != nil {
		t.Fatal(err)
	}
	expectDiagnostic(t, res, tfprotov6.DiagnosticSeverityError, "not valid JSON", "request ID "+s.Requests()[0].RequestID)
	if res.memberIDs != nil {
		t.Errorf("state with a members list (%d) came with the error", len(res.memberIDs))
	}
	if n := s.CountRequests("/members"); n != 1 {
		t.Errorf("%d requests, want 1: a complete invalid answer is not retried", n)
	}
}

// TestRead_memberListedTwiceWarns: the member is kept once, with a
// warning, whether its two copies share a page (page_size 1000) or not (2).
func TestRead_memberListedTwiceWarns(t *testing.T) {
	for _, pageSize := range []int{2, 1000} {
		t.Run(strconv.Itoa(pageSize), func(t *testing.T) {
			s := newTestServer(t)
			members := emulator.GenerateMembers(faultImageID, 3)
			s.AddImage(testProjectID, faultImageID, append(members, members[0]))
			res, err := configuredProvider(t, s).read(context.Background(), map[string]tftypes.Value{
				"image_id": tfString(faultImageID), "page_size": tftypes.NewValue(tftypes.Number, pageSize),
			})
			if err != nil || res.errorText() != "" {
				t.Fatalf("read: %v %s", err, res.errorText())
			}
			if want := []string{members[0].MemberID, members[1].MemberID, members[2].MemberID}; !slices.Equal(res.memberIDs, want) {
				t.Errorf("members %v, want %v", res.memberIDs, want)
			}
			expectDiagnostic(t, res, tfprotov6.DiagnosticSeverityWarning, "membership changed", "listed more than once", members[0].MemberID)
		})
	}
}
