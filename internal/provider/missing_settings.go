package provider

import "github.com/hashicorp/terraform-plugin-framework/diag"

// The provider configures without credentials or region (see Configure:
// OpenTofu configures it to call its function), and a data source reports
// them when it reads. A resource to be created reads nothing at plan time,
// so without a check its plan would succeed and the apply fail: every
// resource's ModifyPlan starts with reportMissing, so the plan fails as
// the configuration did before.

// reportMissing adds the missing-settings errors, if any (without their
// attribute paths, which name the provider block's arguments, not the
// caller's), and says whether it did; nothing before the provider is
// configured.
func (p *providerData) reportMissing(diags *diag.Diagnostics) bool {
	if p == nil || !p.missing.HasError() {
		return false
	}
	for _, d := range p.missing.Errors() {
		diags.AddError(d.Summary(), d.Detail())
	}
	return true
}
