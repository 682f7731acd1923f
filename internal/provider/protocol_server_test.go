package provider

import (
	"bytes"
	"context"
	"reflect"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
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

// TestProtocolServer_stateMatchesFramework: ims_image_members read by
// protocolServer answers exactly what the framework's server answers for
// the same data source (setMembersState, whose state equals the reflection
// path's): the same msgpack to the byte, the same diagnostics, for
// filters, every optional argument, an empty image, failures, and a
// provider not configured yet.
func TestProtocolServer_stateMatchesFramework(t *testing.T) {
	ctx := context.Background()
	s := newTestServer(t)
	const imageID, emptyID = "d164b5df-1bc3-4c3f-893e-3e471fd16e64", "0e1b7a35-2f8b-4f3a-9d7e-0d5c3b1a2e4f"
	s.addImage(imageID, 40) // a third are organizations with a urn
	s.AddImage(testProjectID, emptyID, nil)

	ims := newProvider("test")
	direct, framework := newProtocolServer(ims, ims), providerserver.NewProtocol6(newProvider("test"))()
	schema, err := framework.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || len(schema.Diagnostics) > 0 {
		t.Fatalf("GetProviderSchema: %v %s", err, diagnosticsText(schema.Diagnostics))
	}
	typ := schema.DataSourceSchemas[imageMembersTypeName].ValueType().(tftypes.Object)
	read := func(server tfprotov6.ProviderServer, attrs map[string]tftypes.Value) *tfprotov6.ReadDataSourceResponse {
		t.Helper()
		config := dynamicValue(t, typ, attrs)
		resp, err := server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: imageMembersTypeName, Config: &config})
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	compare := func(name string, attrs map[string]tftypes.Value) {
		t.Helper()
		got, want := read(direct, attrs), read(framework, attrs)
		if g, w := withoutRequestIDs(got.Diagnostics), withoutRequestIDs(want.Diagnostics); !reflect.DeepEqual(g, w) {
			t.Errorf("%s: diagnostics differ:\ndirect:    %s\nframework: %s", name, diagnosticsText(got.Diagnostics), diagnosticsText(want.Diagnostics))
		}
		if (got.State == nil) != (want.State == nil) || got.State != nil && !bytes.Equal(got.State.MsgPack, want.State.MsgPack) {
			t.Errorf("%s: states differ", name)
		}
	}

	compare("not configured", map[string]tftypes.Value{"image_id": tfString(imageID)})
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
		compare(name, attrs)
	}
}
