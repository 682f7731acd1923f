// Command terraform-provider-ims is a Terraform and OpenTofu provider that
// reads and manages who each IMS image is shared with on Huawei Cloud.
package main

import (
	"flag"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/cloudimages/terraform-provider-ims/internal/pluginprocess"
	"github.com/cloudimages/terraform-provider-ims/internal/provider"
)

//go:generate go run -C tools github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs generate --provider-dir .. --provider-name ims

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	pluginprocess.TuneGC(os.LookupEnv)
	stopProfile := pluginprocess.StartProfile()
	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	// provider.NewServer rather than providerserver.Serve: the framework's
	// server with the members reads served directly (DEVELOPMENT.md "Performance")
	// and a fix for OpenTofu's function calls (see nullArgumentsServer). The
	// address is the short form: with -debug, TF_REATTACH_PROVIDERS names it
	// so, and Terraform and OpenTofu each read it as their own registry's.
	err := tf6server.Serve("cloudimages/ims", provider.NewServer(version), opts...)
	stopProfile()
	if err != nil {
		log.Fatal(err)
	}
}
