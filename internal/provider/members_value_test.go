package provider

import (
	"bytes"
	"context"
	"fmt"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"maps"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
)

// reflectionMemberModel and reflectionModel are the textbook way to fill
// the state: a Go struct with tfsdk tags handed to State.Set, which walks it
// by reflection. They are the baseline setMembersState is measured and
// checked against.
type reflectionMemberModel struct {
	MemberID   types.String `tfsdk:"member_id"`
	MemberType types.String `tfsdk:"member_type"`
	Status     types.String `tfsdk:"status"`
	URN        types.String `tfsdk:"urn"`
	ImageID    types.String `tfsdk:"image_id"`
	Schema     types.String `tfsdk:"schema"`
	CreatedAt  types.String `tfsdk:"created_at"`
	UpdatedAt  types.String `tfsdk:"updated_at"`
}

type reflectionModel struct {
	ImageID    types.String            `tfsdk:"image_id"`
	Region     types.String            `tfsdk:"region"`
	ProjectID  types.String            `tfsdk:"project_id"`
	Status     types.String            `tfsdk:"status"`
	MemberType types.String            `tfsdk:"member_type"`
	PageSize   types.Int64             `tfsdk:"page_size"`
	ID         types.String            `tfsdk:"id"`
	Schema     types.String            `tfsdk:"schema"`
	Members    []reflectionMemberModel `tfsdk:"members"`
	Timeouts   types.Object            `tfsdk:"timeouts"`
}

// setMembersStateReflection fills the state as setMembersState must: same
// filters, same order, urn null when absent, an empty (not null) list when
// nothing is left.
func setMembersStateReflection(ctx context.Context, state *tfsdk.State, m imageMembersModel, got *fetchedMembers) diag.Diagnostics {
	status, memberType := m.Status.ValueString(), m.MemberType.ValueString()
	members := make([]reflectionMemberModel, 0, len(got.list.Members))
	for _, mem := range got.list.Members {
		if (status != "" && mem.Status != status) || (memberType != "" && mem.MemberType != memberType) {
			continue
		}
		members = append(members, reflectionMemberModel{
			MemberID:   types.StringValue(mem.MemberID),
			MemberType: types.StringValue(mem.MemberType),
			Status:     types.StringValue(mem.Status),
			URN:        types.StringPointerValue(mem.URN),
			ImageID:    types.StringValue(mem.ImageID),
			Schema:     types.StringValue(mem.Schema),
			CreatedAt:  types.StringValue(mem.CreatedAt),
			UpdatedAt:  types.StringValue(mem.UpdatedAt),
		})
	}
	return state.Set(ctx, &reflectionModel{
		ImageID: m.ImageID, Region: types.StringValue(got.region), ProjectID: types.StringValue(got.projectID),
		Status: m.Status, MemberType: m.MemberType, PageSize: m.PageSize,
		ID: types.StringValue(m.ImageID.ValueString()), Schema: types.StringValue(got.list.Schema),
		Members: members, Timeouts: m.Timeouts.Object,
	})
}

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

// TestSetMembersState_matchesReflection is the guard on the fast path: for
// every filter combination, with members that have a urn and members that
// have none, with and without the optional arguments, it must produce the
// very state the reflection path produces.
func TestSetMembersState_matchesReflection(t *testing.T) {
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
					fast, slow := dataSourceSchema(t), dataSourceSchema(t)
					if d := setMembersState(ctx, &fast, m, got); d.HasError() {
						t.Fatalf("%s: fast path: %v", name, d)
					}
					if d := setMembersStateReflection(ctx, &slow, m, got); d.HasError() {
						t.Fatalf("%s: reflection path: %v", name, d)
					}
					if !fast.Raw.Equal(slow.Raw) {
						diffs, _ := fast.Raw.Diff(slow.Raw)
						t.Fatalf("%s: states differ in %d places, first %v\nfast: %s\nslow: %s", name, len(diffs), diffs[0].Path, fast.Raw, slow.Raw)
					}
					if !fast.Raw.Type().Equal(slow.Raw.Type()) {
						t.Fatalf("%s: state types differ: %s vs %s", name, fast.Raw.Type(), slow.Raw.Type())
					}
					checkMembersState(t, name, fast.Raw, members, status, memberType)
					checkEncodedState(t, name, slow.Raw, m, got)
				}
			}
		}
	}
}

// checkEncodedState: protocolServer's msgpack of the read, from the
// configuration m stands for, is the reflection state's to the byte.
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
	if w := wantMsgPack.MsgPack; !bytes.Equal(encoded, w) {
		at := 0
		for at < len(encoded) && at < len(w) && encoded[at] == w[at] {
			at++
		}
		t.Fatalf("%s: the encoded state (%d bytes) differs from the reflection state's msgpack (%d bytes) from byte %d: % x vs % x",
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
