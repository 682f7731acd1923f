package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The data sources directReadsServer reads itself.
const (
	imageMembersTypeName = "ims_image_members"
	sharedImagesTypeName = "ims_shared_images"
)

// directReadsServer is terraform-plugin-framework's server for everything
// (schemas, validation, configuration, functions, resources, ims_images)
// except ReadDataSource of ims_image_members and ims_shared_images, the
// reads that carry members: a for_each audit makes hundreds of the first,
// and one of the second can hold a whole project's. Those reads run the
// data source's own fetch and encode the state to msgpack straight from
// the client's members (encodeMembersState, encodeSharedImagesState).
// Through the framework, the same reads spent most of their CPU and memory
// on work per value after Read returned: comparing the state with a copy
// of itself, a Transform over it for null blocks, and tftypes' msgpack
// encoding (DEVELOPMENT.md "Performance"). The state is the same to the byte
// (TestDirectReadsServer_stateMatchesFramework).
//
// Only the plain case is read directly (see plain): a request or a
// provider state the direct path was not written for (deferral, client
// capabilities, provider_meta) goes to the framework's server, so that
// what the framework adds to ReadDataSource later cannot be skipped
// silently (TestDirectReadsServer_answersAsFrameworkBeyondThePlainCase).
//
// When to delete this path: when the framework's own read of
// ims_image_members comes within 2x of the direct one in
// BenchmarkImageMembersRead's cpu-ns/member at 256 members (fill=framework,
// the textbook Read, against fill=direct: 121,717 against 8,003, 15x, on
// 2026-12-06, -benchtime 3x on a shared machine), and likewise in make
// bench-e2e's per-member figure. The
// framework's semantic-equality short-cut, being worked on upstream, is the
// change most likely to get there; re-measure on each framework upgrade.
type directReadsServer struct {
	frameworkServer
	ims   *imsProvider
	reads map[string]directRead
}

// directRead is one data source directReadsServer reads: its schema, and
// encode, which fetches through the data source (configured with data)
// and returns the state's msgpack, or nil with the diagnostics in resp.
type directRead struct {
	schema    datasource.SchemaResponse
	stateType tftypes.Object
	encode    func(ctx context.Context, data *providerData, req datasource.ReadRequest, resp *datasource.ReadResponse) ([]byte, error)
}

// newDirectReadsServer serves fw (ims itself, or a test's wrapper of it) with
// the members reads made directly from what ims's Configure made.
func newDirectReadsServer(ims *imsProvider, fw provider.Provider) *directReadsServer {
	framework, ok := providerserver.NewProtocol6(fw)().(frameworkServer)
	if !ok {
		// The framework's server has answered every RPC since v1.16; a
		// version that does not cannot be wrapped without losing some.
		panic("terraform-plugin-framework's protocol 6 server lacks RPCs the provider serves")
	}
	s := &directReadsServer{frameworkServer: framework, ims: ims, reads: map[string]directRead{}}
	ctx := context.Background()
	add := func(name string, ds datasource.DataSource, encode func(context.Context, *providerData, datasource.ReadRequest, *datasource.ReadResponse) ([]byte, error)) {
		r := directRead{encode: encode}
		ds.Schema(ctx, datasource.SchemaRequest{}, &r.schema)
		r.stateType, _ = r.schema.Schema.Type().TerraformType(ctx).(tftypes.Object)
		s.reads[name] = r
	}
	add(imageMembersTypeName, &imageMembersDataSource{}, readImageMembers)
	add(sharedImagesTypeName, &sharedImagesDataSource{}, readSharedImages)
	return s
}

func (s *directReadsServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	r, direct := s.reads[req.TypeName]
	if !direct || !s.plain(req) {
		return s.frameworkServer.ReadDataSource(ctx, req)
	}
	// As the framework does, a failed read answers with the configuration
	// as its state; Terraform reads only the diagnostics then.
	resp := &tfprotov6.ReadDataSourceResponse{State: req.Config}
	var diags diag.Diagnostics
	defer func() { resp.Diagnostics = protoDiagnostics(ctx, diags) }()
	if req.Config == nil {
		diags.AddError("Missing configuration", "Terraform sent no configuration for "+req.TypeName+"; this is a bug in Terraform or the provider.")
		return resp, nil
	}
	config, err := req.Config.Unmarshal(r.stateType)
	if err != nil {
		diags.AddError("Unable to read the configuration", err.Error())
		return resp, nil
	}
	fwResp := &datasource.ReadResponse{State: tfsdk.State{Schema: r.schema.Schema, Raw: config}}
	state, err := r.encode(ctx, s.ims.configured.Load(), datasource.ReadRequest{Config: tfsdk.Config{Schema: r.schema.Schema, Raw: config}}, fwResp)
	diags = fwResp.Diagnostics
	switch {
	case err != nil:
		diags.Append(stateBug(err)...)
	case state != nil:
		resp.State = &tfprotov6.DynamicValue{MsgPack: state}
	}
	return resp, nil
}

// plain reports whether req is the case the direct path was written for,
// and so answers exactly as the framework would: the provider configured
// without deferring (the framework answers a deferred provider's reads
// itself), a client that cannot defer (a data source may defer only
// then), and no provider_meta (the provider has no meta schema, and the
// data sources would not see it). Anything else is the framework's.
func (s *directReadsServer) plain(req *tfprotov6.ReadDataSourceRequest) bool {
	if req.ClientCapabilities != nil && req.ClientCapabilities.DeferralAllowed {
		return false
	}
	if req.ProviderMeta != nil && (len(req.ProviderMeta.MsgPack) > 0 || len(req.ProviderMeta.JSON) > 0) {
		return false
	}
	data := s.ims.configured.Load()
	return data == nil || !data.deferred
}

// readImageMembers is ims_image_members' Read, encoded directly.
func readImageMembers(ctx context.Context, data *providerData, req datasource.ReadRequest, resp *datasource.ReadResponse) ([]byte, error) {
	m, got := (&imageMembersDataSource{data: data}).fetch(ctx, req, resp)
	if got == nil {
		return nil, nil
	}
	return encodeImageMembersState(req.Config.Raw, m, got)
}

// readSharedImages is ims_shared_images' Read, encoded directly.
func readSharedImages(ctx context.Context, data *providerData, req datasource.ReadRequest, resp *datasource.ReadResponse) ([]byte, error) {
	got := (&sharedImagesDataSource{data: data}).fetch(ctx, req, resp)
	if got == nil {
		return nil, nil
	}
	t, attrs, err := configAttributes(req.Config.Raw)
	if err != nil {
		return nil, err
	}
	attrs["region"] = tftypes.NewValue(tftypes.String, got.region) // nil: null, when account-wide
	attrs["project_id"] = tftypes.NewValue(tftypes.String, got.projectID)
	return encodeSharedImagesState(t, attrs, got.images, got.model.Status.ValueString(), got.model.MemberType.ValueString())
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

// stateBug is the diagnostic of a state that cannot be built.
func stateBug(err error) diag.Diagnostics {
	var diags diag.Diagnostics
	diags.AddError("Cannot build the state", err.Error()+"; this is a bug in the provider")
	return diags
}
