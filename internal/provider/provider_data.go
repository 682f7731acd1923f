package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
)

// providerData is what Configure hands to every data source and resource:
// one client per provider instance, so connections and the request budget
// are shared.
type providerData struct {
	client    *client.Client
	region    string
	projectID string
	// secrets are masked in every log line of every call.
	secrets []string
	// unknown lists provider arguments not known until apply; calls refuse
	// to run with a diagnostic naming them rather than guess.
	unknown []string
	// deferred: Configure deferred every read and plan (unknown arguments,
	// and a client that allows deferral); the framework's server answers
	// them, and the direct reads hand theirs over to it.
	deferred bool
	// missing are the errors of a configuration without credentials or
	// region, reported by the calls that need them (see Configure).
	missing diag.Diagnostics
	// checkRegions: the public endpoints are in use, so a region not on
	// knownRegions is probably a typo (regionChecked).
	checkRegions bool
}

// providerDataFrom is the Configure step every data source and resource
// shares: nil (and no diagnostic) before the provider is configured.
func providerDataFrom(configured any, diags *diag.Diagnostics) *providerData {
	if configured == nil {
		return nil
	}
	data, ok := configured.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("expected *providerData, got %T; this is a bug in the provider", configured))
		return nil
	}
	return data
}

// ready checks that the provider can make calls and returns ctx with the
// secrets masked in every log line; false (with a diagnostic) when not.
func (p *providerData) ready(ctx context.Context, diags *diag.Diagnostics) (context.Context, bool) {
	if p == nil {
		diags.AddError("Provider not configured", "The ims provider was not configured before this call; this is a bug in Terraform or the provider.")
		return ctx, false
	}
	if len(p.unknown) > 0 {
		diags.AddError("Provider configuration not known yet",
			"These provider arguments depend on values known only after apply: "+strings.Join(p.unknown, ", ")+
				". Create what they depend on first (terraform apply -target=...), or set them from known values.")
		return ctx, false
	}
	if p.missing.HasError() {
		p.reportMissing(diags)
		return ctx, false
	}
	return maskSecrets(ctx, p.secrets), true
}

// targetOf is target at the start of operation o: a failure to find the
// project is reported under summary, and ok is false.
func (p *providerData) targetOf(ctx context.Context, o operation, regionOverride, projectOverride types.String, summary string, diags *diag.Diagnostics) (region, projectID string, ok bool) {
	p.warnUnknownRegionOverride(regionOverride, diags)
	region, projectID, err := p.target(ctx, regionOverride, projectOverride)
	if err != nil {
		o.fail(diags, summary, err)
		return "", "", false
	}
	return region, projectID, true
}

// target is the region and project a call uses: its own region and
// project_id when set, else the provider's; a region override looks up its
// own project unless project_id is given too.
func (p *providerData) target(ctx context.Context, regionOverride, projectOverride types.String) (region, projectID string, err error) {
	region = p.region
	if r := regionOverride.ValueString(); r != "" {
		region = r
	}
	if id := projectOverride.ValueString(); id != "" {
		return region, id, nil
	}
	if region == p.region && p.projectID != "" {
		return region, p.projectID, nil
	}
	projectID, err = p.client.ProjectID(ctx, region)
	return region, projectID, err
}

// warnUnknownRegionOverride warns, as the provider does of its own region
// (warnUnknownRegion), of a data source's or resource's region that is not
// a known Huawei Cloud region where the public endpoints are in use: a
// typo there otherwise shows only as an unknown host or a missing IAM
// project. Never an error: new regions appear before the list has them.
func (p *providerData) warnUnknownRegionOverride(region types.String, diags *diag.Diagnostics) {
	r := knownString(region)
	if p == nil || !p.checkRegions || r == "" || r == p.region {
		return
	}
	if note := unknownRegionNote(r); note != "" {
		diags.AddAttributeWarning(path.Root("region"), fmt.Sprintf("Unknown region %q", r),
			note+" Check the spelling of this data source's or resource's region. The provider goes on with the name as given: a region newer than its list is fine.")
	}
}
