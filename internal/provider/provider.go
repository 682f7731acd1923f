// Package provider is the Terraform face of the IMS client: the provider's
// schema and configuration, the data sources ims_image_members, ims_images
// and ims_shared_images, the resources ims_image_share and
// ims_shared_image_acceptance, the function parse_organization_urn, and
// the server main serves (provider_server.go). It knows nothing of HTTP.
package provider

import (
	"context"
	"net"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
)

var (
	_ provider.ProviderWithFunctions     = (*imsProvider)(nil)
	_ provider.ProviderWithListResources = (*imsProvider)(nil)
)

// imsProvider's one piece of state is what Configure hands the data
// sources, which directReadsServer's direct reads use too.
type imsProvider struct {
	version string
	// env reads environment variables; replaced in tests.
	env func(string) (string, bool)
	// homeDir finds ~ for the shared config file; replaced in tests.
	homeDir func() (string, error)
	// budget, when set, replaces the client's default request budget: the
	// audit test measures what the budget buys by removing it.
	budget func() *client.Budget
	// resolver, when set, answers the client's DNS lookups: the tests of an
	// unknown host use one on loopback, so no lookup leaves the machine.
	resolver *net.Resolver
	// configured is the last providerData Configure made.
	configured atomic.Pointer[providerData]
}

func (p *imsProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "ims"
	resp.Version = p.version
}

func (p *imsProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{newImageMembersDataSource, newImagesDataSource, newSharedImagesDataSource}
}

func (p *imsProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{newImageShareResource, newSharedImageAcceptanceResource}
}

// ListResources are the resources `terraform query` can list (1.14+).
func (p *imsProvider) ListResources(context.Context) []func() list.ListResource {
	return []func() list.ListResource{newImageShareList, newSharedImageAcceptanceList}
}

func (p *imsProvider) Functions(context.Context) []func() function.Function {
	return []func() function.Function{newParseOrganizationURNFunction}
}
