package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// The provider configures without credentials or region (see Configure:
// OpenTofu configures it to call its function), and a data source reports
// them when it reads. A resource to be created reads nothing at plan time,
// so without this its plan would succeed and the apply fail: every
// resource's ModifyPlan starts with reportMissing (imageShareResource's in
// its own file), so the plan fails as the configuration did before.
var _ resource.ResourceWithModifyPlan = (*sharedImageAcceptanceResource)(nil)

func (r *sharedImageAcceptanceResource) ModifyPlan(_ context.Context, _ resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	r.data.reportMissing(&resp.Diagnostics)
}

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
