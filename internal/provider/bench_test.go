package provider

import (
	"bytes"
	"context"
	"fmt"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cloudimages/terraform-provider-ims/internal/benchmetrics"
	"github.com/cloudimages/terraform-provider-ims/internal/client"
	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
)

// benchSizes are the data sets: the most an image is shared with
// (256 tenants) and an exaggerated 100,000 that makes per-member costs
// dominate everything fixed.
var benchSizes = []int{256, 100_000}

// BenchmarkImageMembersRead is one ims_image_members read as Terraform
// makes it: ReadDataSource on the provider server with a msgpack config,
// the client paging over the emulator on loopback (1,000 members a page),
// the state built and encoded to msgpack. Terraform's own decoding of that
// msgpack happens in Terraform, not in the provider, and is not counted.
//
// fill=direct is the read as shipped (directReadsServer: the state encoded
// straight from the client's members); fill=framework is the same data
// source's Read through the framework's server (the textbook State.Set of
// a model, then the framework's checks and encoding), the baseline.
// fill=interleaved alternates one direct and one framework read per
// iteration and reports their ratio: on a shared machine whose load
// drifts, that ratio is the one to trust (-count repeats fill=direct
// before fill=framework, not in turn).
func BenchmarkImageMembersRead(b *testing.B) {
	env := newBenchEnv(b)
	for _, n := range benchSizes {
		// Setup happens per size so that -bench can pick one.
		b.Run(fmt.Sprintf("members=%d", n), func(b *testing.B) {
			imageID := fmt.Sprintf("be0c%04x-0000-4000-8000-000000000000", n%0x10000)
			env.emu.AddImage(testProjectID, imageID, emulator.GenerateMembers(imageID, n))
			config, err := newDynamicValue(env.direct.dataSourceType, map[string]tftypes.Value{"image_id": tfString(imageID)})
			if err != nil {
				b.Fatal(err)
			}
			// The paths must agree byte for byte before any is timed.
			want := env.framework.mustRead(b, &config, n)
			if got := env.direct.mustRead(b, &config, n); !bytes.Equal(got.MsgPack, want.MsgPack) {
				b.Fatal("the direct and framework states differ")
			}
			read := func(p *benchProvider) func() {
				return func() {
					resp, err := p.server.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{TypeName: "ims_image_members", Config: &config})
					if err != nil || resp.State == nil || len(resp.Diagnostics) > 0 {
						b.Fatalf("ReadDataSource: %v %s", err, diagnosticsText(resp.Diagnostics))
					}
					env.emu.ResetRequests() // the request log would grow without bound
				}
			}
			for _, p := range []*benchProvider{env.direct, env.framework} {
				b.Run("fill="+p.name, func(b *testing.B) { benchmetrics.PerMember(b, n, read(p)) })
			}
			b.Run("fill=interleaved", func(b *testing.B) { measureInterleaved(b, n, read(env.direct), read(env.framework)) })
		})
	}
}

// BenchmarkImageMembersState is the part of the read this provider
// controls: members to the state's msgpack, without the client or the
// framework's checks. fill=direct is encodeImageMembersState; fill=framework
// is the Read's State.Set of the model, then tftypes' msgpack. 256 members
// only: the framework fill of 100,000 takes seconds and says nothing more.
func BenchmarkImageMembersState(b *testing.B) {
	ctx := context.Background()
	const imageID = "be0c0000-0000-4000-8000-000000000002"
	const n = 256
	got := &fetchedMembers{region: testRegion, projectID: testProjectID, list: &client.MemberList{
		Schema: "/v2/schemas/members", Members: clientMembers(emulator.GenerateMembers(imageID, n)),
	}}
	m := imageMembersModel{ImageID: types.StringValue(imageID), Status: types.StringNull(), MemberType: types.StringNull(),
		PageSize: types.Int64Null(), Timeouts: timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{"read": types.StringType})}}
	state := dataSourceSchema(b)
	typ := state.Schema.Type().TerraformType(ctx).(tftypes.Object)
	var config tftypes.Value
	if d := state.Set(ctx, &m); d.HasError() {
		b.Fatal(d)
	}
	config = state.Raw
	direct := func() {
		if _, err := encodeImageMembersState(config, m, got); err != nil {
			b.Fatal(err)
		}
	}
	framework := func() {
		if d := state.Set(ctx, m.read(got)); d.HasError() {
			b.Fatal(d)
		}
		if _, err := tfprotov6.NewDynamicValue(typ, state.Raw); err != nil {
			b.Fatal(err)
		}
	}
	b.Run(fmt.Sprintf("members=%d/fill=direct", n), func(b *testing.B) { benchmetrics.PerMember(b, n, direct) })
	b.Run(fmt.Sprintf("members=%d/fill=framework", n), func(b *testing.B) { benchmetrics.PerMember(b, n, framework) })
	b.Run(fmt.Sprintf("members=%d/fill=interleaved", n), func(b *testing.B) { measureInterleaved(b, n, direct, framework) })
}

