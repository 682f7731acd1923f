package provider

import (
	"bytes"
	"context"
	"fmt"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
)

// clientMembers turns emulator members into what the client decodes: URN
// nil when the API sends none.
func clientMembers(in []emulator.Member) []client.Member {
	out := make([]client.Member, len(in))
	for i, m := range in {
		out[i] = client.Member{
			MemberID: m.MemberID, MemberType: m.MemberType, Status: m.Status, ImageID: m.ImageID,
			Schema: m.Schema, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt,
		}
		if m.URN != "" {
			urn := m.URN
			out[i].URN = &urn
		}
	}
	return out
}

func dataSourceSchema(t testing.TB) tfsdk.State {
	t.Helper()
	var resp datasource.SchemaResponse
	newImageMembersDataSource().Schema(context.Background(), datasource.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("schema: %v", resp.Diagnostics)
	}
	return tfsdk.State{Schema: resp.Schema}
}

// TestImageMembersEncoder_matchesFrameworkRead is the guard on the direct
// encoder: for every filter combination, with members that have a urn and
// members that have none, with and without the optional arguments, its
// msgpack must be that of the state the data source's Read sets
// (State.Set of imageMembersModel.read), and that state must hold the
// members the input says (checkMembersState, independent of both).
func TestImageMembersEncoder_matchesFrameworkRead(t *testing.T) {
	ctx := context.Background()
	const imageID = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"
	generated := emulator.GenerateMembers(imageID, 30) // a third are organizations with a urn
	var noURN []emulator.Member
	for _, m := range generated {
		if m.URN == "" {
			noURN = append(noURN, m)
		}
	}
	// A hand-made member whose strings repeat another member's, to catch
	// any caching of values across members going wrong.
	odd := emulator.Member{MemberID: "accepted", MemberType: "project", Status: "accepted", ImageID: imageID,
		Schema: "project", CreatedAt: "2024-01-01T00:00:00Z", UpdatedAt: "2024-01-01T00:00:00Z"}
	// And strings long enough for msgpack's 16- and 32-bit length headers.
	long := emulator.Member{MemberID: "long", MemberType: "organization", Status: "pending", ImageID: imageID,
		URN: strings.Repeat("u", 300), Schema: strings.Repeat("s", 70_000), CreatedAt: "", UpdatedAt: "x"}
	withOdd := append(append([]emulator.Member{}, generated...), odd, long)

	datasets := map[string][]emulator.Member{"with urn": withOdd, "without urn": noURN, "empty": nil}
	timeoutsBlock := tftypes.NewValue(tftypes.Object{AttributeTypes: map[string]tftypes.Type{"read": tftypes.String}},
		map[string]tftypes.Value{"read": tftypes.NewValue(tftypes.String, "30s")})
	configs := map[string]imageMembersModel{
		"bare": {ImageID: types.StringValue(imageID)},
		"everything": {ImageID: types.StringValue(imageID), Region: types.StringValue("eu-west-101"),
			ProjectID: types.StringValue("p"), PageSize: types.Int64Value(7), Timeouts: timeouts.Value{Object: objectFromTerraform(t, timeoutsBlock)}},
	}
	for dsName, members := range datasets {
		for cfgName, cfg := range configs {
			for _, status := range []string{"", "accepted", "rejected", "pending"} {
				for _, memberType := range []string{"", "project", "domain", "organization"} {
					name := fmt.Sprintf("%s/%s/status=%q/member_type=%q", dsName, cfgName, status, memberType)
					m := cfg
					m.Status, m.MemberType = types.StringNull(), types.StringNull()
					if status != "" {
						m.Status = types.StringValue(status)
					}
					if memberType != "" {
						m.MemberType = types.StringValue(memberType)
					}
					if m.Timeouts.IsNull() || m.Timeouts.IsUnknown() {
						m.Timeouts = timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{"read": types.StringType})}
					}
					got := &fetchedMembers{region: "cn-north-4", projectID: "0123", list: &client.MemberList{
						Schema: "/v2/schemas/members", Members: clientMembers(members),
					}}
					state := dataSourceSchema(t)
					if d := state.Set(ctx, m.read(got)); d.HasError() {
						t.Fatalf("%s: the framework's Read: %v", name, d)
					}
					checkMembersState(t, name, state.Raw, members, status, memberType)
					checkEncodedState(t, name, state.Raw, m, got)
				}
			}
		}
	}
}

