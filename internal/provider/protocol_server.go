package provider

import (
	"context"
	"maps"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// imageMembersTypeName is the data source protocolServer reads itself.
const imageMembersTypeName = "ims_image_members"

// NewProtocol6Server is the provider's protocol 6 server, for
// tf6server.Serve; each server has a provider instance of its own.
func NewProtocol6Server(version string) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		p := newProvider(version)
		return newProtocolServer(p, p)
	}
}

// protocolServer is terraform-plugin-framework's server for everything
// (schemas, validation, configuration, functions, the other data sources)
// except ReadDataSource of ims_image_members, the read a for_each audit
// makes hundreds of times. That read runs the data source's own fetch and
// encodes the state to msgpack straight from the client's members
// (encodeMembersState). Through the framework, the same read spent most of
// its CPU and memory on work per value after Read returned: comparing the
// state with a copy of itself, a Transform over it for null blocks, and
// tftypes' msgpack encoding (README "Performance"). The state is the same
// to the byte (TestProtocolServer_stateMatchesFramework).
type protocolServer struct {
	tfprotov6.ProviderServer // the framework's
	ims                      *imsProvider
	schema                   datasource.SchemaResponse
	stateType                tftypes.Object
}

// newProtocolServer serves fw (ims itself, or a test's wrapper of it) with
// ims_image_members read directly from what ims's Configure made.
func newProtocolServer(ims *imsProvider, fw provider.Provider) *protocolServer {
	s := &protocolServer{ProviderServer: providerserver.NewProtocol6(fw)(), ims: ims}
	ctx := context.Background()
	(&imageMembersDataSource{}).Schema(ctx, datasource.SchemaRequest{}, &s.schema)
	s.stateType, _ = s.schema.Schema.Type().TerraformType(ctx).(tftypes.Object)
	return s
}

func (s *protocolServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	if req.TypeName != imageMembersTypeName {
		return s.ProviderServer.ReadDataSource(ctx, req)
	}
	// As the framework does, a failed read answers with the configuration
	// as its state; Terraform reads only the diagnostics then.
	resp := &tfprotov6.ReadDataSourceResponse{State: req.Config}
	var diags diag.Diagnostics
	defer func() { resp.Diagnostics = protoDiagnostics(ctx, diags) }()
	if req.Config == nil {
		diags.AddError("Missing configuration", "Terraform sent no configuration for "+imageMembersTypeName+"; this is a bug in Terraform or the provider.")
		return resp, nil
	}
	config, err := req.Config.Unmarshal(s.stateType)
	if err != nil {
		diags.AddError("Unable to read the configuration", err.Error())
		return resp, nil
	}
	d := &imageMembersDataSource{data: s.ims.configured.Load()}
	fwResp := &datasource.ReadResponse{State: tfsdk.State{Schema: s.schema.Schema, Raw: config}}
	m, got := d.fetch(ctx, datasource.ReadRequest{Config: tfsdk.Config{Schema: s.schema.Schema, Raw: config}}, fwResp)
	diags = fwResp.Diagnostics
	if got == nil {
		return resp, nil
	}
	state, err := encodeImageMembersState(config, s.stateType, m, got)
	if err != nil {
		diags.Append(stateBug(err)...)
		return resp, nil
	}
	resp.State = &tfprotov6.DynamicValue{MsgPack: state}
	return resp, nil
}

// encodeImageMembersState is the state setMembersState would write: the
// configuration as given plus id, region, project_id, schema and the
// members that pass the filters.
func encodeImageMembersState(config tftypes.Value, t tftypes.Object, m imageMembersModel, got *fetchedMembers) ([]byte, error) {
	var given map[string]tftypes.Value
	if err := config.As(&given); err != nil {
		return nil, err
	}
	// As hands out the value's own map: write to a copy.
	attrs := make(map[string]tftypes.Value, len(given))
	maps.Copy(attrs, given)
	attrs["id"] = tftypes.NewValue(tftypes.String, m.ImageID.ValueString())
	attrs["region"] = tftypes.NewValue(tftypes.String, got.region)
	attrs["project_id"] = tftypes.NewValue(tftypes.String, got.projectID)
	attrs["schema"] = tftypes.NewValue(tftypes.String, got.list.Schema)
	return encodeMembersState(t, attrs, got.list.Members, m.Status.ValueString(), m.MemberType.ValueString())
}

// protoDiagnostics are diags as the framework would send them.
func protoDiagnostics(ctx context.Context, diags diag.Diagnostics) []*tfprotov6.Diagnostic {
	var out []*tfprotov6.Diagnostic
	for _, d := range diags {
		pd := &tfprotov6.Diagnostic{Severity: tfprotov6.DiagnosticSeverityWarning, Summary: d.Summary(), Detail: d.Detail()}
		if d.Severity() == diag.SeverityError {
			pd.Severity = tfprotov6.DiagnosticSeverityError
		}
		if wp, ok := d.(diag.DiagnosticWithPath); ok {
			pd.Attribute = attributePath(ctx, wp.Path())
		}
		out = append(out, pd)
	}
	return out
}

// attributePath is p in the protocol's form; nil for the root or a step
// it cannot express.
func attributePath(ctx context.Context, p path.Path) *tftypes.AttributePath {
	steps := p.Steps()
	if len(steps) == 0 {
		return nil
	}
	ap := tftypes.NewAttributePath()
	for _, step := range steps {
		switch s := step.(type) {
		case path.PathStepAttributeName:
			ap = ap.WithAttributeName(string(s))
		case path.PathStepElementKeyInt:
			ap = ap.WithElementKeyInt(int(s))
		case path.PathStepElementKeyString:
			ap = ap.WithElementKeyString(string(s))
		case path.PathStepElementKeyValue:
			v, err := s.ToTerraformValue(ctx)
			if err != nil {
				return nil
			}
			ap = ap.WithElementKeyValue(v)
		default:
			return nil
		}
	}
	return ap
}
