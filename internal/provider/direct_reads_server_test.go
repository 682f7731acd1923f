package provider

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
)

var requestIDPattern = regexp.MustCompile(`request ID [0-9a-f]+`)

// withoutRequestIDs is diags without what differs between two identical reads:
// each request has its own ID.
func withoutRequestIDs(diags []*tfprotov6.Diagnostic) []tfprotov6.Diagnostic {
	out := make([]tfprotov6.Diagnostic, 0, len(diags))
	for _, d := range diags {
		c := *d
		c.Detail = requestIDPattern.ReplaceAllString(c.Detail, "request ID …")
		out = append(out, c)
	}
	return out
}

// TestDirectReadsServer_stateMatchesFramework: ims_image_members read by
// directReadsServer answers exactly what the framework's server answers for
// the same data source (its Read: State.Set of the plain model), and
// likewise ims_shared_images, account-wide forms included: the same state as
// a value and to the byte, the same diagnostics, for filters, every optional
// argument, empty images, failures, and a provider not configured yet.
func TestDirectReadsServer_stateMatchesFramework(t *testing.T) {
	ctx := context.Background()
	s := newTestServer(t)
	const imageID, emptyID = "d164b5df-1bc3-4c3f-893e-3e471fd16e64", "0e1b7a35-2f8b-4f3a-9d7e-0d5c3b1a2e4f"
	s.addImage(imageID, 40) // a third are organizations with a urn
	s.AddImage(testProjectID, emptyID, nil)
	// Images the project shares out, for ims_shared_images.
	shared := emulator.GenerateImages(testProjectID, 4)
	for i, img := range shared {
		s.AddImage(testProjectID, img.ID, emulator.GenerateMembers(img.ID, []int{0, 3, 40, 17}[i]))
		s.AddImageMetadata(img)
	}
	s.addAccount(0) // other projects, for the account-wide forms

	ims := newProvider("test")
	direct, framework := newDirectReadsServer(ims, ims), providerserver.NewProtocol6(newProvider("test"))()
	schema, err := framework.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || len(schema.Diagnostics) > 0 {
		t.Fatalf("GetProviderSchema: %v %s", err, diagnosticsText(schema.Diagnostics))
	}
	read := func(server tfprotov6.ProviderServer, typeName string, attrs map[string]tftypes.Value) *tfprotov6.ReadDataSourceResponse {
		t.Helper()
		config := dynamicValue(t, schema.DataSourceSchemas[typeName].ValueType().(tftypes.Object), attrs)
		resp, err := server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: typeName, Config: &config})
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	succeeded := 0 // reads that succeeded, so that agreeing failures cannot pass alone
	compare := func(typeName, name string, attrs map[string]tftypes.Value) {
		t.Helper()
		name = typeName + ": " + name
		got, want := read(direct, typeName, attrs), read(framework, typeName, attrs)
		if g, w := withoutRequestIDs(got.Diagnostics), withoutRequestIDs(want.Diagnostics); !reflect.DeepEqual(g, w) {
			t.Errorf("%s: diagnostics differ:\ndirect:    %s\nframework: %s", name, diagnosticsText(got.Diagnostics), diagnosticsText(want.Diagnostics))
		}
		compareStates(t, name, schema.DataSourceSchemas[typeName].ValueType(), got, want)
		if !slices.ContainsFunc(got.Diagnostics, func(d *tfprotov6.Diagnostic) bool { return d.Severity == tfprotov6.DiagnosticSeverityError }) {
			succeeded++
		}
	}

	compare(imageMembersTypeName, "not configured", map[string]tftypes.Value{"image_id": tfString(imageID)})
	compare(sharedImagesTypeName, "not configured", nil)
	for _, server := range []tfprotov6.ProviderServer{direct, framework} {
		config := dynamicValue(t, schema.Provider.ValueType().(tftypes.Object), s.emulatorProviderConfig())
		resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.11.4", Config: &config})
		if err != nil || len(resp.Diagnostics) > 0 {
			t.Fatalf("ConfigureProvider: %v %s", err, diagnosticsText(resp.Diagnostics))
		}
	}
	for name, attrs := range map[string]map[string]tftypes.Value{
		"bare":              {"image_id": tfString(imageID)},
		"accepted":          {"image_id": tfString(imageID), "status": tfString("accepted")},
		"organizations":     {"image_id": tfString(imageID), "member_type": tfString("organization")},
		"both filters":      {"image_id": tfString(imageID), "status": tfString("pending"), "member_type": tfString("domain")},
		"every argument":    {"image_id": tfString(imageID), "region": tfString(testRegion), "project_id": tfString(testProjectID), "page_size": tftypes.NewValue(tftypes.Number, 7), "timeouts": tfTimeouts("2m")},
		"empty image":       {"image_id": tfString(emptyID)},
		"no such image":     {"image_id": tfString("11111111-2222-4333-8444-555555555555")},
		"unknown region":    {"image_id": tfString(imageID), "region": tfString("xx-nowhere-1")},
		"bad timeout":       {"image_id": tfString(imageID), "timeouts": tfTimeouts("soon")},
		"page size too big": {"image_id": tfString(imageID), "page_size": tftypes.NewValue(tftypes.Number, 5000)},
	} {
		compare(imageMembersTypeName, name, attrs)
	}
	ids := func(ids ...string) tftypes.Value {
		set := make([]tftypes.Value, len(ids))
		for i, id := range ids {
			set[i] = tfString(id)
		}
		return tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, set)
	}
	for name, attrs := range map[string]map[string]tftypes.Value{
		"bare":                 nil,
		"rejected":             {"status": tfString("rejected")},
		"organizations":        {"member_type": tfString("organization")},
		"image_ids":            {"image_ids": ids(shared[2].ID, imageID, emptyID), "timeouts": tfTimeouts("3m")},
		"an image_id gone":     {"image_ids": ids(shared[1].ID, "11111111-2222-4333-8444-555555555555")},
		"every argument":       {"region": tfString(testRegion), "project_id": tfString(testProjectID), "status": tfString("accepted"), "member_type": tfString("project")},
		"another project":      {"project_id": tfString("fedcba9876543210fedcba9876543210")},
		"unknown region":       {"region": tfString("xx-nowhere-1")},
		"bad timeout":          {"timeouts": tfTimeouts("soon")},
		"empty image_ids list": {"image_ids": ids()},
		// The account-wide forms: images of several projects, each with
		// its region and project_id, and null top-level ones.
		"all_projects":               {"all_projects": tftypes.NewValue(tftypes.Bool, true)},
		"all_projects false":         {"all_projects": tftypes.NewValue(tftypes.Bool, false), "status": tfString("accepted")},
		"regions":                    {"regions": ids(accountAsiaRegion, testRegion)},
		"all_projects in regions":    {"all_projects": tftypes.NewValue(tftypes.Bool, true), "regions": ids(testRegion), "member_type": tfString("domain")},
		"a region without a project": {"all_projects": tftypes.NewValue(tftypes.Bool, true), "regions": ids("la-south-2")},
	} {
		compare(sharedImagesTypeName, name, attrs)
	}
	if succeeded < 16 {
		t.Errorf("only %d reads succeeded", succeeded)
	}
}

