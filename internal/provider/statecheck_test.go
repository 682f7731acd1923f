package provider

import (
	"context"
	"fmt"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// checkFunc runs an arbitrary assertion after a step, such as a request
// count read from the emulator.
type checkFunc func(*tfjson.State) error

func (f checkFunc) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if err := f(req.State); err != nil {
		resp.Error = err
	}
}

// dataSourceMembers returns the members attribute of a data source in state.
func dataSourceMembers(state *tfjson.State, address string) ([]map[string]any, error) {
	if state == nil || state.Values == nil || state.Values.RootModule == nil {
		return nil, fmt.Errorf("no state")
	}
	for _, r := range state.Values.RootModule.Resources {
		if r.Address != address {
			continue
		}
		raw, ok := r.AttributeValues["members"].([]any)
		if !ok {
			return nil, fmt.Errorf("%s: members is %T", address, r.AttributeValues["members"])
		}
		out := make([]map[string]any, len(raw))
		for i, m := range raw {
			obj, ok := m.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("%s: members[%d] is %T", address, i, m)
			}
			out[i] = obj
		}
		return out, nil
	}
	return nil, fmt.Errorf("%s not in state", address)
}

// expectMemberIDs asserts the exact member IDs, in order.
func expectMemberIDs(address string, want []string) checkFunc {
	return func(state *tfjson.State) error {
		got, err := dataSourceMembers(state, address)
		if err != nil {
			return err
		}
		if len(got) != len(want) {
			return fmt.Errorf("%s: %d members in state, want %d", address, len(got), len(want))
		}
		for i := range want {
			if got[i]["member_id"] != want[i] {
				return fmt.Errorf("%s: members[%d].member_id = %v, want %s", address, i, got[i]["member_id"], want[i])
			}
		}
		return nil
	}
}
