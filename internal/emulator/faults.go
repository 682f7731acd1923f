package emulator

import (
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// FaultKind is a way the network, the gateway or IMS can misbehave.
type FaultKind int

const (
	// FaultStatus answers Status (default 500) with Body (default: the
	// gateway's or IMS's usual body for that status; for 404 the gateway's
	// APIGW.0101) and Retry-After if set.
	FaultStatus FaultKind = iota + 1
	// FaultDropConnection hijacks the connection and closes it unanswered.
	FaultDropConnection
	// FaultTruncatedBody sends the real status (200 for a good request) and
	// the first half of the real body under a Content-Length that promises
	// more, then closes the connection.
	FaultTruncatedBody
	// FaultGarbage answers Status (default 200) with Body, by default an
	// HTML page from an intercepting proxy instead of JSON.
	FaultGarbage
	// FaultSlow waits Delay (or until the client gives up) and then answers
	// normally.
	FaultSlow
	// FaultLoopingMarker makes a page's next_marker one the client has
	// already sent: the request's own marker, or, on a first page, a marker
	// whose page names itself again. On the image list (Path
	// "/v2/cloudimages") a request with a marker gets the page that ended
	// at that marker again: a marker that does not advance.
	FaultLoopingMarker
	// FaultMissingMembers answers 200 with a body lacking "members".
	FaultMissingMembers
	// FaultEndlessMarkers makes this and every following page of the listing
	// carry a new next_marker, forever.
	FaultEndlessMarkers
)

var faultNames = map[FaultKind]string{
	FaultStatus: "status", FaultDropConnection: "drop-connection", FaultTruncatedBody: "truncated-body",
	FaultGarbage: "garbage", FaultSlow: "slow", FaultLoopingMarker: "looping-marker",
	FaultMissingMembers: "missing-members", FaultEndlessMarkers: "endless-markers",
}

func (k FaultKind) String() string {
	if s, ok := faultNames[k]; ok {
		return s
	}
	return "fault(" + itoa(int(k)) + ")"
}

// Fault is one injected misbehaviour.
//
// Faults wait in a FIFO queue. Each request that passed routing, throttling
// and the signature check takes the first queued fault that matches it; a
// fault matches the IMS member-list requests only, unless Path is set, in
// which case it matches any request whose path contains Path ("/" matches
// all, "/v3/projects" the IAM lookup). The content faults (missing members,
// endless markers) only ever match member-list requests; a looping marker
// matches member lists and the image list.
// A fault applies to Count requests (0 means 1, negative means every
// matching request until ClearFaults) and then leaves the queue.
type Fault struct {
	Kind       FaultKind
	Count      int
	RetryAfter string        // Retry-After header for FaultStatus
	Delay      time.Duration // for FaultSlow
	Status     int           // for FaultStatus and FaultGarbage
	Body       string        // for FaultStatus, FaultGarbage and FaultMissingMembers
	Path       string        // see above; empty means IMS member lists
	// Method, when set, narrows the fault to requests with this method
	// (aim it at one write: POST, DELETE or PUT on /v1/cloudimages/members).
	Method string
	// After serves the request first (the change is made, the job started)
	// and then applies the fault to the answer: an answer lost after the
	// server acted. Before (the default), the fault replaces the answer and
	// nothing is done.
	After bool
}

// Inject queues faults behind those already waiting. It panics on a Fault
// without a known Kind, a mistake in the calling test.
func (e *Emulator) Inject(faults ...Fault) {
	for _, f := range faults {
		if _, ok := faultNames[f.Kind]; !ok {
			panic("emulator: Inject: unknown fault kind " + f.Kind.String())
		}
	}
	e.faults.push(faults)
}

// ClearFaults drops every queued fault.
func (e *Emulator) ClearFaults() { e.faults.clear() }

// PendingFaults is the number of queued faults not yet used up.
func (e *Emulator) PendingFaults() int { return int(e.faults.n.Load()) }

type queuedFault struct {
	Fault
	left int // < 0: unlimited
}

type faultQueue struct {
	mu      sync.Mutex
	pending []*queuedFault
	n       atomic.Int32 // len(pending), read without the lock on the hot path
}

func (q *faultQueue) push(faults []Fault) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, f := range faults {
		left := f.Count
		if left == 0 {
			left = 1
		}
		q.pending = append(q.pending, &queuedFault{Fault: f, left: left})
	}
	q.n.Store(int32(len(q.pending)))
}

