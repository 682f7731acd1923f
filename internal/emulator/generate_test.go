package emulator

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

var (
	hex32  = regexp.MustCompile(`^[0-9a-f]{32}$`)
	ouID   = regexp.MustCompile(`^ou-[0-9a-z]{32}$`)
	orgURN = regexp.MustCompile(`^organizations::[0-9a-f]{32}:ou:o-[0-9a-z]{32}/(ou-[0-9a-z]{32})$`)
)

func TestGenerateMembersIsDeterministic(t *testing.T) {
	a, b := GenerateMembers(testImage, 50), GenerateMembers(testImage, 50)
	if !reflect.DeepEqual(a, b) {
		t.Error("two calls differ")
	}
	if c := GenerateMembers("another-image", 50); c[0].MemberID == a[0].MemberID {
		t.Error("another image got the same member IDs")
	}
	if p := GenerateMembers(testImage, 10); !reflect.DeepEqual(p, a[:10]) {
		t.Error("a shorter list is not a prefix of a longer one")
	}
}

func TestGenerateMembersMixesTypesAndStatuses(t *testing.T) {
	pairs := map[[2]string]bool{}
	for _, m := range GenerateMembers(testImage, 9) {
		pairs[[2]string{m.MemberType, m.Status}] = true
	}
	if len(pairs) != 9 {
		t.Errorf("first nine members cover %d type/status pairs, want 9: %v", len(pairs), pairs)
	}
	types, statuses := map[string]bool{}, map[string]bool{}
	for _, m := range GenerateMembers(testImage, 3) {
		types[m.MemberType], statuses[m.Status] = true, true
	}
	if len(types) != 3 || len(statuses) != 3 {
		t.Errorf("three members: types %v statuses %v", types, statuses)
	}
}

func TestGeneratedMembersLookReal(t *testing.T) {
	const n = 100_000
	seen := make(map[string]bool, n)
	for i, m := range GenerateMembers(testImage, n) {
		if seen[m.MemberID] {
			t.Fatalf("member %d: duplicate member_id %s", i, m.MemberID)
		}
		seen[m.MemberID] = true
		if m.ImageID != testImage || m.Schema != "/v2/schemas/member" {
			t.Fatalf("member %d: %+v", i, m)
		}
		created, err1 := time.Parse(time.RFC3339, m.CreatedAt)
		updated, err2 := time.Parse(time.RFC3339, m.UpdatedAt)
		if err1 != nil || err2 != nil || updated.Before(created) || !strings.HasSuffix(m.CreatedAt, "Z") {
			t.Fatalf("member %d: times %q %q", i, m.CreatedAt, m.UpdatedAt)
		}
		switch m.MemberType {
		case "organization":
			sub := orgURN.FindStringSubmatch(m.URN)
			if !ouID.MatchString(m.MemberID) || sub == nil || sub[1] != m.MemberID {
				t.Fatalf("member %d: organization %q urn %q", i, m.MemberID, m.URN)
			}
		default:
			if !hex32.MatchString(m.MemberID) || m.URN != "" {
				t.Fatalf("member %d: %s %q urn %q", i, m.MemberType, m.MemberID, m.URN)
			}
		}
	}
	// The API page's own example passes the same checks.
	ex := "organizations::3a2d95404f964a6aba78819bf8ddc1e3:ou:o-wvntq58r3poyv180t5df1mdna4uwy9se/ou-5x1bvygwrplokk622i9gbn3f5ftfb2l9"
	if !orgURN.MatchString(ex) {
		t.Error("the URN pattern rejects the API page's example")
	}
}
