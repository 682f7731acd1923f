package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// imageMembersModel is the data source's configuration and state (the
// members in memberModel, member_attributes.go).
type imageMembersModel struct {
	ImageID    types.String   `tfsdk:"image_id"`
	Region     types.String   `tfsdk:"region"`
	ProjectID  types.String   `tfsdk:"project_id"`
	Status     types.String   `tfsdk:"status"`
	MemberType types.String   `tfsdk:"member_type"`
	PageSize   types.Int64    `tfsdk:"page_size"`
	ID         types.String   `tfsdk:"id"`
	Schema     types.String   `tfsdk:"schema"`
	Members    []memberModel  `tfsdk:"members"`
	Timeouts   timeouts.Value `tfsdk:"timeouts"`
}

func (d *imageMembersDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Every member of an IMS image, read through every page of " +
			"`GET /v1/{project_id}/cloudimages/{image_id}/members`, in API order, optionally filtered by status and member type.",
		Attributes: map[string]schema.Attribute{
			"image_id": schema.StringAttribute{
				Required:            true,
				Validators:          []validator.String{imageIDValidator{}},
				MarkdownDescription: "ID of the image, a UUID.",
			},
			"region":      regionAttribute(),
			"project_id":  projectIDAttribute("Project that owns the image"),
			"status":      memberStatusAttribute(),
			"member_type": memberTypeAttribute(),
			"page_size": schema.Int64Attribute{
				Optional:            true,
				Validators:          []validator.Int64{int64validator.Between(1, 1000)},
				MarkdownDescription: "Members per request, 1 to 1000. Default `1000`, the fewest round trips.",
			},
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The image ID.",
			},
			"schema": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The list's `schema` as the API returns it, such as `/v2/schemas/members`.",
			},
			// A list attribute of objects rather than a nested attribute: the
			// state is the same list(object), and Terraform 1.11's
			// override_data and mock_data can fill it in terraform test,
			// which they cannot do for a nested list attribute.
			"members": schema.ListAttribute{
				Computed:    true,
				ElementType: memberObjectType,
				MarkdownDescription: "The members, in API order, after the filters, each field exactly as the API returns it: " +
					"`member_id` (a project ID, an account (domain) ID or an organization unit ID), " +
					"`member_type` (`project`, `domain` or `organization`), `status` (`accepted`, `rejected` or `pending`), " +
					"`urn` (the organization URN; null unless the API returns one), `image_id`, " +
					"`schema` (such as `/v2/schemas/member`), `created_at` and `updated_at` (UTC).",
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.BlockWithOpts(ctx, timeouts.Opts{
				ReadDescription: "How long the read may take, retries and waits included: a duration such as `30s` or `10m`. Default `5m`.",
			}),
		},
	}
}
