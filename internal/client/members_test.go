package client_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
)

const (
	testAK      = "CLIENTTESTACCESSKEY1"
	testSK      = "client-test-secret-key"
	testRegion  = "cn-north-4"
	testProject = "0123456789abcdef0123456789abcdef"
	testImage   = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"
)

// newEmulatorClient serves an emulator on loopback and returns a client of it.
func newEmulatorClient(t *testing.T, mutate func(*client.Config)) (*emulator.Emulator, *client.Client) {
	t.Helper()
	e := emulator.New(emulator.Config{
		AccessKey: testAK, SecretKey: testSK,
		Projects: []emulator.Project{{ID: testProject, Name: testRegion, DomainID: "d0", Enabled: true}},
	})
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	cfg := client.Config{
		Credentials: client.Credentials{AccessKey: testAK, SecretKey: testSK},
		IMSEndpoint: srv.URL, IAMEndpoint: srv.URL, MaxRetries: 2,
		Retry: client.RetryPolicy{BaseDelay: 1, MaxDelay: 2},
	}
	if mutate != nil {
		mutate(&cfg)
	}
	c, err := client.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e, c
}

func list(t *testing.T, c *client.Client, pageSize int) (*client.MemberList, error) {
	t.Helper()
	return c.ListImageMembers(context.Background(), client.ListImageMembersInput{
		Region: testRegion, ProjectID: testProject, ImageID: testImage, PageSize: pageSize,
	})
}

func TestListImageMembersPaging(t *testing.T) {
	cases := []struct {
		name             string
		members, size    int
		wantRequests     int
		wantMarkerEscape bool
	}{
		{"no members", 0, 1000, 1, false},
		{"one member", 1, 1000, 1, false},
		{"exactly one page", 5, 5, 1, false},
		{"one more than a page", 6, 5, 2, false},
		{"exactly two pages", 10, 5, 2, false},
		{"many pages", 1000, 7, 143, true},
		{"default page size", 2345, 0, 3, false},
		{"one per page", 30, 1, 30, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e, c := newEmulatorClient(t, nil)
			want := emulator.GenerateMembers(testImage, tc.members)
			e.AddImage(testProject, testImage, want)
			got, err := list(t, c, tc.size)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Members) != len(want) {
				t.Fatalf("%d members, want %d", len(got.Members), len(want))
			}
			for i := range want {
				g, w := got.Members[i], want[i]
				if g.MemberID != w.MemberID || g.MemberType != w.MemberType || g.Status != w.Status ||
					g.ImageID != w.ImageID || g.Schema != w.Schema || g.CreatedAt != w.CreatedAt || g.UpdatedAt != w.UpdatedAt {
					t.Fatalf("member %d = %+v, want %+v", i, g, w)
				}
				if (w.URN == "") != (g.URN == nil) || (g.URN != nil && *g.URN != w.URN) {
					t.Fatalf("member %d urn = %v, want %q", i, g.URN, w.URN)
				}
			}
			if got.Schema != "/v2/schemas/members" {
				t.Errorf("schema %q", got.Schema)
			}
			if n := e.CountRequests("/members"); n != tc.wantRequests || got.Requests != tc.wantRequests {
				t.Errorf("%d requests (client counted %d), want %d", n, got.Requests, tc.wantRequests)
			}
			if tc.wantMarkerEscape {
				escaped := map[string]bool{}
				for _, r := range e.Requests() {
					for _, enc := range []string{"%2B", "%2F", "%3D"} {
						if strings.Contains(r.RawQuery, "marker=") && strings.Contains(r.RawQuery, enc) {
							escaped[enc] = true
						}
					}
					if strings.ContainsAny(r.RawQuery, "+/") {
						t.Fatalf("unescaped marker on the wire: %s", r.RawQuery)
					}
				}
				if len(escaped) != 3 {
					t.Errorf("markers with + / = were not exercised (escapes seen: %v)", escaped)
				}
			}
		})
	}
}

