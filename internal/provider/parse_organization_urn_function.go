package provider

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ function.Function = (*parseOrganizationURNFunction)(nil)

// organizationURNForm is the form the function's errors and docs name.
const (
	organizationURNPrefix  = "organizations::"
	organizationURNForm    = "organizations::{account_id}:{resource_type}:{organization_id}/{resource_id}"
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
		MarkdownDescription: "Splits an organization URN as IMS returns it in a member's `urn`, `" + organizationURNForm + "`, " +
			"into an object with `account_id`, `resource_type`, `organization_id` and `resource_id`, so that a policy can say " +
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

// parseOrganizationURN splits organizations::{account}:{type}:{org}/{id};
// every part must be present and free of ':', '/' and spaces.
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
	ids := strings.Split(fields[2], "/")
	if len(ids) != 2 {
		return fail(fmt.Sprintf(`the last part has %d "/"-separated IDs, not 2`, len(ids)))
	}
	u := organizationURN{accountID: fields[0], resourceType: fields[1], organizationID: ids[0], resourceID: ids[1]}
	for _, p := range []struct{ name, value string }{
		{"account_id", u.accountID}, {"resource_type", u.resourceType},
		{"organization_id", u.organizationID}, {"resource_id", u.resourceID},
	} {
		switch {
		case p.value == "":
			return fail(p.name + " is empty")
		case strings.ContainsFunc(p.value, unicode.IsSpace):
			return fail(p.name + " contains white space")
		case strings.Contains(p.value, "/"):
			return fail(p.name + ` contains "/"`)
		}
	}
	return u, nil
}
