package provider

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The schema attributes the two resources share, and the plan values they
// read.

// tenantIDPattern is a project or account (domain) ID: 32 lower-case hex
// characters, as the API returns them (an upper-case ID would differ from
// the members list at every plan).
var tenantIDPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

// imageIDResourceAttribute is the image a resource manages: a UUID; a new
// image is a new resource.
func imageIDResourceAttribute(description string) schema.StringAttribute {
	return schema.StringAttribute{
		Required:            true,
		Validators:          []validator.String{imageIDValidator{}},
		PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
		MarkdownDescription: description,
	}
}

// targetResourceAttribute is region or project_id of a resource: an
// override of the provider's, kept from state when not set, and a change
// means another image, so a replacement.
func targetResourceAttribute(description string) schema.StringAttribute {
	return schema.StringAttribute{
		Optional:   true,
		Computed:   true,
		Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
		PlanModifiers: []planmodifier.String{
			stringplanmodifier.UseStateForUnknown(),
			stringplanmodifier.RequiresReplace(),
		},
		MarkdownDescription: description + " Changing it replaces the resource. Always set in state to the one used.",
	}
}

// regionResourceAttribute is the region of a resource, checked at plan time
// as part of a host name like every region.
func regionResourceAttribute(description string) schema.StringAttribute {
	a := targetResourceAttribute(description)
	a.Validators = []validator.String{hostNamePart{}}
	return a
}

// idResourceAttribute is the resource's ID, the image ID.
func idResourceAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Computed:            true,
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		MarkdownDescription: "The image ID.",
	}
}

// writeTimeoutsBlock is the timeouts block of a resource whose writes
// await a job.
func writeTimeoutsBlock(ctx context.Context) schema.Block {
	const job = "a duration such as `30s` or `10m`, the cloud's job and every retry and wait included. Default `10m`."
	return timeouts.Block(ctx, timeouts.Opts{
		Create: true, Update: true, Delete: true, Read: true,
		CreateDescription: "How long create may take: " + job,
		UpdateDescription: "How long update may take: " + job,
		DeleteDescription: "How long delete may take: " + job,
		ReadDescription:   "How long a read (refresh, import) may take: a duration such as `30s` or `10m`. Default `5m`.",
	})
}

// knownString is v's value, or "" when null or unknown.
func knownString(v types.String) string {
	if v.IsNull() || v.IsUnknown() {
		return ""
	}
	return v.ValueString()
}
