package provider

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// fakeEnv is a provider whose environment and home directory are maps and
// temp dirs, so each precedence row is tested in isolation.
func fakeEnv(t *testing.T, env map[string]string) *imsProvider {
	t.Helper()
	home := t.TempDir()
	p := newProvider("test")
	p.env = func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	p.homeDir = func() (string, error) { return home, nil }
	return p
}

func nullModel() providerModel {
	return providerModel{
		Region: types.StringNull(), ProjectID: types.StringNull(), AccessKey: types.StringNull(),
		SecretKey: types.StringNull(), SecurityToken: types.StringNull(), Cloud: types.StringNull(),
		Endpoints: types.MapNull(types.StringType), Insecure: types.BoolNull(), MaxRetries: types.Int64Null(),
		SharedConfigFile: types.StringNull(), Profile: types.StringNull(),
	}
}

func withKeys(m providerModel) providerModel {
	m.AccessKey, m.SecretKey, m.Region = types.StringValue("AK"), types.StringValue("SK"), types.StringValue("cn-north-4")
	return m
}

func writeKooCLI(t *testing.T, dir, body string) string {
	t.Helper()
	path := filepath.Join(dir, "config.json")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

const kooCLIConfig = `{
  "current": "default",
  "profiles": [
    {"name": "default", "mode": "AKSK", "accessKeyId": "PROFILE-AK", "secretAccessKey": "PROFILE-SK",
     "region": "cn-north-4", "projectId": "profileproject"},
    {"name": "temp", "mode": "AKSK", "accessKeyId": "TEMP-AK", "secretAccessKey": "TEMP-SK", "securityToken": "TEMP-TOKEN",
     "region": "ap-southeast-1"},
    {"name": "sso", "mode": "SSO", "accessKeyId": "", "secretAccessKey": "", "region": "eu-west-101",
     "ssoAuth": {"stsToken": {"accessKeyId": "SSO-AK", "secretAccessKey": "SSO-SK", "securityToken": "SSO-TOKEN"}}},
    {"name": "empty", "mode": "AKSK", "region": "cn-north-4"}
  ]
}`

// TestSettingsPrecedence has one row per source of each setting:
// argument > environment variable > shared config profile > default.
func TestSettingsPrecedence(t *testing.T) {
	dir := t.TempDir()
	file := writeKooCLI(t, dir, kooCLIConfig)
	type row struct {
		name  string
		env   map[string]string
		model func(providerModel) providerModel
		check func(settings) string // returns the value under test
		want  string
	}
	str := types.StringValue
	rows := []row{
		{"region from argument beats env and profile", map[string]string{"HW_REGION_NAME": "env-region", "HW_PROFILE": "default", "HW_SHARED_CONFIG_FILE": file},
			func(m providerModel) providerModel { m.Region = str("arg-region"); return m }, func(s settings) string { return s.region }, "arg-region"},
		{"region from env beats profile", map[string]string{"HW_REGION_NAME": "env-region", "HW_PROFILE": "default", "HW_SHARED_CONFIG_FILE": file},
			func(m providerModel) providerModel { return m }, func(s settings) string { return s.region }, "env-region"},
		{"region from profile", map[string]string{"HW_PROFILE": "default", "HW_SHARED_CONFIG_FILE": file},
			func(m providerModel) providerModel { return m }, func(s settings) string { return s.region }, "cn-north-4"},
		{"project from argument", map[string]string{"HW_PROJECT_ID": "envproject"},
			func(m providerModel) providerModel { m = withKeys(m); m.ProjectID = str("argproject"); return m }, func(s settings) string { return s.projectID }, "argproject"},
		{"project from env", map[string]string{"HW_PROJECT_ID": "envproject"},
			withKeys, func(s settings) string { return s.projectID }, "envproject"},
		{"project from profile when its region is used", map[string]string{"HW_PROFILE": "default", "HW_SHARED_CONFIG_FILE": file},
			func(m providerModel) providerModel { return m }, func(s settings) string { return s.projectID }, "profileproject"},
		{"no profile project for another region (looked up later)", map[string]string{"HW_PROFILE": "default", "HW_SHARED_CONFIG_FILE": file, "HW_REGION_NAME": "ap-southeast-3"},
			func(m providerModel) providerModel { return m }, func(s settings) string { return s.projectID }, ""},
		{"access key from argument", map[string]string{"HW_ACCESS_KEY": "ENV-AK", "HW_SECRET_KEY": "ENV-SK"},
			withKeys, func(s settings) string { return s.accessKey + "/" + s.secretKey }, "AK/SK"},
		{"access key from env beats profile", map[string]string{"HW_ACCESS_KEY": "ENV-AK", "HW_SECRET_KEY": "ENV-SK", "HW_REGION_NAME": "r", "HW_PROFILE": "default", "HW_SHARED_CONFIG_FILE": file},
			func(m providerModel) providerModel { return m }, func(s settings) string { return s.accessKey + "/" + s.secretKey }, "ENV-AK/ENV-SK"},
		{"keys from the current profile", map[string]string{"HW_SHARED_CONFIG_FILE": file},
			func(m providerModel) providerModel { return m }, func(s settings) string { return s.accessKey + "/" + s.secretKey + "/" + s.profile }, "PROFILE-AK/PROFILE-SK/default"},
		{"security token from argument", map[string]string{"HW_SECURITY_TOKEN": "ENV-TOKEN"},
			func(m providerModel) providerModel { m = withKeys(m); m.SecurityToken = str("ARG-TOKEN"); return m }, func(s settings) string { return s.token }, "ARG-TOKEN"},
		{"security token from env beside keys from env", map[string]string{"HW_ACCESS_KEY": "ENV-AK", "HW_SECRET_KEY": "ENV-SK", "HW_SECURITY_TOKEN": "ENV-TOKEN", "HW_REGION_NAME": "r"},
			func(m providerModel) providerModel { return m }, func(s settings) string { return s.accessKey + "/" + s.token }, "ENV-AK/ENV-TOKEN"},
		{"temporary credentials from a profile", map[string]string{"HW_PROFILE": "temp", "HW_SHARED_CONFIG_FILE": file},
			func(m providerModel) providerModel { return m }, func(s settings) string { return s.accessKey + "/" + s.token }, "TEMP-AK/TEMP-TOKEN"},
		{"SSO profile takes keys from ssoAuth.stsToken", map[string]string{"HW_PROFILE": "sso", "HW_SHARED_CONFIG_FILE": file},
			func(m providerModel) providerModel { return m }, func(s settings) string { return s.accessKey + "/" + s.secretKey + "/" + s.token + "/" + s.region }, "SSO-AK/SSO-SK/SSO-TOKEN/eu-west-101"},
		{"profile argument beats HW_PROFILE", map[string]string{"HW_PROFILE": "default", "HW_SHARED_CONFIG_FILE": file},
			func(m providerModel) providerModel { m.Profile = str("temp"); return m }, func(s settings) string { return s.accessKey }, "TEMP-AK"},
		{"shared_config_file argument beats env", map[string]string{"HW_SHARED_CONFIG_FILE": "/nonexistent/config.json"},
			func(m providerModel) providerModel { m.SharedConfigFile = str(file); return m }, func(s settings) string { return s.accessKey }, "PROFILE-AK"},
		{"cloud from argument", map[string]string{"HW_CLOUD": "env.example"},
			func(m providerModel) providerModel { m = withKeys(m); m.Cloud = str("arg.example"); return m }, func(s settings) string { return s.cloud }, "arg.example"},
		{"cloud from env", map[string]string{"HW_CLOUD": "env.example"},
			withKeys, func(s settings) string { return s.cloud }, "env.example"},
		{"cloud default is left to the region", nil,
			withKeys, func(s settings) string { return s.cloud }, ""},
		{"insecure from argument", map[string]string{"HW_INSECURE": "true"},
			func(m providerModel) providerModel { m = withKeys(m); m.Insecure = types.BoolValue(false); return m }, func(s settings) string { return strconv.FormatBool(s.insecure) }, "false"},
		{"insecure from env", map[string]string{"HW_INSECURE": "true"},
			withKeys, func(s settings) string { return strconv.FormatBool(s.insecure) }, "true"},
		{"insecure default", nil,
			withKeys, func(s settings) string { return strconv.FormatBool(s.insecure) }, "false"},
		{"max_retries from argument", map[string]string{"HW_MAX_RETRIES": "9"},
			func(m providerModel) providerModel { m = withKeys(m); m.MaxRetries = types.Int64Value(0); return m }, func(s settings) string { return strconv.Itoa(s.maxRetries) }, "0"},
		{"max_retries from env", map[string]string{"HW_MAX_RETRIES": "9"},
			withKeys, func(s settings) string { return strconv.Itoa(s.maxRetries) }, "9"},
		{"max_retries default", nil,
			withKeys, func(s settings) string { return strconv.Itoa(s.maxRetries) }, "5"},
		{"endpoints from argument", nil,
			func(m providerModel) providerModel {
				m = withKeys(m)
				m.Endpoints = types.MapValueMust(types.StringType, map[string]attr.Value{"ims": str("http://127.0.0.1:1"), "iam": str("https://iam.example")})
				return m
			}, func(s settings) string { return s.endpoints["ims"] + " " + s.endpoints["iam"] }, "http://127.0.0.1:1 https://iam.example"},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			p := fakeEnv(t, r.env)
			s, diags := p.resolveSettings(r.model(nullModel()))
			if diags.HasError() {
				t.Fatalf("unexpected diagnostics: %v", diags)
			}
			if got := r.check(s); got != r.want {
				t.Errorf("got %q, want %q", got, r.want)
			}
		})
	}
}

