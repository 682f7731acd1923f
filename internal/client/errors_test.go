package client

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"
)

func headerWithID(id string) http.Header {
	h := http.Header{}
	if id != "" {
		h.Set("X-Request-Id", id)
	}
	return h
}

const testPath = "/v1/p/cloudimages/i/members"

func TestNewAPIError_shapes(t *testing.T) {
	for _, tc := range []struct {
		name, headerID, body string
		status               int
		want                 string
	}{
		{"IMS", "req-1", `{"error":{"code":"IMG.0027","message":"The image does not exist."}}`, 404,
			"GET " + testPath + ": HTTP 404 Not Found: IMG.0027: The image does not exist. (request ID req-1)"},
		{"gateway, request ID from the body", "", `{"error_code":"APIGW.0308","error_msg":"throttled","request_id":"body-id"}`, 429,
			"GET " + testPath + ": HTTP 429 Too Many Requests: APIGW.0308: throttled (request ID body-id)"},
		{"header request ID wins", "hdr-id", `{"error_code":"APIGW.0301","error_msg":"bad signature","request_id":"body-id"}`, 401,
			"GET " + testPath + ": HTTP 401 Unauthorized: APIGW.0301: bad signature (request ID hdr-id)"},
		{"IAM numeric code and title", "r", `{"error":{"code":403,"title":"Forbidden"}}`, 403,
			"GET " + testPath + ": HTTP 403 Forbidden: 403: Forbidden (request ID r)"},
		{"one field of an odd type keeps the rest", "r", `{"error_code":["x"],"error_msg":"kept","request_id":7}`, 500,
			"GET " + testPath + ": HTTP 500 Internal Server Error: kept (request ID r)"},
		{"HTML from a proxy", "", "<html>\n<body><h1>502 Bad Gateway</h1>\n</body></html>", 502,
			"GET " + testPath + ": HTTP 502 Bad Gateway: <html> <body><h1>502 Bad Gateway</h1> </body></html> (no request ID)"},
		{"empty body", "r", "", 503, "GET " + testPath + ": HTTP 503 Service Unavailable (request ID r)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newAPIError(http.MethodGet, testPath, tc.status, headerWithID(tc.headerID), []byte(tc.body))
			if got := e.Error(); got != tc.want {
				t.Errorf("Error() =\n  %s\nwant\n  %s", got, tc.want)
			}
		})
	}
}

func TestNewAPIError_boundsAndSanitises(t *testing.T) {
	huge := strings.Repeat("é", 10000) // two bytes each: the cut must not split one
	e := newAPIError(http.MethodGet, testPath, 500, headerWithID("r"), []byte(`{"error":{"code":"IMG.1","message":"`+huge+`"}}`))
	if len(e.Message) > maxErrorSnippet+len("…") || !strings.HasSuffix(e.Message, "…") || !utf8.ValidString(e.Message) {
		t.Errorf("a 20 kB message became %d bytes (valid UTF-8 %v)", len(e.Message), utf8.ValidString(e.Message))
	}
	forged := "ok\n\x1b[31mError: forged line\r\u202egnp.exe\x00\xff"
	e = newAPIError(http.MethodGet, testPath, 500, headerWithID("r"), []byte(forged))
	for _, bad := range []string{"\n", "\r", "\x1b", "\u202e", "\x00"} {
		if strings.Contains(e.Error(), bad) {
			t.Errorf("Error() kept %q from the body: %q", bad, e.Error())
		}
	}
	if !utf8.ValidString(e.Error()) {
		t.Errorf("Error() is not valid UTF-8: %q", e.Error())
	}
}

func TestAPIError_attemptsAndRetryable(t *testing.T) {
	e := newAPIError(http.MethodGet, testPath, 503, headerWithID("r"), nil)
	e.Attempts = 6
	if !strings.HasSuffix(e.Error(), "(request ID r) after 6 attempts") {
		t.Errorf("Error() = %q, want it to end with the attempts", e.Error())
	}
	if !e.Retryable() {
		t.Error("503 is not retryable")
	}
	var target *APIError
	if !errors.As(error(e), &target) || target.StatusCode != 503 {
		t.Error("errors.As does not find the APIError")
	}
}

func TestResponseError(t *testing.T) {
	inner := errors.New("unexpected end of JSON input")
	e := &ResponseError{Method: "GET", Path: testPath, RequestID: "abc", Reason: "the response is not valid JSON", Err: inner}
	if want := "GET " + testPath + ": the response is not valid JSON (request ID abc): unexpected end of JSON input"; e.Error() != want {
		t.Errorf("Error() = %q, want %q", e.Error(), want)
	}
	if !errors.Is(e, inner) {
		t.Error("ResponseError does not unwrap to its cause")
	}
	if e := (&ResponseError{Method: "GET", Path: testPath, Reason: "r"}); !strings.Contains(e.Error(), "(request ID none)") {
		t.Errorf("Error() without a request ID = %q", e.Error())
	}
}
