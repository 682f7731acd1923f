package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
)

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

// runJob starts a job with start and waits for it to end. It sets
// *written once the write may have taken effect (answered with a job, or
// its answer lost). A wait that failed for another reason than the job's
// own failure or the operation's end is a *jobWaitError: the job's outcome
// is unknown, and only a fresh read can tell.
func (p *providerData) runJob(ctx context.Context, region, projectID string, written *bool, start func(context.Context) (string, error)) error {
	jobID, err := start(ctx)
	var lost *client.AnswerLostError
	if err == nil || errors.As(err, &lost) {
		*written = true
	}
	if err != nil {
		return err
	}
	_, err = p.client.WaitForJob(ctx, client.WaitForJobInput{Region: region, ProjectID: projectID, JobID: jobID})
	var jobErr *client.JobError
	if err != nil && !errors.As(err, &jobErr) && ctx.Err() == nil {
		return &jobWaitError{jobID: jobID, err: err}
	}
	return err
}

// importIDs parses an import ID of the form image_id or
// project_id/image_id into the state's image_id, id and project_id.
func importIDs(ctx context.Context, id string, resp *resource.ImportStateResponse) {
	projectID, imageID := "", id
	if i := len(id) - 37; i > 0 && id[i] == '/' {
		projectID, imageID = id[:i], id[i+1:]
	}
	if !imageIDPattern.MatchString(imageID) || (projectID != "" && !tenantIDPattern.MatchString(projectID)) {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("%q is neither an image ID (a lower-case UUID such as d164b5df-1bc3-4c3f-893e-3e471fd16e64) nor project_id/image_id "+
				"(a 32-character project ID, a slash, the image ID).", id))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("image_id"), imageID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), imageID)...)
	if projectID != "" {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("project_id"), projectID)...)
	}
}

// knownString is v's value, or "" when null or unknown.
func knownString(v types.String) string {
	if v.IsNull() || v.IsUnknown() {
		return ""
	}
	return v.ValueString()
}
