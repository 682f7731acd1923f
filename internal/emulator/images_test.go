package emulator

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
)

// A world of three projects and a public image owner:
//
//	A owns a-private (no members), a-shared (B accepted, C pending, domain
//	  of D rejected) and a-market;
//	B owns b-shared (A rejected, C accepted);
//	P (IMS only) owns gold.
const (
	projA, projB, projC, projD = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "cccccccccccccccccccccccccccccccc", "dddddddddddddddddddddddddddddddd"
	domainD                    = "d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0"
	projPublic                 = "99999999999999999999999999999999"
	aPrivate                   = "00000000-0000-4000-8000-00000000000a"
	aShared                    = "00000000-0000-4000-8000-00000000000b"
	aMarket                    = "00000000-0000-4000-8000-00000000000c"
	bShared                    = "00000000-0000-4000-8000-00000000000d"
	gold                       = "00000000-0000-4000-8000-00000000000e"
)

func newWorld(t *testing.T, cfg Config) *env {
	t.Helper()
	cfg.Projects = []Project{
		{ID: projA, Name: "cn-north-4", DomainID: "a0", Enabled: true},
		{ID: projB, Name: "cn-north-4", DomainID: "b0", Enabled: true},
		{ID: projC, Name: "cn-north-4", DomainID: "c0", Enabled: true},
		{ID: projD, Name: "cn-north-4", DomainID: domainD, Enabled: true},
	}
	v := newEnv(t, cfg)
	member := func(id, typ, status string) Member {
		return Member{MemberID: id, MemberType: typ, Status: status, CreatedAt: "2024-01-01T00:00:00Z", UpdatedAt: "2024-01-01T00:00:00Z"}
	}
	disk, yes := 40, true
	for _, img := range []struct {
		meta    ImageMetadata
		members []Member
	}{
		{ImageMetadata{ID: aPrivate, Owner: projA, Name: "zeta", OSType: "Linux", SupportARM: "true", ImageSize: "300", CreatedAt: "2024-01-01T00:00:01Z"}, nil},
		{ImageMetadata{ID: aShared, Owner: projA, Name: "alpha", OSType: "Windows", SupportARM: "false", ImageSize: "100", MinDisk: &disk, Protected: &yes,
			Tags: []string{"team=web"}, EnterpriseProjectID: "0", CreatedAt: "2024-01-01T00:00:02Z"},
			[]Member{member(projB, "project", "accepted"), member(projC, "project", "pending"), member(domainD, "domain", "rejected")}},
		{ImageMetadata{ID: aMarket, Owner: projA, Name: "market", ImageType: "market", CreatedAt: "2024-01-01T00:00:03Z"}, nil},
		{ImageMetadata{ID: bShared, Owner: projB, Name: "beta", Status: "saving", ImageSize: "200", CreatedAt: "2024-01-01T00:00:04Z"},
			[]Member{member(projA, "project", "rejected"), member(projC, "project", "accepted")}},
		{ImageMetadata{ID: gold, Owner: projPublic, Name: "CentOS", ImageType: "gold", CreatedAt: "2024-01-01T00:00:05Z"}, nil},
	} {
		v.emu.AddImage(img.meta.Owner, img.meta.ID, img.members)
		v.emu.AddImageMetadata(img.meta)
	}
	return v
}

// listImages requests one page as project asks for it.
func (v *env) listImages(project string, query ...string) response {
	v.t.Helper()
	var q []client.QueryParam
	for _, kv := range query {
		k, val, _ := strings.Cut(kv, "=")
		q = append(q, client.QueryParam{Key: k, Value: val})
	}
	return v.do(v.signed(http.MethodGet, "/v2/cloudimages", q, func(r *http.Request) {
		if project != "" {
			r.Header.Set(client.HeaderProjectID, project)
		}
	}, nil))
}

type listedImage map[string]any

func imagesOf(t *testing.T, r response) []listedImage {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	var p struct {
		Images *[]listedImage `json:"images"`
	}
	if err := json.Unmarshal(r.body, &p); err != nil || p.Images == nil {
		t.Fatalf("not an image page (%v): %s", err, r.body)
	}
	return *p.Images
}

func idsOf(images []listedImage) []string {
	out := make([]string, len(images))
	for i, img := range images {
		out[i], _ = img["id"].(string)
	}
	return out
}

