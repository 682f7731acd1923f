package client_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
)

const otherProject = "fedcba9876543210fedcba9876543210"

// addOwnImages serves n generated images owned by testProject and returns
// their IDs in the list's default order (created_at desc).
func addOwnImages(e *emulator.Emulator, n int) []string {
	ids := make([]string, n)
	for i, img := range emulator.GenerateImages(testProject, n) {
		e.AddImageMetadata(img)
		ids[n-1-i] = img.ID
	}
	return ids
}

func listImages(c *client.Client, pageSize int, f client.ImageFilters) (*client.ImageList, error) {
	return c.ListImages(context.Background(), client.ListImagesInput{Region: testRegion, ProjectID: testProject, Filters: f, PageSize: pageSize})
}

func imageIDs(list *client.ImageList) []string {
	ids := make([]string, len(list.Images))
	for i, img := range list.Images {
		ids[i] = img.ID
	}
	return ids
}

func TestListImagesPaging(t *testing.T) {
	cases := []struct {
		name                      string
		images, pageSize, pageCap int
		wantRequests              int
		wantLimit                 string
	}{
		{"no images", 0, 0, 0, 1, "limit=500"},
		{"one image", 1, 0, 0, 2, "limit=500"},
		{"exactly one page", 5, 5, 0, 2, "limit=5"},
		{"one more than a page", 6, 5, 0, 3, "limit=5"},
		{"default page size", 1234, 0, 0, 4, "limit=500"},
		{"largest page size", 1000, 1000, 0, 2, "limit=1000"},
		{"one per page", 7, 1, 0, 8, "limit=1"},
		// A server that silently returns fewer than limit: every image still.
		{"silent cap of 3", 10, 5, 3, 5, "limit=5"},
		{"silent cap of 1", 4, 500, 1, 5, "limit=500"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e, c := newEmulatorClientWith(t, emulator.Config{ImagePageCap: tc.pageCap})
			want := addOwnImages(e, tc.images)
			got, err := listImages(c, tc.pageSize, client.ImageFilters{})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(imageIDs(got), want) {
				t.Fatalf("%d images, want %d in order", len(got.Images), len(want))
			}
			reqs := e.Requests()
			if len(reqs) != tc.wantRequests || got.Requests != tc.wantRequests {
				t.Errorf("%d requests (client counted %d), want %d", len(reqs), got.Requests, tc.wantRequests)
			}
			for i, r := range reqs {
				wantQuery := tc.wantLimit
				if i > 0 { // the marker is the last ID read so far
					wantQuery += "&marker=" + want[pagesEnd(i, tc.pageSize, tc.pageCap, len(want))-1]
				}
				if r.Path != "/v2/cloudimages" || r.RawQuery != wantQuery {
					t.Errorf("request %d: %s?%s, want ?%s", i, r.Path, r.RawQuery, wantQuery)
				}
			}
		})
	}
}

// pagesEnd is how many images the first n pages held.
func pagesEnd(n, pageSize, pageCap, total int) int {
	if pageSize == 0 {
		pageSize = client.DefaultImagePageSize
	}
	if pageCap > 0 {
		pageSize = min(pageSize, pageCap)
	}
	return min(total, n*pageSize)
}

func newEmulatorClientWith(t *testing.T, cfg emulator.Config) (*emulator.Emulator, *client.Client) {
	t.Helper()
	cfg.AccessKey, cfg.SecretKey = testAK, testSK
	cfg.Projects = []emulator.Project{
		{ID: testProject, Name: testRegion, DomainID: "d0", Enabled: true},
		{ID: otherProject, Name: testRegion, DomainID: "d1", Enabled: true},
	}
	e := emulator.New(cfg)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	c, err := client.New(client.Config{
		Credentials: client.Credentials{AccessKey: testAK, SecretKey: testSK},
		IMSEndpoint: srv.URL, IAMEndpoint: srv.URL, MaxRetries: 2,
		Retry: client.RetryPolicy{BaseDelay: 1, MaxDelay: 2},
	})
	if err != nil {
		t.Fatal(err)
	}
	return e, c
}

