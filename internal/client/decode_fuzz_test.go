package client

// Fuzz targets for what the client makes of a server's bytes: the member
// list decoder (through ListImageMembers, so paging and the body cap are in
// play) and the error parser. Their seed corpora (the f.Add calls and
// testdata/fuzz/<target>/) run in every go test; run one with
//
//	go test ./internal/client/ -run '^$' -fuzz '^FuzzDecodeMembers$' -fuzztime 60s -parallel 1

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// bodyTransport answers every request with one fixed 200 body.
type bodyTransport struct {
	body     []byte
	requests int
}

func (t *bodyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.requests++
	return &http.Response{
		StatusCode: http.StatusOK, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:  http.Header{"X-Request-Id": {"fuzz-request-id"}, "Content-Type": {"application/json"}},
		Body:    io.NopCloser(bytes.NewReader(t.body)),
		Request: req,
	}, nil
}

const fuzzMaxBody = 4096

var membersSeeds = []string{
	`{"members":[],"schema":"/v2/schemas/members"}`,
	`{"members":[{"status":"accepted","created_at":"2018-09-20T02:44:42Z","updated_at":"2018-09-20T02:55:21Z","image_id":"d164b5df-1bc3-4c3f-893e-3e471fd16e64","member_id":"0123","schema":"/v2/schemas/member","member_type":"project"}],"schema":"/v2/schemas/members"}`,
	`{"members":[{"member_id":"a","urn":"organizations::0123:ou:o-1/ou-2","member_type":"organization"}],"page_info":{"next_marker":"","current_count":1}}`,
	`{"members":[{"member_id":"a"}],"page_info":{"current_count":1}}`,
	`{"members":[{"member_id":"a"}],"page_info":{"next_marker":"Zm9v+Ym/YXI=","current_count":1}}`,
	`{"members":[{"member_id":"a"},{"member_id":"a"}]}`,
	`{"members":null}`,
	`{"schema":"/v2/schemas/members"}`,
	`{"members":{"member_id":"a"}}`,
	`{"members":[{"member_id":7,"urn":null}]}`,
	`{"members":[]`,
	`[]`, `null`, `""`, ``, `{}`,
	"<!DOCTYPE html><html><body>Access to this site is blocked</body></html>",
	"\xff\xfe{\"members\":[]}",
	`{"members":[],"members":null}`,
	`{"members":[],"page_info":{"next_marker":"\u0000\n\u202e"}}`,
	strings.Repeat(" ", fuzzMaxBody) + `{"members":[]}`,
}

// FuzzDecodeMembers: whatever a 200 body holds, ListImageMembers never
// panics, and either returns exactly the members a plain JSON decode
// finds (and only for a valid body with a members array and no further
// page, since every page here is the same body; a member listed twice is
// kept once and named a duplicate) or fails with a printable
// one-line error naming the request ID.
func FuzzDecodeMembers(f *testing.F) {
	for _, s := range membersSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		rt := &bodyTransport{body: body}
		c, err := New(Config{
			Credentials: Credentials{AccessKey: "AK", SecretKey: "SK"},
			IMSEndpoint: "http://ims.fuzz", Transport: rt, MaxBodyBytes: fuzzMaxBody,
			Budget: NewBudget(1e9, 1e9, 1e9, 1<<30),
		})
		if err != nil {
			t.Fatal(err)
		}
		list, err := c.ListImageMembers(context.Background(), ListImageMembersInput{Region: "r", ProjectID: "p", ImageID: "i"})
		if err != nil {
			msg := err.Error()
			if list != nil {
				t.Fatalf("an error (%v) came with a list of %d members", err, len(list.Members))
			}
			if !strings.Contains(msg, "fuzz-request-id") {
				t.Fatalf("error does not name the request ID: %s", msg)
			}
			if !utf8.ValidString(msg) || strings.ContainsFunc(msg, unicode.IsControl) {
				t.Fatalf("error is not one printable line: %q", msg)
			}
			return
		}
		var page struct {
			Members  []json.RawMessage `json:"members"`
			PageInfo *struct {
				NextMarker string `json:"next_marker"`
			} `json:"page_info"`
		}
		if len(body) > fuzzMaxBody || json.Unmarshal(body, &page) != nil || page.Members == nil {
			t.Fatalf("accepted a body that is oversized, invalid or has no members array: %q", body)
		}
		if page.PageInfo != nil && page.PageInfo.NextMarker != "" {
			t.Fatalf("accepted a chain whose every page names the same next marker: %q", body)
		}
		if rt.requests != 1 || list.Requests != 1 {
			t.Fatalf("one page took %d requests (list says %d)", rt.requests, list.Requests)
		}
		if list.Members == nil || len(list.Members)+len(list.Duplicates) != len(page.Members) {
			t.Fatalf("decoded %d members and %d duplicates, a plain decode finds %d: %q",
				len(list.Members), len(list.Duplicates), len(page.Members), body)
		}
	})
}

// FuzzParseAPIError: whatever the status, X-Request-Id and body, the error
// is one bounded printable line that starts with the method, path and
// status, names the request ID the header gave, and agrees with the retry
// policy on whether to retry.
func FuzzParseAPIError(f *testing.F) {
	f.Add(404, "0b2f1c", []byte(`{"error":{"code":"IMG.0027","message":"The image does not exist."}}`))
	f.Add(429, "", []byte(`{"error_code":"APIGW.0308","error_msg":"throttled","request_id":"abc"}`))
	f.Add(401, "x", []byte(`{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information"}`))
	f.Add(403, "x", []byte(`{"error":{"code":403,"message":"no","title":"Forbidden"}}`))
	f.Add(502, "", []byte("<html><body><h1>502 Bad Gateway</h1></body></html>"))
	f.Add(500, "x", []byte(`{"error":"plain string"}`))
	f.Add(503, "x", []byte(`{"error":{"code":{"nested":1},"message":["a"]}}`))
	f.Add(418, "\x1b[31m", []byte("\x00\xff\n\r\u202e"))
	f.Add(-1, "", []byte(nil))
	f.Add(999999, strings.Repeat("i", 500), []byte(`{"error_msg":"`+strings.Repeat("m", 5000)+`"}`))
	f.Fuzz(func(t *testing.T, status int, requestID string, body []byte) {
		status = 100 + int(uint(status)%500)
		e := newAPIError(http.MethodGet, testPath, status, http.Header{"X-Request-Id": {requestID}}, body)
		msg := e.Error()
		prefix := "GET " + testPath + ": HTTP " + strconv.Itoa(status)
		if !strings.HasPrefix(msg, prefix) {
			t.Fatalf("Error() = %q, want prefix %q", msg, prefix)
		}
		if !utf8.ValidString(msg) || strings.ContainsFunc(msg, unicode.IsControl) {
			t.Fatalf("Error() is not one printable line: %q", msg)
		}
		if len(e.Code) > maxErrorSnippet+len("…") || len(e.Message) > maxErrorSnippet+len("…") ||
			len(e.RequestID) > maxRequestIDBytes+len("…") {
			t.Fatalf("unbounded fields: code %d, message %d, request ID %d bytes", len(e.Code), len(e.Message), len(e.RequestID))
		}
		if id := snippetN(requestID, maxRequestIDBytes); id != "" && e.RequestID != id {
			t.Fatalf("request ID %q from the header became %q", id, e.RequestID)
		}
		if e.Retryable() != retryableStatus(status) {
			t.Fatalf("HTTP %d: Retryable() = %v", status, e.Retryable())
		}
	})
}
