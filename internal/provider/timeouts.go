package provider

import (
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

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