// Every filter goes on the wire percent-encoded, in the order it was
// signed (the emulator checks the signature), beside X-Project-Id.
func TestListImagesEveryFilterOnTheWire(t *testing.T) {
	e, c := newEmulatorClientWith(t, emulator.Config{})
	const name = "web a+b/c=d&e"
	shared := emulator.ImageMetadata{
		ID: testImage, Owner: otherProject, Name: name, Status: "active", OSType: "Linux", Platform: "Ubuntu",
		SupportARM: "false", Tags: []string{"team=web+1"}, EnterpriseProjectID: "0",
	}
	e.AddImage(otherProject, testImage, []emulator.Member{{MemberID: testProject, MemberType: "project", Status: "accepted"}})
	e.AddImageMetadata(shared)
	e.AddImageMetadata(emulator.ImageMetadata{ID: "00000000-0000-4000-8000-000000000001", Owner: otherProject, Name: name})
	got, err := listImages(c, 1, client.ImageFilters{
		ImageType: "shared", Visibility: "shared", Owner: otherProject, ID: testImage, Name: name, Status: "active",
		MemberStatus: "accepted", OSType: "Linux", Platform: "Ubuntu", Architecture: "x86",
		EnterpriseProjectID: "all_granted_eps", Tag: "team=web+1", SortKey: "name", SortDir: "asc",
	})
	if err != nil {
		t.Fatal(err)
	}
	if ids := imageIDs(got); !slices.Equal(ids, []string{testImage}) {
		t.Fatalf("images %v", ids)
	}
	const query = "__imagetype=shared&__os_type=Linux&__platform=Ubuntu&architecture=x86&enterprise_project_id=all_granted_eps" +
		"&id=" + testImage + "&limit=1&member_status=accepted&name=web%20a%2Bb%2Fc%3Dd%26e&owner=" + otherProject +
		"&sort_dir=asc&sort_key=name&status=active&tag=team%3Dweb%2B1&visibility=shared"
	want := []string{query, strings.Replace(query, "&member_status", "&marker="+testImage+"&member_status", 1)}
	reqs := e.Requests()
	if len(reqs) != len(want) {
		t.Fatalf("%d requests, want %d", len(reqs), len(want))
	}
	for i, r := range reqs {
		if r.RawQuery != want[i] {
			t.Errorf("request %d query\n got %s\nwant %s", i, r.RawQuery, want[i])
		}
		if r.Status != http.StatusOK {
			t.Errorf("request %d: status %d", i, r.Status)
		}
		if r.Header.Get(client.HeaderProjectID) != testProject || !strings.Contains(r.Header.Get("Authorization"), "x-project-id") {
			t.Errorf("request %d: X-Project-Id %q not sent and signed: %s", i, r.Header.Get(client.HeaderProjectID), r.Header.Get("Authorization"))
		}
	}
}

