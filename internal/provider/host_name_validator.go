package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
)

// hostNamePart checks at plan time a value that becomes part of the
// endpoint's host name (https://ims.{region}.{cloud}), so that "cn north 4"
// fails before any request rather than as a request that cannot be sent.
type hostNamePart struct{}

var _ validator.String = hostNamePart{}

func (hostNamePart) Description(context.Context) string {
	return "must be usable in a host name: dot-separated labels of letters, digits and hyphens"
}

func (v hostNamePart) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (hostNamePart) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := client.ValidateHostNamePart(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+req.Path.String(), hostNameHint(err))
	}
}

// hostNameHint is the detail of a region or cloud that cannot be part of
// a host name, wherever the value came from.
func hostNameHint(err error) string {
	return err.Error() + ". It becomes part of the endpoint https://ims.{region}.{cloud}: write a region like cn-north-4 and a cloud like myhuaweicloud.com."
}
