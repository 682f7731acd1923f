package provider

import (
	"strings"
	"testing"
)

// TestResolveCredentials: one credential, one source. Each row gives what
// the provider block, the environment and the profile hold, and either the
// credential taken or the words the error must contain (both sources).
func TestResolveCredentials(t *testing.T) {
	args := func(ak, sk, token string) credentialSource {
		return credentialSource{kind: fromArguments, accessKey: ak, secretKey: sk, token: token}
	}
	env := func(ak, sk, token string) credentialSource {
		return credentialSource{kind: fromEnvironment, accessKey: ak, secretKey: sk, token: token}
	}
	profile := func(ak, sk, token string) credentialSource {
		return credentialSource{kind: fromProfile, accessKey: ak, secretKey: sk, token: token, profile: "work", file: "/home/u/.hcloud/config.json"}
	}
	none := func() credentialSource { return credentialSource{kind: fromArguments} }
	noEnv := func() credentialSource { return credentialSource{kind: fromEnvironment} }
	rows := []struct {
		name    string
		sources []credentialSource
		want    string   // "ak/sk/token" taken
		wantErr []string // words of the error, when one is expected
	}{
		{"keys from arguments", []credentialSource{args("A", "S", ""), noEnv()}, "A/S/", nil},
		{"temporary credentials from arguments", []credentialSource{args("A", "S", "T"), noEnv()}, "A/S/T", nil},
		{"keys from environment", []credentialSource{none(), env("A", "S", "")}, "A/S/", nil},
		{"temporary credentials from environment", []credentialSource{none(), env("A", "S", "T")}, "A/S/T", nil},
		{"keys from profile", []credentialSource{none(), noEnv(), profile("A", "S", "")}, "A/S/", nil},
		{"temporary credentials from profile", []credentialSource{none(), noEnv(), profile("A", "S", "T")}, "A/S/T", nil},
		{"arguments beat a whole credential in the environment", []credentialSource{args("A", "S", ""), env("EA", "ES", "ET")}, "A/S/", nil},
		{"environment beats a whole credential in the profile", []credentialSource{none(), env("EA", "ES", ""), profile("A", "S", "T")}, "EA/ES/", nil},
		{"keys from arguments never take the profile token", []credentialSource{args("A", "S", ""), noEnv(), profile("PA", "PS", "PT")}, "A/S/", nil},
		{"keys from environment never take the profile token", []credentialSource{none(), env("A", "S", ""), profile("PA", "PS", "PT")}, "A/S/", nil},
		{"an argument token beats an environment token", []credentialSource{args("A", "S", "T"), env("", "", "ET")}, "A/S/T", nil},

		{"stale HW_SECURITY_TOKEN beside profile keys", []credentialSource{none(), env("", "", "STALE"), profile("A", "S", "")}, "",
			[]string{"HW_SECURITY_TOKEN in the environment", `profile "work" in /home/u/.hcloud/config.json`}},
		{"argument token beside profile keys", []credentialSource{args("", "", "T"), noEnv(), profile("A", "S", "")}, "",
			[]string{"security_token in the provider block", `profile "work"`}},
		{"environment token beside argument keys", []credentialSource{args("A", "S", ""), env("", "", "T")}, "",
			[]string{"HW_SECURITY_TOKEN in the environment", "access_key in the provider block"}},
		{"argument token beside environment keys", []credentialSource{args("", "", "T"), env("A", "S", "")}, "",
			[]string{"security_token in the provider block", "HW_ACCESS_KEY in the environment"}},
		{"access key from arguments, secret key from environment", []credentialSource{args("A", "", ""), env("", "S", "")}, "",
			[]string{"HW_SECRET_KEY in the environment", "access_key in the provider block"}},
		{"secret key from arguments, access key from environment", []credentialSource{args("", "S", ""), env("A", "", "")}, "",
			[]string{"HW_ACCESS_KEY in the environment", "secret_key in the provider block"}},
		{"access key alone", []credentialSource{args("A", "", ""), noEnv()}, "",
			[]string{"access_key in the provider block is set", "secret_key", "HW_SECRET_KEY"}},
		{"secret key alone in the environment", []credentialSource{none(), env("", "S", "")}, "",
			[]string{"HW_SECRET_KEY in the environment is set", "HW_ACCESS_KEY"}},
		{"token without keys", []credentialSource{none(), env("", "", "T")}, "",
			[]string{"HW_SECURITY_TOKEN in the environment", "access_key", "secret_key"}},
		{"nothing anywhere", []credentialSource{none(), noEnv()}, "",
			[]string{"No access key", "HW_ACCESS_KEY", "HW_PROFILE"}},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			got, problem := resolveCredentials(r.sources...)
			if r.wantErr == nil {
				if problem != nil {
					t.Fatalf("unexpected error: %s: %s", problem.summary, problem.detail)
				}
				if s := got.accessKey + "/" + got.secretKey + "/" + got.token; s != r.want {
					t.Errorf("took %q, want %q", s, r.want)
				}
				return
			}
			if problem == nil {
				t.Fatalf("took %s/%s/%s, want an error", got.accessKey, got.secretKey, got.token)
			}
			for _, w := range r.wantErr {
				if !strings.Contains(problem.detail, w) {
					t.Errorf("the error does not mention %q: %s", w, problem.detail)
				}
			}
		})
	}
}
