package client

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudimages/terraform-provider-ims/internal/loopback"
)

// TestConnectionError_causeAndAttempts: a call that gets no HTTP answer
// fails with a ConnectionError naming the endpoint, the cause and the
// attempts; only a refused connection is retried.
func TestConnectionError_causeAndAttempts(t *testing.T) {
	plain, plainConns := loopback.CountingServer(t, false)
	tlsSrv, tlsConns := loopback.CountingServer(t, true)
	refused := "http://" + loopback.ClosedPort(t)
	for _, tc := range []struct {
		name         string
		endpoint     string
		conns        *atomic.Int32
		cause        ConnectionCause
		wantAttempts int
		wantText     string
	}{
		{"nothing listens", refused, nil, CauseRefused, 3, "giving up after 3 attempt(s)"},
		{"https:// to plain HTTP", "https://" + strings.TrimPrefix(plain.URL, "http://"), plainConns, CauseSchemeMismatch, 1, "not retried"},
		{"untrusted certificate", tlsSrv.URL, tlsConns, CauseCertificate, 1, "not retried"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New(Config{
				Credentials: Credentials{AccessKey: "AK", SecretKey: "SK"},
				IAMEndpoint: tc.endpoint, MaxRetries: 2, Retry: RetryPolicy{BaseDelay: time.Millisecond},
			})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.ProjectID(context.Background(), "cn-north-4")
			var connErr *ConnectionError
			if !errors.As(err, &connErr) {
				t.Fatalf("err = %v (%T), want a ConnectionError", err, err)
			}
			if connErr.Cause != tc.cause || connErr.Attempts != tc.wantAttempts || connErr.Service != "iam" ||
				connErr.Endpoint != tc.endpoint || connErr.Host != "127.0.0.1" || !connErr.CustomEndpoint || connErr.RegionInHost {
				t.Errorf("got %+v, want cause %v after %d attempts at %s", *connErr, tc.cause, tc.wantAttempts, tc.endpoint)
			}
			if !strings.Contains(err.Error(), tc.wantText) {
				t.Errorf("err = %q, want it to say %q", err, tc.wantText)
			}
			if tc.conns != nil {
				if n := int(tc.conns.Load()); n != tc.wantAttempts {
					t.Errorf("%d connections, want %d", n, tc.wantAttempts)
				}
			}
		})
	}
}

// TestConnectionError_regionInHost: the error says whether the region is
// part of the host name, which is what makes a misspelled region an
// unknown host.
func TestConnectionError_regionInHost(t *testing.T) {
	refused := "http://" + loopback.ClosedPort(t)
	for _, tc := range []struct {
		name, endpoint string
		want           bool
	}{
		{"fixed endpoint", refused, false},
		{"{region} in the endpoint", refused + "/{region}", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New(Config{Credentials: Credentials{AccessKey: "AK", SecretKey: "SK"}, IAMEndpoint: tc.endpoint})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.ProjectID(context.Background(), "cn-north-4")
			var connErr *ConnectionError
			if !errors.As(err, &connErr) || connErr.RegionInHost != tc.want || connErr.Region != "cn-north-4" {
				t.Fatalf("err = %v, want a ConnectionError with RegionInHost %v", err, tc.want)
			}
		})
	}
}