// measureInterleaved runs direct and reflection in turn, each iteration
// starting with the other one so that neither always inherits the other's
// garbage, and reports each one's ns/member and their ratio.
func measureInterleaved(b *testing.B, members int, direct, framework func()) {
	var took [2]time.Duration
	ops := [2]func(){direct, framework}
	iterations := 0
	for b.Loop() {
		for k := range 2 {
			i := (iterations + k) % 2
			start := time.Now()
			ops[i]()
			took[i] += time.Since(start)
		}
		iterations++
	}
	per := float64(iterations) * float64(members)
	b.ReportMetric(float64(took[0].Nanoseconds())/per, "direct-ns/member")
	b.ReportMetric(float64(took[1].Nanoseconds())/per, "framework-ns/member")
	b.ReportMetric(took[0].Seconds()/took[1].Seconds(), "direct/framework")
}

type benchEnv struct {
	emu               *emulator.Emulator
	direct, framework *benchProvider
}

func newBenchEnv(b *testing.B) *benchEnv {
	b.Helper()
	emu := emulator.New(emulator.Config{
		AccessKey: testAccessKey, SecretKey: testSecretKey,
		Projects: []emulator.Project{{ID: testProjectID, Name: testRegion, DomainID: testDomainID, Enabled: true}},
	})
	srv := httptest.NewServer(emu)
	b.Cleanup(srv.Close)
	s := &testServer{Emulator: emu, URL: srv.URL}
	return &benchEnv{
		emu:       emu,
		direct:    newBenchProvider(b, s, "direct"),
		framework: newBenchProvider(b, s, "framework"),
	}
}

// benchProvider is one configured provider server.
type benchProvider struct {
	name             string
	server           tfprotov6.ProviderServer
	dataSourceType   tftypes.Object // ims_image_members
	sharedImagesType tftypes.Object // ims_shared_images
}

// newBenchProvider is fill name's server: "direct" (directReadsServer) or
// "framework" (the framework's server alone).
func newBenchProvider(b *testing.B, s *testServer, name string) *benchProvider {
	b.Helper()
	ctx := context.Background()
	p := &benchIMSProvider{imsProvider: newProvider("bench"), url: s.URL}
	server := providerserver.NewProtocol6(p)()
	if name == "direct" {
		server = newDirectReadsServer(p.imsProvider, p)
	}
	schema, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || len(schema.Diagnostics) > 0 {
		b.Fatalf("GetProviderSchema: %v %s", err, diagnosticsText(schema.Diagnostics))
	}
	config, err := newDynamicValue(schema.Provider.ValueType().(tftypes.Object), s.emulatorProviderConfig())
	if err != nil {
		b.Fatal(err)
	}
	resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.11.4", Config: &config})
	if err != nil || len(resp.Diagnostics) > 0 {
		b.Fatalf("ConfigureProvider: %v %s", err, diagnosticsText(resp.Diagnostics))
	}
	return &benchProvider{
		name:             name,
		server:           server,
		dataSourceType:   schema.DataSourceSchemas["ims_image_members"].ValueType().(tftypes.Object),
		sharedImagesType: schema.DataSourceSchemas["ims_shared_images"].ValueType().(tftypes.Object),
	}
}

// mustRead reads once, untimed, and checks the state holds every member.
func (p *benchProvider) mustRead(b *testing.B, config *tfprotov6.DynamicValue, members int) *tfprotov6.DynamicValue {
	b.Helper()
	resp, err := p.server.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{TypeName: "ims_image_members", Config: config})
	if err != nil || resp.State == nil || len(resp.Diagnostics) > 0 {
		b.Fatalf("%s: ReadDataSource: %v %s", p.name, err, diagnosticsText(resp.Diagnostics))
	}
	state, err := resp.State.Unmarshal(p.dataSourceType)
	if err != nil {
		b.Fatal(err)
	}
	ids, err := stateMemberIDs(state)
	if err != nil || len(ids) != members {
		b.Fatalf("%s: %d members in state (%v), want %d", p.name, len(ids), err, members)
	}
	return resp.State
}

// benchIMSProvider is the provider with one change for measuring: its
// client has an unlimited request budget, since the shipped budget (at most
// 1,000 requests per second, starting at 50) would make the benchmark
// measure waiting.
type benchIMSProvider struct {
	*imsProvider
	url string
}

func (p *benchIMSProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	p.imsProvider.Configure(ctx, req, resp)
	data, ok := resp.DataSourceData.(*providerData)
	if !ok || data.client == nil {
		return
	}
	c, err := client.New(client.Config{
		Credentials: client.Credentials{AccessKey: testAccessKey, SecretKey: testSecretKey},
		IMSEndpoint: p.url, IAMEndpoint: p.url,
		MaxRetries: client.DefaultMaxRetries, UserAgent: "terraform-provider-ims/bench", Logger: tflogLogger{},
		Budget: client.NewBudget(1e9, 1, 1e9, 1<<20),
	})
	if err != nil {
		resp.Diagnostics.AddError("bench client", err.Error())
		return
	}
	data.client = c
}
