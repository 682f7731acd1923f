package provider

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
)

var _ list.ListResourceWithConfigure = (*imageShareList)(nil)

// imageShareList is ims_image_share's list resource for `terraform query`
// (Terraform 1.14+): every image the project shares with at least one
// member, read as ims_shared_images reads them. With include_resource each
// result carries the state an import would give, so that
// `-generate-config-out` writes configuration that plans no change.
type imageShareList struct {
	data *providerData
}

func newImageShareList() list.ListResource { return &imageShareList{} }

// imageShareListModel is the list block's config.
type imageShareListModel struct {
	Region    types.String `tfsdk:"region"`
	ProjectID types.String `tfsdk:"project_id"`
}

func (l *imageShareList) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_image_share"
}

func (l *imageShareList) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (l *imageShareList) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Every image the project shares with at least one member, for `terraform query` (Terraform 1.14+): " +
			"the images of `GET /v2/cloudimages?__imagetype=shared&owner={project_id}` (every page), then each image's " +
			"complete members list, several at once through the provider's request budget. Each result carries the " +
			"resource identity (`image_id`, `project_id`, `region`) and is named by the image's name and ID; with " +
			"`include_resource = true` it carries the resource too, its members as the three sets, so that " +
			"`terraform query -generate-config-out=shares.tf` writes configuration that imports with no change.",
		Attributes: listTargetAttributes("Project whose shared images are listed (their owner)"),
	}
}

func (m imageShareListModel) target() (types.String, types.String) { return m.Region, m.ProjectID }

func (l *imageShareList) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	listWith(ctx, l.data, req, stream, "shared images", func(ctx context.Context, _ imageShareListModel, region, projectID string, diags *diag.Diagnostics) []list.ListResult {
		return l.list(ctx, req, region, projectID, diags)
	})
}

// list reads every shared image and its members; the results in listing
// order, the warnings (images gone meanwhile, members listed twice) in
// diags.
func (l *imageShareList) list(ctx context.Context, req list.ListRequest, region, projectID string, diags *diag.Diagnostics) []list.ListResult {
	listed, err := l.data.client.ListImages(ctx, client.ListImagesInput{
		Region: region, ProjectID: projectID, Filters: client.ImageFilters{ImageType: "shared", Owner: projectID},
	})
	if err != nil {
		listOperation.fail(diags, "Cannot list the images project "+projectID+" shares", err)
		return nil
	}
	images := make([]sharedImage, len(listed.Images))
	for i, img := range listed.Images {
		images[i] = sharedImage{id: img.ID, name: img.Name}
	}
	gone, err := (&sharedImagesDataSource{data: l.data}).readMembers(ctx, region, projectID, images, true)
	var failed *imageReadError
	switch {
	case errors.As(err, &failed):
		listOperation.fail(diags, "Cannot read the members of image "+failed.image.label(), failed.err)
		return nil
	case err != nil:
		listOperation.fail(diags, "Cannot read the members of the shared images", err)
		return nil
	}
	warnGone(diags, gone)

	var results []list.ListResult
	for _, img := range images {
		if img.list == nil || len(img.list.Members) == 0 {
			continue // gone, or shared with no one: nothing to adopt
		}
		result := newImageListResult(ctx, req, img.id, region, projectID, img.name, func(result *list.ListResult) {
			result.Diagnostics.Append(result.Resource.Set(ctx, listedShare(img, region, projectID, &result.Diagnostics))...)
		})
		warnDuplicates(&result.Diagnostics, img.id, img.list.Duplicates)
		results = append(results, result)
	}
	return results
}

// listedShare is the state Read gives after an import of img's share: the
// kinds of member the image has none of are empty sets, which plan no
// change whether the generated configuration writes [] or leaves them out
// (emptyWhenAbsent).
func listedShare(img sharedImage, region, projectID string, diags *diag.Diagnostics) imageShareModel {
	read := shareSetsOf(img.list.Members)
	return imageShareModel{
		ID: types.StringValue(img.id), ImageID: types.StringValue(img.id),
		Region: types.StringValue(region), ProjectID: types.StringValue(projectID),
		ProjectIDs: readSet(read.projects), DomainIDs: readSet(read.domains), OrganizationURNs: readSet(read.organizations),
		Members:  shareMembersValue(img.list.Members, diags),
		Timeouts: timeouts.Value{Object: nullWriteTimeouts()},
	}
}
