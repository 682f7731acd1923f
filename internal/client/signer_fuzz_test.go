package client

// Fuzz targets for the signer's canonical forms. Their seed corpora (the f.Add
// calls and testdata/fuzz/<target>/) run in every go test; run one with
//
//	go test ./internal/client/ -run '^$' -fuzz '^FuzzEscapeRoundTrip$' -fuzztime 60s -parallel 1

import (
	"net/url"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// unreservedSet is every byte Escape leaves alone.
const unreservedSet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~"

var escapeSeeds = []string{
	"",
	"plain-Value_0.9~",
	"Zm9v+Ym/YXI=",
	"a b+c%20d%2B",
	"%",
	"%zz",
	"%%41",
	"/v1/proj/cloudimages",
	"?#[]@!$&'()*,;=:",
	"ключ 值 🖼",
	"\x00\x01\x1f\x7f\x80\xfe\xff",
	"\t\r\n ",
	"~~..--__",
}

// FuzzEscapeRoundTrip: Escape's output holds only unreserved bytes and %XX
// with upper-case hex, leaves unreserved bytes alone, and unescapes (as a
// path and as a query component) to its input.
func FuzzEscapeRoundTrip(f *testing.F) {
	for _, s := range escapeSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Escape(s)
		reserved := 0
		for i := 0; i < len(s); i++ {
			if strings.IndexByte(unreservedSet, s[i]) < 0 {
				reserved++
			}
		}
		if want := len(s) + 2*reserved; len(out) != want {
			t.Fatalf("Escape(%q) = %q: length %d, want %d", s, out, len(out), want)
		}
		if (reserved == 0) != (out == s) {
			t.Fatalf("Escape(%q) = %q: changed %v with %d reserved bytes", s, out, out != s, reserved)
		}
		for i := 0; i < len(out); i++ {
			c := out[i]
			if strings.IndexByte(unreservedSet, c) >= 0 {
				continue
			}
			if c != '%' || i+2 >= len(out) || !isUpperHex(out[i+1]) || !isUpperHex(out[i+2]) {
				t.Fatalf("Escape(%q) = %q: byte %d (%q) is neither unreserved nor %%XX", s, out, i, c)
			}
			i += 2
		}
		back, err := url.PathUnescape(out)
		if err != nil || back != s {
			t.Fatalf("url.PathUnescape(Escape(%q)) = %q, %v", s, back, err)
		}
		// A server reading the query with Go's url.ParseQuery unescapes with
		// QueryUnescape, which reads '+' as a space; Escape never emits one.
		if back, err := url.QueryUnescape(out); err != nil || back != s {
			t.Fatalf("url.QueryUnescape(Escape(%q)) = %q, %v", s, back, err)
		}
	})
}

func isUpperHex(c byte) bool {
	return '0' <= c && c <= '9' || 'A' <= c && c <= 'F'
}

