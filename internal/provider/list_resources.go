package provider

import (
	"context"
	"fmt"
	"iter"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// What the list resources of `terraform query` (Terraform 1.14+) share.
// A list reads everything first, under one deadline, and then streams the
// results: a failure is one error, never a stream cut short.

// listTimeout bounds one list: the list block has no timeouts of its own,
// and it reads as much as ims_shared_images does.
const listTimeout = defaultAuditTimeout

// listTargetAttributes are the region and project_id a list block's config
// can override, as the data sources' can.
func listTargetAttributes(projectRole string) map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"region": schema.StringAttribute{
			Optional:            true,
			Validators:          []validator.String{hostNamePart{}},
			MarkdownDescription: "Region to list, overriding the provider's. The project of that region is looked up unless `project_id` is set too.",
		},
		"project_id": schema.StringAttribute{
			Optional:            true,
			Validators:          []validator.String{stringvalidator.RegexMatches(tenantIDPattern, "must be a project ID: 32 lower-case hexadecimal characters")},
			MarkdownDescription: projectRole + ", overriding the provider's.",
		},
	}
}

// listOperation is every list's operation: a read under listTimeout,
// which no timeouts block sets.
var listOperation = operation{name: "read", timeout: listTimeout, fixed: true}

// listConfig is a list block's config: its region and project_id.
type listConfig interface {
	target() (region, projectID types.String)
}

// listWith is List of every list resource: the config read into C, the
// provider ready, the region and project found, then read (the whole
// list, under listTimeout) and its results streamed; or one error result.
// what names the list in an error ("shared images").
func listWith[C listConfig](ctx context.Context, data *providerData, req list.ListRequest, stream *list.ListResultsStream, what string,
	read func(ctx context.Context, cfg C, region, projectID string, diags *diag.Diagnostics) []list.ListResult) {
	var diags diag.Diagnostics
	results := func() []list.ListResult {
		var cfg C
		diags.Append(req.Config.Get(ctx, &cfg)...)
		if diags.HasError() {
			return nil
		}
		ctx, cancel, _, ok := data.beginOperation(ctx, "read", listTimeout, nil, &diags)
		defer cancel()
		if !ok {
			return nil
		}
		regionOverride, projectOverride := cfg.target()
		region, projectID, ok := data.targetOf(ctx, listOperation, regionOverride, projectOverride, "Cannot find the project to list "+what+" of", &diags)
		if !ok {
			return nil
		}
		return read(ctx, cfg, region, projectID, &diags)
	}()
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	stream.Results = streamResults(diags, results, req.Limit)
}

// streamResults streams the warnings of the whole list (a result of their
// own) and then results, at most limit of them when limit > 0. A list cut
// at the limit says so: Terraform's default limit is 100, and a partial
// list must not pass for a complete one.
func streamResults(warnings diag.Diagnostics, results []list.ListResult, limit int64) iter.Seq[list.ListResult] {
	if limit > 0 && int64(len(results)) > limit {
		warnings.AddWarning("List cut at its limit",
			fmt.Sprintf("The list found %d results and the list block's limit (%d, Terraform's default when unset is 100) let %d through; "+
				"set limit = %d or more in the list block to see every one.", len(results), limit, limit, len(results)))
	}
	return func(push func(list.ListResult) bool) {
		if len(warnings) > 0 && !push(list.ListResult{Diagnostics: warnings}) {
			return
		}
		for i, r := range results {
			if limit > 0 && int64(i) >= limit {
				return
			}
			if !push(r) {
				return
			}
		}
	}
}

// imageDisplayName is how a result shows in `terraform query`: the image's
// name and ID, or the ID alone for an image without a name.
func imageDisplayName(id string, name *string) string {
	if name == nil || *name == "" {
		return id
	}
	return *name + " (" + id + ")"
}

// newImageListResult is one result: its identity and, when the query asks
// for it, the resource object state (set by setResource).
func newImageListResult(ctx context.Context, req list.ListRequest, imageID, region, projectID string, name *string, setResource func(*list.ListResult)) list.ListResult {
	result := req.NewListResult(ctx)
	result.DisplayName = imageDisplayName(imageID, name)
	setImageIdentity(ctx, result.Identity, imageID, region, projectID, &result.Diagnostics)
	if req.IncludeResource && !result.Diagnostics.HasError() {
		setResource(&result)
	}
	return result
}

// nullWriteTimeouts is the timeouts block of a listed (or imported)
// resource: not set.
func nullWriteTimeouts() types.Object {
	return types.ObjectNull(map[string]attr.Type{
		"create": types.StringType, "read": types.StringType, "update": types.StringType, "delete": types.StringType,
	})
}
