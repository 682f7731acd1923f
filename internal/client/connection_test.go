package client

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// countingServer counts the connections a local server accepts: an
// attempt that fails in the handshake never reaches a handler.
func countingServer(t *testing.T, tlsServer bool) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusOK)
	}))
	srv.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the failed handshakes are expected
	if tlsServer {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return srv, &conns
}

// refusedEndpoint is an http:// URL on loopback where nothing listens.
func refusedEndpoint(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return "http://" + addr
}

// TestConnectionError_causeAndAttempts: a call that gets no HTTP answer
// fails with a ConnectionError naming the endpoint, the cause and the
// attempts; only a refused connection is retried.
func TestConnectionError_causeAndAttempts(t *testing.T) {
	plain, plainConns := countingServer(t, false)
	tlsSrv, tlsConns := countingServer(t, true)
	refused := refusedEndpoint(t)
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
	refused := refusedEndpoint(t)
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
