package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// retryableStatus lists the statuses worth another attempt: throttling and
// server-side failures. 400, 401, 403 and 404 are final; repeating a bad
// signature five times locks the access key.
func retryableStatus(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// retryableTransportError tells a dropped or refused connection (worth a
// retry) from an unknown host, a protocol mismatch, a certificate problem
// or a cancellation (never worth one).
func retryableTransportError(ctx context.Context, err error) bool {
	return ctx.Err() == nil && connectionCause(err).Retryable()
}

// connectionCause classifies an attempt that got no HTTP answer.
func connectionCause(err error) ConnectionCause {
	var (
		dnsErr           *net.DNSError
		unknownAuthority x509.UnknownAuthorityError
		hostname         x509.HostnameError
		invalid          x509.CertificateInvalidError
		verification     *tls.CertificateVerificationError
		recordHeader     tls.RecordHeaderError
		alert            tls.AlertError
	)
	switch {
	case errors.Is(err, http.ErrSchemeMismatch):
		return CauseSchemeMismatch
	case errors.As(err, &dnsErr):
		// A name that does not exist stays so; a DNS server that did not
		// answer may answer the next time.
		if dnsErr.IsNotFound {
			return CauseUnknownHost
		}
		return CauseDropped
	case errors.As(err, &unknownAuthority) || errors.As(err, &hostname) || errors.As(err, &invalid) ||
		errors.As(err, &verification):
		return CauseCertificate
	case errors.As(err, &recordHeader) || errors.As(err, &alert):
		return CauseNotTLS
	case errors.Is(err, syscall.ECONNREFUSED):
		return CauseRefused
	}
	return CauseDropped
}

// RetryPolicy is exponential backoff with full jitter, capped, that defers
// to the server's Retry-After. MaxRetries comes from Config.
type RetryPolicy struct {
	MaxRetries int
	BaseDelay  time.Duration
	MaxDelay   time.Duration
	// MaxRetryAfter caps a server's Retry-After; zero, the default, means no
	// cap: the wait is honoured in full, and send fails at once instead when
	// it would end after the read's deadline. Retrying before the server
	// asked only earns another 429 and a smaller budget. Tests set a cap to
	// keep the emulator's Retry-After short.
	MaxRetryAfter time.Duration
	// jitter returns a value in [0, n); replaced in tests.
	jitter func(n int64) int64
}

// Default backoff: 0.5 s doubling per attempt, full jitter, at most 20 s;
// a server's Retry-After is honoured in full, within the read's deadline.
const (
	DefaultRetryBaseDelay = 500 * time.Millisecond
	DefaultRetryMaxDelay  = 20 * time.Second
)

// longestDuration stands for a Retry-After too long to represent.
const longestDuration = time.Duration(math.MaxInt64)

func (p RetryPolicy) withDefaults(maxRetries int) RetryPolicy {
	p.MaxRetries = maxRetries
	if p.BaseDelay <= 0 {
		p.BaseDelay = DefaultRetryBaseDelay
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = DefaultRetryMaxDelay
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = longestDuration
	}
	return p
}

// Delay is how long to wait before retry number attempt (0-based), given
// the failed response's headers (nil for a transport error): the server's
// Retry-After (capped at MaxRetryAfter when set), or else a uniformly random wait in
// [0, min(MaxDelay, BaseDelay·2^attempt)] ("full jitter", so that readers
// throttled together do not come back together).
func (p RetryPolicy) Delay(attempt int, header http.Header, now time.Time) time.Duration {
	limit := p.MaxRetryAfter
	if limit <= 0 {
		limit = longestDuration
	}
	if d, ok := parseRetryAfter(header.Get("Retry-After"), now, limit); ok {
		return d
	}
	ceiling := p.BaseDelay
	for i := 0; i < attempt && ceiling < p.MaxDelay; i++ {
		ceiling *= 2 // stops at MaxDelay long before it could overflow
	}
	ceiling = min(ceiling, p.MaxDelay)
	jitter := p.jitter
	if jitter == nil {
		jitter = rand.Int64N
	}
	return time.Duration(jitter(int64(ceiling) + 1))
}

// parseRetryAfter reads delta-seconds or an HTTP date (RFC 9110 10.2.3),
// capped at limit; ok is false when v is absent or neither form.
func parseRetryAfter(v string, now time.Time, limit time.Duration) (d time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	secs, err := strconv.ParseInt(v, 10, 64)
	if errors.Is(err, strconv.ErrRange) && v[0] != '-' {
		return limit, true // more seconds than an int64 holds: the cap
	}
	if err == nil {
		if secs < 0 {
			return 0, false
		}
		// Compare in seconds: a huge value must not overflow into a short wait.
		if secs >= int64(limit/time.Second)+1 {
			return limit, true
		}
		return min(time.Duration(secs)*time.Second, limit), true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now) // saturates rather than overflows
		return min(max(d, 0), limit), true
	}
	return 0, false
}

// sleep waits d or until ctx ends, whichever is first.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