// checkEncodedState: directReadsServer's msgpack of the read, from the
// configuration m stands for, is the framework Read's state (want), as a
// value and to the byte.
func checkEncodedState(t *testing.T, name string, want tftypes.Value, m imageMembersModel, got *fetchedMembers) {
	t.Helper()
	ctx := context.Background()
	typ, ok := want.Type().(tftypes.Object)
	if !ok {
		t.Fatalf("%s: state type %s", name, want.Type())
	}
	var wanted map[string]tftypes.Value
	if err := want.As(&wanted); err != nil {
		t.Fatal(err)
	}
	attrs := maps.Clone(wanted) // As hands out the value's own map

	for _, computed := range []string{"id", "schema", "members"} {
		attrs[computed] = tftypes.NewValue(typ.AttributeTypes[computed], nil)
	}
	for name, v := range map[string]attr.Value{"region": m.Region, "project_id": m.ProjectID} {
		tv, err := v.ToTerraformValue(ctx)
		if err != nil {
			t.Fatal(err)
		}
		attrs[name] = tv
	}
	encoded, err := encodeImageMembersState(tftypes.NewValue(typ, attrs), m, got)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	wantMsgPack, err := tfprotov6.NewDynamicValue(typ, want)
	if err != nil {
		t.Fatal(err)
	}
	decoded, err := (&tfprotov6.DynamicValue{MsgPack: encoded}).Unmarshal(typ)
	if err != nil {
		t.Fatalf("%s: the encoded state does not decode: %v", name, err)
	}
	if !decoded.Equal(want) {
		diffs, _ := decoded.Diff(want)
		t.Fatalf("%s: the encoded state differs from the framework Read's as a value in %d places, first %v", name, len(diffs), diffs[0].Path)
	}
	if w := wantMsgPack.MsgPack; !bytes.Equal(encoded, w) {
		at := 0
		for at < len(encoded) && at < len(w) && encoded[at] == w[at] {
			at++
		}
		t.Fatalf("%s: the encoded state (%d bytes) is the framework Read's value, but its bytes differ from tftypes' msgpack (%d bytes) from byte %d: % x vs % x; the framework's encoding changed",
			name, len(encoded), len(w), at, encoded[at:min(at+8, len(encoded))], w[at:min(at+8, len(w))])
	}
}

// checkMembersState checks the state against the input independently of
// either path: API order, the filters, urn null exactly when absent.
func checkMembersState(t *testing.T, name string, state tftypes.Value, in []emulator.Member, status, memberType string) {
	t.Helper()
	var want []emulator.Member
	for _, m := range in {
		if (status == "" || m.Status == status) && (memberType == "" || m.MemberType == memberType) {
			want = append(want, m)
		}
	}
	var obj map[string]tftypes.Value
	if err := state.As(&obj); err != nil {
		t.Fatal(err)
	}
	var list []tftypes.Value
	if err := obj["members"].As(&list); err != nil {
		t.Fatal(err)
	}
	if obj["members"].IsNull() || len(list) != len(want) {
		t.Fatalf("%s: %d members (null %v), want %d", name, len(list), obj["members"].IsNull(), len(want))
	}
	for i, v := range list {
		var fields map[string]tftypes.Value
		if err := v.As(&fields); err != nil {
			t.Fatal(err)
		}
		var id string
		var urn *string
		if err := fields["member_id"].As(&id); err != nil {
			t.Fatal(err)
		}
		if err := fields["urn"].As(&urn); err != nil {
			t.Fatal(err)
		}
		if id != want[i].MemberID {
			t.Fatalf("%s: member %d is %s, want %s", name, i, id, want[i].MemberID)
		}
		if (urn == nil) != (want[i].URN == "") || (urn != nil && *urn != want[i].URN) {
			t.Fatalf("%s: member %d urn %v, want %q", name, i, urn, want[i].URN)
		}
	}
}

// objectFromTerraform is the timeouts block as the framework reads it from
// the configuration.
func objectFromTerraform(t *testing.T, v tftypes.Value) types.Object {
	t.Helper()
	typ := types.ObjectType{AttrTypes: map[string]attr.Type{"read": types.StringType}}
	obj, err := typ.ValueFromTerraform(context.Background(), v)
	if err != nil {
		t.Fatal(err)
	}
	return obj.(types.Object)
}

// TestMemberAttributes_modelMatchesList: memberModel (the framework's
// Read) has exactly the attributes of memberAttributes (the schema and
// the direct encoder), so an attribute added to one and not the other
// fails here before it fails as a difference of states.
func TestMemberAttributes_modelMatchesList(t *testing.T) {
	var inModel []string
	typ := reflect.TypeFor[memberModel]()
	for i := range typ.NumField() {
		inModel = append(inModel, typ.Field(i).Tag.Get("tfsdk"))
	}
	var inList []string
	for _, a := range memberAttributes {
		inList = append(inList, a.name)
	}
	slices.Sort(inModel)
	slices.Sort(inList)
	if !slices.Equal(inModel, inList) {
		t.Errorf("memberModel has %v, memberAttributes %v", inModel, inList)
	}
	// And a member with every field set fills every attribute of the model.
	urn := "urn"
	m := newMemberModel(&client.Member{MemberID: "a", MemberType: "b", Status: "c", URN: &urn, ImageID: "d", Schema: "e", CreatedAt: "f", UpdatedAt: "g"})
	v := reflect.ValueOf(m)
	for i := range v.NumField() {
		if s := v.Field(i).Interface().(types.String); s.IsNull() || s.ValueString() == "" {
			t.Errorf("newMemberModel leaves %s empty", typ.Field(i).Tag.Get("tfsdk"))
		}
	}
}
