package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// sharedImageObjectType is one element of ims_shared_images' images.
var sharedImageObjectType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"id":         types.StringType,
	"name":       types.StringType,
	"region":     types.StringType,
	"project_id": types.StringType,
	"members":    types.ListType{ElemType: memberObjectType},
}}

// sharedImagesModel is the configuration and state of ims_shared_images.
type sharedImagesModel struct {
	Region      types.String       `tfsdk:"region"`
	ProjectID   types.String       `tfsdk:"project_id"`
	AllProjects types.Bool         `tfsdk:"all_projects"`
	Regions     types.Set          `tfsdk:"regions"`
	ImageIDs    types.Set          `tfsdk:"image_ids"`
	Status      types.String       `tfsdk:"status"`
	MemberType  types.String       `tfsdk:"member_type"`
	Images      []sharedImageModel `tfsdk:"images"`
	Timeouts    timeouts.Value     `tfsdk:"timeouts"`
}

// sharedImageModel is one element of images.
type sharedImageModel struct {
	ID        types.String  `tfsdk:"id"`
	Name      types.String  `tfsdk:"name"`
	Region    types.String  `tfsdk:"region"`
	ProjectID types.String  `tfsdk:"project_id"`
	Members   []memberModel `tfsdk:"members"`
}

func (d *sharedImagesDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Every image this project shares out, each with every member, in one read: " +
			"the images come from `GET /v2/cloudimages?__imagetype=shared&owner={project_id}` (every page), " +
			"then each image's members are read completely, as `ims_image_members` reads them, several images at once " +
			"through the request budget of the project's endpoint. With `all_projects` or `regions`, every project of the account (or of those regions) in one read. One data source for a whole project, so a `check` block " +
			"(which holds one data source, without `count` or `for_each`) can police every shared image.",
		Attributes: map[string]schema.Attribute{
			"region": func() schema.StringAttribute {
				a := regionAttribute()
				a.MarkdownDescription += " Null in state in the account-wide forms (`all_projects`, `regions`), where every image says its own region."
				return a
			}(),
			"project_id": projectIDAttribute("Project whose shared images are read (their owner). " +
				"Null in state in the account-wide forms (`all_projects`, `regions`), where every image says its own project"),
			"all_projects": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Read every project the credentials can access instead of one: each project that IAM's " +
					"`GET /v3/auth/projects` lists as enabled, sub-projects (`{region}_{name}`) included (but not `MOS`, the system project IAM keeps for OBS, which is no region), each at its own region's " +
					"IMS endpoint (the region is the project name up to the first `_`). With `regions`, only the projects in those regions. " +
					"Projects are read in parallel, each region's endpoint with its own request budget. A project that cannot be read " +
					"(a 403 among them) fails the read, naming the project and its region. Conflicts with `region`, `project_id` and `image_ids`. Default `false`.",
			},
			"regions": schema.SetAttribute{
				Optional:    true,
				ElementType: types.StringType,
				Validators: []validator.Set{
					setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(hostNamePart{}),
				},
				MarkdownDescription: "Read these regions instead of one project. Alone: the default project of each region " +
					"(the project named exactly as the region, looked up in IAM as the provider looks up its own; the provider's `project_id` " +
					"for the provider's region). With `all_projects`: every enabled project in these regions, sub-projects included; " +
					"a region in which IAM lists no such project fails the read. Conflicts with `region`, `project_id` and `image_ids`.",
			},
			"image_ids": schema.SetAttribute{
				Optional:    true,
				ElementType: types.StringType,
				Validators: []validator.Set{
					setvalidator.ValueStringsAre(imageIDValidator{}),
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
				"The shared images in the order the API listed them (with `image_ids`: in ID order; in the account-wide forms: "+
					"by region, then project ID, then the API's order), each with `id`, `name`, `region` and `project_id` "+
					"(the project that owns it and the region it was read in) and `members`. `members` is exactly what `ims_image_members` gives for that image, after "+
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
