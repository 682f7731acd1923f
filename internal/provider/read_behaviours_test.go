package provider

// The read behaviours the API documentation leaves open, each played every
// plausible way by the emulator (internal/emulator/SOURCES.md lists them):
// the provider must give the same answer under each.

import (
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
)

// newTestServerPlaying is newTestServer with emulator behaviours changed.
func newTestServerPlaying(t *testing.T, play func(*emulator.Config)) *testServer {
	t.Helper()
	cfg := emulator.Config{
		AccessKey: testAccessKey, SecretKey: testSecretKey,
		Projects: []emulator.Project{{ID: testProjectID, Name: testRegion, DomainID: testDomainID, Enabled: true}},
	}
	play(&cfg)
	e := emulator.New(cfg)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return &testServer{Emulator: e, URL: srv.URL}
}

var lastPageStyles = []struct {
	name  string
	style emulator.LastPageStyle
}{
	{"page_info omitted", emulator.LastPageOmitPageInfo},
	{"next_marker empty", emulator.LastPageEmptyMarker},
	{"next_marker omitted", emulator.LastPageOmitMarker},
}

// An image with no member is an empty list in one request, and a list
// whose last page is short or exactly full ends there, however the API
// says "no more".
func TestImageMembers_emptyAndLastPagesUnderEveryLastPageStyle(t *testing.T) {
	const empty, seven, six = "e0000000-1bc3-4c3f-893e-3e471fd16e64", "70000000-1bc3-4c3f-893e-3e471fd16e64", "60000000-1bc3-4c3f-893e-3e471fd16e64"
	for _, c := range lastPageStyles {
		t.Run(c.name, func(t *testing.T) {
			s := newTestServerPlaying(t, func(cfg *emulator.Config) { cfg.LastPage = c.style })
			s.addImage(empty, 0)
			s.addImage(seven, 7)
			s.addImage(six, 6)
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{{
					Config: s.providerBlock() + fmt.Sprintf(`
data "ims_image_members" "empty" {
  image_id = %q
}
data "ims_image_members" "seven" {
  image_id  = %q
  page_size = 3
}
data "ims_image_members" "six" {
  image_id  = %q
  page_size = 3
}`, empty, seven, six),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("data.ims_image_members.empty", tfjsonpath.New("members"), knownvalue.ListExact([]knownvalue.Check{})),
						statecheck.ExpectKnownValue("data.ims_image_members.seven", tfjsonpath.New("members"), knownvalue.ListSizeExact(7)),
						statecheck.ExpectKnownValue("data.ims_image_members.six", tfjsonpath.New("members"), knownvalue.ListSizeExact(6)),
						expectRequestsPerRead(s, empty, 1),
						expectRequestsPerRead(s, seven, 3),
						expectRequestsPerRead(s, six, 2),
					},
				}},
			})
		})
	}
}

// Without member_status, whether the list includes images shared with this
// project that it has not accepted is the API's choice: ims_images passes
// on what the API lists, and the owner's audit (ims_shared_images) is the
// same under both plays.
func TestImages_sharedWithoutMemberStatusUnderEachPlay(t *testing.T) {
	for _, c := range []struct {
		name  string
		play  emulator.UnfilteredShares
		wants []string
	}{
		{"accepted only", emulator.UnfilteredSharesAccepted, []string{worldIncomingAccepted, worldShared2, worldShared1}},
		{"every status", emulator.UnfilteredSharesAll, []string{worldIncomingRejected, worldIncomingPending, worldIncomingAccepted, worldShared2, worldShared1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newTestServerPlaying(t, func(cfg *emulator.Config) { cfg.UnfilteredShares = c.play })
			w := s.addWorld()
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps: []resource.TestStep{{
					Config: s.providerBlock() + `
data "ims_images" "test" {
  image_type = "shared"
}
data "ims_images" "pending" {
  member_status = "pending"
}
data "ims_shared_images" "test" {}`,
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("data.ims_images.test", tfjsonpath.New("ids"), stringsExact(c.wants...)),
						statecheck.ExpectKnownValue("data.ims_images.pending", tfjsonpath.New("ids"), stringsExact(worldIncomingPending)),
						expectSharedImages(sharedAddress, []sharedImageWant{
							{worldShared2, "batch", emulatorMemberIDs(w.members[worldShared2])},
							{worldShared1, "web-golden", emulatorMemberIDs(w.members[worldShared1])},
						}),
					},
				}},
			})
		})
	}
}

// A server that puts more on a page than the limit asked for loses no item
// and repeats none: members follow next_marker, images the last ID.
func TestReads_pagesLargerThanAskedFor(t *testing.T) {
	const imageID = "0b000000-1bc3-4c3f-893e-3e471fd16e64"
	s := newTestServerPlaying(t, func(cfg *emulator.Config) { cfg.OversizePages = 3 })
	s.addWorld()
	members := s.addImage(imageID, 11)
	s.AddImageMetadata(emulator.ImageMetadata{ID: imageID, Owner: testProjectID, Name: "eleven", CreatedAt: "2024-01-02T00:00:00Z"})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: s.providerBlock() + imageConfig(imageID, "  page_size = 2") + `
data "ims_images" "test" {
  image_type = "shared"
  owner      = "` + testProjectID + `"
  page_size  = 1
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("members"), knownvalue.ListSizeExact(len(members))),
				statecheck.ExpectKnownValue(dsAddress, tfjsonpath.New("members").AtSliceIndex(10).AtMapKey("member_id"),
					knownvalue.StringExact(members[10].MemberID)),
				expectRequestsPerRead(s, imageID, 3), // pages of 5: 5, 5, 1
				statecheck.ExpectKnownValue("data.ims_images.test", tfjsonpath.New("ids"), stringsExact(imageID, worldShared2, worldShared1)),
				// Pages of up to 4 images for a limit of 1: the list still
				// ends on an empty page, each image once.
				expectQueriesPerRead(s,
					"__imagetype=shared&limit=1&owner="+testProjectID,
					"__imagetype=shared&limit=1&marker="+worldShared1+"&owner="+testProjectID),
			},
		}},
	})
}
