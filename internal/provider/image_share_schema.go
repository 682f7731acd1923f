package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// shareMemberObjectType is one element of ims_image_share's members.
var shareMemberObjectType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"member_id":   types.StringType,
	"member_type": types.StringType,
	"status":      types.StringType,
	"urn":         types.StringType,
	"created_at":  types.StringType,
	"updated_at":  types.StringType,
}}

// imageShareModel is the resource's configuration and state.
type imageShareModel struct {
	ID               types.String   `tfsdk:"id"`
	ImageID          types.String   `tfsdk:"image_id"`
	Region           types.String   `tfsdk:"region"`
	ProjectID        types.String   `tfsdk:"project_id"`
	ProjectIDs       types.Set      `tfsdk:"project_ids"`
	DomainIDs        types.Set      `tfsdk:"domain_ids"`
	OrganizationURNs types.Set      `tfsdk:"organization_urns"`
	Members          types.List     `tfsdk:"members"`
	Timeouts         timeouts.Value `tfsdk:"timeouts"`
}

// maxShareMembers is the API's limit of tenants per image.
const maxShareMembers = 256

func (r *imageShareResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	tenantIDs := func(kind, description string) schema.SetAttribute {
		return schema.SetAttribute{
			Optional:    true,
			Computed:    true,
			ElementType: types.StringType,
			Validators: []validator.Set{
				setvalidator.SizeAtMost(maxShareMembers),
				setvalidator.ValueStringsAre(tenantIDValidator{kind: kind}),
			},
			PlanModifiers:       []planmodifier.Set{emptyWhenAbsent{}},
			MarkdownDescription: description + emptySetNote,
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Every member of an IMS image, owned by Terraform: the projects, accounts (domains) and organizations " +
			"the image is shared with. Authoritative: a member added elsewhere (in the console, by a script) shows in the next plan " +
			"and is removed by the next apply; one removed elsewhere is shared again. Each change is a job of the cloud's, awaited. " +
			"Read is the image's complete members list, so `members` shows who has accepted.",
		Attributes: map[string]schema.Attribute{
			"id":         idResourceAttribute(),
			"image_id":   imageIDResourceAttribute("ID of the image to share, a UUID. The project must own it. Changing it replaces the resource."),
			"region":     regionResourceAttribute("Region of the image, overriding the provider's."),
			"project_id": targetResourceAttribute("Project that owns the image, overriding the provider's."),
			"project_ids": tenantIDs("a project",
				"Projects to share the image with: 32-character project IDs. A new project member is `pending` until it accepts."),
			"domain_ids": tenantIDs("an account (domain)",
				"Accounts (domains) to share the image with: 32-character account IDs. An image shared with an account cannot be deleted until the share is removed."),
			"organization_urns": schema.SetAttribute{
				Optional:    true,
				Computed:    true,
				ElementType: types.StringType,
				Validators: []validator.Set{
					setvalidator.SizeAtMost(maxShareMembers),
					setvalidator.ValueStringsAre(organizationURNValidator{}),
				},
				PlanModifiers: []planmodifier.Set{emptyWhenAbsent{}},
				MarkdownDescription: "Organizations to share the image with, as URNs of any of the three forms: the whole organization " +
					"(`organizations::{account}:organization:o-{org}`), its root (`organizations::{account}:root:o-{org}/r-{root}`) " +
					"or an organizational unit, such as `" + organizationURNExample + "`." + emptySetNote,
			},
			"members": schema.ListAttribute{
				Computed:    true,
				ElementType: shareMemberObjectType,
				MarkdownDescription: "The members as last read, in API order: `member_id` (a project or account ID, or the last ID of an organization's URN), " +
					"`member_type` (`project`, `domain` or `organization`), `status` (`accepted`, `rejected` or `pending`), " +
					"`urn` (organization members only, else null), `created_at` and `updated_at`.",
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": writeTimeoutsBlock(ctx),
		},
	}
}

// organizationURNValidator accepts what parse_organization_urn accepts.
type organizationURNValidator struct{}

func (organizationURNValidator) Description(context.Context) string {
	return "must be an organization URN: " + organizationURNForm
}

func (v organizationURNValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (organizationURNValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := parseOrganizationURN(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid organization URN", err.Error()+".")
	}
}

func (r *imageShareResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = imageIdentitySchema("Project that owns the image")
}

// emptySetNote is the same for the three member sets.
const emptySetNote = " Leaving the set out and writing `[]` mean the same: no such member (the state holds `[]`)."

// emptyWhenAbsent plans a member set left out of the configuration as the
// empty set, the form Read gives when there is no such member: a set left
// out and a set written as [] are the same declaration, so neither plans a
// change against the other (an imported share, whatever its configuration
// writes).
type emptyWhenAbsent struct{}

func (emptyWhenAbsent) Description(context.Context) string {
	return "a set left out of the configuration is the empty set"
}

func (m emptyWhenAbsent) MarkdownDescription(ctx context.Context) string { return m.Description(ctx) }

func (emptyWhenAbsent) PlanModifySet(_ context.Context, req planmodifier.SetRequest, resp *planmodifier.SetResponse) {
	if req.ConfigValue.IsNull() {
		resp.PlanValue = types.SetValueMust(types.StringType, nil)
	}
}
