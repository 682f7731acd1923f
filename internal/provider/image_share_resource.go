package provider

import (
	"context"
	"errors"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
)

var (
	_ resource.ResourceWithConfigure      = (*imageShareResource)(nil)
	_ resource.ResourceWithImportState    = (*imageShareResource)(nil)
	_ resource.ResourceWithValidateConfig = (*imageShareResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*imageShareResource)(nil)
	_ resource.ResourceWithIdentity       = (*imageShareResource)(nil)
)

type imageShareResource struct {
	data *providerData
}

func newImageShareResource() resource.Resource { return &imageShareResource{} }

func (r *imageShareResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_image_share"
}

func (r *imageShareResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig refuses a share without a member at plan time; a set not
// known yet may still hold one.
func (r *imageShareResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m imageShareModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	for _, s := range []types.Set{m.ProjectIDs, m.DomainIDs, m.OrganizationURNs} {
		if s.IsUnknown() || len(s.Elements()) > 0 {
			return
		}
	}
	resp.Diagnostics.AddAttributeError(path.Root("project_ids"), "No member to share with",
		"Set at least one of project_ids, domain_ids and organization_urns to a non-empty set. To stop sharing the image, remove the resource.")
}

// ModifyPlan refuses, at plan time and without a request, to share the
// image with the project that owns it (the API would answer IMG.0076 at
// apply): the owner is project_id, or the provider's project when neither
// region nor project_id is overridden.
func (r *imageShareResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.data.reportMissing(&resp.Diagnostics) {
		return // no credentials or region (resource_plan_settings.go)
	}
	if req.Plan.Raw.IsNull() || r.data == nil {
		return // a destroy, or the provider is not configured yet
	}
	var plan imageShareModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	owner := knownString(plan.ProjectID)
	if owner == "" && plan.ProjectID.IsUnknown() && (plan.Region.IsUnknown() || knownString(plan.Region) == r.data.region) {
		owner = r.data.projectID
	}
	if owner == "" {
		return
	}
	for _, id := range plan.sets(ctx, &resp.Diagnostics).projects {
		if id == owner {
			resp.Diagnostics.AddAttributeError(path.Root("project_ids"), "Image shared with its own project",
				"project_ids names "+owner+", the project that owns the image; an image cannot be shared with its owner (IMS error IMG.0076). Remove it from project_ids.")
		}
	}
}

// shareSets are the three member sets of a share, sorted.
type shareSets struct {
	projects, domains, organizations []string
}

func (s shareSets) empty() bool {
	return len(s.projects)+len(s.domains)+len(s.organizations) == 0
}

// minus is what s has that other has not.
func (s shareSets) minus(other shareSets) shareSets {
	diff := func(a, b []string) []string {
		var out []string
		for _, v := range a {
			if !slices.Contains(b, v) {
				out = append(out, v)
			}
		}
		return out
	}
	return shareSets{diff(s.projects, other.projects), diff(s.domains, other.domains), diff(s.organizations, other.organizations)}
}

func (s shareSets) change(region, projectID, imageID string) client.MembersChange {
	return client.MembersChange{Region: region, ProjectID: projectID, ImageIDs: []string{imageID},
		Projects: s.projects, Domains: s.domains, Organizations: s.organizations}
}

func (m imageShareModel) sets(ctx context.Context, diags *diag.Diagnostics) shareSets {
	strs := func(s types.Set) []string {
		var out []string
		if s.IsNull() || s.IsUnknown() {
			return nil
		}
		diags.Append(s.ElementsAs(ctx, &out, false)...)
		slices.Sort(out) // a stable body whatever the set's order
		return out
	}
	return shareSets{strs(m.ProjectIDs), strs(m.DomainIDs), strs(m.OrganizationURNs)}
}

func (r *imageShareResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan imageShareModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := plan.Timeouts.Create(ctx, defaultWriteTimeout)
	ctx, cancel, timeout, ok := r.data.beginOperation(ctx, "create", timeout, d, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	imageID := plan.ImageID.ValueString()
	region, projectID, err := r.data.target(ctx, plan.Region, plan.ProjectID)
	if err != nil {
		resp.Diagnostics.AddError(headline(err, "Cannot find the project that owns image "+imageID), explainOp(err, "create", timeout))
		return
	}
	sets := plan.sets(ctx, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := r.data.runJob(ctx, region, projectID, func(ctx context.Context) (string, error) {
		return r.data.client.AddImageMembers(ctx, sets.change(region, projectID, imageID))
	}); err != nil {
		resp.Diagnostics.AddError(headline(err, "Cannot share image "+imageID), explainOp(err, "create", timeout))
		return
	}
	r.applied(ctx, plan, region, projectID, &resp.State, &resp.Diagnostics)
	setImageIdentity(ctx, resp.Identity, imageID, region, projectID, &resp.Diagnostics)
}

// applied writes the state after a create or update: the sets as planned
// (members added elsewhere meanwhile show at the next refresh) and the
// members as read after the jobs.
func (r *imageShareResource) applied(ctx context.Context, plan imageShareModel, region, projectID string, state stateSetter, diags *diag.Diagnostics) {
	imageID := plan.ImageID.ValueString()
	list, err := r.data.client.ListImageMembers(ctx, client.ListImageMembersInput{Region: region, ProjectID: projectID, ImageID: imageID})
	if err != nil {
		diags.AddError("Image "+imageID+" was shared, but its members cannot be read", err.Error()+
			". The jobs ended; run terraform apply again to record the members.")
		return
	}
	plan.ID = types.StringValue(imageID)
	plan.Region, plan.ProjectID = types.StringValue(region), types.StringValue(projectID)
	plan.Members = shareMembersValue(list.Members, diags)
	diags.Append(state.Set(ctx, &plan)...)
}

// stateSetter is resource.CreateResponse's and UpdateResponse's State.
type stateSetter interface {
	Set(ctx context.Context, val any) diag.Diagnostics
}

func (r *imageShareResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state imageShareModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := state.Timeouts.Read(ctx, defaultReadTimeout)
	ctx, cancel, timeout, ok := r.data.beginOperation(ctx, "read", timeout, d, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	imageID := state.ImageID.ValueString()
	region, projectID, err := r.data.target(ctx, state.Region, state.ProjectID)
	if err != nil {
		resp.Diagnostics.AddError(headline(err, "Cannot find the project that owns image "+imageID), explain(err, timeout))
		return
	}
	setImageIdentity(ctx, resp.Identity, imageID, region, projectID, &resp.Diagnostics)
	list, err := r.data.client.ListImageMembers(ctx, client.ListImageMembersInput{Region: region, ProjectID: projectID, ImageID: imageID})
	if isNotFound(err) {
		resp.State.RemoveResource(ctx) // the image is gone, and its share with it
		return
	}
	if err != nil {
		resp.Diagnostics.AddError(headline(err, "Cannot read the members of image "+imageID), explain(err, timeout))
		return
	}
	warnDuplicates(&resp.Diagnostics, imageID, list.Duplicates)
	read := readShareSets(list.Members)
	state.ID = types.StringValue(imageID)
	state.Region, state.ProjectID = types.StringValue(region), types.StringValue(projectID)
	state.ProjectIDs = readSet(state.ProjectIDs, read.projects)
	state.DomainIDs = readSet(state.DomainIDs, read.domains)
	state.OrganizationURNs = readSet(state.OrganizationURNs, read.organizations)
	state.Members = shareMembersValue(list.Members, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// readShareSets are the three member sets of the members read, by
// member type (organization units by their URN), in API order.
func readShareSets(members []client.Member) shareSets {
	var read shareSets
	for _, m := range members {
		switch m.MemberType {
		case "project":
			read.projects = append(read.projects, m.MemberID)
		case "domain":
			read.domains = append(read.domains, m.MemberID)
		case "organization":
			urn := m.MemberID
			if m.URN != nil && *m.URN != "" {
				urn = *m.URN
			}
			read.organizations = append(read.organizations, urn)
		}
	}
	return read
}

// readSet is a member set as read: null when there is no such member and
// the configuration left the set out (so that no plan shows null -> []),
// else the members found.
func readSet(prior types.Set, ids []string) types.Set {
	if len(ids) == 0 && prior.IsNull() {
		return types.SetNull(types.StringType)
	}
	elems := make([]attr.Value, len(ids))
	for i, id := range ids {
		elems[i] = types.StringValue(id)
	}
	return types.SetValueMust(types.StringType, elems)
}

// shareMembersValue is the members attribute: every member in API order.
func shareMembersValue(members []client.Member, diags *diag.Diagnostics) types.List {
	elems := make([]attr.Value, len(members))
	for i, m := range members {
		urn := types.StringNull()
		if m.URN != nil {
			urn = types.StringValue(*m.URN)
		}
		obj, d := types.ObjectValue(shareMemberObjectType.AttrTypes, map[string]attr.Value{
			"member_id": types.StringValue(m.MemberID), "member_type": types.StringValue(m.MemberType),
			"status": types.StringValue(m.Status), "urn": urn,
			"created_at": types.StringValue(m.CreatedAt), "updated_at": types.StringValue(m.UpdatedAt),
		})
		diags.Append(d...)
		elems[i] = obj
	}
	list, d := types.ListValue(shareMemberObjectType, elems)
	diags.Append(d...)
	return list
}

func (r *imageShareResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state imageShareModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := plan.Timeouts.Update(ctx, defaultWriteTimeout)
	ctx, cancel, timeout, ok := r.data.beginOperation(ctx, "update", timeout, d, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	imageID := plan.ImageID.ValueString()
	// region and project_id cannot change in place: the state's are the image's.
	region, projectID := state.Region.ValueString(), state.ProjectID.ValueString()
	want, had := plan.sets(ctx, &resp.Diagnostics), state.sets(ctx, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	// Add first, then remove: the image is never shared with fewer members
	// than both configurations have in common.
	if added := want.minus(had); !added.empty() {
		if err := r.data.runJob(ctx, region, projectID, func(ctx context.Context) (string, error) {
			return r.data.client.AddImageMembers(ctx, added.change(region, projectID, imageID))
		}); err != nil {
			resp.Diagnostics.AddError(headline(err, "Cannot share image "+imageID+" with its new members"), explainOp(err, "update", timeout))
			return
		}
	}
	if removed := had.minus(want); !removed.empty() {
		if err := r.data.runJob(ctx, region, projectID, func(ctx context.Context) (string, error) {
			return r.data.client.RemoveImageMembers(ctx, removed.change(region, projectID, imageID))
		}); err != nil {
			resp.Diagnostics.AddError(headline(err, "Cannot stop sharing image "+imageID+" with the members removed from the configuration"), explainOp(err, "update", timeout))
			return
		}
	}
	r.applied(ctx, plan, region, projectID, &resp.State, &resp.Diagnostics)
	setImageIdentity(ctx, resp.Identity, imageID, region, projectID, &resp.Diagnostics)
}

func (r *imageShareResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state imageShareModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := state.Timeouts.Delete(ctx, defaultWriteTimeout)
	ctx, cancel, timeout, ok := r.data.beginOperation(ctx, "delete", timeout, d, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	imageID := state.ImageID.ValueString()
	region, projectID := state.Region.ValueString(), state.ProjectID.ValueString()
	sets := state.sets(ctx, &resp.Diagnostics)
	if resp.Diagnostics.HasError() || sets.empty() {
		return
	}
	err := r.data.runJob(ctx, region, projectID, func(ctx context.Context) (string, error) {
		return r.data.client.RemoveImageMembers(ctx, sets.change(region, projectID, imageID))
	})
	if err != nil && !r.imageGone(ctx, err, region, projectID, imageID) {
		resp.Diagnostics.AddError(headline(err, "Cannot stop sharing image "+imageID), explainOp(err, "delete", timeout))
	}
}

// imageGone tells whether a failed removal failed because the image no
// longer exists (IMS answers a removal from a deleted image with IMG.0066,
// "wrong image ID"): an image that is gone is shared with no one, so the
// delete has nothing left to do. The members list decides, by its 404.
func (r *imageShareResource) imageGone(ctx context.Context, err error, region, projectID, imageID string) bool {
	var apiErr *client.APIError
	if !isNotFound(err) && (!errors.As(err, &apiErr) || apiErr.Code != "IMG.0066") {
		return false
	}
	_, readErr := r.data.client.ListImageMembers(ctx, client.ListImageMembersInput{Region: region, ProjectID: projectID, ImageID: imageID})
	return isNotFound(readErr)
}

// ImportState adopts an image's sharing by image_id or project_id/image_id,
// or by identity; Read then fills in every member.
func (r *imageShareResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importImage(ctx, req, resp)
}
