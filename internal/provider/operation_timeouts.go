package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// Every operation of a resource and every read of a data source starts
// here: beginOperation (beginRead for a data source) checks that the
// provider can make calls, turns the timeouts block into the operation's
// bound (operationTimeout) and gives the context its deadline.

// Default bounds of one operation when its timeouts block leaves it unset.
const (
	defaultReadTimeout  = 5 * time.Minute
	defaultAuditTimeout = 10 * time.Minute // ims_shared_images reads many images
	defaultWriteTimeout = 10 * time.Minute // create, update, delete: a job is awaited
)

// operationTimeout turns what a timeouts block's getter (such as
// timeouts.Value.Read) returned into the operation's bound; a zero or
// negative duration is refused rather than cutting the call off at once.
func operationTimeout(name string, d time.Duration, diags diag.Diagnostics) (time.Duration, diag.Diagnostics) {
	if !diags.HasError() && d <= 0 {
		diags.AddError("Invalid timeouts."+name, fmt.Sprintf("timeouts.%s is %s; it must be a positive duration such as 30s or 5m.", name, d))
	}
	return d, diags
}

// beginOperation is the start of every operation of a resource and of
// every read of a data source: the provider can make calls, the operation's timeout (from its timeouts
// getter: timeout and d) is valid, and ctx ends at its deadline (cancel
// releases it).
func (p *providerData) beginOperation(ctx context.Context, op string, timeout time.Duration, d diag.Diagnostics, diags *diag.Diagnostics) (context.Context, context.CancelFunc, time.Duration, bool) {
	ctx, ok := p.ready(ctx, diags)
	if !ok {
		return ctx, func() {}, 0, false
	}
	timeout, d = operationTimeout(op, timeout, d)
	diags.Append(d...)
	if diags.HasError() {
		return ctx, func() {}, 0, false
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	return ctx, cancel, timeout, true
}

// beginRead is beginOperation for a data source's read, with the timeout
// from its timeouts block (def when unset).
func (p *providerData) beginRead(ctx context.Context, t timeouts.Value, def time.Duration, diags *diag.Diagnostics) (context.Context, context.CancelFunc, time.Duration, bool) {
	timeout, d := t.Read(ctx, def)
	return p.beginOperation(ctx, "read", timeout, d, diags)
}
