package emulator

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
)

func TestSignedRequestIsAccepted(t *testing.T) {
	v := newEnv(t, Config{})
	v.emu.AddImage(testProject, testImage, GenerateMembers(testImage, 3))
	p := decodePage(t, v.list(testProject, testImage, 0, ""))
	if p.Members == nil || len(*p.Members) != 3 {
		t.Fatalf("members = %v, want 3", p.Members)
	}
}

func TestBadSignaturesAreRejected(t *testing.T) {
	marker := []client.QueryParam{{Key: "limit", Value: "10"}, {Key: "marker", Value: "Zm9v+Ym/YXI="}}
	cases := []struct {
		name   string
		creds  func(*client.Credentials)
		query  []client.QueryParam
		before func(*http.Request)
		after  func(*http.Request)
		want   string // part of error_msg
	}{
		{name: "wrong secret", creds: func(c *client.Credentials) { c.SecretKey += "x" }, want: "signature"},
		{name: "unknown access key", creds: func(c *client.Credentials) { c.AccessKey = "NOSUCHKEY" }, want: "not exist"},
		{name: "no authorization", after: func(r *http.Request) { r.Header.Del("Authorization") }, want: "not found"},
		{name: "other algorithm", after: func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "SDK-HMAC-SHA256", "AWS4-HMAC-SHA256", 1))
		}, want: "SDK-HMAC-SHA256"},
		{name: "query changed after signing", query: marker, after: func(r *http.Request) {
			r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "limit=10", "limit=11", 1)
		}, want: "signature"},
		{name: "bare plus in marker", query: marker, after: func(r *http.Request) {
			r.URL.RawQuery = strings.ReplaceAll(r.URL.RawQuery, "%2B", "+")
		}, want: "signature"},
		{name: "path changed after signing", after: func(r *http.Request) {
			r.URL.Path = strings.Replace(r.URL.Path, testImage, "a"+testImage[1:], 1)
		}, want: "signature"},
		{name: "host changed after signing", after: func(r *http.Request) { r.Host = "ims.cn-north-4.myhuaweicloud.com" }, want: "signature"},
		{name: "project header changed after signing", after: func(r *http.Request) {
			r.Header.Set("X-Project-Id", "0000000000000000000000000000000a")
		}, want: "signature"},
		{name: "date changed after signing", after: func(r *http.Request) {
			r.Header.Set("X-Sdk-Date", time.Now().Add(time.Second).UTC().Format(client.SdkDateFormat))
		}, want: "signature"},
		{name: "date too old", after: func(r *http.Request) { resign(t, r, time.Now().Add(-16*time.Minute)) }, want: "away from the server time"},
		{name: "date too new", after: func(r *http.Request) { resign(t, r, time.Now().Add(16*time.Minute)) }, want: "away from the server time"},
		{name: "date unparsable", after: func(r *http.Request) { r.Header.Set("X-Sdk-Date", "2024-01-01T00:00:00Z") }, want: "format"},
		{name: "date not signed", after: func(r *http.Request) { setSignedHeaders(r, "host;x-project-id") }, want: "include x-sdk-date"},
		{name: "project not signed", after: func(r *http.Request) { setSignedHeaders(r, "host;x-sdk-date") }, want: "include x-project-id"},
		{name: "signed headers unsorted", after: func(r *http.Request) { setSignedHeaders(r, "x-sdk-date;host;x-project-id") }, want: "sorted"},
		{name: "signed headers upper-case", after: func(r *http.Request) { setSignedHeaders(r, "Host;x-project-id;x-sdk-date") }, want: "lower-case"},
		{name: "signed header absent", before: func(r *http.Request) { r.Header.Set("X-Extra", "1") }, after: func(r *http.Request) {
			r.Header.Del("X-Extra")
			setSignedHeaders(r, "host;x-extra;x-project-id;x-sdk-date")
		}, want: "missing"},
		{name: "token with permanent key", creds: func(c *client.Credentials) { c.SecurityToken = "tok" }, want: "permanent"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := newEnv(t, Config{})
			v.emu.AddImage(testProject, testImage, GenerateMembers(testImage, 2))
			if tc.creds != nil {
				tc.creds(&v.creds)
			}
			r := v.do(v.signed(http.MethodGet, membersPath(testProject, testImage), tc.query, tc.before, tc.after))
			g := wantGateway(t, r, http.StatusUnauthorized, "APIGW.0301")
			if !strings.HasPrefix(g.ErrorMsg, "Incorrect IAM authentication information: ") || !strings.Contains(g.ErrorMsg, tc.want) {
				t.Errorf("error_msg %q, want it to mention %q", g.ErrorMsg, tc.want)
			}
			if strings.Contains(string(r.body), testSK) {
				t.Error("the secret key leaked into the response")
			}
		})
	}
}

