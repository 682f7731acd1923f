package emulator

import (
	"crypto/subtle"
	"net/http"
	"strings"
	"sync"
	"time"
)

// authenticate verifies the SDK-HMAC-SHA256 signature of r and returns ""
// or the reason it fails, worded like the gateway's APIGW.0301 messages.
func (e *Emulator) authenticate(r *http.Request, query []queryParam, body []byte) string {
	header := r.Header.Get(headerAuthorization)
	if header == "" {
		return "Authorization header not found"
	}
	auth, err := parseAuthorizationHeader(header)
	if err != nil {
		return "verify aksk signature fail, authorization: " + err.Error()
	}
	if subtle.ConstantTimeCompare([]byte(auth.accessKey), []byte(e.cfg.AccessKey)) != 1 {
		return "ak " + auth.accessKey + " not exist"
	}
	now := time.Now()
	lockable := e.cfg.LockoutThreshold > 0
	if lockable && e.lock.locked(now) {
		return "AK access failed to reach the limit,forbidden."
	}
	if msg := e.verifySignature(r, query, body, auth, now); msg != "" {
		if lockable {
			e.lock.fail(now, e.cfg.LockoutThreshold, e.cfg.LockoutDuration)
		}
		return msg
	}
	if lockable {
		e.lock.succeed()
	}
	return ""
}

func (e *Emulator) verifySignature(r *http.Request, query []queryParam, body []byte, auth authorization, now time.Time) string {
	if msg := e.checkSignedHeaders(r, auth.signedHeaders); msg != "" {
		return msg
	}
	date := r.Header.Get(headerSdkDate)
	t, err := time.Parse(sdkDateLayout, date)
	if err != nil {
		return "x-sdk-date " + date + " is not in the format " + sdkDateLayout
	}
	if d := now.Sub(t); d > e.cfg.MaxClockSkew || d < -e.cfg.MaxClockSkew {
		return "the x-sdk-date " + date + " is more than " + e.cfg.MaxClockSkew.String() + " away from the server time, check the local clock"
	}
	if e.cfg.SecurityToken != "" &&
		subtle.ConstantTimeCompare([]byte(r.Header.Get(headerSecurityToken)), []byte(e.cfg.SecurityToken)) != 1 {
		return "the security token is invalid or expired"
	}

	headers := make(map[string]string, len(auth.signedHeaders))
	for _, name := range auth.signedHeaders {
		if name == "host" {
			headers[name] = r.Host
			continue
		}
		values := r.Header.Values(name)
		if len(values) == 0 {
			return "signed header " + name + " is missing from the request"
		}
		headers[name] = strings.Join(values, ",")
	}
	canonical := signedRequest{method: r.Method, path: r.URL.Path, query: query, headers: headers, body: body}.canonical()
	want := expectedSignature(e.cfg.SecretKey, date, canonical)
	if subtle.ConstantTimeCompare([]byte(want), []byte(auth.signature)) != 1 {
		return "verify aksk signature fail, the signature does not match the request as received"
	}
	return ""
}

// checkSignedHeaders enforces what the gateway can: lower-case, sorted,
// unique names, with x-sdk-date, and x-project-id and x-security-token
// whenever those headers are sent (an unsigned project ID could be swapped
// in transit). host need not be signed: the official SDK's signer signs
// only the headers it sets, never host (the SDK's known-answer vector
// sdk-get-with-query signs x-sdk-date alone), and the cloud accepts its
// requests. That this client signs host is the client's own test.
func (e *Emulator) checkSignedHeaders(r *http.Request, names []string) string {
	seen := map[string]bool{}
	for i, n := range names {
		if n == "" || n != strings.ToLower(n) {
			return "SignedHeaders entry " + `"` + n + `"` + " must be a non-empty lower-case header name"
		}
		if i > 0 && names[i-1] >= n {
			return "SignedHeaders must be sorted and without duplicates"
		}
		seen[n] = true
	}
	required := []string{"x-sdk-date"}
	if r.Header.Get(headerProjectID) != "" {
		required = append(required, "x-project-id")
	}
	if e.cfg.SecurityToken != "" || r.Header.Get(headerSecurityToken) != "" {
		required = append(required, "x-security-token")
	}
	for _, n := range required {
		if !seen[n] {
			return "SignedHeaders must include " + n
		}
	}
	if e.cfg.SecurityToken == "" && r.Header.Get(headerSecurityToken) != "" {
		return "a security token was sent with a permanent access key"
	}
	return ""
}

// lockout mimics the gateway locking an access key after repeated failures.
type lockout struct {
	mu       sync.Mutex
	failures int
	until    time.Time
}

func (l *lockout) locked(now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return now.Before(l.until)
}

func (l *lockout) fail(now time.Time, threshold int, d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.failures++
	if l.failures >= threshold {
		l.until, l.failures = now.Add(d), 0
	}
}

func (l *lockout) succeed() {
	l.mu.Lock()
	l.failures = 0
	l.mu.Unlock()
}
