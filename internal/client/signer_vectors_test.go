package client

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cloudimages/terraform-provider-ims/internal/client/signingvectors"
)

type signingVector = signingvectors.Vector

func loadSigningVectors(t *testing.T) []signingVector {
	t.Helper()
	vectors, err := signingvectors.Load("testdata/signing-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(vectors) < 5 {
		t.Fatalf("expected at least 5 vectors, got %d", len(vectors))
	}
	return vectors
}

// vectorInput is what the signer is given for v.
func vectorInput(v signingVector) SigningInput {
	q := make([]QueryParam, len(v.Query))
	for i, kv := range v.Query {
		q[i] = QueryParam{Key: kv[0], Value: kv[1]}
	}
	return SigningInput{Method: v.Method, Path: v.Path, Query: q, Headers: v.SignedHeaders, Body: []byte(v.Body)}
}

func TestSigningVectors(t *testing.T) {
	for _, v := range loadSigningVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			in := vectorInput(v)
			canonical, _ := CanonicalRequest(in)
			if v.CanonicalRequest != "" && canonical != v.CanonicalRequest {
				t.Errorf("canonical request:\n got %q\nwant %q", canonical, v.CanonicalRequest)
			}
			if v.StringToSign != "" {
				if got := StringToSign(v.SignedHeaders["X-Sdk-Date"], canonical); got != v.StringToSign {
					t.Errorf("string to sign:\n got %q\nwant %q", got, v.StringToSign)
				}
			}
			got, err := Authorization(v.AccessKey, v.SecretKey, in)
			if err != nil {
				t.Fatal(err)
			}
			if got != v.Authorization {
				t.Errorf("authorization:\n got %s\nwant %s", got, v.Authorization)
			}
		})
	}
}

// TestSignRequestMatchesVectors signs real *http.Request values the way the
// client does, for the vectors taken on this very API: member-list pages
// and the JSON bodies of the write calls (POST, PUT, DELETE).
func TestSignRequestMatchesVectors(t *testing.T) {
	for _, v := range loadSigningVectors(t) {
		if _, ok := v.SignedHeaders["X-Project-Id"]; !ok {
			continue
		}
		t.Run(v.Name, func(t *testing.T) {
			req, err := http.NewRequest(v.Method, "https://"+v.Host+v.Path, strings.NewReader(v.Body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set(HeaderProjectID, v.SignedHeaders["X-Project-Id"])
			now, err := time.Parse(SdkDateFormat, v.SignedHeaders["X-Sdk-Date"])
			if err != nil {
				t.Fatal(err)
			}
			creds := Credentials{AccessKey: v.AccessKey, SecretKey: v.SecretKey, SecurityToken: v.SignedHeaders["X-Security-Token"]}
			var body []byte
			if v.Body != "" {
				body = []byte(v.Body)
			}
			if err := creds.Sign(req, vectorInput(v).Query, body, now); err != nil {
				t.Fatal(err)
			}
			if got := req.Header.Get(HeaderAuthorization); got != v.Authorization {
				t.Errorf("authorization:\n got %s\nwant %s", got, v.Authorization)
			}
			if want := CanonicalQuery(vectorInput(v).Query); req.URL.RawQuery != want {
				t.Errorf("wire query %q, signed %q", req.URL.RawQuery, want)
			}
			wantURL := "https://" + v.Host + v.Path
			if len(v.Query) > 0 {
				wantURL += "?limit=2&marker=Zm9v%2BYm%2FYXI%3D"
			}
			if got := req.URL.String(); got != wantURL {
				t.Errorf("wire URL %s", got)
			}
		})
	}
}

func TestCredentialsNeverPrintSecrets(t *testing.T) {
	c := Credentials{AccessKey: "AK", SecretKey: "very-secret", SecurityToken: "tok-secret"}
	for _, s := range []string{c.String(), c.GoString()} {
		if strings.Contains(s, "very-secret") || strings.Contains(s, "tok-secret") {
			t.Fatalf("secret printed: %s", s)
		}
	}
}

func TestCanonicalHeadersAreDeterministicWithCaseVariants(t *testing.T) {
	in := SigningInput{Method: "GET", Path: "/p", Headers: map[string]string{
		"Host": "a.example", "host": "b.example", "X-Sdk-Date": "20060102T150405Z", "x-sdk-date": "20060102T150405Z",
	}}
	first, err := Authorization("AK", "SK", in)
	if err != nil {
		t.Fatal(err)
	}
	for range 50 {
		if got, _ := Authorization("AK", "SK", in); got != first {
			t.Fatalf("signature depends on map order: %s vs %s", got, first)
		}
	}
}

func TestParseAuthorizationRejectsEmptySignedHeader(t *testing.T) {
	for _, h := range []string{
		"SDK-HMAC-SHA256 Access=AK, SignedHeaders=, Signature=abc",
		"SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;;x-sdk-date, Signature=abc",
	} {
		if _, err := ParseAuthorization(h); err == nil {
			t.Errorf("accepted %q", h)
		}
	}
}
