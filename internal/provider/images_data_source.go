package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
)

var (
	_ datasource.DataSourceWithConfigure      = (*imagesDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*imagesDataSource)(nil)
)

type imagesDataSource struct {
	data *providerData
}

func newImagesDataSource() datasource.DataSource { return &imagesDataSource{} }

func (d *imagesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_images"
}

func (d *imagesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig refuses member_status beside an image_type other than
// shared at plan time: the API would answer with a list that means
// nothing (or an error), after a request.
func (d *imagesDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var m imagesModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || m.MemberStatus.IsNull() || m.MemberStatus.IsUnknown() || m.ImageType.IsNull() || m.ImageType.IsUnknown() {
		return
	}
	if t := m.ImageType.ValueString(); t != "shared" {
		resp.Diagnostics.AddAttributeError(path.Root("member_status"), "member_status needs image_type shared",
			"member_status lists images other projects shared with this project, so image_type must be unset or \"shared\", not \""+t+"\".")
	}
}

func (d *imagesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	ctx, cancel, m, op, ok := startOperation[imagesModel](ctx, d.data, "read", req.Config, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	region, projectID, ok := d.data.targetOf(ctx, op, m.Region, m.ProjectID, "Cannot find the project to list images of", &resp.Diagnostics)
	if !ok {
		return
	}
	list, err := d.data.client.ListImages(ctx, client.ListImagesInput{
		Region: region, ProjectID: projectID, Filters: m.filters(), PageSize: int(m.PageSize.ValueInt64()),
	})
	if err != nil {
		op.fail(&resp.Diagnostics, "Cannot list the images of project "+projectID, err)
		return
	}
	resp.Diagnostics.Append(setImagesState(ctx, &resp.State, m, region, projectID, list.Images)...)
}

// filters maps the arguments onto the API's: public is gold, and
// member_status brings visibility=shared and __imagetype=shared (once).
func (m imagesModel) filters() client.ImageFilters {
	f := client.ImageFilters{
		ImageType: m.ImageType.ValueString(), Owner: m.Owner.ValueString(), Name: m.Name.ValueString(),
		Status: m.Status.ValueString(), OSType: m.OSType.ValueString(), Platform: m.Platform.ValueString(),
		Architecture: m.Architecture.ValueString(), EnterpriseProjectID: m.EnterpriseProjectID.ValueString(),
		Tag: m.Tag.ValueString(), SortKey: m.SortKey.ValueString(), SortDir: m.SortDir.ValueString(),
	}
	if f.ImageType == "public" {
		f.ImageType = "gold"
	}
	if s := m.MemberStatus.ValueString(); s != "" {
		f.MemberStatus, f.Visibility, f.ImageType = s, "shared", "shared"
	}
	return f
}
