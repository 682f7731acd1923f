package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
)

var _ list.ListResourceWithConfigure = (*sharedImageAcceptanceList)(nil)

// answeredStatuses are the answers a list finds: a pending image has no
// answer to adopt.
var answeredStatuses = []string{"accepted", "rejected"}

// sharedImageAcceptanceList is ims_shared_image_acceptance's list resource
// for `terraform query` (Terraform 1.14+): every image shared with the
// project that it has answered, found the way Read finds an answer, by the
// image list's member_status filter.
type sharedImageAcceptanceList struct {
	data *providerData
}

func newSharedImageAcceptanceList() list.ListResource { return &sharedImageAcceptanceList{} }

// sharedImageAcceptanceListModel is the list block's config.
type sharedImageAcceptanceListModel struct {
	Region    types.String `tfsdk:"region"`
	ProjectID types.String `tfsdk:"project_id"`
	Status    types.String `tfsdk:"status"`
}

func (l *sharedImageAcceptanceList) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_shared_image_acceptance"
}

func (l *sharedImageAcceptanceList) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (l *sharedImageAcceptanceList) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	attrs := listTargetAttributes("Project the images are shared with (the one answering)")
	attrs["status"] = schema.StringAttribute{
		Optional:            true,
		Validators:          []validator.String{stringvalidator.OneOf(answeredStatuses...)},
		MarkdownDescription: "List only the images with this answer: `accepted` or `rejected`. Default: both.",
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Every image other projects shared with this project that it has answered (`accepted` or `rejected`; " +
			"a `pending` image has no answer to adopt), for `terraform query` (Terraform 1.14+): " +
			"`GET /v2/cloudimages?__imagetype=shared&visibility=shared&member_status={status}` for each status, every page. " +
			"Each result carries the resource identity (`image_id`, `project_id`, `region`) and is named by the image's name " +
			"and ID; with `include_resource = true` it carries the resource with its `status` too.",
		Attributes: attrs,
	}
}

func (m sharedImageAcceptanceListModel) target() (types.String, types.String) {
	return m.Region, m.ProjectID
}

func (l *sharedImageAcceptanceList) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	listWith(ctx, l.data, req, stream, "answered images", func(ctx context.Context, cfg sharedImageAcceptanceListModel, region, projectID string, diags *diag.Diagnostics) []list.ListResult {
		return l.list(ctx, req, cfg, region, projectID, diags)
	})
}

// list reads the images of each answer asked for, accepted first.
func (l *sharedImageAcceptanceList) list(ctx context.Context, req list.ListRequest, cfg sharedImageAcceptanceListModel, region, projectID string, diags *diag.Diagnostics) []list.ListResult {
	statuses := answeredStatuses
	if s := knownString(cfg.Status); s != "" {
		statuses = []string{s}
	}
	var results []list.ListResult
	for _, status := range statuses {
		listed, err := l.data.client.ListImages(ctx, client.ListImagesInput{Region: region, ProjectID: projectID,
			Filters: client.ImageFilters{ImageType: "shared", Visibility: "shared", MemberStatus: status}})
		if err != nil {
			listOperation.fail(diags, "Cannot list the images project "+projectID+" has "+status, err)
			return nil
		}
		for _, img := range listed.Images {
			results = append(results, newImageListResult(ctx, req, img.ID, region, projectID, img.Name, func(result *list.ListResult) {
				result.Diagnostics.Append(result.Resource.Set(ctx, sharedImageAcceptanceModel{
					ID: types.StringValue(img.ID), ImageID: types.StringValue(img.ID),
					Region: types.StringValue(region), ProjectID: types.StringValue(projectID),
					Status: types.StringValue(status), VaultID: types.StringNull(),
					Timeouts: timeouts.Value{Object: nullWriteTimeouts()},
				})...)
			}))
		}
	}
	return results
}
