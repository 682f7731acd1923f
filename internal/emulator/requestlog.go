package emulator

import (
	"net/http"
	"strings"
	"sync"
	"time"
)

// RecordedRequest is one request as the emulator received it. Status is the
// status sent, or 0 when no response was sent (dropped connection, client
// gone during a slow answer) or the request is still being answered.
type RecordedRequest struct {
	Method, Host, Path, RawQuery string
	Header                       http.Header // a copy, Authorization included
	Body                         string      // as received; empty for a GET
	Status                       int
	At                           time.Time // arrival
	RequestID                    string    // the X-Request-Id sent back
}

type requestLog struct {
	mu      sync.Mutex
	entries []*RecordedRequest
}

func (l *requestLog) add(r *http.Request, id string, body []byte) *RecordedRequest {
	rec := &RecordedRequest{
		Method: r.Method, Host: r.Host, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Body: string(body),
		Header: r.Header.Clone(), At: time.Now(), RequestID: id,
	}
	l.mu.Lock()
	l.entries = append(l.entries, rec)
	l.mu.Unlock()
	return rec
}

// finish records the status and returns a copy of the finished entry.
func (l *requestLog) finish(rec *RecordedRequest, status int) RecordedRequest {
	l.mu.Lock()
	defer l.mu.Unlock()
	rec.Status = status
	return *rec
}

// Requests returns every request received since the last ResetRequests, in
// order of arrival.
func (e *Emulator) Requests() []RecordedRequest {
	e.log.mu.Lock()
	defer e.log.mu.Unlock()
	out := make([]RecordedRequest, len(e.log.entries))
	for i, r := range e.log.entries {
		out[i] = *r
		out[i].Header = r.Header.Clone() // callers may not race with us
	}
	return out
}

// ResetRequests forgets the requests received so far.
func (e *Emulator) ResetRequests() {
	e.log.mu.Lock()
	e.log.entries = nil
	e.log.mu.Unlock()
}

// CountRequests counts recorded requests whose path contains pathSubstring
// ("" counts them all).
func (e *Emulator) CountRequests(pathSubstring string) int {
	e.log.mu.Lock()
	defer e.log.mu.Unlock()
	n := 0
	for _, r := range e.log.entries {
		if strings.Contains(r.Path, pathSubstring) {
			n++
		}
	}
	return n
}
