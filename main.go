// Command terraform-provider-ims is a Terraform and OpenTofu provider that
// reads who each IMS image is shared with on Huawei Cloud.
package main

import (
	"flag"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/cloudimages/terraform-provider-ims/internal/provider"
)

//go:generate go run -C tools github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs generate --provider-dir .. --provider-name ims

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	tuneGC(os.LookupEnv)
	stopProfile := startProfile()
	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	// The framework's server, with the hot read served directly
	// (provider.NewProtocol6Server; README "Performance").
	err := tf6server.Serve("registry.terraform.io/cloudimages/ims", provider.NewProtocol6Server(version), opts...)
	stopProfile()
	if err != nil {
		log.Fatal(err)
	}
}