// compareStates: the direct read's answer is the framework's, first as
// decoded values (a difference in what the state says, named by path),
// then to the byte (the same value encoded differently: the framework's
// msgpack encoding changed, and the direct encoder must follow it), and
// with the same deferral.
func compareStates(t *testing.T, name string, typ tftypes.Type, got, want *tfprotov6.ReadDataSourceResponse) {
	t.Helper()
	if !reflect.DeepEqual(got.Deferred, want.Deferred) {
		t.Errorf("%s: deferred %+v, the framework's %+v", name, got.Deferred, want.Deferred)
	}
	if (got.State == nil) != (want.State == nil) {
		t.Errorf("%s: state %v, the framework's %v", name, got.State, want.State)
		return
	}
	if got.State == nil {
		return
	}
	g, err := got.State.Unmarshal(typ)
	if err != nil {
		t.Errorf("%s: the direct state does not decode: %v", name, err)
		return
	}
	w, err := want.State.Unmarshal(typ)
	if err != nil {
		t.Fatalf("%s: the framework's state does not decode: %v", name, err)
	}
	if !g.Equal(w) {
		diffs, _ := g.Diff(w)
		where := "the whole value"
		if len(diffs) > 0 {
			where = fmt.Sprintf("%d places, first %s", len(diffs), diffs[0].Path)
		}
		t.Errorf("%s: the states differ as values in %s", name, where)
		return
	}
	if !bytes.Equal(got.State.MsgPack, want.State.MsgPack) {
		t.Errorf("%s: the states are the same value but not the same bytes: the framework's msgpack encoding changed; "+
			"the direct encoder (msgpackWriter) must write what tftypes writes now", name)
	}
}

