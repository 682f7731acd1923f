package emulator

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
)

func TestPagingThroughMarkers(t *testing.T) {
	v := newEnv(t, Config{})
	want := GenerateMembers(testImage, 25)
	v.emu.AddImage(testProject, testImage, want)

	got, requests := v.readAll(testProject, testImage, 10)
	if requests != 3 {
		t.Errorf("%d requests, want 3", requests)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("members differ from those added:\n got %v\nwant %v", got, want)
	}

	// Every marker needs percent-encoding: it holds '+', '/' and '='.
	first := decodePage(t, v.list(testProject, testImage, 10, ""))
	m := first.next()
	if !strings.ContainsAny(m, "+") || !strings.Contains(m, "/") || !strings.HasSuffix(m, "=") {
		t.Errorf("marker %q lacks + / =", m)
	}
	if _, err := base64.StdEncoding.DecodeString(m); err != nil {
		t.Errorf("marker %q is not standard Base64: %v", m, err)
	}
	if c := first.PageInfo.CurrentCount; c == nil || *c != 10 {
		t.Errorf("current_count = %v, want 10", c)
	}
	// The wire carried the marker escaped, as signed.
	reqs := v.emu.Requests()
	if q := reqs[1].RawQuery; !strings.Contains(q, "marker=%2B%2B%2F%2F") {
		t.Errorf("second request's query %q does not carry the escaped marker", q)
	}
}

func TestRequestCountIsCeilOfMembersOverPageSize(t *testing.T) {
	for _, tc := range []struct{ n, limit, requests int }{
		{0, 10, 1}, {1, 10, 1}, {10, 10, 1}, {20, 10, 2}, {21, 10, 3}, {501, 0, 2}, {1000, 1000, 1}, {7, 1, 7},
	} {
		v := newEnv(t, Config{})
		want := GenerateMembers(testImage, tc.n)
		v.emu.AddImage(testProject, testImage, want)
		got, requests := v.readAll(testProject, testImage, tc.limit)
		if requests != tc.requests || len(got) != tc.n {
			t.Errorf("n=%d limit=%d: %d requests and %d members, want %d and %d", tc.n, tc.limit, requests, len(got), tc.requests, tc.n)
		}
	}
}

func TestDefaultLimitIs500(t *testing.T) {
	v := newEnv(t, Config{})
	v.emu.AddImage(testProject, testImage, GenerateMembers(testImage, 600))
	p := decodePage(t, v.list(testProject, testImage, 0, ""))
	if len(*p.Members) != 500 || p.next() == "" {
		t.Errorf("%d members, next %q; want 500 and a marker", len(*p.Members), p.next())
	}
}

func TestLastPageStyles(t *testing.T) {
	cases := []struct {
		style LastPageStyle
		tail  string
	}{
		{LastPageOmitPageInfo, `"schema":"/v2/schemas/members"}`},
		{LastPageEmptyMarker, `"page_info":{"next_marker":"","current_count":3}}`},
		{LastPageOmitMarker, `"page_info":{"current_count":3}}`},
	}
	for _, tc := range cases {
		v := newEnv(t, Config{LastPage: tc.style})
		v.emu.AddImage(testProject, testImage, GenerateMembers(testImage, 3))
		r := v.list(testProject, testImage, 0, "")
		if !bytes.HasSuffix(r.body, []byte(tc.tail)) {
			t.Errorf("style %d: body ends %s, want %s", tc.style, r.body[max(0, len(r.body)-60):], tc.tail)
		}
	}

	// The default rotates between all three with the last page's size.
	v := newEnv(t, Config{})
	endings := map[string]bool{}
	for n := 1; n <= 3; n++ {
		v.emu.AddImage(testProject, testImage, GenerateMembers(testImage, n))
		p := decodePage(t, v.list(testProject, testImage, 0, ""))
		switch {
		case p.PageInfo == nil:
			endings["no page_info"] = true
		case p.PageInfo.NextMarker == nil:
			endings["no next_marker"] = true
		case *p.PageInfo.NextMarker == "":
			endings["empty next_marker"] = true
		}
	}
	if len(endings) != 3 {
		t.Errorf("rotation produced %v, want all three endings", endings)
	}
}

