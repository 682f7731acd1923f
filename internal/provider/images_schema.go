package provider

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	projectIDPattern           = regexp.MustCompile(`^[0-9a-fA-F]{32}$`)
	enterpriseProjectIDPattern = regexp.MustCompile(`^(0|all_granted_eps|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$`)
	tagPattern                 = regexp.MustCompile(`^[^=]+=.*$`)
)

// imageObjectType is one element of ims_images' images.
var imageObjectType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"id":                    types.StringType,
	"name":                  types.StringType,
	"status":                types.StringType,
	"visibility":            types.StringType,
	"image_type":            types.StringType,
	"owner":                 types.StringType,
	"os_type":               types.StringType,
	"platform":              types.StringType,
	"os_version":            types.StringType,
	"os_bit":                types.StringType,
	"architecture":          types.StringType,
	"min_disk_gb":           types.Int64Type,
	"min_ram_mb":            types.Int64Type,
	"size_bytes":            types.Int64Type,
	"disk_format":           types.StringType,
	"virtual_env_type":      types.StringType,
	"enterprise_project_id": types.StringType,
	"tags":                  types.ListType{ElemType: types.StringType},
	"protected":             types.BoolType,
	"description":           types.StringType,
	"created_at":            types.StringType,
	"updated_at":            types.StringType,
}}

// imagesModel is the configuration of ims_images (the computed ids and
// images are built directly, see imagesValue).
type imagesModel struct {
	Region              types.String   `tfsdk:"region"`
	ProjectID           types.String   `tfsdk:"project_id"`
	ImageType           types.String   `tfsdk:"image_type"`
	Owner               types.String   `tfsdk:"owner"`
	MemberStatus        types.String   `tfsdk:"member_status"`
	Name                types.String   `tfsdk:"name"`
	Status              types.String   `tfsdk:"status"`
	OSType              types.String   `tfsdk:"os_type"`
	Platform            types.String   `tfsdk:"platform"`
	Architecture        types.String   `tfsdk:"architecture"`
	EnterpriseProjectID types.String   `tfsdk:"enterprise_project_id"`
	Tag                 types.String   `tfsdk:"tag"`
	SortKey             types.String   `tfsdk:"sort_key"`
	SortDir             types.String   `tfsdk:"sort_dir"`
	PageSize            types.Int64    `tfsdk:"page_size"`
	IDs                 types.List     `tfsdk:"ids"`
	Images              types.List     `tfsdk:"images"`
	Timeouts            timeouts.Value `tfsdk:"timeouts"`
}

// matching is an optional string filter checked by a pattern.
func matching(description string, pattern *regexp.Regexp, message string) schema.StringAttribute {
	return schema.StringAttribute{
		Optional:            true,
		Validators:          []validator.String{stringvalidator.RegexMatches(pattern, message)},
		MarkdownDescription: description,
	}
}

func (d *imagesDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The images visible to a project (its own, those shared with it, public and market images), " +
			"read through every page of `GET /v2/cloudimages` with the API's filters, in API order. " +
			"`ids` is ready for `for_each`.",
		Attributes: map[string]schema.Attribute{
			"region":     regionAttribute(),
			"project_id": projectIDAttribute("Project whose view of the images is listed (sent as `X-Project-Id`)"),
			"image_type": oneOf("Only images of this type (`__imagetype`): `private`, `shared`, `public` (sent as `gold`) or `market`. "+
				"`shared` lists the images this project shares out and, with `member_status`, those shared with it.",
				"private", "shared", "public", "market"),
			"owner": matching("Only images owned by this project ID (32 hexadecimal characters).",
				projectIDPattern, "must be a project ID of 32 hexadecimal characters"),
			"member_status": oneOf("Only images other projects shared **with** this project that it has `accepted`, `rejected` or left `pending`. "+
				"Sent as `visibility=shared&__imagetype=shared&member_status=...`; `image_type` must then be unset or `shared`.",
				"accepted", "rejected", "pending"),
			"name": schema.StringAttribute{
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
				MarkdownDescription: "Only images of exactly this name.",
			},
			"status": oneOf("Only images in this state: `queued`, `saving`, `deleted`, `killed` or `active`.",
				"queued", "saving", "deleted", "killed", "active"),
			"os_type": oneOf("Only images of this OS type (`__os_type`): `Linux`, `Windows` or `Other`.",
				"Linux", "Windows", "Other"),
			"platform": schema.StringAttribute{
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
				MarkdownDescription: "Only images of this OS platform (`__platform`), such as `Ubuntu`, `CentOS` or `Windows`.",
			},
			"architecture": oneOf("Only images of this architecture: `x86` or `arm`.", "x86", "arm"),
			"enterprise_project_id": matching("Only images of this enterprise project: `0` (the default project), an enterprise project ID (UUID), "+
				"or `all_granted_eps` for every enterprise project the caller may see.",
				enterpriseProjectIDPattern, "must be 0, all_granted_eps or an enterprise project ID (UUID)"),
			"tag": matching("Only images with this tag, written `key=value`.", tagPattern, "must be a tag written key=value"),
			"sort_key": oneOf("Sort by this field: `name`, `container_format`, `disk_format`, `status`, `id`, `size` or `created_at`. "+
				"Unset, the API sorts by `created_at`.", "name", "container_format", "disk_format", "status", "id", "size", "created_at"),
			"sort_dir": oneOf("Sort direction: `asc` or `desc`. Unset, the API sorts descending.", "asc", "desc"),
			"page_size": schema.Int64Attribute{
				Optional:            true,
				Validators:          []validator.Int64{int64validator.Between(1, 1000)},
				MarkdownDescription: "Images per request (`limit`), 1 to 1000. Default `500`, the API's own. Every page is read whatever its size.",
			},
			"ids": schema.ListAttribute{
				Computed:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "The IDs of the images, in API order: ready for `for_each = toset(...)`.",
			},
			// A list of objects, not a nested attribute, so that terraform
			// test can mock it (see computedObjectList).
			"images": computedObjectList(imageObjectType,
				"The images, in API order. A field the API left out is null, never a made-up default. "+
					"Each has `id`, `name`, `status`, `visibility` (`public`, `private` or `shared`), "+
					"`image_type` (the `__imagetype` value as the API sends it: `gold` for public images, `private`, `shared` or `market`), "+
					"`owner` (project ID), `os_type`, `platform`, `os_version`, `os_bit` (a string such as `64`, as sent), "+
					"`architecture` (`arm` or `x86`, from `__support_arm`), `min_disk_gb`, `min_ram_mb`, `size_bytes` (from `__image_size`), "+
					"`disk_format`, `virtual_env_type`, `enterprise_project_id`, `tags` (list of strings), `protected`, "+
					"`description`, `created_at` and `updated_at`."),
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.BlockWithOpts(ctx, timeouts.Opts{
				ReadDescription: "How long the read may take, every page, retries and waits included: a duration such as `30s` or `10m`. Default `5m`.",
			}),
		},
	}
}
