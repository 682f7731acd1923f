// Package recording saves the client's HTTP exchanges with the cloud, with
// every secret and account identifier replaced by a stable placeholder, so
// that a run against the real API can be contributed and replayed against
// the client's decoders and the emulator (internal/client/sdkcheck). It
// knows nothing of Terraform: the client installs a Recorder when its
// Config.RecordDir is set, which only the acceptance tests do.
package recording

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Exchange is one request and its answer, as a recording file holds it.
// Bodies are kept as text, byte for byte after redaction, so a replay
// decodes exactly what the cloud sent.
type Exchange struct {
	// Session names one test run; Seq orders its exchanges.
	Session         string            `json:"session"`
	Seq             int               `json:"seq"`
	Method          string            `json:"method"`
	Path            string            `json:"path"`
	Query           string            `json:"query,omitempty"`
	RequestHeaders  map[string]string `json:"request_headers,omitempty"`
	RequestBody     string            `json:"request_body,omitempty"`
	Status          int               `json:"status"`
	ResponseHeaders map[string]string `json:"response_headers,omitempty"`
	ResponseBody    string            `json:"response_body"`
}

// The headers kept; every other one is dropped. Authorization keeps only
// its SignedHeaders list.
var (
	keptRequestHeaders  = []string{"Authorization", "Content-Type", "X-Project-Id", "X-Security-Token"}
	keptResponseHeaders = []string{"Content-Type", "Retry-After", "X-Request-Id"}
)

// Secrets are the values that must never reach a recording whatever their
// form: the credentials.
type Secrets struct {
	AccessKey, SecretKey, SecurityToken string
}

// Recorder is an http.RoundTripper that passes each request to Next and
// writes the redacted exchange to Dir. A failure to record fails the
// request: a run that was meant to be recorded must not silently lose
// exchanges.
type Recorder struct {
	Next http.RoundTripper
	s    *session
}

// sessions are shared by every Recorder of a directory in this process, so
// that one test run, however many provider instances it starts, is one
// session with one placeholder for each identifier.
var (
	sessionsMu sync.Mutex
	sessions   = map[string]*session{}
)

type session struct {
	dir, name string
	mu        sync.Mutex
	seq       int
	redact    *Redactor
}

// New returns a Recorder writing to dir (created if needed).
func New(dir string, next http.RoundTripper, secrets Secrets) (*Recorder, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("recording: %w", err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("recording: %w", err)
	}
	sessionsMu.Lock()
	defer sessionsMu.Unlock()
	s := sessions[abs]
	if s == nil {
		s = &session{dir: abs, name: time.Now().UTC().Format("20060102T150405Z") + fmt.Sprintf("-%d", os.Getpid()), redact: NewRedactor()}
		sessions[abs] = s
	}
	s.redact.AddSecrets(secrets)
	return &Recorder{Next: next, s: s}, nil
}

// RoundTrip sends r and records the exchange.
func (rec *Recorder) RoundTrip(r *http.Request) (*http.Response, error) {
	var reqBody []byte
	if r.Body != nil {
		var err error
		if reqBody, err = io.ReadAll(r.Body); err != nil {
			return nil, err
		}
		_ = r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	resp, err := rec.Next.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	respBody, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	if err := rec.s.write(r, reqBody, resp, respBody); err != nil {
		return nil, err
	}
	return resp, nil
}

func (s *session) write(r *http.Request, reqBody []byte, resp *http.Response, respBody []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	x := Exchange{
		Session: s.name, Seq: s.seq, Method: r.Method,
		Path: s.redact.String(r.URL.Path), Query: s.redact.String(r.URL.RawQuery),
		RequestHeaders: headers(r.Header, keptRequestHeaders, s.redact), RequestBody: s.redact.String(string(reqBody)),
		Status: resp.StatusCode, ResponseHeaders: headers(resp.Header, keptResponseHeaders, s.redact),
		ResponseBody: s.redact.String(string(respBody)),
	}
	data, err := json.MarshalIndent(x, "", "  ")
	if err != nil {
		return fmt.Errorf("recording: %w", err)
	}
	name := filepath.Join(s.dir, fmt.Sprintf("%s-%04d-%s.json", s.name, s.seq, strings.ToLower(r.Method)))
	if err := os.WriteFile(name, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("recording: %w", err)
	}
	return nil
}

func headers(h http.Header, keep []string, redact *Redactor) map[string]string {
	out := map[string]string{}
	for _, name := range keep {
		v := h.Get(name)
		if v == "" {
			continue
		}
		switch name {
		case "Authorization":
			v = redactAuthorization(v)
		case "X-Security-Token":
			v = SecurityTokenPlaceholder
		default:
			v = redact.String(v)
		}
		out[name] = v
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// redactAuthorization keeps the algorithm and the signed header list.
func redactAuthorization(v string) string {
	algorithm, rest, _ := strings.Cut(v, " ")
	signed := ""
	for part := range strings.SplitSeq(rest, ",") {
		if k, val, ok := strings.Cut(strings.TrimSpace(part), "="); ok && k == "SignedHeaders" {
			signed = val
		}
	}
	return algorithm + " Access=" + AccessKeyPlaceholder + ", SignedHeaders=" + signed + ", Signature=" + SignaturePlaceholder
}

// Load reads every recording (*.json) under dir, ordered by session and
// sequence. A missing dir is no recording.
func Load(dir string) ([]Exchange, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	var out []Exchange
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		var x Exchange
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&x); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		if x.Session == "" || x.Seq == 0 || x.Method == "" || x.Path == "" || x.Status == 0 {
			return nil, fmt.Errorf("%s: not a recording (session, seq, method, path and status are required)", p)
		}
		out = append(out, x)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Session != out[j].Session {
			return out[i].Session < out[j].Session
		}
		return out[i].Seq < out[j].Seq
	})
	return out, nil
}
