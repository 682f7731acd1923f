// Package imsstandin is the one backend every remote-state stand-in of
// tools/terraform returns: Terraform 1.15's go.mod replaces its remote-state
// backends with directories the module download leaves out, so this build
// links stand-ins instead. The provider's tests use the local backend only;
// a configuration that names a remote one gets an error, not a panic.
package imsstandin

import (
	"github.com/hashicorp/terraform/internal/backend"
	"github.com/hashicorp/terraform/internal/configs/configschema"
	"github.com/hashicorp/terraform/internal/states/statemgr"
	"github.com/hashicorp/terraform/internal/tfdiags"
	"github.com/zclconf/go-cty/cty"
)

// New returns a backend named name whose every operation fails.
func New(name string) backend.Backend { return unavailable{name: name} }

type unavailable struct{ name string }

func (u unavailable) diags() tfdiags.Diagnostics {
	var diags tfdiags.Diagnostics
	return diags.Append(tfdiags.Sourceless(tfdiags.Error,
		"Backend not built in",
		"This Terraform was built from tools/terraform in terraform-provider-ims for the provider's tests, without the "+u.name+" backend. Use the local backend, or an official Terraform release."))
}

func (u unavailable) ConfigSchema() *configschema.Block { return &configschema.Block{} }

func (u unavailable) PrepareConfig(v cty.Value) (cty.Value, tfdiags.Diagnostics) {
	return v, u.diags()
}

func (u unavailable) Configure(cty.Value) tfdiags.Diagnostics { return u.diags() }

func (u unavailable) StateMgr(string) (statemgr.Full, tfdiags.Diagnostics) { return nil, u.diags() }

func (u unavailable) DeleteWorkspace(string, bool) tfdiags.Diagnostics { return u.diags() }

func (u unavailable) Workspaces() ([]string, tfdiags.Diagnostics) { return nil, u.diags() }
