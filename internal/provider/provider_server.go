package provider

import "github.com/hashicorp/terraform-plugin-go/tfprotov6"

// NewServer returns the provider's protocol 6 server factory, as main serves
// it and the tests run it: the framework's server, wrapped twice.
// directReadsServer (direct_reads_server.go) reads ims_image_members and
// ims_shared_images without the framework's per-value work;
// nullArgumentsServer (null_function_arguments_server.go) mends OpenTofu's
// null function arguments. Every other RPC is the framework's
// (TestServer_servesEveryRPCOfTheFramework).
func NewServer(version string) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		p := newProvider(version)
		return &nullArgumentsServer{frameworkServer: newDirectReadsServer(p, p)}
	}
}

// frameworkServer is every RPC the framework's server answers: the
// protocol's interface and those tf6server finds by type assertion (list
// resources, actions, state stores), so that wrapping hides none of them.
type frameworkServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
	tfprotov6.StateStoreServer
}
