package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Environment variables, the same ones the official huaweicloud provider reads.
const (
	envRegion           = "HW_REGION_NAME"
	envProjectID        = "HW_PROJECT_ID"
	envAccessKey        = "HW_ACCESS_KEY"
	envSecretKey        = "HW_SECRET_KEY"
	envSecurityToken    = "HW_SECURITY_TOKEN"
	envCloud            = "HW_CLOUD"
	envInsecure         = "HW_INSECURE"
	envMaxRetries       = "HW_MAX_RETRIES"
	envSharedConfigFile = "HW_SHARED_CONFIG_FILE"
	envProfile          = "HW_PROFILE"
)

// providerModel is the provider block as written.
type providerModel struct {
	Region           types.String `tfsdk:"region"`
	ProjectID        types.String `tfsdk:"project_id"`
	AccessKey        types.String `tfsdk:"access_key"`
	SecretKey        types.String `tfsdk:"secret_key"`
	SecurityToken    types.String `tfsdk:"security_token"`
	Cloud            types.String `tfsdk:"cloud"`
	Endpoints        types.Map    `tfsdk:"endpoints"`
	Insecure         types.Bool   `tfsdk:"insecure"`
	MaxRetries       types.Int64  `tfsdk:"max_retries"`
	SharedConfigFile types.String `tfsdk:"shared_config_file"`
	Profile          types.String `tfsdk:"profile"`
}

func (p *imsProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	notEmpty := []validator.String{stringvalidator.LengthAtLeast(1)}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads who each IMS image is shared with on Huawei Cloud. " +
			"Every argument is optional: a value comes from the argument, else its environment variable, " +
			"else the shared config profile, else the default.",
		Attributes: map[string]schema.Attribute{
			"region": schema.StringAttribute{
				Optional:            true,
				Validators:          []validator.String{hostNamePart{}},
				MarkdownDescription: "Region, such as `cn-north-4`. Environment variable `HW_REGION_NAME`. Required in effect: it names the endpoints and the project. Checked at plan time as part of a host name (letters, digits and hyphens).",
			},
			"project_id": schema.StringAttribute{
				Optional:            true,
				Validators:          notEmpty,
				MarkdownDescription: "Project ID. Environment variable `HW_PROJECT_ID`. When unset, the project named after the region is looked up through IAM (`GET /v3/projects?name={region}`) at the first read, once per region.",
			},
			"access_key": schema.StringAttribute{
				Optional:   true,
				Validators: notEmpty,
				MarkdownDescription: "Access key ID (AK). Environment variable `HW_ACCESS_KEY`. " +
					"The access key, secret key and security token come from one place: the provider block, else the environment, else the profile. " +
					"A token in one place beside keys from another is an error naming both.",
			},
			"secret_key": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				Validators:          notEmpty,
				MarkdownDescription: "Secret access key (SK). Environment variable `HW_SECRET_KEY`. Never logged.",
			},
			"security_token": schema.StringAttribute{
				Optional:   true,
				Sensitive:  true,
				Validators: notEmpty,
				MarkdownDescription: "Security token of temporary credentials, sent as `X-Security-Token`. Environment variable `HW_SECURITY_TOKEN`. Never logged. " +
					"Taken only from the place the keys come from: keys from a profile use the profile's token, keys from arguments or the environment never do.",
			},
			"cloud": schema.StringAttribute{
				Optional:            true,
				Validators:          []validator.String{hostNamePart{}},
				MarkdownDescription: "Endpoint domain, checked at plan time as a host name. Environment variable `HW_CLOUD`. Default `myhuaweicloud.com`, and `myhuaweicloud.eu` for regions `eu-west-1*`.",
			},
			"endpoints": schema.MapAttribute{
				Optional:    true,
				ElementType: types.StringType,
				Validators: []validator.Map{
					mapvalidator.KeysAre(stringvalidator.OneOf("ims", "iam")),
					mapvalidator.ValueStringsAre(stringvalidator.RegexMatches(endpointPattern, "must be an http:// or https:// URL with a host")),
				},
				MarkdownDescription: "Endpoint overrides, keys `ims` and `iam`. Default `https://ims.{region}.{cloud}` and `https://iam.{region}.{cloud}`. " +
					"`{region}` in a value is replaced by the region of each read (a data source's own `region` included); " +
					"a value without it is fixed and serves every region. `http://` is allowed (local emulators, proxies).",
			},
			"insecure": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "Skip TLS certificate verification. Environment variable `HW_INSECURE`. Default `false`.",
			},
			"max_retries": schema.Int64Attribute{
				Optional:            true,
				Validators:          []validator.Int64{int64validator.Between(0, 100)},
				MarkdownDescription: "How many times a throttled (429), failed (500, 502, 503, 504) or dropped request is retried. Environment variable `HW_MAX_RETRIES`. Default `5`.",
			},
			"shared_config_file": schema.StringAttribute{
				Optional:            true,
				Validators:          notEmpty,
				MarkdownDescription: "Path of the hcloud CLI (KooCLI) configuration file. Environment variable `HW_SHARED_CONFIG_FILE`. Default `~/.hcloud/config.json` when `profile` is set.",
			},
			"profile": schema.StringAttribute{
				Optional:            true,
				Validators:          notEmpty,
				MarkdownDescription: "Profile of the shared config file. Environment variable `HW_PROFILE`. Default: the file's `current` profile.",
			},
		},
	}
}
