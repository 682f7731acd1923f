package client_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
)

// readInParallel runs n reads of faultImage at once and returns their errors.
func (f *faultEnv) readInParallel(t *testing.T, c *client.Client, n int) []error {
	t.Helper()
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() { _, errs[i] = f.list(t.Context(), c, 0) })
	}
	wg.Wait()
	return errs
}

// expectFirst401 fails unless err carries the gateway's 401 to the one
// request the server saw.
func (f *faultEnv) expectFirst401(t *testing.T, err error) {
	t.Helper()
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 401 || apiErr.Code != "APIGW.0301" || apiErr.Message == "" {
		t.Fatalf("err = %v, want the HTTP 401 APIGW.0301 with its message", err)
	}
	if id := f.emu.Requests()[0].RequestID; apiErr.RequestID != id || !strings.Contains(err.Error(), "request ID "+id) {
		t.Errorf("err = %v, want the first 401's request ID %s", err, id)
	}
}

// TestGate_parallelReadsWithAWrongSecretSendOneSignature: the gateway
// locks an access key after five bad signatures in a row, so ten reads
// started together must send one, and every read, then and later, fails
// with that first 401 without sending anything.
func TestGate_parallelReadsWithAWrongSecretSendOneSignature(t *testing.T) {
	f := newFaultEnv(t, 3)
	c := f.client(t, func(cfg *client.Config) { cfg.Credentials.SecretKey = "wrong" })
	errs := f.readInParallel(t, c, 10)
	_, later := f.list(t.Context(), c, 0)
	_, lookup := c.ProjectID(t.Context(), faultRegion)
	f.expectRequests(t, 1)
	notSent := 0
	for _, err := range append(errs, later, lookup) {
		f.expectFirst401(t, err)
		if errors.Is(err, client.ErrCredentialsRejected) {
			notSent++
		}
	}
	if notSent != 11 {
		t.Errorf("%d of 12 errors say they were not sent, want 11 (all but the one request)", notSent)
	}
}

// TestGate_a401FromIAMStopsIMSReads: the latch is per client, across
// services: a 401 to the project lookup keeps every member read unsent.
func TestGate_a401FromIAMStopsIMSReads(t *testing.T) {
	f := newFaultEnv(t, 3)
	c := f.client(t, func(cfg *client.Config) { cfg.Credentials.SecretKey = "wrong" })
	if _, err := c.ProjectID(t.Context(), faultRegion); err == nil {
		t.Fatal("the lookup with a wrong secret succeeded")
	}
	for _, err := range f.readInParallel(t, c, 5) {
		f.expectFirst401(t, err)
	}
	if n, iam := f.emu.CountRequests(""), f.emu.CountRequests("/v3/projects"); n != 1 || iam != 1 {
		t.Errorf("the server saw %d requests (%d to IAM), want the one lookup", n, iam)
	}
}

// TestGate_oneRequestInFlightUntilTheFirstAnswer: a slow first answer
// holds the other reads back; once it shows the credentials are good, they
// all go, and every read succeeds.
func TestGate_oneRequestInFlightUntilTheFirstAnswer(t *testing.T) {
	f := newFaultEnv(t, 3)
	f.emu.Inject(emulator.Fault{Kind: emulator.FaultSlow, Delay: 100 * time.Millisecond})
	// The first answer leaves the server only after its handler returns,
	// so a request that arrives before then was sent without it.
	var served atomic.Int32
	var early atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if served.Load() == 0 && f.emu.CountRequests("") > 0 {
			early.Add(1)
		}
		f.emu.ServeHTTP(w, r)
		served.Add(1)
	}))
	t.Cleanup(srv.Close)
	c := f.client(t, func(cfg *client.Config) { cfg.IMSEndpoint = srv.URL })
	for i, err := range f.readInParallel(t, c, 10) {
		if err != nil {
			t.Fatalf("read %d: %v", i, err)
		}
	}
	f.expectRequests(t, 10)
	if n := early.Load(); n > 0 {
		t.Errorf("%d requests were sent before the first was answered, want none", n)
	}
}

// TestGate_throttlingDoesNotOpenTheGate: the gateway throttles before it
// checks the signature, so a 429 proves nothing about the credentials:
// after it, a wrong secret is still sent once, not by every waiting read.
func TestGate_throttlingDoesNotOpenTheGate(t *testing.T) {
	f := newFaultEnv(t, 3)
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write([]byte(`{"error_code":"APIGW.0308","error_msg":"The throttling threshold has been reached"}`))
			return
		}
		f.emu.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	c := f.client(t, func(cfg *client.Config) { cfg.IMSEndpoint, cfg.Credentials.SecretKey = srv.URL, "wrong" })
	for _, err := range f.readInParallel(t, c, 10) {
		f.expectFirst401(t, err)
	}
	if n := calls.Load(); n != 2 {
		t.Errorf("%d requests, want 2: the throttled one and one bad signature", n)
	}
}