func (q *faultQueue) clear() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.pending = nil
	q.n.Store(0)
}

func (q *faultQueue) take(method, path string, kind routeKind) (Fault, bool) {
	if q.n.Load() == 0 {
		return Fault{}, false
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, f := range q.pending {
		if !f.matches(path, kind) || (f.Method != "" && f.Method != method) {
			continue
		}
		if f.left > 0 {
			f.left--
		}
		if f.left == 0 {
			q.pending = append(q.pending[:i], q.pending[i+1:]...)
			q.n.Store(int32(len(q.pending)))
		}
		return f.Fault, true
	}
	return Fault{}, false
}

func (f *queuedFault) matches(path string, kind routeKind) bool {
	switch f.Kind {
	case FaultMissingMembers, FaultEndlessMarkers:
		if kind != routeMembers {
			return false
		}
	case FaultLoopingMarker:
		if kind != routeMembers && kind != routeImages {
			return false
		}
	}
	if f.Path == "" {
		return kind == routeMembers
	}
	return strings.Contains(path, f.Path)
}

// pageOptionsFor turns a content fault into page-building options.
func pageOptionsFor(f Fault) pageOptions {
	switch f.Kind {
	case FaultLoopingMarker:
		return pageOptions{loop: true}
	case FaultEndlessMarkers:
		return pageOptions{endless: true}
	case FaultMissingMembers:
		return pageOptions{omitMembers: true}
	}
	return pageOptions{}
}

const proxyPage = `<!DOCTYPE html>
<html><head><title>Web Page Blocked</title></head>
<body><h1>Access to this site is blocked</h1>
<p>The requested URL was rejected by the corporate web proxy. Contact your network administrator.</p>
</body></html>
`

// applyFault handles the faults that replace the normal answer and reports
// whether it did; the others shape the answer later (see ServeHTTP).
func (e *Emulator) applyFault(x *exchange, f Fault) bool {
	switch f.Kind {
	case FaultDropConnection:
		dropConnection(x.w)
		return true
	case FaultStatus:
		status := f.Status
		if status == 0 {
			status = http.StatusInternalServerError
		}
		if f.RetryAfter != "" {
			x.w.Header().Set("Retry-After", f.RetryAfter)
		}
		body := f.Body
		if body == "" {
			body = defaultFaultBody(status, x.id, strings.HasPrefix(x.r.URL.Path, "/v3/"))
		}
		x.writeRaw(status, body)
		return true
	case FaultGarbage:
		status := f.Status
		if status == 0 {
			status = http.StatusOK
		}
		body := f.Body
		if body == "" {
			body = proxyPage
		}
		x.writeRaw(status, body)
		return true
	case FaultMissingMembers:
		if f.Body != "" {
			x.writeRaw(http.StatusOK, f.Body)
			return true
		}
	case FaultSlow:
		t := time.NewTimer(f.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-x.r.Context().Done():
			return true // the client is gone: nothing to answer
		}
	}
	return false
}

// writeRaw sends body, labelled JSON if it looks like JSON and HTML if not.
func (x *exchange) writeRaw(status int, body string) {
	ct := "text/html; charset=utf-8"
	if t := strings.TrimSpace(body); strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[") {
		ct = "application/json;charset=UTF-8"
	}
	x.w.Header().Set("Content-Type", ct)
	x.buf.Reset()
	x.buf.WriteString(body)
	x.status = status
	x.flush()
}

// dropConnection closes the TCP connection without a response. Where the
// server cannot hijack (HTTP/2), aborting the handler resets the stream.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// truncate sends the status and half of the body built so far under a
// Content-Length for all of it plus more, then cuts the connection.
func truncate(x *exchange) {
	body := x.buf.Bytes()
	x.w.Header().Set("Content-Length", itoa(len(body)+len(body)/2+1))
	x.w.WriteHeader(x.status)
	_, _ = x.w.Write(body[:len(body)/2])
	// Hijack flushes only the header; push the half body out first.
	_ = http.NewResponseController(x.w).Flush()
	dropConnection(x.w)
}
