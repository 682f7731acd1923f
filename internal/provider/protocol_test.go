package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// protocolProvider drives one provider instance through its protocol 6
// server in process, as Terraform does over gRPC. The tests that need many
// concurrent reads on one instance (the audit), a context they control
// (cancellation) or the provider's log output use it instead of the
// terraform binary.
type protocolProvider struct {
	server         tfprotov6.ProviderServer
	providerType   tftypes.Object
	dataSourceType tftypes.Object            // ims_image_members
	schemas        map[string]tftypes.Object // every data source, by type name
}

func newProtocolProvider(t *testing.T) *protocolProvider {
	t.Helper()
	return newProtocolProviderOf(t, newProvider("test"))
}

// newProtocolProviderOf serves p, an imsProvider with test hooks set,
// through the shipped server (directReadsServer).
func newProtocolProviderOf(t *testing.T, p *imsProvider) *protocolProvider {
	t.Helper()
	server := newDirectReadsServer(p, p)
	resp, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatalf("GetProviderSchema: %v", err)
	}
	if msg := diagnosticsText(resp.Diagnostics); msg != "" {
		t.Fatalf("GetProviderSchema: %s", msg)
	}
	ds := resp.DataSourceSchemas["ims_image_members"]
	if ds == nil {
		t.Fatal("GetProviderSchema: no ims_image_members data source")
	}
	schemas := map[string]tftypes.Object{}
	for name, s := range resp.DataSourceSchemas {
		schemas[name] = s.ValueType().(tftypes.Object)
	}
	return &protocolProvider{
		server:         server,
		providerType:   resp.Provider.ValueType().(tftypes.Object),
		dataSourceType: ds.ValueType().(tftypes.Object),
		schemas:        schemas,
	}
}

// readDataSource reads any data source; the state is null when the read
// failed.
func (p *protocolProvider) readDataSource(ctx context.Context, typeName string, attrs map[string]tftypes.Value) (tftypes.Value, []*tfprotov6.Diagnostic, error) {
	typ, ok := p.schemas[typeName]
	if !ok {
		return tftypes.Value{}, nil, fmt.Errorf("no data source %s", typeName)
	}
	config, err := newDynamicValue(typ, attrs)
	if err != nil {
		return tftypes.Value{}, nil, err
	}
	resp, err := p.server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: typeName, Config: &config})
	if err != nil {
		return tftypes.Value{}, nil, err
	}
	if resp.State == nil {
		return tftypes.NewValue(typ, nil), resp.Diagnostics, nil
	}
	state, err := resp.State.Unmarshal(typ)
	return state, resp.Diagnostics, err
}

// configure sends the provider block; attributes not given are null.
func (p *protocolProvider) configure(ctx context.Context, t *testing.T, attrs map[string]tftypes.Value) {
	t.Helper()
	config := dynamicValue(t, p.providerType, attrs)
	resp, err := p.server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.11.4", Config: &config})
	if err != nil {
		t.Fatalf("ConfigureProvider: %v", err)
	}
	if msg := diagnosticsText(resp.Diagnostics); msg != "" {
		t.Fatalf("ConfigureProvider: %s", msg)
	}
}

// readResult is one ReadDataSource answer: the members' IDs in state order
// and every diagnostic, errors and warnings alike.
type readResult struct {
	memberIDs   []string
	diagnostics []*tfprotov6.Diagnostic
}

// errorText is the error diagnostics as one string, "" when there are none.
func (r readResult) errorText() string {
	var errs []*tfprotov6.Diagnostic
	for _, d := range r.diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			errs = append(errs, d)
		}
	}
	return diagnosticsText(errs)
}

// read runs ims_image_members with the given configuration. It fails the
// test only for protocol-level problems; API failures come back as
// diagnostics for the caller to judge. Safe to call from many goroutines.
func (p *protocolProvider) read(ctx context.Context, attrs map[string]tftypes.Value) (readResult, error) {
	config, err := newDynamicValue(p.dataSourceType, attrs)
	if err != nil {
		return readResult{}, err
	}
	resp, err := p.server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: "ims_image_members", Config: &config})
	if err != nil {
		return readResult{}, err
	}
	res := readResult{diagnostics: resp.Diagnostics}
	if resp.State == nil {
		return res, nil
	}
	state, err := resp.State.Unmarshal(p.dataSourceType)
	if err != nil {
		return res, fmt.Errorf("decoding state: %w", err)
	}
	res.memberIDs, err = stateMemberIDs(state)
	return res, err
}

// stateMemberIDs pulls members[*].member_id out of a data source state;
// nil means members is null.
func stateMemberIDs(state tftypes.Value) ([]string, error) {
	var obj map[string]tftypes.Value
	if err := state.As(&obj); err != nil || obj["members"].IsNull() {
		return nil, err
	}
	var members []tftypes.Value
	if err := obj["members"].As(&members); err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(members))
	for _, m := range members {
		var fields map[string]tftypes.Value
		if err := m.As(&fields); err != nil {
			return nil, err
		}
		var id string
		if err := fields["member_id"].As(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func dynamicValue(t *testing.T, typ tftypes.Object, attrs map[string]tftypes.Value) tfprotov6.DynamicValue {
	t.Helper()
	v, err := newDynamicValue(typ, attrs)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// newDynamicValue builds an object of typ from attrs, with every other
// attribute (and block) null, as Terraform sends an unset argument.
func newDynamicValue(typ tftypes.Object, attrs map[string]tftypes.Value) (tfprotov6.DynamicValue, error) {
	vals := make(map[string]tftypes.Value, len(typ.AttributeTypes))
	for name, at := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	for name, v := range attrs {
		if _, ok := typ.AttributeTypes[name]; !ok {
			return tfprotov6.DynamicValue{}, fmt.Errorf("no attribute %q in the schema", name)
		}
		vals[name] = v
	}
	return tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, vals))
}

func tfString(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

// tfTimeouts is a timeouts { read = d } block.
func tfTimeouts(read string) tftypes.Value {
	typ := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"read": tftypes.String}}
	return tftypes.NewValue(typ, map[string]tftypes.Value{"read": tfString(read)})
}

// emulatorProviderConfig is the provider block of testServer.providerBlock,
// as protocol values.
func (s *testServer) emulatorProviderConfig() map[string]tftypes.Value {
	endpoints := tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, map[string]tftypes.Value{
		"ims": tfString(s.URL), "iam": tfString(s.URL),
	})
	return map[string]tftypes.Value{
		"region": tfString(testRegion), "project_id": tfString(testProjectID),
		"access_key": tfString(testAccessKey), "secret_key": tfString(testSecretKey),
		"endpoints": endpoints,
	}
}

func diagnosticsText(diags []*tfprotov6.Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s: %s", d.Summary, d.Detail)
	}
	return b.String()
}
