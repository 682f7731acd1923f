package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
)

var objectAsOptions = basetypes.ObjectAsOptions{}

// memberAttrTypes is the object type of one element of members.
var memberAttrTypes = map[string]attr.Type{
	"member_id":   types.StringType,
	"member_type": types.StringType,
	"status":      types.StringType,
	"urn":         types.StringType,
	"image_id":    types.StringType,
	"schema":      types.StringType,
	"created_at":  types.StringType,
	"updated_at":  types.StringType,
}

var memberObjectType = types.ObjectType{AttrTypes: memberAttrTypes}

// membersValue builds the members list directly from the client's values,
// keeping those that pass the filters (empty filter keeps all).
func membersValue(members []client.Member, status, memberType string) (types.List, diag.Diagnostics) {
	elems := make([]attr.Value, 0, len(members))
	var diags diag.Diagnostics
	for i := range members {
		m := &members[i]
		if (status != "" && m.Status != status) || (memberType != "" && m.MemberType != memberType) {
			continue
		}
		obj, d := types.ObjectValue(memberAttrTypes, map[string]attr.Value{
			"member_id":   types.StringValue(m.MemberID),
			"member_type": types.StringValue(m.MemberType),
			"status":      types.StringValue(m.Status),
			"urn":         types.StringPointerValue(m.URN),
			"image_id":    types.StringValue(m.ImageID),
			"schema":      types.StringValue(m.Schema),
			"created_at":  types.StringValue(m.CreatedAt),
			"updated_at":  types.StringValue(m.UpdatedAt),
		})
		diags.Append(d...)
		elems = append(elems, obj)
	}
	if diags.HasError() {
		return types.ListNull(memberObjectType), diags
	}
	list, d := types.ListValue(memberObjectType, elems)
	diags.Append(d...)
	return list, diags
}