func TestResponseShapeMatchesTheAPIPage(t *testing.T) {
	v := newEnv(t, Config{})
	m := Member{
		MemberID: "ou-5x1bvygwrplokk622i9gbn3f5ftfb2l9", MemberType: "organization", Status: "accepted",
		URN:       "organizations::3a2d95404f964a6aba78819bf8ddc1e3:ou:o-wvntq58r3poyv180t5df1mdna4uwy9se/ou-5x1bvygwrplokk622i9gbn3f5ftfb2l9",
		CreatedAt: "2023-08-23T04:07:52Z", UpdatedAt: "2023-08-23T04:07:52Z",
	}
	p := Member{MemberID: "a1b2", MemberType: "project", Status: "pending", CreatedAt: "2023-08-23T04:07:52Z", UpdatedAt: "2023-08-23T04:07:52Z"}
	v.emu.AddImage(testProject, testImage, []Member{m, p})
	r := v.list(testProject, testImage, 0, "")
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
	var raw struct {
		Members []map[string]any `json:"members"`
		Schema  string           `json:"schema"`
	}
	if err := json.Unmarshal(r.body, &raw); err != nil {
		t.Fatal(err)
	}
	if raw.Schema != "/v2/schemas/members" || len(raw.Members) != 2 {
		t.Fatalf("schema %q, %d members", raw.Schema, len(raw.Members))
	}
	if raw.Members[0]["image_id"] != testImage || raw.Members[0]["schema"] != "/v2/schemas/member" || raw.Members[0]["urn"] != m.URN {
		t.Errorf("organization member %v", raw.Members[0])
	}
	if _, ok := raw.Members[1]["urn"]; ok {
		t.Errorf("project member carries a urn: %v", raw.Members[1])
	}
	if !bytes.HasPrefix(r.body, []byte(`{"members":[{"status":"accepted","created_at":`)) {
		t.Errorf("field order differs from the API page: %.80s", r.body)
	}
}

func TestLimitValidation(t *testing.T) {
	v := newEnv(t, Config{})
	v.emu.AddImage(testProject, testImage, GenerateMembers(testImage, 3))
	for _, bad := range []string{"0", "1001", "-1", "abc", "1.5", "", "1e2", " 5", "99999"} {
		r := v.do(v.signed(http.MethodGet, membersPath(testProject, testImage), []client.QueryParam{{Key: "limit", Value: bad}}, nil, nil))
		if msg := wantIMS(t, r, http.StatusBadRequest, "IMG.0001"); !strings.Contains(msg, "limit") {
			t.Errorf("limit %q: message %q does not name limit", bad, msg)
		}
	}
	twice := []client.QueryParam{{Key: "limit", Value: "5"}, {Key: "limit", Value: "6"}}
	wantIMS(t, v.do(v.signed(http.MethodGet, membersPath(testProject, testImage), twice, nil, nil)), http.StatusBadRequest, "IMG.0001")
	for _, good := range []int{1, 1000} {
		decodePage(t, v.list(testProject, testImage, good, ""))
	}
}

func TestBadMarkersAreRejected(t *testing.T) {
	v := newEnv(t, Config{})
	v.emu.AddImage(testProject, testImage, GenerateMembers(testImage, 30))
	const other = "5b2b7a35-2f8b-4f3a-9d7e-0d5c3b1a2e4f"
	v.emu.AddImage(testProject, other, GenerateMembers(other, 30))
	good := decodePage(t, v.list(testProject, testImage, 10, "")).next()
	foreign := decodePage(t, v.list(testProject, other, 10, "")).next()
	raw, _ := base64.StdEncoding.DecodeString(good)
	raw[5] ^= 1 // another offset, same MAC

	for name, m := range map[string]string{
		"not base64":      "not*base64",
		"foreign base64":  "Zm9v+Ym/YXI=",
		"truncated":       good[:len(good)-4],
		"tampered":        base64.StdEncoding.EncodeToString(raw),
		"other image's":   foreign,
		"unpadded":        strings.TrimRight(good, "="),
		"marker with a +": strings.Replace(good, "+", "-", 1),
	} {
		if msg := wantIMS(t, v.list(testProject, testImage, 10, m), http.StatusBadRequest, "IMG.0001"); !strings.Contains(msg, "marker") {
			t.Errorf("%s: message %q does not name the marker", name, msg)
		}
	}

	// Replacing an image invalidates its outstanding markers.
	v.emu.AddImage(testProject, testImage, GenerateMembers(testImage, 30))
	wantIMS(t, v.list(testProject, testImage, 10, good), http.StatusBadRequest, "IMG.0001")
}

