package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// imageIDPattern is an image ID as IMS writes it: a lower-case UUID. IMS
// answers 404 for the same ID in upper case, so that is refused at plan
// time rather than passed on.
var imageIDPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

const imageIDExample = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"

// attributeName is the attribute a value belongs to, for a message:
// "project_ids" for an element of that set, not the framework's
// project_ids[Value("...")].
func attributeName(p path.Path) string {
	if steps := p.Steps(); len(steps) > 0 {
		if _, ok := steps[len(steps)-1].(path.PathStepElementKeyValue); ok {
			return p.ParentPath().String()
		}
	}
	return p.String()
}

// imageIDValidator accepts a lower-case UUID, and says how to fix the
// near misses.
type imageIDValidator struct{}

func (imageIDValidator) Description(context.Context) string {
	return "must be an image ID in UUID form, such as " + imageIDExample
}

func (v imageIDValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (imageIDValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	id := req.ConfigValue.ValueString()
	if imageIDPattern.MatchString(id) {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid image ID", imageIDProblem(attributeName(req.Path), id))
}

// imageIDProblem says why id is not an image ID, and how to fix it.
func imageIDProblem(attribute, id string) string {
	detail := fmt.Sprintf("%s must be an image ID in UUID form, such as %s, not %q.", attribute, imageIDExample, id)
	if imageIDPattern.MatchString(strings.ToLower(id)) {
		detail += fmt.Sprintf(" Write it in lower case, %q: IMS answers 404 for an image ID in upper case.", strings.ToLower(id))
	}
	return detail
}

// tenantIDValidator accepts a project or account (domain) ID, 32 lower-case
// hexadecimal characters, and says how to fix the near misses: a UUID with
// hyphens, upper case, an organization unit in the wrong set.
type tenantIDValidator struct {
	kind string // "a project", "an account (domain)"
}

func (v tenantIDValidator) Description(context.Context) string {
	return "must be " + v.kind + " ID: 32 lower-case hexadecimal characters"
}

func (v tenantIDValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v tenantIDValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	id := req.ConfigValue.ValueString()
	if tenantIDPattern.MatchString(id) {
		return
	}
	detail := fmt.Sprintf("%s: %q must be %s ID: 32 lower-case hexadecimal characters, such as 0970dd7a1300f5672ff2c003c60ae115.", attributeName(req.Path), id, v.kind)
	switch unhyphenated := strings.ToLower(strings.ReplaceAll(id, "-", "")); {
	case strings.HasPrefix(id, organizationURNPrefix) || strings.HasPrefix(id, "ou-") || strings.HasPrefix(id, "o-"):
		detail += " An organization unit is shared through organization_urns, by its whole URN (" + organizationURNForm + "): move it there."
	case imageIDPattern.MatchString(strings.ToLower(id)):
		detail += fmt.Sprintf(" This one is written as a UUID: remove the hyphens, %q.", unhyphenated)
	case tenantIDPattern.MatchString(unhyphenated):
		detail += fmt.Sprintf(" Write it in lower case, %q.", unhyphenated)
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+strings.TrimPrefix(strings.TrimPrefix(v.kind, "an "), "a ")+" ID", detail)
}
