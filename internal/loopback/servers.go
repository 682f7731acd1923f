// Package loopback is the servers on 127.0.0.1 that the client's and the
// provider's connection tests fail against: one that counts the
// connections it accepts, one that speaks no TLS, a port where nothing
// listens, and a DNS server that knows no name. Only tests import it.
package loopback

import (
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// CountingServer is a local server (TLS when useTLS) that counts the
// connections it accepts: an attempt that fails in the handshake never
// reaches its handler, which answers 404.
func CountingServer(t *testing.T, useTLS bool) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	srv.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the failed handshakes are expected
	if useTLS {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return srv, &conns
}

// NotTLSServer is a listener that answers every connection with a line
// that is no TLS record (an SSH banner, as on a wrong port), and counts
// the connections.
func NotTLSServer(t *testing.T) (addr string, conns *atomic.Int32) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	conns = &atomic.Int32{}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			_, _ = c.Write([]byte("SSH-2.0-OpenSSH_9.6\r\n"))
			_ = c.Close()
		}
	}()
	return l.Addr().String(), conns
}

// ClosedPort is a loopback address (host:port) where nothing listens: a
// connection there is refused.
func ClosedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}
