package sdkcheck

import (
	"net/http"
	"strings"
	"testing"
	"time"

	sdksigner "github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer"
	sdkrequest "github.com/huaweicloud/huaweicloud-sdk-go-v3/core/request"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
)

// The write calls (POST, PUT, DELETE /v1/cloudimages/members) carry a JSON
// body, signed as the hex SHA-256 of its bytes. The SDK takes a string body
// as it is (DefaultHttpRequest.GetBodyToBytes), so both sides sign the same
// bytes; our side is built as send.go builds a write.

const writePath = "/v1/cloudimages/members"

var writeMethods = []string{http.MethodPost, http.MethodPut, http.MethodDelete}

// bodyCase is one write call as both signers see it.
type bodyCase struct {
	method, body, projectID, token, ak, sk string
	now                                    time.Time
}

func (c bodyCase) ours() (*http.Request, error) {
	req, err := http.NewRequest(c.method, "https://"+defaultSDKTestHost+writePath, strings.NewReader(c.body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/json;charset=UTF-8")
	if c.projectID != "" {
		req.Header.Set(client.HeaderProjectID, c.projectID)
	}
	creds := client.Credentials{AccessKey: c.ak, SecretKey: c.sk, SecurityToken: c.token}
	return req, creds.Sign(req, nil, []byte(c.body), c.now)
}

func (c bodyCase) sdk() (map[string]string, error) {
	b := sdkrequest.NewHttpRequestBuilder().WithEndpoint("https://"+defaultSDKTestHost).WithMethod(c.method).WithPath(writePath).
		AddHeaderParam("Host", defaultSDKTestHost).
		AddHeaderParam(sdksigner.HeaderXDate, c.now.Format(sdksigner.BasicDateFormat)).
		WithBody("", c.body)
	if c.projectID != "" {
		b.AddHeaderParam("X-Project-Id", c.projectID)
	}
	if c.token != "" {
		b.AddHeaderParam("X-Security-Token", c.token)
	}
	return sdksigner.Signer{}.Sign(b.Build(), c.ak, c.sk)
}

func (c bodyCase) check(t *testing.T) {
	t.Helper()
	req, ourErr := c.ours()
	sdkHeaders, sdkErr := c.sdk()
	if c.ak == "" || c.sk == "" {
		if ourErr == nil || sdkErr == nil {
			t.Fatalf("empty access or secret key: our error %v, SDK error %v; both must refuse", ourErr, sdkErr)
		}
		return
	}
	if ourErr != nil || sdkErr != nil {
		t.Fatalf("our error %v, SDK error %v", ourErr, sdkErr)
	}
	if got, want := req.Header.Get(client.HeaderAuthorization), sdkHeaders[sdksigner.HeaderAuthorization]; got != want {
		t.Fatalf("Authorization differs for %#v\n ours %s\n  sdk %s", c, got, want)
	}
}

// FuzzSignerMatchesSDKWithBody signs the same write call, body included,
// with both signers at the same date.
func FuzzSignerMatchesSDKWithBody(f *testing.F) {
	for _, s := range []struct {
		method                         uint8
		body, projectID, token, ak, sk string
		unix                           int64
	}{
		{0, `{"images":["` + seedImage + `"],"projects":["a1b2c3d4e5f60718293a4b5c6d7e8f90"]}`, seedProject, "", "AK", "SK", seedUnix},
		{1, `{"images":["` + seedImage + `"],"project_id":"` + seedProject + `","status":"accepted"}`, seedProject, "tok+/=", "AK", "SK", seedUnix},
		{2, `{"images":[],"projects":[]}`, seedProject, "", "AK", "SK", maxSdkDateUnix},
		{0, "", seedProject, "", "AK", "SK", seedUnix},                 // no body at all: the empty hash
		{0, "ключ 值 \x00\xff\n\t", " p ", "", "A K", "ключ", seedUnix}, // not JSON, not UTF-8
		{1, strings.Repeat(`{"a":"+/="}`, 500), seedProject, "", "AK", "SK", seedUnix},
		{2, "{}", "", "", "", "SK", seedUnix},
	} {
		f.Add(s.method, s.body, s.projectID, s.token, s.ak, s.sk, s.unix)
	}
	f.Fuzz(func(t *testing.T, method uint8, body, projectID, token, ak, sk string, unix int64) {
		unix %= maxSdkDateUnix + 1
		if unix < 0 {
			unix = -unix
		}
		bodyCase{
			method: writeMethods[int(method)%len(writeMethods)], body: body, projectID: projectID, token: token,
			ak: ak, sk: sk, now: time.Unix(unix, 0).UTC(),
		}.check(t)
	})
}

// TestSDKSignerReproducesBodyVectors: the SDK, built as above, gives the
// Authorization recorded for each write vector, and so does our client's
// Sign of the same request.
func TestSDKSignerReproducesBodyVectors(t *testing.T) {
	n := 0
	for _, v := range loadSigningVectors(t) {
		if v.Body == "" || v.Path != writePath {
			continue
		}
		n++
		t.Run(v.Name, func(t *testing.T) {
			now, err := time.Parse(client.SdkDateFormat, v.SignedHeaders["X-Sdk-Date"])
			if err != nil {
				t.Fatal(err)
			}
			c := bodyCase{method: v.Method, body: v.Body, projectID: v.SignedHeaders["X-Project-Id"],
				token: v.SignedHeaders["X-Security-Token"], ak: v.AccessKey, sk: v.SecretKey, now: now}
			h, err := c.sdk()
			if err != nil {
				t.Fatal(err)
			}
			if got := h[sdksigner.HeaderAuthorization]; got != v.Authorization {
				t.Errorf("SDK authorization:\n got %s\nwant %s", got, v.Authorization)
			}
			req, err := c.ours()
			if err != nil {
				t.Fatal(err)
			}
			if got := req.Header.Get(client.HeaderAuthorization); got != v.Authorization {
				t.Errorf("our authorization:\n got %s\nwant %s", got, v.Authorization)
			}
		})
	}
	if n != 3 {
		t.Fatalf("expected the 3 write vectors (POST, PUT, DELETE), found %d", n)
	}
}
