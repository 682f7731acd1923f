package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ function.Function = (*parseOrganizationURNFunction)(nil)

// organizationURNForm is the form the function's errors and docs name:
// the three targets Huawei Cloud Organizations can share an image with.
const (
	organizationURNPrefix  = "organizations::"
	organizationURNForm    = "organizations::{account_id}:organization:o-{org} (the organization), organizations::{account_id}:root:o-{org}/r-{root} (its root) or organizations::{account_id}:ou:o-{org}/ou-{ou} (an organizational unit)"
	organizationURNExample = "organizations::3a2d95404f964a6aba78819bf8ddc1e3:ou:o-wvntq58r3poyv180t5df1mdna4uwy9se/ou-5x1bvygwrplokk622i9gbn3f5ftfb2l9"
)

var organizationURNType = map[string]attr.Type{
	"account_id":      types.StringType,
	"resource_type":   types.StringType,
	"organization_id": types.StringType,
	"resource_id":     types.StringType,
}

type parseOrganizationURNFunction struct{}

func newParseOrganizationURNFunction() function.Function { return &parseOrganizationURNFunction{} }

func (f *parseOrganizationURNFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "parse_organization_urn"
}

func (f *parseOrganizationURNFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Split an organization URN into its parts.",
		MarkdownDescription: "Splits an organization URN as IMS returns it in a member's `urn` into an object with `account_id`, " +
			"`resource_type` (`organization`, `root` or `ou`), `organization_id` and `resource_id` (the last ID of the URN: " +
			"the organization's own ID for the whole organization), so that a policy can say " +
			"\"only our organization\" without a regular expression. A null URN (a project or domain member) gives an object whose four attributes are null, " +
			"so `parse_organization_urn(m.urn).organization_id == \"o-...\"` is false for such a member, not an error; " +
			"anything else that is not of this form is an error that quotes it.",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:                "urn",
				AllowNullValue:      true,
				MarkdownDescription: "The URN, such as `" + organizationURNExample + "`.",
			},
		},
		Return: function.ObjectReturn{AttributeTypes: organizationURNType},
	}
}

func (f *parseOrganizationURNFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var urn types.String
	resp.Error = function.ConcatFuncErrors(req.Arguments.Get(ctx, &urn))
	if resp.Error != nil {
		return
	}
	if urn.IsNull() {
		// An object of nulls, not null: a policy's
		// parse_organization_urn(m.urn).organization_id is then null for a
		// project or domain member instead of an error on every CLI that
		// evaluates both sides of &&.
		resp.Error = resp.Result.Set(ctx, types.ObjectValueMust(organizationURNType, map[string]attr.Value{
			"account_id": types.StringNull(), "resource_type": types.StringNull(),
			"organization_id": types.StringNull(), "resource_id": types.StringNull(),
		}))
		return
	}
	parts, err := parseOrganizationURN(urn.ValueString())
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, err.Error())
		return
	}
	resp.Error = resp.Result.Set(ctx, types.ObjectValueMust(organizationURNType, map[string]attr.Value{
		"account_id":      types.StringValue(parts.accountID),
		"resource_type":   types.StringValue(parts.resourceType),
		"organization_id": types.StringValue(parts.organizationID),
		"resource_id":     types.StringValue(parts.resourceID),
	}))
}

type organizationURN struct {
	accountID, resourceType, organizationID, resourceID string
}

// Parts of an organization URN: the management account is a 32-hex ID;
// the IDs after o-, r- and ou- are lower-case letters and digits.
var (
	organizationIDPattern = regexp.MustCompile(`^o-[0-9a-z]+$`)
	rootIDPattern         = regexp.MustCompile(`^r-[0-9a-z]+$`)
	unitIDPattern         = regexp.MustCompile(`^ou-[0-9a-z]+$`)
)

// parseOrganizationURN splits one of the three forms: the organization
// (organizations::{account}:organization:o-{org}), its root
// (...:root:o-{org}/r-{root}) or an organizational unit
// (...:ou:o-{org}/ou-{ou}). resource_id is the URN's last ID, the member_id
// IMS reports for it.
func parseOrganizationURN(urn string) (organizationURN, error) {
	fail := func(why string) (organizationURN, error) {
		return organizationURN{}, fmt.Errorf("%q is not an organization URN: %s. Expected %s, such as %s", urn, why, organizationURNForm, organizationURNExample)
	}
	rest, ok := strings.CutPrefix(urn, organizationURNPrefix)
	if !ok {
		return fail(`it does not start with "` + organizationURNPrefix + `"`)
	}
	fields := strings.Split(rest, ":")
	if len(fields) != 3 {
		return fail(fmt.Sprintf(`after the prefix it has %d ":"-separated parts, not 3`, len(fields)))
	}
	u := organizationURN{accountID: fields[0], resourceType: fields[1]}
	if !tenantIDPattern.MatchString(u.accountID) {
		return fail(fmt.Sprintf("account_id %q is not a 32-character lower-case hexadecimal account ID", u.accountID))
	}
	ids := strings.Split(fields[2], "/")
	want, last := 2, (*regexp.Regexp)(nil)
	switch u.resourceType {
	case "organization":
		want = 1
	case "root":
		last = rootIDPattern
	case "ou":
		last = unitIDPattern
	default:
		return fail(fmt.Sprintf("resource_type %q is none of organization, root and ou", u.resourceType))
	}
	if len(ids) != want {
		article := map[bool]string{true: "a", false: "an"}[u.resourceType == "root"]
		return fail(fmt.Sprintf(`%s %s URN ends in %d "/"-separated ID(s), not %d`, article, u.resourceType, want, len(ids)))
	}
	u.organizationID, u.resourceID = ids[0], ids[len(ids)-1]
	if !organizationIDPattern.MatchString(u.organizationID) {
		return fail(fmt.Sprintf("organization_id %q is not o- followed by lower-case letters and digits", u.organizationID))
	}
	if last != nil && !last.MatchString(u.resourceID) {
		prefix := map[string]string{"root": "r-", "ou": "ou-"}[u.resourceType]
		return fail(fmt.Sprintf("resource_id %q is not %s followed by lower-case letters and digits", u.resourceID, prefix))
	}
	return u, nil
}
