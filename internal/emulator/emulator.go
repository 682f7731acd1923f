package emulator

import (
	"bytes"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Project is an IAM project; Name is a region name such as "cn-north-4".
type Project struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	DomainID string `json:"domain_id"`
	Enabled  bool   `json:"enabled"`
}

// LastPageStyle is how the final page of a member list says "no more".
type LastPageStyle int

const (
	// LastPageRotate cycles through the three styles below, by the number of
	// members on the last page, so every client meets all of them.
	LastPageRotate LastPageStyle = iota
	// LastPageOmitPageInfo leaves page_info out, as in the API page's example.
	LastPageOmitPageInfo
	// LastPageEmptyMarker sends page_info with next_marker "".
	LastPageEmptyMarker
	// LastPageOmitMarker sends page_info with current_count only.
	LastPageOmitMarker
)

// Config is the emulator's fixed setup.
type Config struct {
	AccessKey, SecretKey string // the only accepted key pair
	// SecurityToken, when non-empty, must arrive signed as X-Security-Token
	// (temporary credentials); when empty, a request carrying one is refused.
	SecurityToken string
	// Projects are served by IAM GET /v3/projects?name= and accepted in IMS
	// paths. AddImage and AddFixture may add more.
	Projects []Project

	// LastPage picks how the last page ends; the zero value rotates.
	LastPage LastPageStyle
	// MaxClockSkew bounds |X-Sdk-Date - now|; 0 means the gateway's 15 minutes.
	MaxClockSkew time.Duration
	// LockoutThreshold > 0 locks the access key after that many consecutive
	// authentication failures, as the real gateway does after five. Off by
	// default so tests that probe bad signatures stay independent.
	LockoutThreshold int
	// LockoutDuration is how long a lock lasts; 0 means five minutes.
	LockoutDuration time.Duration
	// ImagePageCap > 0 makes GET /v2/cloudimages return at most that many
	// images a page whatever the limit, without saying so, as a server that
	// caps limit silently would.
	ImagePageCap int
	// JobDuration is how long a write's job stays RUNNING before it ends;
	// its change shows in reads only once it has ended. SetJobs changes it.
	JobDuration time.Duration
	// FailJobs makes every job end in FAIL, changing nothing; SetJobs
	// changes it.
	FailJobs bool
	// Admin serves the world-changing API under /_emulator/ (see admin.go)
	// to loopback clients.
	Admin bool
	// ThrottleWithoutRetryAfter sends the 429 of SetRateLimit without
	// Retry-After, as a gateway that does not say when to come back: the
	// client then has only its own backoff and request budget to go by.
	ThrottleWithoutRetryAfter bool
	// UnfilteredShares is which images shared with the requester an image
	// list without member_status includes. The IMS documentation does not
	// say; the zero value lists the accepted ones only, as Glance does.
	UnfilteredShares UnfilteredShares
	// OversizePages > 0 puts up to that many items more than the limit asked
	// for on every page of members and of images, without saying so, as a
	// server that ignores or rounds up limit would. The documentation only
	// gives limit as a maximum; whether the cloud ever exceeds it is
	// unknown, so the client must not count on page length.
	OversizePages int
	// OnRequest, when set, sees each request once it is answered (or
	// dropped), with its status and how long it took; ims-emulator -v
	// prints it.
	OnRequest func(r RecordedRequest, took time.Duration)
}

// Emulator implements http.Handler. All methods are safe for concurrent use.
type Emulator struct {
	cfg       Config
	markerKey []byte

	mu       sync.RWMutex
	projects []Project      // IAM's list, in order
	known    map[string]int // project ID -> index in projects, or -1 if IMS-only
	images   map[imageKey]*image
	order    []imageKey // insertion order, for Images
	meta     map[imageKey]*ImageMetadata

	jobs      map[string]*job
	unsettled atomic.Int32 // jobs not yet ended, read without the lock
	jobConfig JobBehaviour
	unknowns  Unknowns

	log      requestLog
	faults   faultQueue
	gateways gatewayLimits
	lock     lockout
}

// New builds an emulator serving cfg.Projects and no images.
func New(cfg Config) *Emulator {
	if cfg.MaxClockSkew <= 0 {
		cfg.MaxClockSkew = 15 * time.Minute
	}
	if cfg.LockoutDuration <= 0 {
		cfg.LockoutDuration = 5 * time.Minute
	}
	e := &Emulator{
		cfg: cfg,
		// A fixed key keeps markers reproducible between runs; they only
		// need to be unforgeable by accident, not by an adversary.
		markerKey: []byte("ims-emulator marker key v1"),
		known:     map[string]int{},
		images:    map[imageKey]*image{},
		meta:      map[imageKey]*ImageMetadata{},
		jobs:      map[string]*job{},
		jobConfig: JobBehaviour{Duration: cfg.JobDuration, Fail: cfg.FailJobs},
	}
	for _, p := range cfg.Projects {
		e.addProjectLocked(p)
	}
	e.cfg.Projects = nil // the live list is e.projects
	return e
}

// AddProject makes p visible to IAM and accepted in IMS paths.
func (e *Emulator) AddProject(p Project) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.addProjectLocked(p)
}

func (e *Emulator) addProjectLocked(p Project) {
	if i, ok := e.known[p.ID]; ok && i >= 0 {
		e.projects[i] = p
		return
	}
	e.known[p.ID] = len(e.projects)
	e.projects = append(e.projects, p)
}

// UnfilteredShares is how GET /v2/cloudimages without member_status treats
// images shared with the requester (see Config.UnfilteredShares).
type UnfilteredShares int