// FuzzCanonicalQueryRoundTrip: QueryPairs(CanonicalQuery(pairs)) gives back
// the same multiset of pairs, sorted by key then value; so does url.ParseQuery
// (what a Go server makes of the wire query); CanonicalQuery leaves its input
// alone and is a fixed point on its own output.
func FuzzCanonicalQueryRoundTrip(f *testing.F) {
	f.Add(uint8(2), "limit", "2", "marker", "Zm9v+Ym/YXI=", "", "", "", "")
	f.Add(uint8(4), "k", "b", "k", "a", "k", "", "k", "a")
	f.Add(uint8(4), "b", "1", "a", "2", "B", "3", "", "")
	f.Add(uint8(1), "", "", "x", "y", "", "", "", "")
	f.Add(uint8(0), "", "", "", "", "", "", "", "")
	f.Add(uint8(3), "a&b=c", "d&e=f", "a b", "c+d", "a%20b", "%2B", "", "")
	f.Add(uint8(4), "ключ", "值", "ключ", "значение", "ü", "\xff", "k", "\x00")
	f.Add(uint8(4), "+", "+", "%", "%", "=", "=", "&", "&")
	f.Add(uint8(4), "a", "", "a", " ", "a", "  ", "a", "\t")
	f.Add(uint8(4), ";", ";", "k;x", "v;y", "?", "#", "/", "/")
	f.Fuzz(func(t *testing.T, n uint8, k1, v1, k2, v2, k3, v3, k4, v4 string) {
		all := []QueryParam{{k1, v1}, {k2, v2}, {k3, v3}, {k4, v4}}
		pairs := all[:int(n)%(len(all)+1)]
		input := append([]QueryParam{}, pairs...)

		cq := CanonicalQuery(pairs)
		if !reflect.DeepEqual(pairs, input) {
			t.Fatalf("CanonicalQuery changed its input: %q, was %q", pairs, input)
		}
		want := sortedPairs(pairs)

		got, err := QueryPairs(cq)
		if err != nil {
			t.Fatalf("QueryPairs(CanonicalQuery(%q) = %q): %v", pairs, cq, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("QueryPairs(CanonicalQuery(%q) = %q) = %q, want %q", pairs, cq, got, want)
		}
		if again := CanonicalQuery(got); again != cq {
			t.Fatalf("CanonicalQuery not a fixed point: %q then %q", cq, again)
		}

		parsed, err := url.ParseQuery(cq)
		if err != nil {
			t.Fatalf("url.ParseQuery(%q): %v", cq, err)
		}
		wantValues := url.Values{}
		for _, p := range want {
			wantValues[p.Key] = append(wantValues[p.Key], p.Value)
		}
		for k := range parsed {
			sort.Strings(parsed[k])
		}
		if len(want) == 0 && len(parsed) == 0 {
			return
		}
		if !reflect.DeepEqual(parsed, wantValues) {
			t.Fatalf("url.ParseQuery(%q) = %q, want %q", cq, parsed, wantValues)
		}
	})
}

// FuzzQueryPairs: QueryPairs never panics on a raw query; what it accepts
// survives CanonicalQuery and QueryPairs again as the same multiset; what it
// rejects is not a valid percent-encoding.
func FuzzQueryPairs(f *testing.F) {
	for _, s := range []string{
		"", "limit=2&marker=Zm9v%2BYm%2FYXI%3D", "limit=2&marker=Zm9v+Ym/YXI=", "a", "a=", "=b", "=",
		"&&a=1&&", "a=1&a=2&a=1", "%", "a=%zz", "%41%42=%c3%bc", "a=b=c", "a;b=c;d", "k=%00%ff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		pairs, err := QueryPairs(raw)
		if err != nil {
			for _, part := range strings.Split(raw, "&") {
				k, v, _ := strings.Cut(part, "=")
				if _, err := url.PathUnescape(k); err != nil {
					return
				}
				if _, err := url.PathUnescape(v); err != nil {
					return
				}
			}
			t.Fatalf("QueryPairs(%q) failed (%v) though every part unescapes", raw, err)
		}
		// One pair per non-empty part, in order, each side percent-decoded
		// with '+' taken literally (the signer never sends a bare '+').
		var want []QueryParam
		for _, part := range strings.Split(raw, "&") {
			if part == "" {
				continue
			}
			k, v, _ := strings.Cut(part, "=")
			uk, _ := url.PathUnescape(k)
			uv, _ := url.PathUnescape(v)
			want = append(want, QueryParam{Key: uk, Value: uv})
		}
		if !reflect.DeepEqual(pairs, want) {
			t.Fatalf("QueryPairs(%q) = %q, want %q", raw, pairs, want)
		}
		again, err := QueryPairs(CanonicalQuery(pairs))
		if err != nil {
			t.Fatalf("QueryPairs(CanonicalQuery(QueryPairs(%q))): %v", raw, err)
		}
		if got, want := again, sortedPairs(pairs); !reflect.DeepEqual(got, want) {
			t.Fatalf("raw %q: pairs %q came back as %q", raw, want, got)
		}
	})
}

// formatAuthorization writes p back in the form Authorization produces.
func formatAuthorization(p ParsedAuthorization) string {
	return SigningAlgorithm + " Access=" + p.AccessKey + ", SignedHeaders=" + strings.Join(p.SignedHeaders, ";") + ", Signature=" + p.Signature
}

// isToken reports whether s is an RFC 9110 token, the only thing a header
// name can be.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if strings.IndexByte(unreservedSet, c) < 0 && strings.IndexByte("!#$%&'*+^`|", c) < 0 {
			return false
		}
	}
	return true
}

