package client

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"
)

// Signature algorithm of the Huawei Cloud API gateway's AK/SK scheme.
const (
	SigningAlgorithm = "SDK-HMAC-SHA256"
	SdkDateFormat    = "20060102T150405Z"

	HeaderSdkDate       = "X-Sdk-Date"
	HeaderProjectID     = "X-Project-Id"
	HeaderSecurityToken = "X-Security-Token"
	HeaderAuthorization = "Authorization"
)

// emptyBodyHash is hex(SHA256("")), the body hash of every GET.
const emptyBodyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// Credentials are an access key pair, with a security token for temporary
// credentials. String never prints the secrets.
type Credentials struct {
	AccessKey     string
	SecretKey     string
	SecurityToken string
}

// String redacts the secret parts so a stray %v cannot leak them.
func (c Credentials) String() string {
	token := ""
	if c.SecurityToken != "" {
		token = ", SecurityToken=REDACTED"
	}
	return fmt.Sprintf("Credentials{AccessKey=%s, SecretKey=REDACTED%s}", c.AccessKey, token)
}

// GoString keeps %#v as safe as %v.
func (c Credentials) GoString() string { return c.String() }

// QueryParam is one key=value pair of a query string, kept in a slice so that
// repeated keys survive.
type QueryParam struct {
	Key   string
	Value string
}

// SigningInput is a request as the signature sees it: the path unescaped,
// the query as pairs, and the headers to sign.
type SigningInput struct {
	Method  string
	Path    string
	Query   []QueryParam
	Headers map[string]string
	Body    []byte
}

// Escape percent-encodes every byte except A-Z a-z 0-9 - _ . ~ with upper-case
// hex, as the gateway does for paths and queries.
func Escape(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	const hexDigits = "0123456789ABCDEF"
	b := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			b = append(b, c)
			continue
		}
		b = append(b, '%', hexDigits[c>>4], hexDigits[c&15])
	}
	return string(b)
}

func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}

// CanonicalURI escapes each path segment and ends the path with '/'.
func CanonicalURI(path string) string {
	segments := strings.Split(path, "/")
	for i, s := range segments {
		segments[i] = Escape(s)
	}
	uri := strings.Join(segments, "/")
	if !strings.HasSuffix(uri, "/") {
		uri += "/"
	}
	return uri
}

// CanonicalQuery sorts keys, then the values of each key, and escapes both.
// The result is also the query string sent on the wire, so that the server
// sees exactly what was signed.
func CanonicalQuery(params []QueryParam) string {
	if len(params) == 0 {
		return ""
	}
	sorted := make([]QueryParam, len(params))
	copy(sorted, params)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].Key != sorted[j].Key {
			return sorted[i].Key < sorted[j].Key
		}
		return sorted[i].Value < sorted[j].Value
	})
	var b strings.Builder
	for i, p := range sorted {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(Escape(p.Key))
		b.WriteByte('=')
		b.WriteString(Escape(p.Value))
	}
	return b.String()
}

// canonicalHeaders returns the "name:value\n" block and the ';'-joined list
// of signed header names, both lower-case and sorted.
//
// Names that differ only in case (say "Host" and "host") are handled as the
// official SDK does: each map key lists its lower-cased name, and each listed
// name writes every value of that name, sorted before trimming. Keeping only one of the
// values, as a map keyed by the lower-cased name would, made the signature
// depend on Go's random map order.
func canonicalHeaders(headers map[string]string) (block, signed string) {
	names := make([]string, 0, len(headers))
	values := make(map[string][]string, len(headers))
	for k, v := range headers {
		lk := strings.ToLower(k)
		names = append(names, lk)
		values[lk] = append(values[lk], v)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		vs := values[n]
		sort.Strings(vs)
		for _, v := range vs {
			b.WriteString(n)
			b.WriteByte(':')
			b.WriteString(strings.TrimSpace(v))
			b.WriteByte('\n')
		}
	}
	return b.String(), strings.Join(names, ";")
}