func TestListImagesEveryField(t *testing.T) {
	e, c := newEmulatorClientWith(t, emulator.Config{})
	full := emulator.GenerateImages(testProject, 1)[0]
	full.Description, full.Protected = "golden", new(true)
	e.AddImageMetadata(full)
	bare := emulator.ImageMetadata{ID: testImage, Owner: testProject, CreatedAt: "2000-01-01T00:00:00Z"}
	e.AddImageMetadata(bare)
	got, err := listImages(c, 0, client.ImageFilters{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Images) != 2 {
		t.Fatalf("%d images", len(got.Images))
	}
	f, b := got.Images[0], got.Images[1]
	str := func(p *string) string {
		if p == nil {
			return "<nil>"
		}
		return *p
	}
	for field, pair := range map[string][2]string{
		"name": {str(f.Name), full.Name}, "status": {str(f.Status), "active"}, "visibility": {str(f.Visibility), "private"},
		"__imagetype": {str(f.ImageType), "private"}, "owner": {str(f.Owner), testProject}, "__os_type": {str(f.OSType), full.OSType},
		"__platform": {str(f.Platform), full.Platform}, "__os_version": {str(f.OSVersion), full.OSVersion}, "__os_bit": {str(f.OSBit), "64"},
		"__support_arm": {str(f.SupportARM), full.SupportARM}, "disk_format": {str(f.DiskFormat), full.DiskFormat},
		"virtual_env_type": {str(f.VirtualEnvType), full.VirtualEnvType}, "enterprise_project_id": {str(f.EnterpriseProjectID), "0"},
		"__description": {str(f.Description), "golden"}, "created_at": {str(f.CreatedAt), full.CreatedAt}, "updated_at": {str(f.UpdatedAt), full.UpdatedAt},
		"min_disk": {fmt.Sprint(*f.MinDiskGB), fmt.Sprint(*full.MinDisk)}, "min_ram": {fmt.Sprint(*f.MinRAMMB), fmt.Sprint(*full.MinRAM)},
		"__image_size": {fmt.Sprint(*f.SizeBytes), full.ImageSize}, "protected": {fmt.Sprint(*f.Protected), "true"},
		"tags": {strings.Join(f.Tags, ","), "generated=true"},
	} {
		if pair[0] != pair[1] {
			t.Errorf("%s = %q, want %q", field, pair[0], pair[1])
		}
	}
	// Left out by the API: nil, not a zero value.
	if b.OSType != nil || b.MinDiskGB != nil || b.SizeBytes != nil || b.Tags != nil || b.Protected != nil || b.SupportARM != nil || b.Description != nil {
		t.Errorf("absent fields are not nil: %+v", b)
	}
}

func TestListImagesFieldOfUnexpectedType(t *testing.T) {
	good := `{"id":"` + testImage + `","name":"ok"}`
	cases := []struct{ name, body, says string }{
		{"min_disk as a string", `{"images":[` + good + `,{"id":"x-1","min_disk":"40"}]}`,
			`images[1] (id x-1): field "min_disk": expected a number, got string "40"`},
		{"min_ram as a fraction", `{"images":[{"id":"x-2","min_ram":1.5}]}`, `images[0] (id x-2): field "min_ram": expected a number, got number 1.5`},
		{"size as a number", `{"images":[{"id":"x-3","__image_size":1024}]}`, `images[0] (id x-3): field "__image_size": expected a string, got number 1024`},
		{"size not digits", `{"images":[{"id":"x-4","__image_size":"1 GB"}]}`, `images[0] (id x-4): field "__image_size": expected a string of decimal digits, got string "1 GB"`},
		{"tags as a string", `{"images":[{"id":"x-5","tags":"a=b"}]}`, `images[0] (id x-5): field "tags": expected an array of strings, got string`},
		{"protected as a string", `{"images":[{"id":"x-6","protected":"true"}]}`, `images[0] (id x-6): field "protected": expected a boolean, got string`},
		{"name as an object", `{"images":[{"id":"x-7","name":{}}]}`, `images[0] (id x-7): field "name": expected a string, got object`},
		{"id as a number", `{"images":[` + good + `,{"id":7}]}`, `images[1]: field "id": expected a string, got number 7`},
		{"no id", `{"images":[{"name":"n"}]}`, `images[0]: field "id": missing or empty`},
		{"image not an object", `{"images":[` + good + `,"x"]}`, `images[1]: expected an object, got string`},
		{"images not a list", `{"images":{}}`, `"images" is object, not a list`},
		{"no images", `{"servers":[]}`, `the response has no "images" list`},
		{"not JSON", `{"images":[`, `the response is not valid JSON`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e, c := newEmulatorClient(t, nil)
			e.Inject(emulator.Fault{Kind: emulator.FaultGarbage, Status: 200, Body: tc.body, Path: "/v2/cloudimages"})
			got, err := listImages(c, 0, client.ImageFilters{})
			var respErr *client.ResponseError
			if got != nil || !errors.As(err, &respErr) || respErr.RequestID == "" || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("want a ResponseError with a request ID saying %q and no list, got %v, %v", tc.says, got, err)
			}
			if n := len(e.Requests()); n != 1 {
				t.Errorf("%d requests, want 1 (a complete wrong answer is not retried)", n)
			}
		})
	}
}

