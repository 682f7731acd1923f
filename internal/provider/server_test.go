package provider

import (
	"context"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// OpenTofu sends a null argument as no value at all (a nil or empty
// DynamicValue); the server puts a null of the parameter's type in its
// place, so parse_organization_urn(null) gives null under OpenTofu as under
// Terraform. The framework's own server fails such a call.
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
			if got.IsNull() != tc.wantNull {
				t.Errorf("result %v; want null: %v", got, tc.wantNull)
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

// TestServer_servesEveryRPCOfTheFramework: the served server (the
// framework's wrapped by protocolServer and nullArgumentsServer) has every
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