// FuzzParseAuthorization: ParseAuthorization never panics; whatever it
// accepts has all three parts and reads back the same once written out again;
// and it gives back the access key, signed headers and signature of what
// Authorization produces.
//
// The round trip needs an access key that is not empty, holds no ',' (the
// header's part separator) and has no white space around it (the parts are
// trimmed); real access keys are 20 characters of [A-Z0-9]. Header names
// that are not HTTP tokens are left out, as no request can carry them.
func FuzzParseAuthorization(f *testing.F) {
	f.Add("SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-project-id;x-sdk-date, Signature=478409f6969bdd24e29609ba1a846e793400db6ed9b64cf12b5575e732103615",
		"AccessKey", "SecretKey", "Host,X-Project-Id,X-Security-Token")
	f.Add("SDK-HMAC-SHA256 Access=a,SignedHeaders=x,Signature=s", "QTWAOYTTINDUT2QVKYUC", "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc", "content-type,host")
	f.Add("SDK-HMAC-SHA256 Access=  a=b , SignedHeaders= a;;b , Signature=s=, Foo=bar, Access=c", "a=b;c", "", "")
	f.Add("SDK-HMAC-SHA256 Access=a, SignedHeaders=, Signature=s", "ключ", "ключ", "X_Under,Host,host")
	f.Add("SDK-HMAC-SHA256 ", " a", "sk", "bad name,ok")
	f.Add("SDK-HMAC-SHA256 Access=a, , Signature=s", "a,b", "sk", "")
	f.Add("SDK-HMAC-SHA256 Access=a\u0085, SignedHeaders=h\u00a0, Signature=\u2003s", "a\u00a0", "sk", "h")
	f.Add("AWS4-HMAC-SHA256 Credential=x", "", "", "")
	f.Add("", "AK", "SK", "")
	f.Add("SDK-HMAC-SHA256", "AK", "SK", ",,")
	f.Fuzz(func(t *testing.T, h, ak, sk, names string) {
		if p, err := ParseAuthorization(h); err == nil {
			if p.AccessKey == "" || len(p.SignedHeaders) == 0 || p.Signature == "" {
				t.Fatalf("ParseAuthorization(%q) = %#v without error", h, p)
			}
			h2 := formatAuthorization(p)
			p2, err := ParseAuthorization(h2)
			if err != nil || !reflect.DeepEqual(p, p2) {
				t.Fatalf("ParseAuthorization(%q) = %#v; written out as %q it reads %#v, %v", h, p, h2, p2, err)
			}
		} else if !strings.HasPrefix(h, SigningAlgorithm+" ") && !strings.Contains(err.Error(), "not "+SigningAlgorithm) {
			t.Fatalf("ParseAuthorization(%q): %v, want the wrong-algorithm error", h, err)
		}

		headers := map[string]string{HeaderSdkDate: "20060102T150405Z"}
		for _, n := range strings.Split(names, ",") {
			if isToken(n) && !strings.EqualFold(n, HeaderSdkDate) {
				headers[n] = "v-" + n
			}
		}
		auth, err := Authorization(ak, sk, SigningInput{Method: "GET", Path: "/v1", Headers: headers})
		if err != nil {
			t.Fatalf("Authorization: %v", err)
		}
		var wantNames []string
		for n := range headers {
			wantNames = append(wantNames, strings.ToLower(n))
		}
		sort.Strings(wantNames)

		p, err := ParseAuthorization(auth)
		if ak == "" || strings.Contains(ak, ",") || strings.TrimSpace(ak) != ak {
			// Outside the round trip; parsing must still not panic, and an
			// empty access key must be refused.
			if ak == "" && err == nil {
				t.Fatalf("ParseAuthorization(%q) accepted an empty access key", auth)
			}
			return
		}
		if err != nil {
			t.Fatalf("ParseAuthorization(Authorization(...) = %q): %v", auth, err)
		}
		if p.AccessKey != ak {
			t.Fatalf("access key %q, want %q (from %q)", p.AccessKey, ak, auth)
		}
		if !reflect.DeepEqual(p.SignedHeaders, wantNames) {
			t.Fatalf("signed headers %q, want %q (from %q)", p.SignedHeaders, wantNames, auth)
		}
		if len(p.Signature) != 64 || strings.Trim(p.Signature, "0123456789abcdef") != "" {
			t.Fatalf("signature %q is not 64 lower-case hex digits (from %q)", p.Signature, auth)
		}
		if formatAuthorization(p) != auth {
			t.Fatalf("written out again %q, want %q", formatAuthorization(p), auth)
		}
	})
}

func sortedPairs(in []QueryParam) []QueryParam {
	out := append([]QueryParam{}, in...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Key != out[j].Key {
			return out[i].Key < out[j].Key
		}
		return out[i].Value < out[j].Value
	})
	if len(out) == 0 {
		return nil
	}
	return out
}