func TestListImagesMarkerThatDoesNotAdvance(t *testing.T) {
	e, c := newEmulatorClient(t, nil)
	ids := addOwnImages(e, 6)
	e.Inject(emulator.Fault{Kind: emulator.FaultLoopingMarker, Path: "/v2/cloudimages", Count: -1})
	got, err := listImages(c, 2, client.ImageFilters{})
	var respErr *client.ResponseError
	if got != nil || !errors.As(err, &respErr) {
		t.Fatalf("want a ResponseError and no list, got %v, %v", got, err)
	}
	want := fmt.Sprintf("images[0] (id %s) was already returned by page 1: the marker %q did not advance, the server is looping", ids[0], ids[1])
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not say %q", err, want)
	}
	if n := len(e.Requests()); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

// A server that answers every marker with new images forever is stopped
// once the list is longer than MaxListItems.
func TestListImagesEndlessListIsCapped(t *testing.T) {
	var served atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n := served.Add(1)
		_, _ = fmt.Fprintf(w, `{"images":[{"id":"img-%d"}]}`, n)
	}))
	t.Cleanup(srv.Close)
	c, err := client.New(client.Config{
		Credentials: client.Credentials{AccessKey: testAK, SecretKey: testSK},
		IMSEndpoint: srv.URL,
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := listImages(c, 1000, client.ImageFilters{})
	want := client.MaxListItems/1000 + 1
	if got != nil || err == nil || !strings.Contains(err.Error(), fmt.Sprintf("did not end after %d pages of 1000", want)) {
		t.Fatalf("want the page cap error, got %v, %v", got, err)
	}
	if n := served.Load(); int(n) != want {
		t.Errorf("%d requests, want %d", n, want)
	}
}

func TestListImagesRetriesLikeEveryCall(t *testing.T) {
	e, c := newEmulatorClient(t, nil)
	want := addOwnImages(e, 3)
	e.Inject(emulator.Fault{Kind: emulator.FaultStatus, Status: 503, Path: "/v2/cloudimages"},
		emulator.Fault{Kind: emulator.FaultDropConnection, Path: "/v2/cloudimages"})
	got, err := listImages(c, 2, client.ImageFilters{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(imageIDs(got), want) || got.Requests != 3 {
		t.Errorf("%v in %d pages", imageIDs(got), got.Requests)
	}
	if n := len(e.Requests()); n != 5 {
		t.Errorf("%d requests, want 3 pages + 2 retries", n)
	}
	e.ResetRequests()
	e.Inject(emulator.Fault{Kind: emulator.FaultStatus, Status: 403, Path: "/v2/cloudimages"})
	_, err = listImages(c, 0, client.ImageFilters{})
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 403 || len(e.Requests()) != 1 {
		t.Errorf("403: %v after %d requests, want an APIError after 1", err, len(e.Requests()))
	}
}

func TestListImagesRejectsBadInput(t *testing.T) {
	e, c := newEmulatorClient(t, nil)
	for _, size := range []int{-1, 1001} {
		if _, err := listImages(c, size, client.ImageFilters{}); err == nil {
			t.Errorf("page size %d accepted", size)
		}
	}
	if _, err := c.ListImages(context.Background(), client.ListImagesInput{Region: testRegion}); err == nil {
		t.Error("a missing project ID was accepted")
	}
	if n := len(e.Requests()); n != 0 {
		t.Errorf("bad input sent %d requests", n)
	}
}
