package provider

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
)

// A world of projects sharing images, seen from testProjectID ("us"):
//
//	us:   worldShared1 (4 generated members plus the peer, accepted),
//	      worldShared2 (3 generated members), worldPrivate (no members);
//	peer: worldIncomingAccepted, worldIncomingPending, worldIncomingRejected,
//	      shared with us in those states;
//	public owner: worldGold.
const (
	peerProjectID   = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
	publicProjectID = "9999999999999999999999999999999f"

	worldShared1          = "5a000001-0000-4000-8000-000000000001"
	worldShared2          = "5a000002-0000-4000-8000-000000000002"
	worldPrivate          = "5a000003-0000-4000-8000-000000000003"
	worldIncomingAccepted = "1c000001-0000-4000-8000-000000000001"
	worldIncomingPending  = "1c000002-0000-4000-8000-000000000002"
	worldIncomingRejected = "1c000003-0000-4000-8000-000000000003"
	worldGold             = "90000001-0000-4000-8000-000000000001"
)

// world holds what addWorld served, for the assertions.
type world struct {
	members map[string][]emulator.Member // by image ID
	full    emulator.ImageMetadata       // worldShared1's metadata: every field set
}

// addWorld serves the world; images are created a minute apart in the
// order above, so the list's default order (newest first) is the reverse.
func (s *testServer) addWorld() world {
	s.AddProject(emulator.Project{ID: peerProjectID, Name: testRegion, DomainID: "0000000000000000000000000000peer", Enabled: true})
	w := world{members: map[string][]emulator.Member{}}
	full := emulator.GenerateImages(testProjectID, 1)[0]
	full.ID, full.Name, full.Description, full.Protected = worldShared1, "web-golden", "the web tier's image", new(true)
	full.Tags = []string{"team=web", "tier=golden"}
	w.full = full
	peer := emulator.Member{MemberID: peerProjectID, MemberType: "project", Status: "accepted", CreatedAt: "2024-02-01T00:00:00Z", UpdatedAt: "2024-02-02T00:00:00Z"}
	us := func(status string) []emulator.Member {
		return []emulator.Member{{MemberID: testProjectID, MemberType: "project", Status: status, CreatedAt: "2024-02-01T00:00:00Z", UpdatedAt: "2024-02-01T00:00:00Z"}}
	}
	for i, img := range []struct {
		meta    emulator.ImageMetadata
		members []emulator.Member
	}{
		{full, append(emulator.GenerateMembers(worldShared1, 4), peer)},
		{emulator.ImageMetadata{ID: worldShared2, Owner: testProjectID, Name: "batch"}, emulator.GenerateMembers(worldShared2, 3)},
		{emulator.ImageMetadata{ID: worldPrivate, Owner: testProjectID, Name: "scratch"}, nil},
		{emulator.ImageMetadata{ID: worldIncomingAccepted, Owner: peerProjectID, Name: "peer-accepted", OSType: "Linux"}, us("accepted")},
		{emulator.ImageMetadata{ID: worldIncomingPending, Owner: peerProjectID, Name: "peer-pending"}, us("pending")},
		{emulator.ImageMetadata{ID: worldIncomingRejected, Owner: peerProjectID, Name: "peer-rejected"}, us("rejected")},
		{emulator.ImageMetadata{ID: worldGold, Owner: publicProjectID, Name: "Ubuntu 22.04", ImageType: "gold"}, nil},
	} {
		if img.meta.CreatedAt == "" || i == 0 {
			img.meta.CreatedAt = "2024-01-01T00:0" + string(rune('0'+i)) + ":00Z"
		}
		for j := range img.members {
			img.members[j].ImageID = img.meta.ID
		}
		s.AddImage(img.meta.Owner, img.meta.ID, img.members)
		s.AddImageMetadata(img.meta)
		w.members[img.meta.ID] = img.members
	}
	w.full.CreatedAt = "2024-01-01T00:00:00Z"
	return w
}

// imageListQueries is the query of every /v2/cloudimages request so far.
func (s *testServer) imageListQueries() []string {
	var out []string
	for _, r := range s.Requests() {
		if r.Path == "/v2/cloudimages" {
			out = append(out, r.RawQuery)
		}
	}
	return out
}

// memberReads counts member-list requests per image ID.
func (s *testServer) memberReads() map[string]int {
	out := map[string]int{}
	for _, r := range s.Requests() {
		if rest, ok := strings.CutSuffix(r.Path, "/members"); ok {
			out[rest[strings.LastIndex(rest, "/")+1:]]++
		}
	}
	return out
}

// planError is a configuration and the error its plan must fail with.
type planError struct {
	name, config string
	want         *regexp.Regexp
}

// expectPlanErrors plans each configuration in a test of its own, each
// failing with its error, and checks that none sent s a request: an
// invalid configuration is refused before any call.
func expectPlanErrors(t *testing.T, s *testServer, cases []planError) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps:                    []resource.TestStep{{Config: tc.config, ExpectError: tc.want}},
			})
		})
	}
	if n := s.CountRequests(""); n != 0 {
		t.Errorf("invalid configurations sent %d requests", n)
	}
}

// wrappedText matches the parts in order as Terraform prints them, where
// any space may have become a line break.
func wrappedText(parts ...string) *regexp.Regexp {
	quoted := make([]string, len(parts))
	for i, p := range parts {
		quoted[i] = strings.ReplaceAll(regexp.QuoteMeta(p), " ", `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(quoted, ".*"))
}
