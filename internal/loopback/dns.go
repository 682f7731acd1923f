package loopback

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
)

// NXDomainServer is a DNS server on loopback that answers every query
// "no such name" and counts the queries per name, so that a test of an
// unknown host makes no lookup that leaves the machine.
type NXDomainServer struct {
	conn    net.PacketConn
	mu      sync.Mutex
	queries map[string]int
}

// NewNXDomainServer starts one, stopped when the test ends.
func NewNXDomainServer(t *testing.T) *NXDomainServer {
	t.Helper()
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &NXDomainServer{conn: conn, queries: map[string]int{}}
	t.Cleanup(func() { _ = conn.Close() })
	go s.serve()
	return s
}

func (s *NXDomainServer) serve() {
	buf := make([]byte, 1500)
	for {
		n, from, err := s.conn.ReadFrom(buf)
		if err != nil {
			return
		}
		if n < 12 {
			continue
		}
		query := buf[:n]
		name, end := questionName(query[12:])
		if end < 0 || 12+end+4 > n {
			continue
		}
		s.mu.Lock()
		s.queries[name]++
		s.mu.Unlock()
		// The header with QR, RD copied, RA and RCODE 3 (NXDOMAIN), one
		// question and no records, then the question as asked.
		answer := append([]byte{}, query[:2]...)
		answer = append(answer, 0x80|query[2]&0x01, 0x83, 0, 1, 0, 0, 0, 0, 0, 0)
		answer = append(answer, query[12:12+end+4]...)
		_, _ = s.conn.WriteTo(answer, from)
	}
}

// questionName reads the name of a question and where it ends; -1 when
// it is malformed.
func questionName(b []byte) (string, int) {
	var labels []string
	i := 0
	for i < len(b) {
		n := int(b[i])
		if n == 0 {
			return strings.Join(labels, "."), i + 1
		}
		if n > 63 || i+1+n > len(b) {
			return "", -1
		}
		labels = append(labels, string(b[i+1:i+1+n]))
		i += 1 + n
	}
	return "", -1
}

// Count is how many queries asked for name (any record type).
func (s *NXDomainServer) Count(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queries[name]
}

// Resolver sends every lookup to this server.
func (s *NXDomainServer) Resolver() *net.Resolver {
	addr := s.conn.LocalAddr().String()
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "udp", addr)
	}}
}
