package provider

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// TestIDMistakes: the near misses of an ID are refused at plan time, before
// any request, naming the attribute plainly (not project_ids[Value("...")])
// and saying how to fix them.
func TestIDMistakes(t *testing.T) {
	s := newShareServer(t)
	const upperImage = "D164B5DF-1BC3-4C3F-893E-3E471FD16E64"
	share := func(sets string) string {
		return s.providerBlock() + `resource "ims_image_share" "test" {
  image_id = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"
  ` + sets + `
}`
	}
	expectPlanErrors(t, s, []planError{
		{"a project ID written as a UUID", share(`project_ids = ["b0000000-0000-0000-0000-000000000001"]`),
			wrappedText(`project_ids: "b0000000-0000-0000-0000-000000000001" must be a project ID`, `remove the hyphens, "b0000000000000000000000000000001"`)},
		{"an upper-case account ID", share(`domain_ids = ["0970DD7A1300F5672FF2C003C60AE115"]`),
			wrappedText(`Invalid account (domain) ID`, `domain_ids: "0970DD7A1300F5672FF2C003C60AE115" must be an account (domain) ID`, `Write it in lower case, "0970dd7a1300f5672ff2c003c60ae115"`)},
		{"an organization URN among the accounts", share(`domain_ids = ["` + organizationURNExample + `"]`),
			wrappedText(`must be an account (domain) ID`, "An organization unit is shared through organization_urns", "move it there")},
		{"an organization unit ID among the projects", share(`project_ids = ["ou-5x1bvygwrplokk622i9gbn3f5ftfb2l9"]`),
			wrappedText(`must be a project ID`, "organization_urns")},
		{"an upper-case image ID to read", s.providerBlock() + imageConfig(upperImage, ""),
			wrappedText("Invalid image ID", `image_id must be an image ID in UUID form`, `Write it in lower case, "`+strings.ToLower(upperImage)+`"`, "IMS answers 404")},
		{"an upper-case image ID among image_ids", s.providerBlock() + `data "ims_shared_images" "test" {
  image_ids = ["` + upperImage + `"]
}`, wrappedText(`image_ids must be an image ID in UUID form`, "Write it in lower case")},
	})
}

// TestIDMistakes_noFrameworkPath: the message never renders the set
// element's path the framework's way, project_ids[Value("nope")]. Go's
// regexp has no negative lookahead: the pattern matches only output with
// no "Val" in it anywhere.
func TestIDMistakes_noFrameworkPath(t *testing.T) {
	s := newShareServer(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviderFactories,
		Steps: []resource.TestStep{{
			Config: s.providerBlock() + `resource "ims_image_share" "test" {
  image_id    = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"
  project_ids = ["nope"]
}`,
			ExpectError: regexp.MustCompile(`(?s)\A(?:[^V]|V[^a]|Va[^l])*project_ids: "nope" must be a project ID(?:[^V]|V[^a]|Va[^l])*\z`),
		}},
	})
}
