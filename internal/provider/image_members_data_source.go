package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
)

var _ datasource.DataSourceWithConfigure = (*imageMembersDataSource)(nil)

type imageMembersDataSource struct {
	data *providerData
}

func newImageMembersDataSource() datasource.DataSource { return &imageMembersDataSource{} }

func (d *imageMembersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_image_members"
}

func (d *imageMembersDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *imageMembersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	m, got := d.fetch(ctx, req, resp)
	if got == nil {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, m.read(got))...)
}

// read is the state after a read: the configuration as given plus id,
// region, project_id, schema and the members that pass the filters. The
// direct path (directReadsServer) encodes the same state without it
// (encodeImageMembersState), and is tested against it.
func (m imageMembersModel) read(got *fetchedMembers) *imageMembersModel {
	m.ID = types.StringValue(m.ImageID.ValueString())
	m.Region = types.StringValue(got.region)
	m.ProjectID = types.StringValue(got.projectID)
	m.Schema = types.StringValue(got.list.Schema)
	m.Members = memberModels(got.list.Members, m.Status.ValueString(), m.MemberType.ValueString())
	return &m
}

// fetchedMembers is what a read learnt from the API, for the state.
type fetchedMembers struct {
	region, projectID string
	list              *client.MemberList
}

// fetch reads the configuration and every member; nil when it failed, with
// the diagnostics in resp. Split from Read so that directReadsServer shares
// it.
func (d *imageMembersDataSource) fetch(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) (imageMembersModel, *fetchedMembers) {
	ctx, cancel, m, op, ok := startOperation[imageMembersModel](ctx, d.data, "read", req.Config, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return m, nil
	}

	imageID := m.ImageID.ValueString()
	region, projectID, ok := d.data.targetOf(ctx, op, m.Region, m.ProjectID, "Cannot find the project to read image "+imageID+" from", &resp.Diagnostics)
	if !ok {
		return m, nil
	}
	list, err := d.data.client.ListImageMembers(ctx, client.ListImageMembersInput{
		Region: region, ProjectID: projectID, ImageID: imageID, PageSize: int(m.PageSize.ValueInt64()),
	})
	if err != nil {
		op.fail(&resp.Diagnostics, "Cannot read the members of image "+imageID, err)
		return m, nil
	}
	warnDuplicates(&resp.Diagnostics, imageID, list.Duplicates)
	return m, &fetchedMembers{region: region, projectID: projectID, list: list}
}