func TestImages_asEachProjectSeesThem(t *testing.T) {
	v := newWorld(t, Config{})
	cases := []struct {
		name    string
		project string
		query   []string
		want    []string
	}{
		// Default order: created_at desc. Incoming images only when accepted.
		{"A, no filter", projA, nil, []string{gold, aMarket, aShared, aPrivate}},
		{"B, no filter", projB, nil, []string{gold, bShared, aMarket, aShared}},
		{"C, no filter", projC, nil, []string{gold, bShared, aMarket}},
		{"D by its domain, no filter", projD, nil, []string{gold, aMarket}},
		{"A shares out", projA, []string{"__imagetype=shared", "owner=" + projA}, []string{aShared}},
		{"A private", projA, []string{"__imagetype=private"}, []string{aPrivate}},
		{"public is gold", projA, []string{"__imagetype=gold"}, []string{gold}},
		{"market", projC, []string{"__imagetype=market"}, []string{aMarket}},
		{"A rejected", projA, []string{"visibility=shared", "__imagetype=shared", "member_status=rejected"}, []string{bShared}},
		{"A accepted: none", projA, []string{"visibility=shared", "member_status=accepted"}, []string{}},
		{"C pending", projC, []string{"visibility=shared", "__imagetype=shared", "member_status=pending"}, []string{aShared}},
		{"C accepted", projC, []string{"visibility=shared", "member_status=accepted"}, []string{bShared}},
		{"D rejected through its domain", projD, []string{"visibility=shared", "member_status=rejected"}, []string{aShared}},
		{"B shared: its own and accepted", projB, []string{"visibility=shared"}, []string{bShared, aShared}},
		{"public visibility", projB, []string{"visibility=public"}, []string{gold, aMarket}},
		{"by id", projB, []string{"id=" + aShared}, []string{aShared}},
		{"by id not visible", projD, []string{"id=" + aShared}, []string{}},
		{"by name", projA, []string{"name=zeta"}, []string{aPrivate}},
		{"by status", projC, []string{"status=saving"}, []string{bShared}},
		{"by os type", projA, []string{"__os_type=Windows"}, []string{aShared}},
		{"arm", projA, []string{"architecture=arm"}, []string{aPrivate}},
		{"x86", projA, []string{"architecture=x86", "owner=" + projA}, []string{aMarket, aShared}},
		{"tag", projA, []string{"tag=team=web"}, []string{aShared}},
		{"eps all", projA, []string{"enterprise_project_id=all_granted_eps", "owner=" + projA}, []string{aMarket, aShared, aPrivate}},
		{"eps 0 includes unset", projA, []string{"enterprise_project_id=0", "owner=" + projA}, []string{aMarket, aShared, aPrivate}},
		{"sort by name asc", projA, []string{"sort_key=name", "sort_dir=asc"}, []string{gold, aShared, aMarket, aPrivate}},
		{"sort by size", projA, []string{"sort_key=size", "sort_dir=desc", "owner=" + projA}, []string{aPrivate, aShared, aMarket}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := idsOf(imagesOf(t, v.listImages(tc.project, tc.query...)))
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestImages_fields(t *testing.T) {
	v := newWorld(t, Config{})
	images := imagesOf(t, v.listImages(projB, "id="+aShared))
	if len(images) != 1 {
		t.Fatalf("%d images", len(images))
	}
	img := images[0]
	for k, want := range map[string]any{
		"id": aShared, "name": "alpha", "status": "active", "visibility": "shared", "__imagetype": "shared",
		"owner": projA, "__os_type": "Windows", "__support_arm": "false", "__image_size": "100", "min_disk": 40.0,
		"protected": true, "enterprise_project_id": "0", "created_at": "2024-01-01T00:00:02Z",
	} {
		if img[k] != want {
			t.Errorf("%s = %#v, want %#v", k, img[k], want)
		}
	}
	if tags, _ := img["tags"].([]any); len(tags) != 1 || tags[0] != "team=web" {
		t.Errorf("tags = %v", img["tags"])
	}
	for _, k := range []string{"min_ram", "__platform", "__os_version", "__os_bit", "__description", "updated_at", "disk_format"} {
		if _, ok := img[k]; ok {
			t.Errorf("%s is present; the fixture left it out", k)
		}
	}
	// An image without metadata still has a name, a status and a type.
	v.emu.AddImage(projA, testImage, nil)
	bare := imagesOf(t, v.listImages(projA, "id="+testImage))
	if len(bare) != 1 || bare[0]["name"] != "image-d164b5df" || bare[0]["status"] != "active" || bare[0]["__imagetype"] != "private" {
		t.Errorf("image without metadata: %v", bare)
	}
}

// The member status comes from the members store at every request: a change
// there is what the list shows next.
func TestImages_memberStatusFollowsTheMembersStore(t *testing.T) {
	v := newWorld(t, Config{})
	pending := []string{"visibility=shared", "member_status=pending"}
	if got := idsOf(imagesOf(t, v.listImages(projC, pending...))); !slices.Equal(got, []string{aShared}) {
		t.Fatalf("before: %v", got)
	}
	members := v.emu.Members(projA, aShared)
	for i := range members {
		if members[i].MemberID == projC {
			members[i].Status = "accepted"
		}
	}
	v.emu.AddImage(projA, aShared, members)
	if got := idsOf(imagesOf(t, v.listImages(projC, pending...))); len(got) != 0 {
		t.Errorf("after accepting, still pending: %v", got)
	}
	accepted := idsOf(imagesOf(t, v.listImages(projC, "visibility=shared", "member_status=accepted")))
	if !slices.Equal(accepted, []string{bShared, aShared}) {
		t.Errorf("after accepting: %v", accepted)
	}
	// Unshared completely, the owner's image turns private again.
	v.emu.AddImage(projA, aShared, nil)
	if got := idsOf(imagesOf(t, v.listImages(projA, "__imagetype=private"))); !slices.Equal(got, []string{aShared, aPrivate}) {
		t.Errorf("unshared image: %v", got)
	}
}

func TestImages_paging(t *testing.T) {
	for _, pageCap := range []int{0, 1} {
		v := newWorld(t, Config{ImagePageCap: pageCap})
		var got []string
		marker, requests := "", 0
		for {
			q := []string{"limit=2"}
			if marker != "" {
				q = append(q, "marker="+marker)
			}
			page := idsOf(imagesOf(t, v.listImages(projA, q...)))
			requests++
			if len(page) > 2 || (pageCap > 0 && len(page) > pageCap) {
				t.Fatalf("cap %d: page of %d", pageCap, len(page))
			}
			if len(page) == 0 {
				break
			}
			got = append(got, page...)
			marker = page[len(page)-1]
		}
		want := []string{gold, aMarket, aShared, aPrivate}
		wantRequests := map[int]int{0: 3, 1: 5}[pageCap]
		if !slices.Equal(got, want) || requests != wantRequests {
			t.Errorf("cap %d: %v in %d requests, want %v in %d", pageCap, got, requests, want, wantRequests)
		}
	}
}

func TestImages_loopingMarkerRepeatsThePage(t *testing.T) {
	v := newWorld(t, Config{})
	v.emu.Inject(Fault{Kind: FaultLoopingMarker, Path: "/v2/cloudimages", Count: -1})
	first := idsOf(imagesOf(t, v.listImages(projA, "limit=2")))
	again := idsOf(imagesOf(t, v.listImages(projA, "limit=2", "marker="+first[1])))
	if !slices.Equal(first, again) {
		t.Errorf("marker did not repeat the page: %v then %v", first, again)
	}
	// Member lists are not affected by a fault aimed at the image list.
	v.emu.ClearFaults()
	v.emu.Inject(Fault{Kind: FaultLoopingMarker, Path: "/v2/cloudimages"})
	if _, n := v.readAll(projA, aShared, 1); n != 3 {
		t.Errorf("member list took %d requests", n)
	}
	if v.emu.PendingFaults() != 1 {
		t.Errorf("the image-list fault was taken by a member list")
	}
}

func TestImages_rejects(t *testing.T) {
	v := newWorld(t, Config{})
	cases := []struct {
		name    string
		project string
		query   []string
		status  int
		code    string
		says    string
	}{
		{"no project header", "", nil, 403, "IMG.0030", "X-Project-Id header is missing"},
		{"unknown project", "0123456789abcdef0123456789abcdef", nil, 400, "IMG.0067", "does not exist"},
		{"member_status without visibility", projA, []string{"member_status=accepted"}, 400, "IMG.0001", "only valid with visibility=shared"},
		{"bad image type", projA, []string{"__imagetype=public"}, 400, "IMG.0001", `__imagetype "public" is not one of gold, private, shared, market`},
		{"bad status", projA, []string{"status=ACTIVE"}, 400, "IMG.0001", "status"},
		{"bad architecture", projA, []string{"architecture=arm64"}, 400, "IMG.0001", "architecture"},
		{"bad sort key", projA, []string{"sort_key=owner"}, 400, "IMG.0001", "sort_key"},
		{"bad limit", projA, []string{"limit=0"}, 400, "IMG.0001", "limit"},
		{"unknown parameter", projA, []string{"image_type=private"}, 400, "IMG.0001", `unknown query parameter "image_type"`},
		{"repeated parameter", projA, []string{"owner=" + projA, "owner=" + projB}, 400, "IMG.0001", "more than once"},
		{"unknown marker", projA, []string{"marker=" + testImage}, 400, "IMG.0001", "marker"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			msg := wantIMS(t, v.listImages(tc.project, tc.query...), tc.status, tc.code)
			if !strings.Contains(msg, tc.says) {
				t.Errorf("message %q does not say %q", msg, tc.says)
			}
		})
	}
}

func TestGenerateImages(t *testing.T) {
	a, b := GenerateImages(projA, 5), GenerateImages(projA, 5)
	seen := map[string]bool{}
	for i := range a {
		if a[i].ID != b[i].ID || seen[a[i].ID] || a[i].Owner != projA || !uuidLike(a[i].ID) {
			t.Fatalf("image %d: %+v", i, a[i])
		}
		seen[a[i].ID] = true
		if err := checkMetadata(a[i]); err != nil {
			t.Errorf("image %d: %v", i, err)
		}
	}
	if GenerateImages(projB, 1)[0].ID == a[0].ID {
		t.Error("IDs do not depend on the owner")
	}
}

func uuidLike(s string) bool {
	parts := strings.Split(s, "-")
	return len(s) == 36 && len(parts) == 5 && len(parts[0]) == 8 && len(parts[4]) == 12
}