func bodyHash(body []byte) string {
	if len(body) == 0 {
		return emptyBodyHash
	}
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// CanonicalRequest builds the canonical request and the signed-headers list.
func CanonicalRequest(in SigningInput) (canonical, signedHeaders string) {
	block, signed := canonicalHeaders(in.Headers)
	canonical = strings.Join([]string{
		in.Method,
		CanonicalURI(in.Path),
		CanonicalQuery(in.Query),
		block,
		signed,
		bodyHash(in.Body),
	}, "\n")
	return canonical, signed
}

// StringToSign is the algorithm, the X-Sdk-Date and the canonical request's hash.
func StringToSign(sdkDate, canonicalRequest string) string {
	sum := sha256.Sum256([]byte(canonicalRequest))
	return SigningAlgorithm + "\n" + sdkDate + "\n" + hex.EncodeToString(sum[:])
}

// Signature is hex(HMAC-SHA256(secret, stringToSign)).
func Signature(secretKey, stringToSign string) string {
	mac := hmac.New(sha256.New, []byte(secretKey))
	mac.Write([]byte(stringToSign))
	return hex.EncodeToString(mac.Sum(nil))
}

// Authorization computes the Authorization header for a request whose
// headers include X-Sdk-Date.
func Authorization(accessKey, secretKey string, in SigningInput) (string, error) {
	// With several case variants of X-Sdk-Date, take the least key so the
	// choice does not follow Go's random map order.
	date, dateKey := "", ""
	for k, v := range in.Headers {
		if strings.EqualFold(k, HeaderSdkDate) && (dateKey == "" || k < dateKey) {
			date, dateKey = v, k
		}
	}
	if date == "" {
		return "", errors.New("signing: the X-Sdk-Date header is required")
	}
	canonical, signed := CanonicalRequest(in)
	sig := Signature(secretKey, StringToSign(date, canonical))
	return SigningAlgorithm + " Access=" + accessKey + ", SignedHeaders=" + signed + ", Signature=" + sig, nil
}

// Sign stamps req with X-Sdk-Date, X-Security-Token (temporary credentials)
// and Authorization. It signs host, x-sdk-date, and x-project-id and
// x-security-token when present, and rewrites the wire query to the signed
// canonical string. The body must be empty or passed in body.
func (c Credentials) Sign(req *http.Request, query []QueryParam, body []byte, now time.Time) error {
	if c.AccessKey == "" || c.SecretKey == "" {
		return errors.New("signing: access key and secret key are required")
	}
	date := now.UTC().Format(SdkDateFormat)
	req.Header.Set(HeaderSdkDate, date)
	if c.SecurityToken != "" {
		req.Header.Set(HeaderSecurityToken, c.SecurityToken)
	}
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	headers := map[string]string{"host": host, "x-sdk-date": date}
	if v := req.Header.Get(HeaderProjectID); v != "" {
		headers["x-project-id"] = v
	}
	if c.SecurityToken != "" {
		headers["x-security-token"] = c.SecurityToken
	}
	req.URL.RawQuery = CanonicalQuery(query)
	auth, err := Authorization(c.AccessKey, c.SecretKey, SigningInput{
		Method: req.Method, Path: req.URL.Path, Query: query, Headers: headers, Body: body,
	})
	if err != nil {
		return err
	}
	req.Header.Set(HeaderAuthorization, auth)
	return nil
}

// ParsedAuthorization is an Authorization header split into its parts.
type ParsedAuthorization struct {
	AccessKey     string
	SignedHeaders []string
	Signature     string
}

// ParseAuthorization splits "SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=...".
func ParseAuthorization(h string) (ParsedAuthorization, error) {
	var p ParsedAuthorization
	rest, ok := strings.CutPrefix(h, SigningAlgorithm+" ")
	if !ok {
		return p, errors.New("authorization: not " + SigningAlgorithm)
	}
	for _, part := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return p, fmt.Errorf("authorization: malformed part %q", part)
		}
		switch k {
		case "Access":
			p.AccessKey = v
		case "SignedHeaders":
			p.SignedHeaders = strings.Split(v, ";")
			if slices.Contains(p.SignedHeaders, "") {
				return p, fmt.Errorf("authorization: empty name in SignedHeaders %q", v)
			}
		case "Signature":
			p.Signature = v
		}
	}
	if p.AccessKey == "" || len(p.SignedHeaders) == 0 || p.Signature == "" {
		return p, errors.New("authorization: Access, SignedHeaders and Signature are required")
	}
	return p, nil
}

// QueryPairs parses a raw query into pairs, keeping order and repeats.
// Unlike url.ParseQuery it does not read '+' as a space: the signer never
// sends a bare '+', so one on the wire is taken literally.
func QueryPairs(raw string) ([]QueryParam, error) {
	if raw == "" {
		return nil, nil
	}
	var out []QueryParam
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		uk, err := url.PathUnescape(k)
		if err != nil {
			return nil, err
		}
		uv, err := url.PathUnescape(v)
		if err != nil {
			return nil, err
		}
		out = append(out, QueryParam{Key: uk, Value: uv})
	}
	return out, nil
}
