package emulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/url"
	"sort"
	"strings"
)

// The emulator's own reading of the API gateway's AK/SK signature
// (SDK-HMAC-SHA256), written from the documented algorithm and checked
// against the known-answer vectors in testdata/signing-vectors.json. It
// shares no code with internal/client on purpose: a canonicalisation bug
// in the client must fail here as it would at the gateway, not be mirrored.
const (
	signingAlgorithm    = "SDK-HMAC-SHA256"
	sdkDateLayout       = "20060102T150405Z"
	headerAuthorization = "Authorization"
	headerSdkDate       = "X-Sdk-Date"
	headerProjectID     = "X-Project-Id"
	headerSecurityToken = "X-Security-Token"
)

// queryParam is one key=value pair of a request's query, in wire order.
type queryParam struct{ Key, Value string }

// parseWireQuery reads the query as the gateway does. The official signer
// takes its query from url.URL.Query(), where a bare '+' is a space, so the
// gateway reads it that way too: a client that forgets to escape '+' in a
// Base64 marker fails here as it would against the cloud. Order and
// repeated keys are kept.
func parseWireQuery(raw string) ([]queryParam, error) {
	var out []queryParam
	for part := range strings.SplitSeq(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			return nil, err
		}
		value, err := url.QueryUnescape(v)
		if err != nil {
			return nil, err
		}
		out = append(out, queryParam{Key: key, Value: value})
	}
	return out, nil
}

// gatewayEscape percent-encodes every byte but A-Z a-z 0-9 - _ . ~, with
// upper-case hex digits.
func gatewayEscape(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', strings.IndexByte("-_.~", c) >= 0:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteString(strings.ToUpper(hex.EncodeToString([]byte{c})))
		}
	}
	return b.String()
}

// signedRequest is a request as the gateway verifies it: the path as
// received (unescaped), the query pairs, and the value of each signed
// header keyed by its lower-case name.
type signedRequest struct {
	method  string
	path    string
	query   []queryParam
	headers map[string]string
	body    []byte
}

// canonical is the canonical request: method, URI, query, headers, the
// signed header list and the body's SHA-256, one per line.
func (s signedRequest) canonical() string {
	segments := strings.Split(s.path, "/")
	for i := range segments {
		segments[i] = gatewayEscape(segments[i])
	}
	uri := strings.Join(segments, "/")
	if !strings.HasSuffix(uri, "/") {
		uri += "/"
	}

	pairs := make([]string, 0, len(s.query))
	sorted := append([]queryParam(nil), s.query...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].Key == sorted[j].Key {
			return sorted[i].Value < sorted[j].Value
		}
		return sorted[i].Key < sorted[j].Key
	})
	for _, p := range sorted {
		pairs = append(pairs, gatewayEscape(p.Key)+"="+gatewayEscape(p.Value))
	}

	names := make([]string, 0, len(s.headers))
	for name := range s.headers {
		names = append(names, name)
	}
	sort.Strings(names)
	var headerBlock strings.Builder
	for _, name := range names {
		headerBlock.WriteString(name + ":" + strings.TrimSpace(s.headers[name]) + "\n")
	}

	bodySum := sha256.Sum256(s.body)
	return s.method + "\n" + uri + "\n" + strings.Join(pairs, "&") + "\n" + headerBlock.String() + "\n" +
		strings.Join(names, ";") + "\n" + hex.EncodeToString(bodySum[:])
}

// expectedSignature is hex(HMAC-SHA256(secret, string to sign)), the
// string to sign being the algorithm, the X-Sdk-Date and the canonical
// request's SHA-256.
func expectedSignature(secretKey, sdkDate, canonical string) string {
	digest := sha256.Sum256([]byte(canonical))
	mac := hmac.New(sha256.New, []byte(secretKey))
	mac.Write([]byte(signingAlgorithm + "\n" + sdkDate + "\n" + hex.EncodeToString(digest[:])))
	return hex.EncodeToString(mac.Sum(nil))
}

// authorization is the Authorization header's three parts.
type authorization struct {
	accessKey     string
	signedHeaders []string
	signature     string
}

// parseAuthorizationHeader splits
// "SDK-HMAC-SHA256 Access=..., SignedHeaders=a;b, Signature=...".
func parseAuthorizationHeader(h string) (authorization, error) {
	var a authorization
	rest, ok := strings.CutPrefix(h, signingAlgorithm+" ")
	if !ok {
		return a, errors.New("the algorithm is not " + signingAlgorithm)
	}
	for part := range strings.SplitSeq(rest, ",") {
		name, value, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return a, errors.New("malformed part " + `"` + part + `"`)
		}
		switch name {
		case "Access":
			a.accessKey = value
		case "SignedHeaders":
			a.signedHeaders = strings.Split(value, ";")
		case "Signature":
			a.signature = value
		}
	}
	if a.accessKey == "" || len(a.signedHeaders) == 0 || a.signature == "" {
		return a, errors.New("the Access, SignedHeaders and Signature parts are required")
	}
	return a, nil
}
