package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
)

var _ datasource.DataSourceWithConfigure = (*sharedImagesDataSource)(nil)

// memberReadConcurrency bounds how many member lists one read requests at
// once, per project. The request budget of the project's endpoint sets the
// pace (it starts at 50 requests/s and follows the gateway's 429s), so
// concurrency only has to hide the round trip: at 50 requests/s and up to 200 ms a request, ten in
// flight keep the budget busy. Ten is also Terraform's own parallelism, so
// one ims_shared_images never presses the API harder than a for_each over
// ims_image_members does; more would only queue at the budget.
const memberReadConcurrency = 10

type sharedImagesDataSource struct {
	data *providerData
}

func newSharedImagesDataSource() datasource.DataSource { return &sharedImagesDataSource{} }

func (d *sharedImagesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_shared_images"
}

func (d *sharedImagesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// sharedImage is one image of the read and, once read, its members.
type sharedImage struct {
	id   string
	name *string // nil with image_ids: the listing was skipped
	list *client.MemberList
	// region and projectID are the project the image was read in (its
	// owner).
	region, projectID string
}

func (d *sharedImagesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	got := d.fetch(ctx, req, resp)
	if got == nil {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, got.state())...)
}

// state is the state after a read: the configuration as given, the region
// and project the read used, and every image with its members after the
// filters. The direct path (directReadsServer) encodes the same state without
// it (encodeSharedImagesState), and is tested against it.
func (got *fetchedSharedImages) state() *sharedImagesModel {
	m := got.model
	m.Region = types.StringPointerValue(got.region) // null when account-wide
	m.ProjectID = types.StringPointerValue(got.projectID)
	status, memberType := m.Status.ValueString(), m.MemberType.ValueString()
	m.Images = make([]sharedImageModel, len(got.images))
	for i, img := range got.images {
		m.Images[i] = sharedImageModel{
			ID:        types.StringValue(img.id),
			Name:      types.StringPointerValue(img.name),
			Region:    types.StringValue(img.region),
			ProjectID: types.StringValue(img.projectID),
			Members:   memberModels(img.list.Members, status, memberType),
		}
	}
	return &m
}

// fetchedSharedImages is what a read of ims_shared_images learnt, for the
// state. region and projectID are nil in the account-wide forms.
type fetchedSharedImages struct {
	model             sharedImagesModel
	region, projectID *string
	images            []sharedImage
}

// fetch reads the configuration, the images and every member; nil when it
// failed, with the diagnostics in resp. Split from Read so that
// directReadsServer shares it.
func (d *sharedImagesDataSource) fetch(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) *fetchedSharedImages {
	ctx, cancel, m, op, ok := startOperation[sharedImagesModel](ctx, d.data, "read", req.Config, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return nil
	}
	if m.accountWide() {
		return d.fetchAccount(ctx, m, op, &resp.Diagnostics)
	}
	d.data.warnUnknownRegionOverride(m.Region, &resp.Diagnostics)
	region, projectID, err := d.data.target(ctx, m.Region, m.ProjectID)
	if err != nil {
		op.fail(&resp.Diagnostics, fmt.Sprintf("Cannot find the project of region %q to list the images it shares", region), err)
		return nil
	}
	var imageIDs []string
	if !m.ImageIDs.IsNull() {
		resp.Diagnostics.Append(m.ImageIDs.ElementsAs(ctx, &imageIDs, false)...)
		if resp.Diagnostics.HasError() {
			return nil
		}
	}
	images, warnings, err := d.readProject(ctx, project{region: region, id: projectID}, imageIDs, m.ImageIDs.IsNull())
	if err != nil {
		var failed *imageReadError
		var listing *listingError
		switch {
		case errors.As(err, &failed):
			op.fail(&resp.Diagnostics, "Cannot read the members of image "+failed.image.label(), failed.err)
		case errors.As(err, &listing):
			op.fail(&resp.Diagnostics, "Cannot list the images project "+projectID+" shares", listing.err)
		default:
			op.fail(&resp.Diagnostics, "Cannot read the members of the shared images", err)
		}
		return nil
	}
	resp.Diagnostics.Append(warnings...)
	return &fetchedSharedImages{model: m, region: &region, projectID: &projectID, images: images}
}

// project is one project a read covers, in its region.
type project struct{ region, id string }

// listingError is a failure to enumerate a project's shared images.
type listingError struct{ err error }

func (e *listingError) Error() string { return "listing the shared images: " + e.err.Error() }
func (e *listingError) Unwrap() error { return e.err }

// readProject reads the shared images of p when enumerate is set, or else
// the images imageIDs (in ID order, without listing), with their members. Images gone between the
// listing and their members are left out, with warnings naming them.
func (d *sharedImagesDataSource) readProject(ctx context.Context, p project, imageIDs []string, enumerate bool) ([]sharedImage, diag.Diagnostics, error) {
	var images []sharedImage
	if enumerate {
		list, err := d.data.client.ListImages(ctx, client.ListImagesInput{
			Region: p.region, ProjectID: p.id, Filters: client.ImageFilters{ImageType: "shared", Owner: p.id},
		})
		if err != nil {
			return nil, nil, &listingError{err: err}
		}
		images = make([]sharedImage, len(list.Images))
		for i, img := range list.Images {
			images[i] = sharedImage{id: img.ID, name: img.Name, region: p.region, projectID: p.id}
		}
	} else {
		ids := slices.Sorted(slices.Values(imageIDs))
		images = make([]sharedImage, len(ids))
		for i, id := range ids {
			images[i] = sharedImage{id: id, region: p.region, projectID: p.id}
		}
	}

	gone, err := d.readMembers(ctx, p.region, p.id, images, enumerate)
	if err != nil {
		return nil, nil, err
	}
	var warnings diag.Diagnostics
	warnGone(&warnings, gone)
	images = slices.DeleteFunc(images, func(img sharedImage) bool { return img.list == nil })
	for _, img := range images {
		warnDuplicates(&warnings, img.id, img.list.Duplicates)
	}
	return images, warnings, nil
}

// imageReadError is the first failure of a read of many images.
type imageReadError struct {
	image sharedImage
	err   error
}

func (e *imageReadError) Error() string { return e.image.label() + ": " + e.err.Error() }
func (e *imageReadError) Unwrap() error { return e.err }

// label names an image in a diagnostic: its ID, and its name when known.
func (img sharedImage) label() string {
	if img.name != nil && *img.name != "" {
		return fmt.Sprintf("%s (%q)", img.id, *img.name)
	}
	return img.id
}

// readMembers reads every image's members into images[i].list, at most
// memberReadConcurrency at once. An enumerated image that is gone (404) is
// left without a list and returned in gone; the first other failure stops
// the rest and is returned as an *imageReadError.
func (d *sharedImagesDataSource) readMembers(ctx context.Context, region, projectID string, images []sharedImage, enumerated bool) ([]sharedImage, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu       sync.Mutex
		firstErr error
		goneAt   []int
		wg       sync.WaitGroup
	)
	next := make(chan int)
	for range min(memberReadConcurrency, len(images)) {
		wg.Go(func() {
			for i := range next {
				list, err := d.data.client.ListImageMembers(ctx, client.ListImageMembersInput{
					Region: region, ProjectID: projectID, ImageID: images[i].id,
				})
				mu.Lock()
				switch {
				case err == nil:
					images[i].list = list
				case enumerated && isNotFound(err):
					goneAt = append(goneAt, i)
				case firstErr == nil:
					firstErr = &imageReadError{image: images[i], err: err}
					cancel() // the read fails: stop asking
				}
				mu.Unlock()
			}
		})
	}
feed:
	for i := range images {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if firstErr == nil && ctx.Err() != nil { // cut off between two images
		firstErr = context.Cause(ctx)
	}
	slices.Sort(goneAt)
	gone := make([]sharedImage, len(goneAt))
	for j, i := range goneAt {
		gone[j] = images[i]
	}
	return gone, firstErr
}

// isNotFound is IMS's own 404 (an IMS error body): only IMS can say an
// image does not exist. A gateway 404 (APIGW.0101, a wrong endpoint) or
// any other body is an error like any other.
func isNotFound(err error) bool {
	var apiErr *client.APIError
	return errors.As(err, &apiErr) && apiErr.NotFoundByIMS()
}

// warnGone names the images deleted between the listing and the read of
// their members, which the state leaves out.
func warnGone(diags *diag.Diagnostics, gone []sharedImage) {
	if len(gone) == 0 {
		return
	}
	labels := make([]string, len(gone))
	for i, img := range gone {
		labels[i] = img.label()
	}
	diags.AddWarning("Shared images disappeared during the read",
		fmt.Sprintf("%d image(s) were listed as shared but no longer existed when their members were read (404), and are left out: %s.",
			len(gone), joinShort(labels)))
}
