package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// sharedImageObjectType is one element of ims_shared_images' images.
var sharedImageObjectType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"id":      types.StringType,
	"name":    types.StringType,
	"members": types.ListType{ElemType: memberObjectType},
}}

// sharedImagesModel is the configuration and state of ims_shared_images.
type sharedImagesModel struct {
	Region     types.String       `tfsdk:"region"`
	ProjectID  types.String       `tfsdk:"project_id"`
	ImageIDs   types.Set          `tfsdk:"image_ids"`
	Status     types.String       `tfsdk:"status"`
	MemberType types.String       `tfsdk:"member_type"`
	Images     []sharedImageModel `tfsdk:"images"`
	Timeouts   timeouts.Value     `tfsdk:"timeouts"`
}

// sharedImageModel is one element of images.
type sharedImageModel struct {
	ID      types.String  `tfsdk:"id"`
	Name    types.String  `tfsdk:"name"`
	Members []memberModel `tfsdk:"members"`
}

func (d *sharedImagesDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Every image this project shares out, each with every member, in one read: " +
			"the images come from `GET /v2/cloudimages?__imagetype=shared&owner={project_id}` (every page), " +
			"then each image's members are read completely, as `ims_image_members` reads them, several images at once " +
			"through the provider's one request budget. One data source for a whole project, so a `check` block " +
			"(which holds one data source, without `count` or `for_each`) can police every shared image.",
		Attributes: map[string]schema.Attribute{
			"region":     regionAttribute(),
			"project_id": projectIDAttribute("Project whose shared images are read (their owner)"),
			"image_ids": schema.SetAttribute{
				Optional:    true,
				ElementType: types.StringType,
				Validators: []validator.Set{
					setvalidator.ValueStringsAre(stringvalidator.RegexMatches(uuidPattern, "must be an image ID in UUID form, such as d164b5df-1bc3-4c3f-893e-3e471fd16e64")),
				},
				MarkdownDescription: "Read the members of exactly these images (UUIDs) instead of listing the project's shared images: " +
					"one request fewer, and `name` is then null. An image shared with nobody has an empty member list; " +
					"an image that does not exist fails the read.",
			},
			"status":      memberStatusAttribute(),
			"member_type": memberTypeAttribute(),
			// images, and members in each, are lists of objects, not nested
			// attributes, so that terraform test can mock them (see
			// computedObjectList).
			"images": computedObjectList(sharedImageObjectType,
				"The shared images in the order the API listed them (with `image_ids`: in ID order), each with "+
					"`id`, `name` and `members`. `members` is exactly what `ims_image_members` gives for that image, after "+
					"`status` and `member_type`: `member_id`, `member_type`, `status`, `urn` (null unless the API returns one), "+
					"`image_id`, `schema`, `created_at` and `updated_at`. An image left with no member after the filters stays "+
					"listed with an empty list. An image deleted between the listing and the read of its members is left out "+
					"with a warning naming it; any other failure fails the read and names the image."),
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.BlockWithOpts(ctx, timeouts.Opts{
				ReadDescription: "How long the whole read may take, the listing and every image's members, retries and waits included: " +
					"a duration such as `30s` or `30m`. Default `10m`.",
			}),
		},
	}
}
