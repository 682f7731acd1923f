package emulator

import (
	"crypto/subtle"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
)

// parseWireQuery reads the query as the gateway does. The official signer
// takes its query from url.URL.Query(), where a bare '+' is a space, so the
// gateway reads it that way too: a client that forgets to escape '+' in a
// Base64 marker fails here as it would against the cloud. client.QueryPairs
// keeps '+' literal, hence the rewrite to %20 first.
func parseWireQuery(raw string) ([]client.QueryParam, error) {
	return client.QueryPairs(strings.ReplaceAll(raw, "+", "%20"))
}

// authenticate verifies the SDK-HMAC-SHA256 signature of r and returns ""
// or the reason it fails, worded like the gateway's APIGW.0301 messages.
func (e *Emulator) authenticate(r *http.Request, query []client.QueryParam, body []byte) string {
	header := r.Header.Get(client.HeaderAuthorization)
	if header == "" {
		return "Authorization header not found"
	}
	auth, err := client.ParseAuthorization(header)
	if err != nil {
		return "verify aksk signature fail, " + err.Error()
	}
	if subtle.ConstantTimeCompare([]byte(auth.AccessKey), []byte(e.cfg.AccessKey)) != 1 {
		return "ak " + auth.AccessKey + " not exist"
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

func (e *Emulator) verifySignature(r *http.Request, query []client.QueryParam, body []byte, auth client.ParsedAuthorization, now time.Time) string {
	if msg := e.checkSignedHeaders(r, auth.SignedHeaders); msg != "" {
		return msg
	}
	date := r.Header.Get(client.HeaderSdkDate)
	t, err := time.Parse(client.SdkDateFormat, date)
	if err != nil {
		return "x-sdk-date " + date + " is not in the format " + client.SdkDateFormat
	}
	if d := now.Sub(t); d > e.cfg.MaxClockSkew || d < -e.cfg.MaxClockSkew {
		return "the x-sdk-date " + date + " is more than " + e.cfg.MaxClockSkew.String() + " away from the server time, check the local clock"
	}
	if e.cfg.SecurityToken != "" &&
		subtle.ConstantTimeCompare([]byte(r.Header.Get(client.HeaderSecurityToken)), []byte(e.cfg.SecurityToken)) != 1 {
		return "the security token is invalid or expired"
	}

	headers := make(map[string]string, len(auth.SignedHeaders))
	for _, name := range auth.SignedHeaders {
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
	canonical, _ := client.CanonicalRequest(client.SigningInput{
		Method: r.Method, Path: r.URL.Path, Query: query, Headers: headers, Body: body,
	})
	want := client.Signature(e.cfg.SecretKey, client.StringToSign(date, canonical))
	if subtle.ConstantTimeCompare([]byte(want), []byte(auth.Signature)) != 1 {
		return "verify aksk signature fail, the signature does not match the request as received"
	}
	return ""
}

// checkSignedHeaders enforces the contract's list: lower-case, sorted,
// unique, with host and x-sdk-date, and x-project-id and x-security-token
// whenever those headers are sent (an unsigned project ID could be swapped
// in transit).
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
	required := []string{"host", "x-sdk-date"}
	if r.Header.Get(client.HeaderProjectID) != "" {
		required = append(required, "x-project-id")
	}
	if e.cfg.SecurityToken != "" || r.Header.Get(client.HeaderSecurityToken) != "" {
		required = append(required, "x-security-token")
	}
	for _, n := range required {
		if !seen[n] {
			return "SignedHeaders must include " + n
		}
	}
	if e.cfg.SecurityToken == "" && r.Header.Get(client.HeaderSecurityToken) != "" {
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