func TestSettingsDefaultSharedConfigFileWhenProfileSet(t *testing.T) {
	p := fakeEnv(t, map[string]string{"HW_PROFILE": "default"})
	home, _ := p.homeDir()
	if err := os.MkdirAll(filepath.Join(home, ".hcloud"), 0o700); err != nil {
		t.Fatal(err)
	}
	writeKooCLI(t, filepath.Join(home, ".hcloud"), kooCLIConfig)
	s, diags := p.resolveSettings(nullModel())
	if diags.HasError() || s.accessKey != "PROFILE-AK" {
		t.Fatalf("want keys from ~/.hcloud/config.json, got %q, %v", s.accessKey, diags)
	}
}

// TestSettingsDiagnostics has one row per misconfiguration; each names the
// argument and its environment variable.
func TestSettingsDiagnostics(t *testing.T) {
	file := writeKooCLI(t, t.TempDir(), kooCLIConfig)
	str := types.StringValue
	rows := []struct {
		name  string
		env   map[string]string
		model func(providerModel) providerModel
		want  []string
	}{
		{"access_key without secret_key", nil,
			func(m providerModel) providerModel { m.AccessKey, m.Region = str("AK"), str("r"); return m }, []string{"secret_key", "HW_SECRET_KEY"}},
		{"secret_key without access_key", map[string]string{"HW_SECRET_KEY": "SK", "HW_REGION_NAME": "r"},
			func(m providerModel) providerModel { return m }, []string{"access_key", "HW_ACCESS_KEY"}},
		{"token without keys", map[string]string{"HW_SECURITY_TOKEN": "T", "HW_REGION_NAME": "r"},
			func(m providerModel) providerModel { return m }, []string{"security_token", "HW_SECURITY_TOKEN", "HW_ACCESS_KEY"}},
		{"no credentials at all", map[string]string{"HW_REGION_NAME": "r"},
			func(m providerModel) providerModel { return m }, []string{"HW_ACCESS_KEY", "HW_SECRET_KEY", "HW_PROFILE"}},
		{"no region anywhere", nil,
			func(m providerModel) providerModel { m.AccessKey, m.SecretKey = str("AK"), str("SK"); return m }, []string{"region", "HW_REGION_NAME"}},
		{"endpoint that is not a URL", nil,
			func(m providerModel) providerModel {
				m = withKeys(m)
				m.Endpoints = types.MapValueMust(types.StringType, map[string]attr.Value{"ims": str("ims.example.com")})
				return m
			}, []string{"endpoint", `"ims.example.com"`, "https://"}},
		{"missing shared config file", map[string]string{"HW_SHARED_CONFIG_FILE": "/nonexistent/hcloud.json", "HW_PROFILE": "p"},
			func(m providerModel) providerModel { return m }, []string{"/nonexistent/hcloud.json", "HW_SHARED_CONFIG_FILE"}},
		{"missing profile", map[string]string{"HW_SHARED_CONFIG_FILE": file, "HW_PROFILE": "nope"},
			func(m providerModel) providerModel { return m }, []string{file, `"nope"`, "default, temp, sso, empty"}},
		{"profile without keys", map[string]string{"HW_SHARED_CONFIG_FILE": file, "HW_PROFILE": "empty"},
			func(m providerModel) providerModel { return m }, []string{file, `"empty"`, "no keys"}},
		{"stale HW_SECURITY_TOKEN beside profile keys", map[string]string{"HW_SHARED_CONFIG_FILE": file, "HW_PROFILE": "default", "HW_SECURITY_TOKEN": "STALE"},
			func(m providerModel) providerModel { return m }, []string{"HW_SECURITY_TOKEN", `profile "default"`, file}},
		{"HW_INSECURE not a bool", map[string]string{"HW_INSECURE": "maybe"},
			withKeys, []string{"HW_INSECURE", `"maybe"`}},
		{"HW_MAX_RETRIES not a number", map[string]string{"HW_MAX_RETRIES": "lots"},
			withKeys, []string{"HW_MAX_RETRIES", `"lots"`}},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			p := fakeEnv(t, r.env)
			_, diags := p.resolveSettings(r.model(nullModel()))
			if !diags.HasError() {
				t.Fatal("want an error diagnostic, got none")
			}
			var text strings.Builder
			for _, d := range diags.Errors() {
				text.WriteString(d.Summary() + ": " + d.Detail() + "\n")
			}
			for _, w := range r.want {
				if !strings.Contains(text.String(), w) {
					t.Errorf("diagnostic does not mention %q:\n%s", w, text.String())
				}
			}
		})
	}
}

func TestMissingCredentialsPointsAtExistingKooCLIFile(t *testing.T) {
	p := fakeEnv(t, map[string]string{"HW_REGION_NAME": "cn-north-4"})
	home, _ := p.homeDir()
	if err := os.MkdirAll(filepath.Join(home, ".hcloud"), 0o700); err != nil {
		t.Fatal(err)
	}
	file := writeKooCLI(t, filepath.Join(home, ".hcloud"), kooCLIConfig)
	_, diags := p.resolveSettings(nullModel())
	if !diags.HasError() {
		t.Fatal("want a missing-credentials error")
	}
	if detail := diags.Errors()[0].Detail(); !strings.Contains(detail, file+" exists") || !strings.Contains(detail, "HW_PROFILE") {
		t.Errorf("the diagnostic does not point at %s and HW_PROFILE: %s", file, detail)
	}
}
