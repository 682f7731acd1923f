package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// ims_images builds its state's tftypes.Value directly and assigns
// State.Raw: it is read through the framework (no direct path), and
// State.Set would first build an attr.Value per element and then walk a
// model by reflection. (ims_image_members and ims_shared_images use
// State.Set: their Read is the reference the direct encoder is tested
// against, and it does not run when Terraform reads them.)

// stateTypes are the state's object type and those of its list(object)
// attribute name, from the schema, so that the values built cannot drift
// from it.
func stateTypes(ctx context.Context, state *tfsdk.State, name string) (t tftypes.Object, list tftypes.List, elem tftypes.Object, err error) {
	t, ok := state.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		return t, list, elem, fmt.Errorf("the data source's state is a %s, not an object", state.Schema.Type())
	}
	if list, ok = t.AttributeTypes[name].(tftypes.List); !ok {
		return t, list, elem, fmt.Errorf("%s is a %s, not a list", name, t.AttributeTypes[name])
	}
	if elem, ok = list.ElementType.(tftypes.Object); !ok {
		return t, list, elem, fmt.Errorf("%s's elements are %s, not objects", name, list.ElementType)
	}
	return t, list, elem, nil
}

// writeState sets state to the computed values plus the configuration's
// own values unchanged (as State.Set would write them from the model).
func writeState(ctx context.Context, state *tfsdk.State, t tftypes.Object, computed map[string]tftypes.Value, config map[string]attr.Value) diag.Diagnostics {
	var diags diag.Diagnostics
	for name, v := range config {
		tv, err := v.ToTerraformValue(ctx)
		if err != nil {
			diags.AddError("Cannot convert "+name, err.Error())
			return diags
		}
		computed[name] = tv
	}
	// NewValue panics on a missing attribute or a type mismatch; a bug here
	// should be a diagnostic, not a crash of the plugin.
	if err := tftypes.ValidateValue(t, computed); err != nil {
		diags.AddError("Invalid state", err.Error()+"; this is a bug in the provider")
		return diags
	}
	state.Raw = tftypes.NewValue(t, computed)
	return diags
}

// stateBug is the diagnostic of a state that cannot be built.
func stateBug(err error) diag.Diagnostics {
	var diags diag.Diagnostics
	diags.AddError("Cannot build the state", err.Error()+"; this is a bug in the provider")
	return diags
}
