package provider

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// TestServer_servesEveryRPCOfTheFramework: the served server (the
// framework's wrapped by directReadsServer and nullArgumentsServer) has every
// method of the framework's server with the same signature. tf6server
// finds the optional RPCs (list resources, actions, state stores, and
// whatever comes next) by type assertion, so a wrapper that embeds too
// narrow an interface would serve them as missing, silently; this fails
// first, naming the method, and frameworkServer must grow to include it.
func TestServer_servesEveryRPCOfTheFramework(t *testing.T) {
	framework := reflect.TypeOf(providerserver.NewProtocol6(newProvider("test"))())
	served := reflect.TypeOf(NewServer("test")())
	if framework.NumMethod() < 20 {
		t.Fatalf("the framework's server (%s) has only %d methods: not the server expected", framework, framework.NumMethod())
	}
	for i := range framework.NumMethod() {
		want := framework.Method(i)
		got, ok := served.MethodByName(want.Name)
		if !ok {
			t.Errorf("the served server (%s) hides the framework's %s: add its interface to frameworkServer", served, want.Name)
			continue
		}
		if !sameSignature(got.Type, want.Type) {
			t.Errorf("%s: served as %s, the framework's is %s", want.Name, got.Type, want.Type)
		}
	}
}

// sameSignature compares two methods' types without their receivers.
func sameSignature(a, b reflect.Type) bool {
	if a.NumIn() != b.NumIn() || a.NumOut() != b.NumOut() || a.IsVariadic() != b.IsVariadic() {
		return false
	}
	for i := 1; i < a.NumIn(); i++ {
		if a.In(i) != b.In(i) {
			return false
		}
	}
	for i := range a.NumOut() {
		if a.Out(i) != b.Out(i) {
			return false
		}
	}
	return true
}

// The server main serves keeps every optional RPC of the framework's:
// list resources (terraform query) and resource identity answer through
// nullArgumentsServer and directReadsServer, not as missing. The real
// Terraform 1.15 runs them end to end in TestImageShareList_*.
func TestNewServer_servesListResourcesAndIdentity(t *testing.T) {
	ctx := context.Background()
	server := NewServer("test")()
	if _, ok := server.(tfprotov6.ListResourceServer); !ok {
		t.Fatal("NewServer's server hides the list resource RPCs (tfprotov6.ListResourceServer)")
	}
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	identities, err := server.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"ims_image_share", "ims_shared_image_acceptance"} {
		if schemas.ListResourceSchemas[name] == nil {
			t.Errorf("no list resource schema for %s", name)
		}
		id := identities.IdentitySchemas[name]
		if id == nil {
			t.Errorf("no identity schema for %s", name)
			continue
		}
		var attrs []string
		for _, a := range id.IdentityAttributes {
			attrs = append(attrs, a.Name)
			if a.RequiredForImport != (a.Name == "image_id") {
				t.Errorf("%s identity %s: required for import %v", name, a.Name, a.RequiredForImport)
			}
		}
		if got := strings.Join(attrs, ","); got != "image_id,project_id,region" {
			t.Errorf("%s identity attributes %s, want image_id,project_id,region", name, got)
		}
	}
	// A list before ConfigureProvider answers with an error result, through
	// both wrappers, rather than an unimplemented RPC.
	ls := server.(tfprotov6.ListResourceServer)
	config, err := tfprotov6.NewDynamicValue(tftypes.Object{AttributeTypes: map[string]tftypes.Type{"region": tftypes.String, "project_id": tftypes.String}},
		tftypes.NewValue(tftypes.Object{AttributeTypes: map[string]tftypes.Type{"region": tftypes.String, "project_id": tftypes.String}},
			map[string]tftypes.Value{"region": tftypes.NewValue(tftypes.String, nil), "project_id": tftypes.NewValue(tftypes.String, nil)}))
	if err != nil {
		t.Fatal(err)
	}
	stream, err := ls.ListResource(ctx, &tfprotov6.ListResourceRequest{TypeName: "ims_image_share", Config: &config})
	if err != nil {
		t.Fatal(err)
	}
	var summaries []string
	for r := range stream.Results {
		for _, d := range r.Diagnostics {
			summaries = append(summaries, d.Summary)
		}
	}
	if got := strings.Join(summaries, "; "); got != "Provider not configured" {
		t.Errorf("list before configure: %q, want the provider's own error", got)
	}
}