// The gateway takes a signature without host, as the official SDK sends
// every request (its signer signs only x-sdk-date and the headers it sets).
func TestUnsignedHostIsAccepted(t *testing.T) {
	v := newEnv(t, Config{})
	v.emu.AddImage(testProject, testImage, GenerateMembers(testImage, 2))
	r := v.do(v.signed(http.MethodGet, membersPath(testProject, testImage), nil, nil, func(r *http.Request) {
		setSignedHeaders(r, "x-project-id;x-sdk-date")
	}))
	if r.status != http.StatusOK {
		t.Errorf("HTTP %d %s, want 200", r.status, r.body)
	}
}

// resign signs r again as of when.
func resign(t *testing.T, r *http.Request, when time.Time) {
	t.Helper()
	q, err := client.QueryPairs(r.URL.RawQuery)
	if err != nil {
		t.Fatal(err)
	}
	if err := (client.Credentials{AccessKey: testAK, SecretKey: testSK}).Sign(r, q, nil, when); err != nil {
		t.Fatal(err)
	}
}

// setSignedHeaders rewrites the SignedHeaders list and re-signs over exactly
// those headers, so only the list's shape is wrong.
func setSignedHeaders(r *http.Request, list string) {
	headers := map[string]string{}
	for _, n := range strings.Split(list, ";") {
		if strings.EqualFold(n, "host") {
			headers[n] = r.Host
			if r.Host == "" {
				headers[n] = r.URL.Host
			}
		} else {
			headers[n] = r.Header.Get(n)
		}
	}
	q, _ := client.QueryPairs(r.URL.RawQuery)
	canonical, _ := client.CanonicalRequest(client.SigningInput{Method: r.Method, Path: r.URL.Path, Query: q, Headers: headers})
	date := r.Header.Get(client.HeaderSdkDate)
	sig := client.Signature(testSK, client.StringToSign(date, canonical))
	r.Header.Set("Authorization", "SDK-HMAC-SHA256 Access="+testAK+", SignedHeaders="+list+", Signature="+sig)
}

func TestSecurityToken(t *testing.T) {
	const token = "temporary-token-value"
	v := newEnv(t, Config{SecurityToken: token})
	v.emu.AddImage(testProject, testImage, GenerateMembers(testImage, 1))

	decodePage(t, v.list(testProject, testImage, 0, "")) // the signer adds and signs the token

	v.creds.SecurityToken = "some-other-token"
	g := wantGateway(t, v.list(testProject, testImage, 0, ""), http.StatusUnauthorized, "APIGW.0301")
	if !strings.Contains(g.ErrorMsg, "security token") {
		t.Errorf("error_msg %q", g.ErrorMsg)
	}
	if strings.Contains(g.ErrorMsg, token) {
		t.Error("the token leaked into the error")
	}

	v.creds.SecurityToken = "" // a permanent-key signature where a token is required
	g = wantGateway(t, v.list(testProject, testImage, 0, ""), http.StatusUnauthorized, "APIGW.0301")
	if !strings.Contains(g.ErrorMsg, "x-security-token") {
		t.Errorf("error_msg %q", g.ErrorMsg)
	}
}

func TestLockoutAfterRepeatedFailures(t *testing.T) {
	v := newEnv(t, Config{LockoutThreshold: 3, LockoutDuration: time.Hour})
	v.emu.AddImage(testProject, testImage, nil)
	good := v.creds
	v.creds.SecretKey = "wrong"
	for range 3 {
		wantGateway(t, v.list(testProject, testImage, 0, ""), http.StatusUnauthorized, "APIGW.0301")
	}
	v.creds = good
	g := wantGateway(t, v.list(testProject, testImage, 0, ""), http.StatusUnauthorized, "APIGW.0301")
	if !strings.Contains(g.ErrorMsg, "forbidden") {
		t.Errorf("a correct signature during the lock: %q, want the lock message", g.ErrorMsg)
	}
}

func TestSuccessResetsLockoutCount(t *testing.T) {
	v := newEnv(t, Config{LockoutThreshold: 2, LockoutDuration: time.Hour})
	v.emu.AddImage(testProject, testImage, nil)
	good := v.creds
	for range 3 {
		v.creds.SecretKey = "wrong"
		wantGateway(t, v.list(testProject, testImage, 0, ""), http.StatusUnauthorized, "APIGW.0301")
		v.creds = good
		decodePage(t, v.list(testProject, testImage, 0, ""))
	}
}