const (
	// UnfilteredSharesAccepted lists only those the requester accepted.
	UnfilteredSharesAccepted UnfilteredShares = iota
	// UnfilteredSharesAll lists them in every status: pending, accepted
	// and rejected.
	UnfilteredSharesAll
)

// exchange is one request being answered: handlers build the body in buf and
// set headers on w, and ServeHTTP writes it (or a fault mangles it).
type exchange struct {
	w      *statusWriter
	r      *http.Request
	id     string
	query  []queryParam
	body   []byte // the request's body, read whole before the signature check
	buf    *bytes.Buffer
	status int
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// ServeHTTP answers like the API gateway in front of IMS and IAM: route,
// method, throttling, signature, then any injected fault, then the service.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if isAdminPath(r.URL.Path) {
		e.serveAdmin(w, r) // not the cloud's API: neither logged nor signed
		return
	}
	id := newRequestID()
	w.Header().Set("X-Request-Id", id)
	sw := &statusWriter{ResponseWriter: w}
	body, bodyErr := io.ReadAll(io.LimitReader(r.Body, maxRequestBody+1))
	entry := e.log.add(r, id, body)
	defer func() {
		done := e.log.finish(entry, sw.status)
		if e.cfg.OnRequest != nil {
			e.cfg.OnRequest(done, time.Since(done.At))
		}
	}()

	buf, _ := bufPool.Get().(*bytes.Buffer) // the pool only holds buffers
	buf.Reset()
	defer func() {
		if buf.Cap() <= 4<<20 { // let huge one-off bodies go
			bufPool.Put(buf)
		}
	}()
	x := &exchange{w: sw, r: r, id: id, buf: buf, body: body}

	region, apiPath := regionPrefix(r.URL.Path)
	rt := parseRoute(apiPath)
	limiter := e.gateways.of(region)
	switch {
	case rt.kind == routeUnknown:
		x.gatewayError(http.StatusNotFound, "APIGW.0101", "The API does not exist or has not been published in the environment")
	case !rt.allows(r.Method):
		sw.Header().Set("Allow", rt.methods())
		if rt.kind == routeProjects || rt.kind == routeAuthProjects {
			x.keystoneError(http.StatusMethodNotAllowed, "The method is not allowed for the requested URL.")
		} else {
			x.imsError(http.StatusMethodNotAllowed, "IMG.0001", "The request message format is invalid: method "+r.Method+" is not allowed, use "+rt.methods()+".")
		}
	case bodyErr != nil || len(body) > maxRequestBody:
		x.gatewayError(http.StatusRequestEntityTooLarge, "APIGW.0201", "Request entity too large or unreadable")
	case !limiter.allow(time.Now()):
		if !e.cfg.ThrottleWithoutRetryAfter {
			sw.Header().Set("Retry-After", "1")
		}
		x.gatewayError(http.StatusTooManyRequests, "APIGW.0308", "The throttling threshold has been reached: policy user over ratelimit,limit:"+limiter.describe())
	default:
		query, err := parseWireQuery(r.URL.RawQuery)
		if err != nil {
			x.gatewayError(http.StatusUnauthorized, "APIGW.0301", "Incorrect IAM authentication information: malformed query string: "+err.Error())
			break
		}
		x.query = query
		if msg := e.authenticate(r, query, body); msg != "" {
			x.gatewayError(http.StatusUnauthorized, "APIGW.0301", "Incorrect IAM authentication information: "+msg)
			break
		}
		if msg := e.wrongRegion(r, rt, region); msg != "" {
			x.gatewayError(http.StatusBadRequest, "APIGW.0101", msg)
			break
		}
		f, ok := e.faults.take(r.Method, r.URL.Path, rt.kind)
		if ok && f.After {
			e.serveThenFault(x, rt, f)
			return
		}
		if ok && e.applyFault(x, f) {
			return // the fault wrote (or withheld) the whole response
		}
		var opt pageOptions
		if ok {
			opt = pageOptionsFor(f)
		}
		e.serve(x, rt, opt)
		if ok && f.Kind == FaultTruncatedBody {
			truncate(x)
			return
		}
	}
	x.flush()
}

// serveThenFault acts on the request first (a write's change is made, its
// job started) and then loses or spoils the answer: what a client sees when
// a connection drops, a proxy fails or a timeout hits after the server
// acted.
func (e *Emulator) serveThenFault(x *exchange, rt route, f Fault) {
	e.serve(x, rt, pageOptions{})
	switch f.Kind {
	case FaultTruncatedBody:
		truncate(x)
		return
	case FaultSlow:
		_ = e.applyFault(x, f) // waits, then the real answer goes out
	default:
		x.buf.Reset()
		if e.applyFault(x, f) {
			return
		}
	}
	x.flush()
}

func (e *Emulator) serve(x *exchange, rt route, opt pageOptions) {
	e.settleJobs(time.Now())
	switch rt.kind {
	case routeWriteMembers:
		e.serveWriteMembers(x)
	case routeJob:
		e.serveJob(x, rt.projectID, rt.jobID)
	case routeMembers:
		e.serveMembers(x, rt.projectID, rt.imageID, opt)
	case routeImages:
		e.serveImages(x, opt)
	case routeProjects:
		e.serveProjects(x)
	case routeAuthProjects:
		e.serveAuthProjects(x)
	}
}

// maxRequestBody bounds a write's body, far above 256 members of 3 kinds.
const maxRequestBody = 1 << 20

// flush writes the status and body built so far.
func (x *exchange) flush() {
	x.w.Header().Set("Content-Length", itoa(x.buf.Len()))
	x.w.WriteHeader(x.status)
	_, _ = x.w.Write(x.buf.Bytes())
}

// statusWriter remembers the status for the request log; Unwrap lets
// http.ResponseController reach Hijack and Flush underneath.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }
