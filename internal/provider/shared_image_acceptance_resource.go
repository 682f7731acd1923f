package provider

import (
	"context"
	"errors"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
)

var (
	_ resource.ResourceWithConfigure   = (*sharedImageAcceptanceResource)(nil)
	_ resource.ResourceWithImportState = (*sharedImageAcceptanceResource)(nil)
	_ resource.ResourceWithIdentity    = (*sharedImageAcceptanceResource)(nil)
)

type sharedImageAcceptanceResource struct {
	data *providerData
}

func newSharedImageAcceptanceResource() resource.Resource { return &sharedImageAcceptanceResource{} }

func (r *sharedImageAcceptanceResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_shared_image_acceptance"
}

func (r *sharedImageAcceptanceResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// answer PUTs status for the image and awaits the job.
func (r *sharedImageAcceptanceResource) answer(ctx context.Context, region, projectID string, m sharedImageAcceptanceModel, status string) error {
	return r.data.runJob(ctx, region, projectID, func(ctx context.Context) (string, error) {
		return r.data.client.SetMemberStatus(ctx, client.MemberStatusInput{
			Region: region, ProjectID: projectID, ImageIDs: []string{m.ImageID.ValueString()},
			Status: status, VaultID: knownString(m.VaultID),
		})
	})
}

func (r *sharedImageAcceptanceResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan sharedImageAcceptanceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := plan.Timeouts.Create(ctx, defaultWriteTimeout)
	ctx, cancel, timeout, ok := r.data.beginOperation(ctx, "create", timeout, d, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	imageID := plan.ImageID.ValueString()
	region, projectID, err := r.data.target(ctx, plan.Region, plan.ProjectID)
	if err != nil {
		resp.Diagnostics.AddError(headline(err, "Cannot find the project to answer image "+imageID+" for"), explainOp(err, "create", timeout))
		return
	}
	if err := r.answer(ctx, region, projectID, plan, plan.Status.ValueString()); err != nil {
		resp.Diagnostics.AddError(headline(err, "Cannot set the answer to image "+imageID+" to "+plan.Status.ValueString()), explainOp(err, "create", timeout))
		return
	}
	plan.ID, plan.Region, plan.ProjectID = types.StringValue(imageID), types.StringValue(region), types.StringValue(projectID)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setImageIdentity(ctx, resp.Identity, imageID, region, projectID, &resp.Diagnostics)
}

// memberStatuses are the answers Read looks for, in this order after the
// state's own (the likeliest, so a read without drift takes one listing).
var memberStatuses = []string{"accepted", "rejected", "pending"}

func (r *sharedImageAcceptanceResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state sharedImageAcceptanceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := state.Timeouts.Read(ctx, defaultReadTimeout)
	ctx, cancel, timeout, ok := r.data.beginOperation(ctx, "read", timeout, d, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	imageID := state.ImageID.ValueString()
	region, projectID, err := r.data.target(ctx, state.Region, state.ProjectID)
	if err != nil {
		resp.Diagnostics.AddError(headline(err, "Cannot find the project to read the answer to image "+imageID+" for"), explain(err, timeout))
		return
	}
	setImageIdentity(ctx, resp.Identity, imageID, region, projectID, &resp.Diagnostics)
	order := memberStatuses
	if s := knownString(state.Status); slices.Contains(memberStatuses, s) {
		order = append([]string{s}, slices.DeleteFunc(slices.Clone(memberStatuses), func(v string) bool { return v == s })...)
	}
	// An image carries no member status of its own: the list's filter is
	// the only way to learn it.
	for _, status := range order {
		list, err := r.data.client.ListImages(ctx, client.ListImagesInput{Region: region, ProjectID: projectID,
			Filters: client.ImageFilters{ID: imageID, Visibility: "shared", MemberStatus: status}})
		if err != nil {
			resp.Diagnostics.AddError(headline(err, "Cannot read the answer to image "+imageID), explain(err, timeout))
			return
		}
		if slices.ContainsFunc(list.Images, func(img client.Image) bool { return img.ID == imageID }) {
			state.ID, state.Status = types.StringValue(imageID), types.StringValue(status)
			state.Region, state.ProjectID = types.StringValue(region), types.StringValue(projectID)
			resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
			return
		}
	}
	resp.State.RemoveResource(ctx) // no longer shared with this project
}

func (r *sharedImageAcceptanceResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state sharedImageAcceptanceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := plan.Timeouts.Update(ctx, defaultWriteTimeout)
	ctx, cancel, timeout, ok := r.data.beginOperation(ctx, "update", timeout, d, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	region, projectID := state.Region.ValueString(), state.ProjectID.ValueString()
	if plan.Status.ValueString() != state.Status.ValueString() || !plan.VaultID.Equal(state.VaultID) {
		if err := r.answer(ctx, region, projectID, plan, plan.Status.ValueString()); err != nil {
			resp.Diagnostics.AddError("Cannot set the answer to image "+plan.ImageID.ValueString()+" to "+plan.Status.ValueString(),
				explainOp(err, "update", timeout))
			return
		}
	}
	plan.ID, plan.Region, plan.ProjectID = state.ID, state.Region, state.ProjectID
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setImageIdentity(ctx, resp.Identity, plan.ImageID.ValueString(), region, projectID, &resp.Diagnostics)
}

// Delete rejects the image: the API cannot forget an answer. An image no
// longer shared with the project (IMG.0066) has nothing left to reject.
func (r *sharedImageAcceptanceResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state sharedImageAcceptanceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := state.Timeouts.Delete(ctx, defaultWriteTimeout)
	ctx, cancel, timeout, ok := r.data.beginOperation(ctx, "delete", timeout, d, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	err := r.answer(ctx, state.Region.ValueString(), state.ProjectID.ValueString(), state, "rejected")
	if err != nil && !notSharedWithUs(err) {
		resp.Diagnostics.AddError(headline(err, "Cannot reject image "+state.ImageID.ValueString()), explainOp(err, "delete", timeout))
	}
}

// notSharedWithUs is IMS's answer to an image that is not (or no longer)
// shared with the project: IMG.0066, "wrong image ID".
func notSharedWithUs(err error) bool {
	var apiErr *client.APIError
	return errors.As(err, &apiErr) && apiErr.Code == "IMG.0066"
}

// ImportState adopts the answer to an image by image_id (or
// project_id/image_id), or by identity; Read finds the status.
func (r *sharedImageAcceptanceResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importImage(ctx, req, resp)
}
