package provider

import (
	"context"
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
