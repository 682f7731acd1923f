package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
)

// memberAttributes is the one list of a member's attributes, as
// ims_image_members and ims_shared_images put them in state: each one's
// name and the client.Member field it comes from (false for null). The
// schema's element type (memberObjectType) and the direct msgpack encoder
// (membersEncoder) are both made from it.
//
// Adding a member attribute touches four places and nothing else:
//   - client.Member (the field, decoded from the API);
//   - the schema: an entry here, and the members description in
//     image_members_schema.go;
//   - the model: memberModel and newMemberModel below;
//   - the encoder: nothing more to write, it reads this list.
//
// TestMemberAttributes_modelMatchesList fails when memberModel and this
// list disagree, and the encoder is tested against the framework's Read
// (TestImageMembersEncoder_matchesFrameworkRead).
var memberAttributes = []memberAttribute{
	{"member_id", func(m *client.Member) (string, bool) { return m.MemberID, true }},
	{"member_type", func(m *client.Member) (string, bool) { return m.MemberType, true }},
	{"status", func(m *client.Member) (string, bool) { return m.Status, true }},
	{"urn", func(m *client.Member) (string, bool) {
		if m.URN == nil {
			return "", false
		}
		return *m.URN, true
	}},
	{"image_id", func(m *client.Member) (string, bool) { return m.ImageID, true }},
	{"schema", func(m *client.Member) (string, bool) { return m.Schema, true }},
	{"created_at", func(m *client.Member) (string, bool) { return m.CreatedAt, true }},
	{"updated_at", func(m *client.Member) (string, bool) { return m.UpdatedAt, true }},
}

// memberAttribute is one string attribute of a member.
type memberAttribute struct {
	name  string
	value func(*client.Member) (string, bool)
}

// memberObjectType is one element of members.
var memberObjectType = func() types.ObjectType {
	attrs := make(map[string]attr.Type, len(memberAttributes))
	for _, a := range memberAttributes {
		attrs[a.name] = types.StringType
	}
	return types.ObjectType{AttrTypes: attrs}
}()

// memberModel is one member in the framework's Read: the textbook model
// State.Set reads by its tags.
type memberModel struct {
	MemberID   types.String `tfsdk:"member_id"`
	MemberType types.String `tfsdk:"member_type"`
	Status     types.String `tfsdk:"status"`
	URN        types.String `tfsdk:"urn"`
	ImageID    types.String `tfsdk:"image_id"`
	Schema     types.String `tfsdk:"schema"`
	CreatedAt  types.String `tfsdk:"created_at"`
	UpdatedAt  types.String `tfsdk:"updated_at"`
}

func newMemberModel(m *client.Member) memberModel {
	return memberModel{
		MemberID:   types.StringValue(m.MemberID),
		MemberType: types.StringValue(m.MemberType),
		Status:     types.StringValue(m.Status),
		URN:        types.StringPointerValue(m.URN),
		ImageID:    types.StringValue(m.ImageID),
		Schema:     types.StringValue(m.Schema),
		CreatedAt:  types.StringValue(m.CreatedAt),
		UpdatedAt:  types.StringValue(m.UpdatedAt),
	}
}

// memberModels are the members that pass the filters (an empty filter
// keeps all), in API order; empty, not nil, when none does, so that the
// state holds an empty list rather than null.
func memberModels(members []client.Member, status, memberType string) []memberModel {
	out := make([]memberModel, 0, len(members))
	for i := range members {
		if keep(&members[i], status, memberType) {
			out = append(out, newMemberModel(&members[i]))
		}
	}
	return out
}

// keep is the members filter of ims_image_members and ims_shared_images,
// which the framework's Read and the direct encoder both apply.
func keep(m *client.Member, status, memberType string) bool {
	return (status == "" || m.Status == status) && (memberType == "" || m.MemberType == memberType)
}
