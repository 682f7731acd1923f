package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// OpenTofu sends a null argument as no value at all (a nil or empty
// DynamicValue); the server puts a null of the parameter's type in its
// place, so parse_organization_urn(null) gives its object of nulls under
// OpenTofu as under Terraform. The framework's own server fails such a call.
func TestNullArgumentsServer(t *testing.T) {
	ctx := context.Background()
	resultType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"account_id": tftypes.String, "resource_type": tftypes.String,
		"organization_id": tftypes.String, "resource_id": tftypes.String,
	}}
	encodedNull, err := tfprotov6.NewDynamicValue(tftypes.String, tftypes.NewValue(tftypes.String, nil))
	if err != nil {
		t.Fatal(err)
	}
	encodedURN, err := tfprotov6.NewDynamicValue(tftypes.String, tftypes.NewValue(tftypes.String, testURN))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		arg      *tfprotov6.DynamicValue
		wantNull bool
	}{
		{"OpenTofu's null: no value", nil, true},
		{"OpenTofu's null: an empty value", &tfprotov6.DynamicValue{}, true},
		{"Terraform's null: an encoded null", &encodedNull, true},
		{"a URN", &encodedURN, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := NewServer("test")().CallFunction(ctx, &tfprotov6.CallFunctionRequest{
				Name: "parse_organization_urn", Arguments: []*tfprotov6.DynamicValue{tc.arg},
			})
			if err != nil {
				t.Fatal(err)
			}
			if resp.Error != nil {
				t.Fatalf("function error: %s", resp.Error.Text)
			}
			got, err := resp.Result.Unmarshal(resultType)
			if err != nil {
				t.Fatal(err)
			}
			var parts map[string]tftypes.Value
			if err := got.As(&parts); err != nil || got.IsNull() {
				t.Fatalf("result %v is not an object (%v)", got, err)
			}
			if parts["organization_id"].IsNull() != tc.wantNull {
				t.Errorf("result %v; want null attributes: %v", got, tc.wantNull)
			}
		})
	}

	// Why the server is needed: the framework alone refuses the empty value.
	resp, err := providerserver.NewProtocol6(newProvider("test"))().CallFunction(ctx, &tfprotov6.CallFunctionRequest{
		Name: "parse_organization_urn", Arguments: []*tfprotov6.DynamicValue{{}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Error == nil {
		t.Error("the framework's server now accepts an empty argument: nullArgumentsServer may no longer be needed")
	}
}

// Arguments the server cannot type (an unknown function, one argument too
// many) pass through untouched, for the framework to refuse.
func TestNullArgumentsServer_untypedArgumentsPassThrough(t *testing.T) {
	ctx := context.Background()
	for _, req := range []*tfprotov6.CallFunctionRequest{
		{Name: "no_such_function", Arguments: []*tfprotov6.DynamicValue{nil}},
		{Name: "parse_organization_urn", Arguments: []*tfprotov6.DynamicValue{nil, nil}},
	} {
		resp, err := NewServer("test")().CallFunction(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if resp.Error == nil {
			t.Errorf("%s with %d arguments: no error", req.Name, len(req.Arguments))
		}
	}
}

// The server main serves keeps every optional RPC of the framework's:
// list resources (terraform query) and resource identity answer through
// nullArgumentsServer and protocolServer, not as missing. The real
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
