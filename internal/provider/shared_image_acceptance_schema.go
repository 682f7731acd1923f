package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// sharedImageAcceptanceModel is the resource's configuration and state.
type sharedImageAcceptanceModel struct {
	ID        types.String   `tfsdk:"id"`
	ImageID   types.String   `tfsdk:"image_id"`
	Region    types.String   `tfsdk:"region"`
	ProjectID types.String   `tfsdk:"project_id"`
	Status    types.String   `tfsdk:"status"`
	VaultID   types.String   `tfsdk:"vault_id"`
	Timeouts  timeouts.Value `tfsdk:"timeouts"`
}

func (r *sharedImageAcceptanceResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "This project's answer to an image another project shared with it: `accepted` (the image becomes usable " +
			"here) or `rejected`. Read finds the image in the image list under `member_status`, so a plan shows when someone " +
			"changed the answer elsewhere, and the next apply puts it back. The API has no way to forget an answer: " +
			"**destroying this resource rejects the image**.",
		Attributes: map[string]schema.Attribute{
			"id":         idResourceAttribute(),
			"image_id":   imageIDResourceAttribute("ID of the image shared with this project, a UUID. Changing it replaces the resource."),
			"region":     regionResourceAttribute("Region of the image, overriding the provider's."),
			"project_id": targetResourceAttribute("Project the image is shared with (the one answering), overriding the provider's."),
			"status": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString("accepted"),
				Validators:          []validator.String{stringvalidator.OneOf("accepted", "rejected")},
				MarkdownDescription: "`accepted` (default) or `rejected`; changes in place. After a refresh it is the answer the cloud has, `pending` included when no one has answered.",
			},
			"vault_id": schema.StringAttribute{
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
				MarkdownDescription: "CBR vault to receive a full-ECS image created from a CBR backup; sent only when set.",
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": writeTimeoutsBlock(ctx),
		},
	}
}

func (r *sharedImageAcceptanceResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = imageIdentitySchema("Project the image is shared with (the one answering)")
}
