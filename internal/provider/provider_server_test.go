package provider

import (
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
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
