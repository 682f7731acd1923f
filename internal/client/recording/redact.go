package recording

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"
)

// Placeholders put where a secret was.
const (
	AccessKeyPlaceholder     = "ACCESS_KEY"
	SecretKeyPlaceholder     = "SECRET_KEY"
	SecurityTokenPlaceholder = "SECURITY_TOKEN"
	SignaturePlaceholder     = "SIGNATURE"
)

// Identifiers an account leaves in requests and responses: project,
// domain (account) and job IDs are 32 hexadecimal digits; organization and
// organization unit IDs are o-/ou- and 32 lower-case letters and digits.
// Each distinct one gets a placeholder of the same form, the same every
// time it appears in a session, so a replay still finds the job it
// started and the member it added. Image IDs (UUIDs with dashes) are kept:
// they say nothing of the account.
var (
	hexID = regexp.MustCompile(`(?i)\b[0-9a-f]{32}\b`)
	orgID = regexp.MustCompile(`\b(o|ou)-[a-z0-9]{32}\b`)
)

// Redactor replaces secrets and account identifiers by placeholders.
type Redactor struct {
	mu      sync.Mutex
	secrets []secret
	ids     map[string]string
}

type secret struct{ value, placeholder string }

// NewRedactor has no secret yet; AddSecrets adds them.
func NewRedactor() *Redactor { return &Redactor{ids: map[string]string{}} }

// AddSecrets makes r replace these credentials wherever they appear.
func (r *Redactor) AddSecrets(s Secrets) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, sec := range []secret{{s.SecurityToken, SecurityTokenPlaceholder}, {s.SecretKey, SecretKeyPlaceholder}, {s.AccessKey, AccessKeyPlaceholder}} {
		if sec.value != "" {
			r.secrets = append(r.secrets, sec)
		}
	}
}

// String is s with every secret and identifier replaced.
func (r *Redactor) String(s string) string {
	if s == "" {
		return s
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, sec := range r.secrets {
		s = strings.ReplaceAll(s, sec.value, sec.placeholder)
	}
	s = hexID.ReplaceAllStringFunc(s, func(id string) string {
		return r.placeholder(strings.ToLower(id), func(n int) string { return fmt.Sprintf("%032x", n) })
	})
	return orgID.ReplaceAllStringFunc(s, func(id string) string {
		prefix, _, _ := strings.Cut(id, "-")
		return r.placeholder(id, func(n int) string { return prefix + "-" + fmt.Sprintf("%032d", n) })
	})
}

// placeholder is id's placeholder, made with form the first time.
func (r *Redactor) placeholder(id string, form func(n int) string) string {
	if isPlaceholderID(id) {
		return id
	}
	if p, ok := r.ids[id]; ok {
		return p
	}
	p := form(len(r.ids) + 1)
	r.ids[id] = p
	return p
}

// isPlaceholderID: placeholders are zero-padded counters, at least 24
// leading zeros after any o-/ou- prefix.
func isPlaceholderID(id string) bool {
	if _, rest, ok := strings.Cut(id, "-"); ok {
		id = rest
	}
	return strings.HasPrefix(id, strings.Repeat("0", 24))
}

// What Audit takes for a secret or identifier that escaped redaction.
var suspects = []struct {
	what    string
	pattern *regexp.Regexp
}{
	{"a 32-hex-digit project, account or job ID", hexID},
	{"an organization ID", orgID},
	{"a 64-hex-digit signature or hash", regexp.MustCompile(`(?i)\b[0-9a-f]{64}\b`)},
	{"an access key", regexp.MustCompile(`\b[A-Z0-9]{20}\b`)},
	{"a secret key", regexp.MustCompile(`\b[A-Za-z0-9]{40}\b`)},
	{"a security token or other long credential", regexp.MustCompile(`[A-Za-z0-9+/_-]{120,}`)},
	{"a signature", regexp.MustCompile(`Signature=([^S,"]|S[^I])`)},
	{"an access key in Authorization", regexp.MustCompile(`Access=([^A,"]|A[^C])`)},
}

// emptyBodyHash is hex(SHA256("")), which is no secret.
const emptyBodyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// Audit lists what in a recording file looks like a secret or an account
// identifier that escaped redaction, and each of the known secrets found
// in it. It is deliberately suspicious: a false alarm costs a look, a
// missed secret is published.
func Audit(data []byte, known Secrets) []string {
	text := string(data)
	var found []string
	for _, s := range []string{known.AccessKey, known.SecretKey, known.SecurityToken} {
		if s != "" && strings.Contains(text, s) {
			found = append(found, "a credential of this run: "+mask(s))
		}
	}
	found = append(found, suspicious(text, "")...)
	// A paging marker may encode an identifier (the members API says its
	// markers are Base64): look inside it too.
	for _, m := range markerValue.FindAllStringSubmatch(text, -1) {
		raw := m[1] + m[2]
		if unescaped, err := url.QueryUnescape(raw); err == nil {
			raw = unescaped
		}
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
			if decoded, err := enc.DecodeString(raw); err == nil {
				found = append(found, suspicious(string(decoded), "inside the marker "+mask(raw)+", ")...)
				break
			}
		}
	}
	return found
}

var markerValue = regexp.MustCompile(`\\?"next_marker\\?":\s*\\?"([^"\\\s]+)|marker=([^&"\\\s]+)`)

func suspicious(text, where string) []string {
	var found []string
	for _, sus := range suspects {
		for _, m := range sus.pattern.FindAllString(text, -1) {
			if isPlaceholderID(strings.ToLower(m)) || strings.EqualFold(m, emptyBodyHash) {
				continue
			}
			found = append(found, where+sus.what+": "+mask(m))
		}
	}
	return found
}

// mask shows enough of a finding to locate it, not enough to use it.
func mask(s string) string {
	if len(s) <= 8 {
		return strings.Repeat("*", len(s))
	}
	return s[:4] + strings.Repeat("*", len(s)-8) + s[len(s)-4:]
}
