// Package provider is the Terraform face of the IMS client: schema,
// configuration and the ims_image_members data source. It knows nothing of
// HTTP.
package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

var _ provider.Provider = (*imsProvider)(nil)

// imsProvider holds no state of its own: Configure hands a providerData to
// the data sources.
type imsProvider struct {
	version string
	// env reads environment variables; replaced in tests.
	env func(string) (string, bool)
	// homeDir finds ~ for the shared config file; replaced in tests.
	homeDir func() (string, error)
}

// New returns the provider factory that providerserver.Serve expects.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return newProvider(version)
	}
}

func (p *imsProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "ims"
	resp.Version = p.version
}

func (p *imsProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{newImageMembersDataSource}
}

func (p *imsProvider) Resources(context.Context) []func() resource.Resource { return nil }
