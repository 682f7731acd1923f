package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
)

// imageIdentityModel is the resource identity of ims_image_share and
// ims_shared_image_acceptance (Terraform 1.12+): the image, and the
// project and region that select it, so that `import { identity = ... }`
// and `terraform query` name the object without an opaque ID string.
type imageIdentityModel struct {
	ImageID   types.String `tfsdk:"image_id"`
	ProjectID types.String `tfsdk:"project_id"`
	Region    types.String `tfsdk:"region"`
}

// imageIdentitySchema is that identity; projectRole says which project
// project_id is (the owner, or the one the image is shared with).
func imageIdentitySchema(projectRole string) identityschema.Schema {
	return identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"image_id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "ID of the image, a UUID.",
			},
			"project_id": identityschema.StringAttribute{
				OptionalForImport: true,
				Description:       projectRole + "; the provider's project when left out of an import.",
			},
			"region": identityschema.StringAttribute{
				OptionalForImport: true,
				Description:       "Region of the image; the provider's region when left out of an import.",
			},
		},
	}
}

// setImageIdentity records the identity of the object a resource operation
// worked on. Read calls it before it looks for the image, so that a Read
// that removes the resource (the image is gone) still answers with an
// identity: the framework fails such a Read with "Missing Resource Identity
// After Read" when the state came without one (written by Terraform before
// 1.12, or by OpenTofu).
func setImageIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, imageID, region, projectID string, diags *diag.Diagnostics) {
	if identity == nil {
		return // a CLI or framework path without identity support
	}
	diags.Append(identity.Set(ctx, imageIdentityModel{
		ImageID: types.StringValue(imageID), ProjectID: types.StringValue(projectID), Region: types.StringValue(region),
	})...)
}

// importImage is ImportState of both resources: by the import ID
// (image_id or project_id/image_id; every Terraform and OpenTofu) or by an
// import block's identity (Terraform 1.12+). Read then finds the rest.
func importImage(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID != "" || req.Identity == nil {
		importIDs(ctx, req.ID, resp)
		return
	}
	var id imageIdentityModel
	resp.Diagnostics.Append(req.Identity.Get(ctx, &id)...)
	if resp.Diagnostics.HasError() {
		return
	}
	imageID, projectID, region := knownString(id.ImageID), knownString(id.ProjectID), knownString(id.Region)
	switch {
	case !imageIDPattern.MatchString(imageID):
		resp.Diagnostics.AddAttributeError(path.Root("image_id"), "Invalid import identity", imageIDProblem("image_id", imageID))
	case projectID != "" && !tenantIDPattern.MatchString(projectID):
		resp.Diagnostics.AddAttributeError(path.Root("project_id"), "Invalid import identity",
			fmt.Sprintf("project_id %q is not a project ID: 32 lower-case hexadecimal characters. Leave it out for the provider's project.", projectID))
	}
	if region != "" {
		if err := client.ValidateHostNamePart(region); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("region"), "Invalid import identity", "region: "+hostNameHint(err))
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("image_id"), imageID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), imageID)...)
	if projectID != "" {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("project_id"), projectID)...)
	}
	if region != "" {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("region"), region)...)
	}
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
