package provider

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
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
		return // no credentials or region (missing_settings.go)
	}
	if req.Plan.Raw.IsNull() || r.data == nil {
		return // a destroy, or the provider is not configured yet
	}
	var plan imageShareModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if req.State.Raw.IsNull() {
		// A share to create: its region is checked now, not at apply (an
		// existing one's is at every refresh).
		r.data.warnUnknownRegionOverride(plan.Region, &resp.Diagnostics)
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
	region := knownString(plan.Region)
	if region == "" && plan.Region.IsUnknown() {
		region = r.data.region
	}
	if req.State.Raw.IsNull() && !resp.Diagnostics.HasError() && region != "" && knownString(plan.ImageID) != "" {
		r.warnExistingMembers(ctx, region, owner, plan.ImageID.ValueString(), &resp.Diagnostics)
	}
}

// planReadTimeout bounds the plan-time read of an image's members.
const planReadTimeout = time.Minute

// warnExistingMembers warns, at the plan of a create, that the image
// already has members: create adds the declared ones and removes none, and
// the others show (as removals) in the next plan; importing adopts the
// share as it is. A read that fails says nothing: apply reports it.
func (r *imageShareResource) warnExistingMembers(ctx context.Context, region, owner, imageID string, diags *diag.Diagnostics) {
	ctx, ok := r.data.ready(ctx, &diag.Diagnostics{})
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, planReadTimeout)
	defer cancel()
	list, err := r.data.client.ListImageMembers(ctx, client.ListImageMembersInput{Region: region, ProjectID: owner, ImageID: imageID})
	if err != nil || len(list.Members) == 0 {
		return
	}
	ids := make([]string, len(list.Members))
	for i, m := range list.Members {
		ids[i] = m.MemberID
	}
	diags.AddWarning("Image "+imageID+" is already shared",
		fmt.Sprintf("Image %s already has %d member(s): %s. Creating this resource adds the declared members and removes none; "+
			"the others then show in the next plan as removals. To adopt the share as it is instead, import it "+
			"(an import block with id = %q, or terraform import ADDRESS %s) and change it from there.",
			imageID, len(ids), joinShort(ids), imageID, imageID))
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
	ctx, cancel, plan, op, ok := startOnImage[imageShareModel](ctx, r.data, "create", req.Plan, "Cannot find the project that owns image %s", &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	imageID, region, projectID := op.imageID, op.region, op.projectID
	sets := plan.sets(ctx, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	// Create adds what is missing and removes nothing: members already on
	// the image and not declared show in the next plan. Once a write may
	// have taken effect, a failed create is recorded (Terraform marks it
	// tainted), so that no member it may have added is unknown to the state.
	w := &shareWriter{data: r.data, region: region, projectID: projectID, imageID: imageID}
	r.writeAndRecord(ctx, op.operation, plan, w, sets, shareSets{}, "Cannot share image "+imageID, failedCreateAdvice, &resp.State, resp.Identity, &resp.Diagnostics)
}

// writeAndRecord makes the image's members converge (add present, remove
// absent) and records the outcome: the state and identity after success;
// after a failure, the same once a write may have taken effect (with
// recordedNote, what the state now holds and what to run next), and the
// error under summary.
func (r *imageShareResource) writeAndRecord(ctx context.Context, op operation, plan imageShareModel, w *shareWriter, add, remove shareSets,
	summary, recordedNote string, state stateSetter, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	err := w.converge(ctx, add, remove)
	if err != nil && !w.mayHaveWritten {
		op.fail(diags, summary, err)
		return
	}
	r.record(ctx, plan, w, state, diags, err != nil)
	setImageIdentity(ctx, identity, w.imageID, w.region, w.projectID, diags)
	if err != nil {
		op.fail(diags, summary, err, recordedNote)
	}
}

// failedCreateAdvice tells what the state holds after a failed create and
// what to run next (the docs' "When an apply fails" says the same).
const failedCreateAdvice = "The share is recorded in the state with the members read back from the image (as planned where they could not be read), " +
	"marked tainted: the next terraform apply replaces it, which removes those members and shares the image again. " +
	"To keep the members instead, run terraform untaint on this resource's address, then terraform apply: it adds only what is still missing."

// record writes the state after a write: the image, region and project,
// and the members read back. After success the sets are as planned
// (members added elsewhere meanwhile show at the next refresh). After a
// failure they hold every member that may be shared: those read back and
// every member of a write sent (a job still running may yet add or fail to
// remove it); the next refresh narrows them to what is there. A read that
// fails leaves members unknown until the next refresh, with a warning.
func (r *imageShareResource) record(ctx context.Context, plan imageShareModel, w *shareWriter, state stateSetter, diags *diag.Diagnostics, failed bool) {
	ctx, cancel := recordContext(ctx)
	defer cancel()
	planned := plan.sets(ctx, diags)
	plan.ID = types.StringValue(w.imageID)
	plan.Region, plan.ProjectID = types.StringValue(w.region), types.StringValue(w.projectID)
	list, err := w.members(ctx)
	recorded := planned
	if err != nil {
		diags.AddWarning("The members of image "+w.imageID+" could not be read back",
			err.Error()+". The state records the members as planned; the next refresh reads them.")
		plan.Members = types.ListNull(shareMemberObjectType)
		if failed {
			recorded = planned.union(w.sent)
		}
	} else {
		plan.Members = shareMembersValue(list.Members, diags)
		if failed {
			recorded = shareSetsOf(list.Members).union(w.sent)
		}
	}
	plan.ProjectIDs, plan.DomainIDs, plan.OrganizationURNs = readSet(recorded.projects), readSet(recorded.domains), readSet(recorded.organizations)
	diags.Append(state.Set(ctx, &plan)...)
}

// stateSetter is resource.CreateResponse's and UpdateResponse's State.
type stateSetter interface {
	Set(ctx context.Context, val any) diag.Diagnostics
}

func (r *imageShareResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	ctx, cancel, state, op, ok := startOnImage[imageShareModel](ctx, r.data, "read", req.State, "Cannot find the project that owns image %s", &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	imageID, region, projectID := op.imageID, op.region, op.projectID
	setImageIdentity(ctx, resp.Identity, imageID, region, projectID, &resp.Diagnostics)
	list, err := r.data.client.ListImageMembers(ctx, client.ListImageMembersInput{Region: region, ProjectID: projectID, ImageID: imageID})
	if err != nil {
		// Gone only when IMS says so and the image list confirms it; a
		// gateway 404 (a wrong endpoint) or any other failure is an error,
		// and the state stays as it was.
		if r.data.imageGone(ctx, err, region, projectID, imageID) {
			resp.State.RemoveResource(ctx) // the image is gone, and its share with it
			return
		}
		op.fail(&resp.Diagnostics, "Cannot read the members of image "+imageID, err)
		return
	}
	warnDuplicates(&resp.Diagnostics, imageID, list.Duplicates)
	read := shareSetsOf(list.Members)
	state.ID = types.StringValue(imageID)
	state.Region, state.ProjectID = types.StringValue(region), types.StringValue(projectID)
	state.ProjectIDs, state.DomainIDs, state.OrganizationURNs = readSet(read.projects), readSet(read.domains), readSet(read.organizations)
	state.Members = shareMembersValue(list.Members, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// readSet is a member set as read: an empty set when there is no such
// member, never null, so that a configuration that leaves the set out and
// one that writes [] both plan no change (see emptyWhenAbsent).
func readSet(ids []string) types.Set {
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
	var state imageShareModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, cancel, plan, op, ok := startOperation[imageShareModel](ctx, r.data, "update", req.Plan, &resp.Diagnostics)
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
	// Removed: what the plan showed going (the refreshed state minus the
	// configuration); a member that appeared after the plan is left for
	// the next plan to show. Added: whatever of the configuration a fresh
	// read lacks.
	w := &shareWriter{data: r.data, region: region, projectID: projectID, imageID: imageID}
	r.writeAndRecord(ctx, op, plan, w, want, had.minus(want), "Cannot change the members of image "+imageID,
		"The state records the members read back from the image, so the next plan shows what is still to do.", &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *imageShareResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	ctx, cancel, state, op, ok := startOperation[imageShareModel](ctx, r.data, "delete", req.State, &resp.Diagnostics)
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
	w := &shareWriter{data: r.data, region: region, projectID: projectID, imageID: imageID}
	err := w.converge(ctx, shareSets{}, sets)
	// An image IMS says is gone (confirmed by the image list) is shared
	// with no one: nothing is left to do. Anything else keeps the state.
	if err != nil && !r.data.imageGone(ctx, err, region, projectID, imageID) {
		op.fail(&resp.Diagnostics, "Cannot stop sharing image "+imageID, err, "The state is unchanged: run terraform destroy (or apply) again.")
	}
}

// ImportState adopts an image's sharing by image_id or project_id/image_id,
// or by identity; Read then fills in every member.
func (r *imageShareResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importImage(ctx, req, resp)
}