// TestDirectReadsServer_answersAsFrameworkBeyondThePlainCase: a read the
// direct path was not written for is the framework's answer, deferral
// included: Configure deferring (unknown arguments, a client that allows
// deferral) or not (a client that does not), reads from clients that can
// defer and clients that cannot, and a read with provider_meta. The direct
// path alone answered a deferred provider's read with an error.
func TestDirectReadsServer_answersAsFrameworkBeyondThePlainCase(t *testing.T) {
	ctx := context.Background()
	s := newTestServer(t)
	const imageID = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"
	s.addImage(imageID, 12)
	s.AddImage(testProjectID, emulator.GenerateImages(testProjectID, 1)[0].ID, emulator.GenerateMembers(imageID, 3))
	schema, err := providerserver.NewProtocol6(newProvider("test"))().GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || len(schema.Diagnostics) > 0 {
		t.Fatalf("GetProviderSchema: %v %s", err, diagnosticsText(schema.Diagnostics))
	}
	providerType := schema.Provider.ValueType().(tftypes.Object)
	known := s.emulatorProviderConfig()
	unknown := s.emulatorProviderConfig()
	unknown["region"] = tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	meta, err := tfprotov6.NewDynamicValue(tftypes.Object{}, tftypes.NewValue(tftypes.Object{}, map[string]tftypes.Value{}))
	if err != nil {
		t.Fatal(err)
	}
	reads := map[string]map[string]tftypes.Value{
		imageMembersTypeName: {"image_id": tfString(imageID)},
		sharedImagesTypeName: nil,
	}
	for _, tc := range []struct {
		name              string
		config            map[string]tftypes.Value
		configureDeferral bool
		wantDeferred      bool // the provider deferred, so every read is deferred
	}{
		{"known configuration", known, true, false},
		{"unknown configuration, client can defer", unknown, true, true},
		{"unknown configuration, client cannot defer", unknown, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ims := newProvider("test")
			direct, framework := newDirectReadsServer(ims, ims), providerserver.NewProtocol6(newProvider("test"))()
			config := dynamicValue(t, providerType, tc.config)
			for _, server := range []tfprotov6.ProviderServer{direct, framework} {
				resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{
					TerraformVersion: "1.11.4", Config: &config,
					ClientCapabilities: &tfprotov6.ConfigureProviderClientCapabilities{DeferralAllowed: tc.configureDeferral},
				})
				if err != nil || len(resp.Diagnostics) > 0 {
					t.Fatalf("ConfigureProvider: %v %s", err, diagnosticsText(resp.Diagnostics))
				}
			}
			for typeName, attrs := range reads {
				for _, rc := range []struct {
					name         string
					capabilities *tfprotov6.ReadDataSourceClientCapabilities
					meta         *tfprotov6.DynamicValue
				}{
					{"no capabilities", nil, nil},
					{"deferral not allowed", &tfprotov6.ReadDataSourceClientCapabilities{DeferralAllowed: false}, nil},
					{"deferral allowed", &tfprotov6.ReadDataSourceClientCapabilities{DeferralAllowed: true}, nil},
					{"provider_meta", nil, &meta},
				} {
					name := typeName + ", " + rc.name
					dsConfig := dynamicValue(t, schema.DataSourceSchemas[typeName].ValueType().(tftypes.Object), attrs)
					answer := func(server tfprotov6.ProviderServer) *tfprotov6.ReadDataSourceResponse {
						resp, err := server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{
							TypeName: typeName, Config: &dsConfig, ClientCapabilities: rc.capabilities, ProviderMeta: rc.meta,
						})
						if err != nil {
							t.Fatal(err)
						}
						return resp
					}
					got, want := answer(direct), answer(framework)
					if g, w := withoutRequestIDs(got.Diagnostics), withoutRequestIDs(want.Diagnostics); !reflect.DeepEqual(g, w) {
						t.Errorf("%s: diagnostics differ:\ndirect:    %s\nframework: %s", name, diagnosticsText(got.Diagnostics), diagnosticsText(want.Diagnostics))
					}
					compareStates(t, name, schema.DataSourceSchemas[typeName].ValueType(), got, want)
					if deferred := got.Deferred != nil && got.Deferred.Reason == tfprotov6.DeferredReasonProviderConfigUnknown; deferred != tc.wantDeferred {
						t.Errorf("%s: deferred %v, want %v", name, got.Deferred, tc.wantDeferred)
					}
				}
			}
		})
	}
}
