package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
)

// setMembersState writes the read's state: the configuration as given plus
// id, region, project_id, schema and the members that pass the filters, in
// API order, built directly (see state_value.go; the result must equal
// State.Set's, which TestSetMembersState_matchesReflection checks).
func setMembersState(ctx context.Context, state *tfsdk.State, m imageMembersModel, got *fetchedMembers) diag.Diagnostics {
	t, listType, _, err := stateTypes(ctx, state, "members")
	if err != nil {
		return stateBug(err)
	}
	members, err := membersValue(listType, got.list.Members, m.Status.ValueString(), m.MemberType.ValueString())
	if err != nil {
		return stateBug(err)
	}
	return writeState(ctx, state, t, map[string]tftypes.Value{
		"members":    members,
		"id":         tftypes.NewValue(tftypes.String, m.ImageID.ValueString()),
		"region":     tftypes.NewValue(tftypes.String, got.region),
		"project_id": tftypes.NewValue(tftypes.String, got.projectID),
		"schema":     tftypes.NewValue(tftypes.String, got.list.Schema),
	}, map[string]attr.Value{
		"image_id": m.ImageID, "status": m.Status, "member_type": m.MemberType,
		"page_size": m.PageSize, "timeouts": m.Timeouts,
	})
}

// membersValue is the members list: one object per member that passes the
// filters (an empty filter keeps all), urn null when the API sent none. An
// empty result is an empty list, not null.
func membersValue(listType tftypes.List, members []client.Member, status, memberType string) (tftypes.Value, error) {
	objType, ok := listType.ElementType.(tftypes.Object)
	if !ok {
		return tftypes.Value{}, fmt.Errorf("members' elements are %s, not objects", listType.ElementType)
	}
	n := len(members)
	if status != "" || memberType != "" {
		n = 0
		for i := range members {
			if keep(&members[i], status, memberType) {
				n++
			}
		}
	}
	// Members of one image repeat a handful of values (image_id, schema,
	// the three types and statuses, a null urn); sharing one immutable
	// tftypes.Value for each saves two allocations per attribute.
	var shared stringValues
	nullString := tftypes.NewValue(tftypes.String, nil)
	elems := make([]tftypes.Value, 0, n)
	for i := range members {
		mem := &members[i]
		if !keep(mem, status, memberType) {
			continue
		}
		urn := nullString
		if mem.URN != nil {
			urn = tftypes.NewValue(tftypes.String, *mem.URN)
		}
		elems = append(elems, tftypes.NewValue(objType, map[string]tftypes.Value{
			"member_id":   tftypes.NewValue(tftypes.String, mem.MemberID),
			"member_type": shared.get(0, mem.MemberType),
			"status":      shared.get(1, mem.Status),
			"urn":         urn,
			"image_id":    shared.get(2, mem.ImageID),
			"schema":      shared.get(3, mem.Schema),
			"created_at":  tftypes.NewValue(tftypes.String, mem.CreatedAt),
			"updated_at":  tftypes.NewValue(tftypes.String, mem.UpdatedAt),
		}))
	}
	// Every element has the list's element type by construction, so
	// NewValue's own check cannot fail; validating first would walk the
	// list twice.
	return tftypes.NewValue(listType, elems), nil
}

func keep(m *client.Member, status, memberType string) bool {
	return (status == "" || m.Status == status) && (memberType == "" || m.MemberType == memberType)
}

// stringValues remembers a few string values per field; a field with more
// distinct values than fit just gets fresh ones.
type stringValues [4][4]struct {
	s string
	v tftypes.Value
	// set tells an empty slot from a cached "".
	set bool
}

func (c *stringValues) get(field int, s string) tftypes.Value {
	slots := &c[field]
	for i := range slots {
		switch {
		case !slots[i].set:
			slots[i].s, slots[i].v, slots[i].set = s, tftypes.NewValue(tftypes.String, s), true
			return slots[i].v
		case slots[i].s == s:
			return slots[i].v
		}
	}
	return tftypes.NewValue(tftypes.String, s)
}
