package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Every operation of a resource and every read of a data source starts
// with startOperation (startOnImage when the image's project may have to
// be looked up; a list with beginOperation): the model read, the
// provider able to make calls, the timeouts block turned into the
// operation's bound (operationTimeout) and the context given its deadline.
// The operation it returns explains any call that fails under it
// (operation.fail, diagnostics.go).

// Default bounds of one operation when its timeouts block leaves it unset.
const (
	defaultReadTimeout  = 5 * time.Minute
	defaultAuditTimeout = 10 * time.Minute // ims_shared_images reads many images
	defaultWriteTimeout = 10 * time.Minute // create, update, delete: a job is awaited
)

// operation is a started operation: its name (read, create, update,
// delete: the timeouts attribute to raise) and the bound it runs under.
type operation struct {
	name    string
	timeout time.Duration
	// fixed: no timeouts block sets the bound (a list's), so a diagnostic
	// cannot offer to raise it.
	fixed bool
}

// timedModel is a pointer to a model with a timeouts block: timeout is the
// bound the block gives operation op (its default when unset).
type timedModel[M any] interface {
	*M
	timeout(ctx context.Context, op string) (time.Duration, diag.Diagnostics)
}

// modelSource is what a model is read from: a request's Plan, State or
// Config.
type modelSource interface {
	Get(ctx context.Context, target any) diag.Diagnostics
}

// startOperation is the start of every CRUD method of a resource and of
// every read of a data source, as the AWS provider's WithTimeouts: the
// model M read from from (the plan, state or config), the provider ready,
// and ctx bounded by the model's timeouts block for op. cancel releases
// ctx and is never nil; when ok is false, diags say why.
func startOperation[M any, P timedModel[M]](ctx context.Context, data *providerData, op string, from modelSource, diags *diag.Diagnostics) (_ context.Context, cancel context.CancelFunc, m M, o operation, ok bool) {
	diags.Append(from.Get(ctx, &m)...)
	if diags.HasError() {
		return ctx, func() {}, m, operation{}, false
	}
	timeout, d := P(&m).timeout(ctx, op)
	ctx, cancel, o, ok = data.beginOperation(ctx, op, timeout, d, diags)
	return ctx, cancel, m, o, ok
}

// imageOperation is a resource's operation on one image, where it is:
// the region and the project that owns it (or answers it).
type imageOperation struct {
	operation
	imageID, region, projectID string
}

// imageModel is a pointer to a resource's model: a timedModel that names
// its image and the region and project_id overrides that place it.
type imageModel[M any] interface {
	*M
	timeout(ctx context.Context, op string) (time.Duration, diag.Diagnostics)
	image() (imageID string, region, projectID types.String)
}

// startOnImage is startOperation, then the image's region and project
// (providerData.targetOf), for the operations that may have to look the
// project up (create, read; update and delete take both from the state).
// notFound is the summary when the project cannot be found, %s the image
// ID.
func startOnImage[M any, P imageModel[M]](ctx context.Context, data *providerData, op string, from modelSource, notFound string, diags *diag.Diagnostics) (_ context.Context, cancel context.CancelFunc, m M, o imageOperation, ok bool) {
	ctx, cancel, m, o.operation, ok = startOperation[M, P](ctx, data, op, from, diags)
	if !ok {
		return ctx, cancel, m, o, false
	}
	imageID, regionOverride, projectOverride := P(&m).image()
	o.imageID = imageID
	o.region, o.projectID, ok = data.targetOf(ctx, o.operation, regionOverride, projectOverride, fmt.Sprintf(notFound, imageID), diags)
	return ctx, cancel, m, o, ok
}

// resourceTimeout is the bound a resource's timeouts block gives op:
// defaultReadTimeout for a read, defaultWriteTimeout for a write.
func resourceTimeout(ctx context.Context, t timeouts.Value, op string) (time.Duration, diag.Diagnostics) {
	switch op {
	case "create":
		return t.Create(ctx, defaultWriteTimeout)
	case "update":
		return t.Update(ctx, defaultWriteTimeout)
	case "delete":
		return t.Delete(ctx, defaultWriteTimeout)
	}
	return t.Read(ctx, defaultReadTimeout)
}

// operationTimeout turns what a timeouts block's getter (such as
// timeouts.Value.Read) returned into the operation's bound; a zero or
// negative duration is refused rather than cutting the call off at once.
func operationTimeout(name string, d time.Duration, diags diag.Diagnostics) (time.Duration, diag.Diagnostics) {
	if !diags.HasError() && d <= 0 {
		diags.AddError("Invalid timeouts."+name, fmt.Sprintf("timeouts.%s is %s; it must be a positive duration such as 30s or 5m.", name, d))
	}
	return d, diags
}

// beginOperation starts operation op: the provider can make calls, the
// operation's timeout (from its timeouts getter: timeout and d) is valid,
// and ctx ends at its deadline (cancel releases it; never nil).
func (p *providerData) beginOperation(ctx context.Context, op string, timeout time.Duration, d diag.Diagnostics, diags *diag.Diagnostics) (context.Context, context.CancelFunc, operation, bool) {
	ctx, ok := p.ready(ctx, diags)
	if !ok {
		return ctx, func() {}, operation{}, false
	}
	timeout, d = operationTimeout(op, timeout, d)
	diags.Append(d...)
	if diags.HasError() {
		return ctx, func() {}, operation{}, false
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	return ctx, cancel, operation{name: op, timeout: timeout}, true
}

func (m *imageShareModel) timeout(ctx context.Context, op string) (time.Duration, diag.Diagnostics) {
	return resourceTimeout(ctx, m.Timeouts, op)
}

func (m *imageShareModel) image() (string, types.String, types.String) {
	return m.ImageID.ValueString(), m.Region, m.ProjectID
}

func (m *sharedImageAcceptanceModel) image() (string, types.String, types.String) {
	return m.ImageID.ValueString(), m.Region, m.ProjectID
}

func (m *sharedImageAcceptanceModel) timeout(ctx context.Context, op string) (time.Duration, diag.Diagnostics) {
	return resourceTimeout(ctx, m.Timeouts, op)
}

func (m *imageMembersModel) timeout(ctx context.Context, _ string) (time.Duration, diag.Diagnostics) {
	return m.Timeouts.Read(ctx, defaultReadTimeout)
}

func (m *imagesModel) timeout(ctx context.Context, _ string) (time.Duration, diag.Diagnostics) {
	return m.Timeouts.Read(ctx, defaultReadTimeout)
}

func (m *sharedImagesModel) timeout(ctx context.Context, _ string) (time.Duration, diag.Diagnostics) {
	return m.Timeouts.Read(ctx, defaultAuditTimeout)
}
