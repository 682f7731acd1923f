package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"syscall"
	"testing"
	"time"
)

func TestRetryableStatus(t *testing.T) {
	for status, want := range map[int]bool{
		429: true, 500: true, 502: true, 503: true, 504: true,
		// Final: a bad request or signature stays bad, and five bad
		// signatures in a row lock the access key.
		400: false, 401: false, 403: false, 404: false, 405: false, 409: false, 501: false, 200: false,
	} {
		if got := retryableStatus(status); got != want {
			t.Errorf("retryableStatus(%d) = %v, want %v", status, got, want)
		}
	}
}

// TestDelay_exponentialCeilings pins the jitter to its largest value to see
// the ceiling: BaseDelay doubling per retry, capped at MaxDelay.
func TestDelay_exponentialCeilings(t *testing.T) {
	p := RetryPolicy{}.withDefaults(10)
	var asked []int64
	p.jitter = func(n int64) int64 { asked = append(asked, n); return n - 1 }
	want := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second,
		8 * time.Second, 16 * time.Second, 20 * time.Second, 20 * time.Second}
	for attempt, w := range want {
		if got := p.Delay(attempt, nil, time.Now()); got != w {
			t.Errorf("Delay(%d) with the largest jitter = %s, want %s", attempt, got, w)
		}
	}
	// Full jitter: the draw is over [0, ceiling], not a band near it.
	if asked[0] != int64(500*time.Millisecond)+1 {
		t.Errorf("jitter drawn from [0, %d), want [0, %d)", asked[0], int64(500*time.Millisecond)+1)
	}
	if got := p.Delay(1000, nil, time.Now()); got != 20*time.Second {
		t.Errorf("Delay(1000) = %s: the ceiling overflowed instead of staying at MaxDelay", got)
	}
}

// TestDelay_fullJitterSpreads uses the real random source: every wait lies
// in [0, ceiling], and they spread over the range instead of bunching.
func TestDelay_fullJitterSpreads(t *testing.T) {
	p := RetryPolicy{BaseDelay: time.Second, MaxDelay: time.Minute, MaxRetryAfter: time.Minute}
	lo, hi := time.Duration(1<<62), time.Duration(0)
	for range 1000 {
		d := p.Delay(2, nil, time.Now()) // ceiling 4 s
		if d < 0 || d > 4*time.Second {
			t.Fatalf("Delay(2) = %s, outside [0, 4s]", d)
		}
		lo, hi = min(lo, d), max(hi, d)
	}
	// With 1,000 uniform draws, missing either quarter has odds of 0.75^1000.
	if lo > time.Second || hi < 3*time.Second {
		t.Errorf("1,000 waits spanned only [%s, %s] of [0, 4s]", lo, hi)
	}
}

func TestDelay_retryAfter(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	p := RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond, MaxRetryAfter: time.Minute}
	p.jitter = func(int64) int64 { return 0 } // 0 marks "Retry-After was ignored"
	for _, tc := range []struct {
		header string
		want   time.Duration
	}{
		{"7", 7 * time.Second},
		{" 3 ", 3 * time.Second},
		{"0", 0},
		{"60", time.Minute},
		{"61", time.Minute},                      // capped
		{"9223372036854775807", time.Minute},     // would overflow as a Duration
		{"99999999999999999999999", time.Minute}, // does not fit an int64
		{now.Add(30 * time.Second).Format(http.TimeFormat), 30 * time.Second},
		{now.Add(time.Hour).Format(http.TimeFormat), time.Minute}, // capped
		{now.Add(-time.Hour).Format(http.TimeFormat), 0},          // already past
		{"Saturday, 01-Mar-25 12:00:09 GMT", 9 * time.Second},     // RFC 850
		{"Sat Mar  1 12:00:05 2025", 5 * time.Second},             // asctime
		{"-5", 0}, {"1.5", 0}, {"soon", 0}, {"", 0}, // ignored: backoff
	} {
		h := http.Header{}
		if tc.header != "" {
			h.Set("Retry-After", tc.header)
		}
		if got := p.Delay(0, h, now); got != tc.want {
			t.Errorf("Retry-After %q: Delay = %s, want %s", tc.header, got, tc.want)
		}
	}
}

// TestDelay_retryAfterUncapped: by default a Retry-After is honoured in
// full, however long; the read's deadline, not a cap, bounds the wait.
func TestDelay_retryAfterUncapped(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	p := RetryPolicy{}.withDefaults(5)
	for _, tc := range []struct {
		header string
		want   time.Duration
	}{
		{"61", 61 * time.Second},
		{"3600", time.Hour},
		{now.Add(2 * time.Hour).Format(http.TimeFormat), 2 * time.Hour},
		{"9223372036854775807", longestDuration},     // would overflow as a Duration
		{"99999999999999999999999", longestDuration}, // does not fit an int64
	} {
		if got := p.Delay(0, http.Header{"Retry-After": {tc.header}}, now); got != tc.want {
			t.Errorf("Retry-After %q: Delay = %s, want %s", tc.header, got, tc.want)
		}
	}
}

func TestRetryableTransportError(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{io.ErrUnexpectedEOF, true},
		{syscall.ECONNRESET, true},
		{syscall.ECONNREFUSED, true},
		{fmt.Errorf("read: %w", io.EOF), true},
		{x509.UnknownAuthorityError{}, false},
		{x509.HostnameError{Host: "ims.example"}, false},
		{x509.CertificateInvalidError{Reason: x509.Expired}, false},
		{&tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}, false},
		{tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}, false},
		{fmt.Errorf("get: %w", http.ErrSchemeMismatch), false},
		{&net.DNSError{Err: "no such host", Name: "iam.cn-nort-4.example.invalid", IsNotFound: true}, false},
		{&net.DNSError{Err: "i/o timeout", Name: "iam.cn-north-4.example.invalid", IsTimeout: true}, true},
		{tls.AlertError(40), false},
	} {
		if got := retryableTransportError(ctx, tc.err); got != tc.want {
			t.Errorf("retryableTransportError(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if retryableTransportError(cancelled, errors.New("connection reset")) {
		t.Error("an error after cancellation was retryable")
	}
}

// TestSleep_cancelEndsTheWaitAtOnce: a 30-second wait ends with the
// context. The elapsed-time bound checks the cancellation, not speed.
func TestSleep_cancelEndsTheWaitAtOnce(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	start := time.Now()
	err := sleep(ctx, 30*time.Second)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("sleep = %v, want context.Canceled", err)
	}
	if elapsed := time.Since(start); elapsed >= time.Second {
		t.Fatalf("sleep returned %s after cancellation was requested at 20ms", elapsed)
	}
}
