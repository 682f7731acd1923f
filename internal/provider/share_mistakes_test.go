package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// TestShareMistakes: what IMS answers a share or an answer that names the
// wrong image or a project that does not exist, with a hint that fits the
// call (sharing a missing image once got the acceptance resource's hint).
func TestShareMistakes(t *testing.T) {
	const missingImage = "5a0000ff-0000-4000-8000-0000000000ff"
	const noSuchProject = "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"
	for _, tc := range []struct {
		name, config string
		want         *regexp.Regexp
	}{
		{
			name: "share an image the project does not own",
			config: `resource "ims_image_share" "test" {
  image_id    = "` + missingImage + `"
  project_ids = ["` + shareProject + `"]
}`,
			// Before: "the image must exist in this project and region (for
			// an answer, be shared with this project)", the acceptance's.
			// The create reads the members before it writes, so IMS's 404
			// for the members list is the answer.
			want: wrappedText("Cannot share image "+missingImage, "IMG.0027", "Check that the image exists in this project and region, and that the project owns it"),
		},
		{
			name:   "share with a project that does not exist",
			config: `resource "ims_image_share" "test" {` + "\n  image_id = \"" + shareImage + "\"\n  project_ids = [\"" + noSuchProject + "\"]\n}",
			want:   wrappedText("Cannot share image "+shareImage, "IMG.0067", noSuchProject, "A project to share with does not exist: check the IDs in project_ids"),
		},
		{
			name:   "answer an image not shared with the project",
			config: `resource "ims_shared_image_acceptance" "test" {` + "\n  image_id = \"" + missingImage + "\"\n}",
			want:   wrappedText("Cannot set the answer to image "+missingImage, "IMG.0066", "the image must be shared with this project, in this region"),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newShareServer(t)
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviderFactories,
				Steps:                    []resource.TestStep{{Config: s.providerBlock() + tc.config, ExpectError: tc.want}},
			})
		})
	}
}
