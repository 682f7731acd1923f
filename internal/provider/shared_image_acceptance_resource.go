package provider

import (
	"context"
	"errors"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
)

var (
	_ resource.ResourceWithConfigure   = (*sharedImageAcceptanceResource)(nil)
	_ resource.ResourceWithImportState = (*sharedImageAcceptanceResource)(nil)
	_ resource.ResourceWithIdentity    = (*sharedImageAcceptanceResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*sharedImageAcceptanceResource)(nil)
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

// ModifyPlan fails the plan when the provider lacks credentials or region
// (missing_settings.go), as the share's does: the apply would fail.
func (r *sharedImageAcceptanceResource) ModifyPlan(_ context.Context, _ resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	r.data.reportMissing(&resp.Diagnostics)
}

// answer makes the project's answer to the image status: it reads the
// status first and sends nothing when the image already has it (a PUT
// whose status the image has is not sent); a PUT whose answer was lost, or
// whose job could not be followed, is reconciled the same way (read, send
// if still needed), at most as often as the client retries a request; a
// failed job is judged against a fresh read. For a delete (goneIsDone), an
// image no longer shared with the project needs no answer. *written is
// set once a PUT may have taken effect.
func (r *sharedImageAcceptanceResource) answer(ctx context.Context, region, projectID string, m sharedImageAcceptanceModel, status string, goneIsDone bool, written *bool) error {
	imageID := m.ImageID.ValueString()
	return r.data.reconcile(ctx, func(ctx context.Context) (writeStep, error) {
		current, err := r.status(ctx, region, projectID, imageID, status)
		if err != nil || current == status || (current == "" && goneIsDone) {
			return writeStep{}, err // nothing to send
		}
		return writeStep{send: func(ctx context.Context) error {
			return r.data.runJob(ctx, region, projectID, written, func(ctx context.Context) (string, error) {
				return r.data.client.SetMemberStatus(ctx, client.MemberStatusInput{
					Region: region, ProjectID: projectID, ImageIDs: []string{imageID},
					Status: status, VaultID: knownString(m.VaultID),
				})
			})
		}}, nil
	})
}

// status is the project's answer to the image: accepted, rejected or
// pending, or "" when the image is not shared with the project. first is
// looked for first (the likeliest: a read without drift takes one listing).
// An image carries no member status of its own: the list's filter is the
// only way to learn it.
func (r *sharedImageAcceptanceResource) status(ctx context.Context, region, projectID, imageID, first string) (string, error) {
	order := memberStatuses
	if slices.Contains(memberStatuses, first) {
		order = append([]string{first}, slices.DeleteFunc(slices.Clone(memberStatuses), func(v string) bool { return v == first })...)
	}
	for _, status := range order {
		list, err := r.data.client.ListImages(ctx, client.ListImagesInput{Region: region, ProjectID: projectID,
			Filters: client.ImageFilters{ID: imageID, Visibility: "shared", MemberStatus: status}})
		if err != nil {
			return "", err
		}
		if slices.ContainsFunc(list.Images, func(img client.Image) bool { return img.ID == imageID }) {
			return status, nil
		}
	}
	return "", nil
}

// recordAnswer writes the state after a write: the status read back, or
// as planned when it cannot be read (or the image is no longer shared).
func (r *sharedImageAcceptanceResource) recordAnswer(ctx context.Context, plan sharedImageAcceptanceModel, region, projectID string, state stateSetter, diags *diag.Diagnostics) {
	ctx, cancel := recordContext(ctx)
	defer cancel()
	imageID := plan.ImageID.ValueString()
	if st, err := r.status(ctx, region, projectID, imageID, plan.Status.ValueString()); err == nil && st != "" {
		plan.Status = types.StringValue(st)
	}
	plan.ID, plan.Region, plan.ProjectID = types.StringValue(imageID), types.StringValue(region), types.StringValue(projectID)
	diags.Append(state.Set(ctx, &plan)...)
}

func (r *sharedImageAcceptanceResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	ctx, cancel, plan, op, ok := startOnImage[sharedImageAcceptanceModel](ctx, r.data, "create", req.Plan, "Cannot find the project to answer image %s for", &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	// The PUT may have taken effect: a failed create records the answer
	// (tainted), as read back, so the state never misses it.
	r.answerAndRecord(ctx, op.operation, plan, op.region, op.projectID,
		"The answer is recorded in the state as read back from the cloud, marked tainted: the next terraform apply replaces it "+
			"(rejects the image, then answers again). To keep it instead, run terraform untaint on this resource's address, then terraform apply.",
		&resp.State, resp.Identity, &resp.Diagnostics)
}

// answerAndRecord sets the project's answer to plan's status and records
// the outcome: the state and identity after success; after a failure, the
// answer as read back once the PUT may have taken effect (with
// recordedNote, what the state now holds), and the error.
func (r *sharedImageAcceptanceResource) answerAndRecord(ctx context.Context, op operation, plan sharedImageAcceptanceModel, region, projectID, recordedNote string,
	state stateSetter, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	imageID := plan.ImageID.ValueString()
	var written bool
	if err := r.answer(ctx, region, projectID, plan, plan.Status.ValueString(), false, &written); err != nil {
		if written {
			r.recordAnswer(ctx, plan, region, projectID, state, diags)
			setImageIdentity(ctx, identity, imageID, region, projectID, diags)
			op.fail(diags, "Cannot set the answer to image "+imageID+" to "+plan.Status.ValueString(), err, recordedNote)
			return
		}
		op.fail(diags, "Cannot set the answer to image "+imageID+" to "+plan.Status.ValueString(), err)
		return
	}
	plan.ID, plan.Region, plan.ProjectID = types.StringValue(imageID), types.StringValue(region), types.StringValue(projectID)
	diags.Append(state.Set(ctx, &plan)...)
	setImageIdentity(ctx, identity, imageID, region, projectID, diags)
}

// memberStatuses are the answers Read looks for, in this order after the
// state's own (the likeliest, so a read without drift takes one listing).
var memberStatuses = []string{"accepted", "rejected", "pending"}

func (r *sharedImageAcceptanceResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	ctx, cancel, state, op, ok := startOnImage[sharedImageAcceptanceModel](ctx, r.data, "read", req.State, "Cannot find the project to read the answer to image %s for", &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	imageID, region, projectID := op.imageID, op.region, op.projectID
	setImageIdentity(ctx, resp.Identity, imageID, region, projectID, &resp.Diagnostics)
	status, err := r.status(ctx, region, projectID, imageID, knownString(state.Status))
	if err != nil {
		op.fail(&resp.Diagnostics, "Cannot read the answer to image "+imageID, err)
		return
	}
	if status == "" {
		resp.State.RemoveResource(ctx) // IMS lists the image as shared with this project under no status
		return
	}
	state.ID, state.Status = types.StringValue(imageID), types.StringValue(status)
	state.Region, state.ProjectID = types.StringValue(region), types.StringValue(projectID)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *sharedImageAcceptanceResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var state sharedImageAcceptanceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, cancel, plan, op, ok := startOperation[sharedImageAcceptanceModel](ctx, r.data, "update", req.Plan, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	r.answerAndRecord(ctx, op, plan, state.Region.ValueString(), state.ProjectID.ValueString(),
		"The state records the answer as read back from the cloud.", &resp.State, resp.Identity, &resp.Diagnostics)
}

// Delete rejects the image: the API cannot forget an answer. An image no
// longer shared with the project (IMG.0066) has nothing left to reject.
func (r *sharedImageAcceptanceResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	ctx, cancel, state, op, ok := startOperation[sharedImageAcceptanceModel](ctx, r.data, "delete", req.State, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	var written bool
	region, projectID, imageID := state.Region.ValueString(), state.ProjectID.ValueString(), state.ImageID.ValueString()
	err := r.answer(ctx, region, projectID, state, "rejected", true, &written)
	if err != nil && !r.notSharedWithUs(ctx, err, region, projectID, imageID) {
		op.fail(&resp.Diagnostics, "Cannot reject image "+imageID, err, "The state is unchanged.")
	}
}

// notSharedWithUs is IMS's answer to an image that is not (or no longer)
// shared with the project, IMG.0066 ("wrong image ID"), confirmed by the
// image list, which shows the image under no member status.
func (r *sharedImageAcceptanceResource) notSharedWithUs(ctx context.Context, err error, region, projectID, imageID string) bool {
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) || !apiErr.FromIMS() || apiErr.Code != "IMG.0066" {
		return false
	}
	status, readErr := r.status(ctx, region, projectID, imageID, "")
	return readErr == nil && status == ""
}

// ImportState adopts the answer to an image by image_id (or
// project_id/image_id), or by identity; Read finds the status.
func (r *sharedImageAcceptanceResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importImage(ctx, req, resp)
}