func TestUnknownImageIs404(t *testing.T) {
	v := newEnv(t, Config{})
	msg := wantIMS(t, v.list(testProject, testImage, 0, ""), http.StatusNotFound, "IMG.0027")
	if !strings.Contains(msg, testImage) {
		t.Errorf("message %q does not name the image", msg)
	}
}

func TestProjectChecks(t *testing.T) {
	v := newEnv(t, Config{})
	v.emu.AddImage(testProject, testImage, nil)
	path := membersPath(testProject, testImage)

	const stranger = "ffffffffffffffffffffffffffffffff"
	wantIMS(t, v.list(stranger, testImage, 0, ""), http.StatusBadRequest, "IMG.0067")

	noHeader := v.do(v.signed(http.MethodGet, path, nil, func(r *http.Request) { r.Header.Del(client.HeaderProjectID) }, nil))
	if msg := wantIMS(t, noHeader, http.StatusForbidden, "IMG.0030"); !strings.Contains(msg, "missing") {
		t.Errorf("message %q", msg)
	}
	other := v.do(v.signed(http.MethodGet, path, nil, func(r *http.Request) { r.Header.Set(client.HeaderProjectID, stranger) }, nil))
	if msg := wantIMS(t, other, http.StatusForbidden, "IMG.0030"); !strings.Contains(msg, stranger) {
		t.Errorf("message %q", msg)
	}
}

func TestOnlyGETAndKnownPaths(t *testing.T) {
	v := newEnv(t, Config{})
	v.emu.AddImage(testProject, testImage, nil)
	for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch} {
		r := v.do(v.signed(method, membersPath(testProject, testImage), nil, nil, nil))
		wantIMS(t, r, http.StatusMethodNotAllowed, "IMG.0001")
		if r.header.Get("Allow") != "GET" {
			t.Errorf("%s: Allow %q", method, r.header.Get("Allow"))
		}
	}
	r := v.do(v.signed(http.MethodPost, "/v3/projects", nil, nil, nil))
	if r.status != http.StatusMethodNotAllowed {
		t.Errorf("POST /v3/projects: %d", r.status)
	}
	for _, p := range []string{"/", "/v2/images", "/v1/" + testProject + "/cloudimages/" + testImage, "/v1/" + testProject + "/cloudimages//members"} {
		wantGateway(t, v.do(v.signed(http.MethodGet, p, nil, nil, nil)), http.StatusNotFound, "APIGW.0101")
	}
}

func TestParallelReaders(t *testing.T) {
	v := newEnv(t, Config{})
	want := GenerateMembers(testImage, 2000)
	v.emu.AddImage(testProject, testImage, want)
	const readers = 8
	wantRequests := 0
	t.Run("group", func(t *testing.T) {
		for i := range readers {
			limit := 100 + i
			wantRequests += (len(want) + limit - 1) / limit
			t.Run("reader", func(t *testing.T) {
				t.Parallel()
				sub := &env{t: t, emu: v.emu, srv: v.srv, creds: v.creds}
				if got, _ := sub.readAll(testProject, testImage, limit); !reflect.DeepEqual(got, want) {
					t.Errorf("limit %d: got %d members, not the image's %d", limit, len(got), len(want))
				}
			})
		}
		// Meanwhile other images come and go without disturbing the readers.
		t.Run("writer", func(t *testing.T) {
			t.Parallel()
			for i := range 20 {
				id := "00000000-0000-4000-8000-0000000000" + itoa(10+i)
				v.emu.AddImage(testProject, id, GenerateMembers(id, 50))
			}
		})
	})
	if n := v.emu.CountRequests("/members"); n != wantRequests {
		t.Errorf("%d requests, want %d", n, wantRequests)
	}
}
