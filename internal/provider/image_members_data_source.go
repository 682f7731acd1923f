package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
)

// defaultReadTimeout bounds a read when timeouts.read is not set.
const defaultReadTimeout = 5 * time.Minute

var _ datasource.DataSourceWithConfigure = (*imageMembersDataSource)(nil)

type imageMembersDataSource struct {
	data *providerData
}

func newImageMembersDataSource() datasource.DataSource { return &imageMembersDataSource{} }

func (d *imageMembersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_image_members"
}

func (d *imageMembersDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if req.ProviderData == nil {
		return
	}
	data, ok := req.ProviderData.(*providerData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected provider data", fmt.Sprintf("expected *providerData, got %T; this is a bug in the provider", req.ProviderData))
		return
	}
	d.data = data
}

func (d *imageMembersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	m, got := d.fetch(ctx, req, resp)
	if got == nil {
		return
	}
	resp.Diagnostics.Append(setMembersState(ctx, &resp.State, m, got)...)
}

// fetchedMembers is what a read learnt from the API, for the state.
type fetchedMembers struct {
	region, projectID string
	list              *client.MemberList
}

// fetch reads the configuration and every member; nil when it failed, with
// the diagnostics in resp. Split from Read so that the benchmark's
// reflection baseline shares it.
func (d *imageMembersDataSource) fetch(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) (imageMembersModel, *fetchedMembers) {
	var m imageMembersModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return m, nil
	}
	if d.data == nil {
		resp.Diagnostics.AddError("Provider not configured", "The ims provider was not configured before this read; this is a bug in Terraform or the provider.")
		return m, nil
	}
	if len(d.data.unknown) > 0 {
		resp.Diagnostics.AddError("Provider configuration not known yet",
			"These provider arguments depend on values known only after apply: "+strings.Join(d.data.unknown, ", ")+
				". Create what they depend on first (terraform apply -target=...), or set them from known values.")
		return m, nil
	}
	ctx = maskSecrets(ctx, d.data.secrets)
	timeout, diags := readTimeout(ctx, m.Timeouts)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return m, nil
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	imageID := m.ImageID.ValueString()
	region, projectID, err := d.target(ctx, m)
	if err != nil {
		resp.Diagnostics.AddError("Cannot find the project to read image "+imageID+" from", explain(err, timeout))
		return m, nil
	}
	list, err := d.data.client.ListImageMembers(ctx, client.ListImageMembersInput{
		Region: region, ProjectID: projectID, ImageID: imageID, PageSize: int(m.PageSize.ValueInt64()),
	})
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the members of image "+imageID, explain(err, timeout))
		return m, nil
	}
	if n := len(list.Duplicates); n > 0 {
		// Name a handful; a diagnostic listing thousands helps nobody.
		shown := list.Duplicates[:min(n, 20)]
		more := ""
		if n > len(shown) {
			more = fmt.Sprintf(" and %d more", n-len(shown))
		}
		resp.Diagnostics.AddWarning("Image membership changed while it was read",
			fmt.Sprintf("%d member(s) came back on more than one page and were kept once: %s%s. Read again for a consistent snapshot.",
				n, strings.Join(shown, ", "), more))
	}
	return m, &fetchedMembers{region: region, projectID: projectID, list: list}
}

// target is the region and project a read uses: the data source's own,
// else the provider's; a region override looks up its own project unless
// project_id is given too.
func (d *imageMembersDataSource) target(ctx context.Context, m imageMembersModel) (region, projectID string, err error) {
	region = d.data.region
	if r := m.Region.ValueString(); r != "" {
		region = r
	}
	if p := m.ProjectID.ValueString(); p != "" {
		return region, p, nil
	}
	if region == d.data.region && d.data.projectID != "" {
		return region, d.data.projectID, nil
	}
	projectID, err = d.data.client.ProjectID(ctx, region)
	return region, projectID, err
}

func readTimeout(ctx context.Context, timeouts types.Object) (time.Duration, diag.Diagnostics) {
	if timeouts.IsNull() || timeouts.IsUnknown() {
		return defaultReadTimeout, nil
	}
	var t struct {
		Read types.String `tfsdk:"read"`
	}
	diags := timeouts.As(ctx, &t, objectAsOptions)
	if diags.HasError() || t.Read.IsNull() || t.Read.IsUnknown() {
		return defaultReadTimeout, diags
	}
	d, err := time.ParseDuration(t.Read.ValueString())
	if err != nil || d <= 0 {
		diags.AddError("Invalid timeouts.read", fmt.Sprintf("%q must be a positive duration such as 30s or 5m.", t.Read.ValueString()))
	}
	return d, diags
}

// explain turns a client error into a diagnostic's detail: the error
// itself (status, code, message, request ID) and what to do about it.
func explain(err error, timeout time.Duration) string {
	msg := err.Error()
	var apiErr *client.APIError
	var notFound *client.ProjectNotFoundError
	switch {
	case errors.As(err, &notFound):
		return msg + ". Set project_id in the provider block or the data source, or the HW_PROJECT_ID environment variable."
	case errors.Is(err, context.DeadlineExceeded):
		return msg + fmt.Sprintf(". The read did not finish within %s; raise timeouts { read = \"...\" } if the API is slow or throttled.", timeout)
	case errors.Is(err, context.Canceled):
		return msg + ". The read was cancelled."
	case errors.As(err, &apiErr):
		switch apiErr.StatusCode {
		case http.StatusUnauthorized:
			return msg + ". Check access_key and secret_key (HW_ACCESS_KEY, HW_SECRET_KEY), security_token for temporary credentials, and the machine's clock. Bad signatures are not retried: five in a row lock the access key for five minutes."
		case http.StatusForbidden:
			return msg + ". The credentials lack permission to read image members (IMS read permission) in this project."
		case http.StatusNotFound:
			return msg + ". Check that the image exists in this project and region, and that the project owns it."
		}
	}
	return msg
}