func TestListImageMembersRejectsBadInput(t *testing.T) {
	e, c := newEmulatorClient(t, nil)
	for _, size := range []int{-1, 1001} {
		if _, err := list(t, c, size); err == nil {
			t.Errorf("page size %d accepted", size)
		}
	}
	if _, err := c.ListImageMembers(context.Background(), client.ListImageMembersInput{Region: testRegion, ImageID: testImage}); err == nil {
		t.Error("a missing project ID was accepted")
	}
	if n := len(e.Requests()); n != 0 {
		t.Errorf("bad input sent %d requests", n)
	}
}

func TestListImageMembersLoopingMarker(t *testing.T) {
	e, c := newEmulatorClient(t, nil)
	e.AddImage(testProject, testImage, emulator.GenerateMembers(testImage, 20))
	e.Inject(emulator.Fault{Kind: emulator.FaultLoopingMarker, Count: -1})
	_, err := list(t, c, 5)
	var respErr *client.ResponseError
	if !errors.As(err, &respErr) || !strings.Contains(err.Error(), "looping") || respErr.RequestID == "" {
		t.Fatalf("want a looping-marker ResponseError with a request ID, got %v", err)
	}
	if n := e.CountRequests("/members"); n > 3 {
		t.Errorf("a looping chain took %d requests", n)
	}
}

func TestListImageMembersMissingMembers(t *testing.T) {
	e, c := newEmulatorClient(t, nil)
	e.AddImage(testProject, testImage, emulator.GenerateMembers(testImage, 3))
	e.Inject(emulator.Fault{Kind: emulator.FaultMissingMembers})
	_, err := list(t, c, 0)
	var respErr *client.ResponseError
	if !errors.As(err, &respErr) || !strings.Contains(err.Error(), `no "members"`) || respErr.RequestID == "" {
		t.Fatalf("want a ResponseError naming the missing members and the request ID, got %v", err)
	}
	if n := e.CountRequests("/members"); n != 1 {
		t.Errorf("%d requests, want 1 (not retried)", n)
	}
}

// TestListImageMembersDuplicateAcrossPages scripts a second page that
// repeats a member of the first, as when membership changes mid-read.
func TestListImageMembersDuplicateAcrossPages(t *testing.T) {
	e, c := newEmulatorClient(t, nil)
	members := emulator.GenerateMembers(testImage, 4)
	e.AddImage(testProject, testImage, members)
	page2 := `{"members":[` + memberJSON(members[1]) + `,` + memberJSON(members[3]) + `],"schema":"/v2/schemas/members"}`
	// Page one is real (members 0 and 1 and a marker): a zero-delay slow
	// fault only holds its place in the queue. Page two is scripted.
	e.Inject(emulator.Fault{Kind: emulator.FaultSlow, Delay: 0}, emulator.Fault{Kind: emulator.FaultGarbage, Status: 200, Body: page2})
	got, err := list(t, c, 2)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(got.Members))
	for i, m := range got.Members {
		ids[i] = m.MemberID
	}
	want := []string{members[0].MemberID, members[1].MemberID, members[3].MemberID}
	if strings.Join(ids, ",") != strings.Join(want, ",") {
		t.Errorf("members %v, want %v", ids, want)
	}
	if n := e.CountRequests("/members"); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
	if len(got.Duplicates) != 1 || got.Duplicates[0] != members[1].MemberID {
		t.Errorf("duplicates %v, want [%s]", got.Duplicates, members[1].MemberID)
	}
}

func memberJSON(m emulator.Member) string {
	s := `{"member_id":"` + m.MemberID + `","member_type":"` + m.MemberType + `","status":"` + m.Status +
		`","image_id":"` + m.ImageID + `","schema":"` + m.Schema + `","created_at":"` + m.CreatedAt + `","updated_at":"` + m.UpdatedAt + `"`
	if m.URN != "" {
		s += `,"urn":"` + m.URN + `"`
	}
	return s + "}"
}
