package provider

import (
	"context"
	"sync"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// nullArgumentsServer puts back the null function arguments OpenTofu leaves
// out. OpenTofu (1.12.6, what CI runs; 1.7.0 has the same code) sends no
// value at all for a null argument of a parameter that allows null, where
// Terraform sends an encoded null; the framework then fails the call with
// "DynamicValue had no JSON or msgpack data set" before the function runs,
// so parse_organization_urn(null) failed instead of answering. An empty argument is
// replaced by a null of the parameter's type; everything else passes
// through.
//
// Only CallFunction changes; every other RPC, list resources, actions and
// state stores included (see frameworkServer), passes through.
type nullArgumentsServer struct {
	frameworkServer

	once   sync.Once
	params map[string]functionParams
}

// functionParams are the types of a function's parameters, in order, and
// of its variadic parameter (nil when it has none).
type functionParams struct {
	fixed    []tftypes.Type
	variadic tftypes.Type
}

func (s *nullArgumentsServer) CallFunction(ctx context.Context, req *tfprotov6.CallFunctionRequest) (*tfprotov6.CallFunctionResponse, error) {
	for i, arg := range req.Arguments {
		if arg != nil && (len(arg.MsgPack) > 0 || len(arg.JSON) > 0) {
			continue
		}
		typ := s.paramType(ctx, req.Name, i)
		if typ == nil {
			continue // an unknown function or too many arguments: the framework says so
		}
		null, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, nil))
		if err != nil {
			continue
		}
		req.Arguments[i] = &null
	}
	return s.frameworkServer.CallFunction(ctx, req)
}

// paramType is the type of argument i of function name, nil if there is no
// such argument. The definitions are read once per server.
func (s *nullArgumentsServer) paramType(ctx context.Context, name string, i int) tftypes.Type {
	s.once.Do(func() {
		s.params = map[string]functionParams{}
		resp, err := s.GetFunctions(ctx, &tfprotov6.GetFunctionsRequest{})
		if err != nil || resp == nil {
			return
		}
		for fn, def := range resp.Functions {
			var p functionParams
			for _, param := range def.Parameters {
				p.fixed = append(p.fixed, param.Type)
			}
			if def.VariadicParameter != nil {
				p.variadic = def.VariadicParameter.Type
			}
			s.params[fn] = p
		}
	})
	p := s.params[name]
	if i < len(p.fixed) {
		return p.fixed[i]
	}
	return p.variadic
}
