package provider

import (
	"context"
	"fmt"
	"net"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
)

var endpointPattern = regexp.MustCompile(`^https?://[^/\s?#]+`)

func newProvider(version string) *imsProvider {
	return &imsProvider{version: version, env: os.LookupEnv, homeDir: os.UserHomeDir}
}

// Configure resolves every setting (argument > environment variable >
// shared config profile > default) and builds the client. It makes no
// network call: the project lookup waits for the first read that needs it.
func (p *imsProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if unknown := unknownArguments(m); len(unknown) > 0 {
		data := &providerData{unknown: unknown}
		// The standard deferral: a client that can defer (Terraform with
		// deferred actions) plans every data source and resource of this
		// provider later, once the configuration is known; the framework
		// answers them itself. Other clients get the error of ready.
		if req.ClientCapabilities.DeferralAllowed {
			tflog.Debug(ctx, "provider arguments unknown at configure time: deferring", map[string]any{"arguments": unknown})
			resp.Deferred = &provider.Deferred{Reason: provider.DeferredReasonProviderConfigUnknown}
			data.deferred = true
		} else {
			tflog.Warn(ctx, "provider arguments unknown at configure time", map[string]any{"arguments": unknown})
		}
		p.hand(resp, data)
		return
	}
	s, diags := p.settingsFrom(m)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	// No credentials or no region is not an error yet: OpenTofu configures
	// the provider of every provider function it calls, even where no data
	// source or resource uses it (Terraform does not), so a configuration
	// that only calls provider::ims::parse_organization_urn must configure
	// without them. The first data source or resource reports them instead.
	if missing := p.missingSettings(s); missing.HasError() {
		tflog.Debug(ctx, "provider configured without credentials or region; data sources and resources will report it")
		p.hand(resp, &providerData{missing: missing})
		return
	}
	ctx = maskSecrets(ctx, s.secrets())
	var budget *client.Budget
	if p.budget != nil {
		budget = p.budget()
	}
	c, err := newClient(s, p.version, budget, p.resolver)
	if err != nil {
		resp.Diagnostics.AddError("Cannot configure the IMS client", err.Error())
		return
	}
	warnUnknownRegion(s, &resp.Diagnostics)
	tflog.Debug(ctx, "provider configured", map[string]any{
		"region": s.region, "project_id": s.projectID, "cloud": s.cloud, "endpoints": s.endpoints,
		"max_retries": s.maxRetries, "insecure": s.insecure, "profile": s.profile,
		"credentials_from": s.credentialSource,
	})
	data := &providerData{client: c, region: s.region, projectID: s.projectID, secrets: s.secrets(), checkRegions: regionChecked(s.cloud, s.endpoints)}
	p.hand(resp, data)
}

// hand gives data to the data sources, resources and list resources,
// through the framework and to the direct reads of directReadsServer.
func (p *imsProvider) hand(resp *provider.ConfigureResponse, data *providerData) {
	resp.DataSourceData, resp.ResourceData, resp.ListResourceData = data, data, data
	p.configured.Store(data)
}

// warnUnknownRegion warns, at plan time, of a region that is not a known
// Huawei Cloud region where the public endpoints are used: a typo there
// otherwise shows only as an unknown host or a missing IAM project. Never
// an error, since new regions appear before the list has them.
func warnUnknownRegion(s settings, diags *diag.Diagnostics) {
	if !regionChecked(s.cloud, s.endpoints) {
		return
	}
	if note := unknownRegionNote(s.region); note != "" {
		diags.AddAttributeWarning(path.Root("region"), fmt.Sprintf("Unknown region %q", s.region),
			note+" Check the spelling (region or HW_REGION_NAME). The provider goes on with the name as given: a region newer than its list is fine.")
	}
}

// missingSettings reports no credentials at all and no region.
func (p *imsProvider) missingSettings(s settings) diag.Diagnostics {
	var d diag.Diagnostics
	if problem := s.noCredentials; problem != nil {
		detail := problem.detail
		if file, err := defaultSharedConfigFile(p.homeDir); err == nil && file != "" && fileExists(file) {
			detail += " " + file + " exists: set profile (HW_PROFILE) to use one of its profiles."
		}
		d.AddAttributeError(path.Root(problem.attribute), problem.summary, detail)
	}
	if s.region == "" {
		d.AddAttributeError(path.Root("region"), "Missing region",
			"No region was found. Set region in the provider block or the HW_REGION_NAME environment variable (for example cn-north-4).")
	}
	return d
}

// recordDir, when set, makes every client record its exchanges there
// (client.Config.RecordDir). Only the acceptance tests set it, from
// IMS_RECORD_DIR; a provider binary never records.
var recordDir string

// newClient builds the one client of a provider instance; a nil budget
// is the client's default, a nil resolver the system's.
func newClient(s settings, version string, budget *client.Budget, resolver *net.Resolver) (*client.Client, error) {
	return client.New(client.Config{
		RecordDir:   recordDir,
		Credentials: client.Credentials{AccessKey: s.accessKey, SecretKey: s.secretKey, SecurityToken: s.token},
		Cloud:       s.cloud,
		IMSEndpoint: s.endpoints["ims"],
		IAMEndpoint: s.endpoints["iam"],
		Insecure:    s.insecure,
		MaxRetries:  s.maxRetries,
		UserAgent:   "terraform-provider-ims/" + version,
		Logger:      tflogLogger{},
		Budget:      budget,
		Resolver:    resolver,
	})
}

// unknownArguments names arguments, and elements of endpoints, whose
// values come from resources not yet created.
func unknownArguments(m providerModel) []string {
	var out []string
	for name, v := range map[string]interface{ IsUnknown() bool }{
		"region": m.Region, "project_id": m.ProjectID, "access_key": m.AccessKey, "secret_key": m.SecretKey,
		"security_token": m.SecurityToken, "cloud": m.Cloud, "endpoints": m.Endpoints, "insecure": m.Insecure,
		"max_retries": m.MaxRetries, "shared_config_file": m.SharedConfigFile, "profile": m.Profile,
	} {
		if v.IsUnknown() {
			out = append(out, name)
		}
	}
	// A known map may still hold an unknown element, such as an endpoint
	// built from a resource not yet created.
	for key, v := range m.Endpoints.Elements() {
		if v.IsUnknown() {
			out = append(out, fmt.Sprintf("endpoints[%q]", key))
		}
	}
	slices.Sort(out)
	return out
}

// settings are the resolved provider configuration.
type settings struct {
	region, projectID, accessKey, secretKey, token, cloud string
	endpoints                                             map[string]string
	insecure                                              bool
	maxRetries                                            int
	profile                                               string
	// credentialSource says where the keys came from, for the debug log.
	credentialSource string
	// noCredentials is set when no source had any: missingSettings reports it.
	noCredentials *credentialProblem
}

func (s settings) secrets() []string {
	var out []string
	for _, v := range []string{s.secretKey, s.token} {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// stringSetting picks the argument, else the environment variable.
func (p *imsProvider) stringSetting(arg types.String, env string) string {
	if !arg.IsNull() && !arg.IsUnknown() {
		return arg.ValueString()
	}
	return p.envSetting(env)
}

// envSetting is the environment variable, trimmed; empty when unset.
func (p *imsProvider) envSetting(env string) string {
	v, _ := p.env(env)
	return strings.TrimSpace(v)
}

// resolveSettings is settingsFrom and missingSettings: every diagnostic of
// a provider configuration.
func (p *imsProvider) resolveSettings(m providerModel) (settings, diag.Diagnostics) {
	s, d := p.settingsFrom(m)
	if d.HasError() {
		return s, d
	}
	d.Append(p.missingSettings(s)...)
	return s, d
}

// settingsFrom resolves every setting and reports the ones that are wrong;
// missingSettings reports the ones that are absent.
func (p *imsProvider) settingsFrom(m providerModel) (settings, diag.Diagnostics) {
	var d diag.Diagnostics
	s := settings{
		region:    p.stringSetting(m.Region, envRegion),
		projectID: p.stringSetting(m.ProjectID, envProjectID),
		cloud:     p.stringSetting(m.Cloud, envCloud),
		endpoints: map[string]string{},
	}
	sources := []credentialSource{
		{kind: fromArguments, accessKey: m.AccessKey.ValueString(), secretKey: m.SecretKey.ValueString(), token: m.SecurityToken.ValueString()},
		{kind: fromEnvironment, accessKey: p.envSetting(envAccessKey), secretKey: p.envSetting(envSecretKey), token: p.envSetting(envSecurityToken)},
	}

	// The shared config file is read only when asked for, by a file or a profile.
	file := p.stringSetting(m.SharedConfigFile, envSharedConfigFile)
	s.profile = p.stringSetting(m.Profile, envProfile)
	if file != "" || s.profile != "" {
		var err error
		if file == "" {
			file, err = defaultSharedConfigFile(p.homeDir)
		} else {
			file, err = expandHome(file, p.homeDir)
		}
		if err != nil {
			d.AddAttributeError(path.Root("shared_config_file"), "Cannot find the shared config file", err.Error())
			return s, d
		}
		prof, err := loadProfile(file, s.profile)
		if err != nil {
			d.AddAttributeError(path.Root("profile"), "Cannot use the shared config profile",
				err.Error()+". Set shared_config_file (HW_SHARED_CONFIG_FILE) and profile (HW_PROFILE) to an existing file and profile, or unset both.")
			return s, d
		}
		s.profile = prof.name
		if s.region == "" {
			s.region = prof.region
		}
		// The profile's project belongs to the profile's region only.
		if s.projectID == "" && s.region == prof.region {
			s.projectID = prof.projectID
		}
		sources = append(sources, credentialSource{kind: fromProfile, accessKey: prof.accessKey, secretKey: prof.secretKey,
			token: prof.token, profile: prof.name, file: prof.file})
	}

	creds, problem := resolveCredentials(sources...)
	switch {
	case problem != nil && problem.none:
		s.noCredentials = problem
	case problem != nil:
		d.AddAttributeError(path.Root(problem.attribute), problem.summary, problem.detail)
	}
	s.accessKey, s.secretKey, s.token, s.credentialSource = creds.accessKey, creds.secretKey, creds.token, creds.source
	// The schema checks the arguments; these may come from the environment
	// or the profile.
	for _, arg := range []struct{ name, value string }{{"region", s.region}, {"cloud", s.cloud}} {
		if err := client.ValidateHostNamePart(arg.value); arg.value != "" && err != nil {
			d.AddAttributeError(path.Root(arg.name), "Invalid "+arg.name, hostNameHint(err))
		}
	}

	if !m.Endpoints.IsNull() {
		for k, v := range m.Endpoints.Elements() {
			str, ok := v.(types.String)
			if !ok || str.IsNull() || str.IsUnknown() {
				continue
			}
			if err := client.ValidateEndpoint(str.ValueString()); err != nil {
				d.AddAttributeError(path.Root("endpoints").AtMapKey(k), "Invalid endpoint", err.Error()+`; write it as "https://host[:port]" or "http://host[:port]".`)
				continue
			}
			s.endpoints[k] = str.ValueString()
		}
	}

	switch {
	case !m.Insecure.IsNull():
		s.insecure = m.Insecure.ValueBool()
	default:
		if v, ok := p.env(envInsecure); ok && strings.TrimSpace(v) != "" {
			b, err := strconv.ParseBool(strings.TrimSpace(v))
			if err != nil {
				d.AddAttributeError(path.Root("insecure"), "Invalid HW_INSECURE", "HW_INSECURE must be true or false, not "+strconv.Quote(v)+".")
			}
			s.insecure = b
		}
	}

	s.maxRetries = client.DefaultMaxRetries
	switch {
	case !m.MaxRetries.IsNull():
		s.maxRetries = int(m.MaxRetries.ValueInt64())
	default:
		if v, ok := p.env(envMaxRetries); ok && strings.TrimSpace(v) != "" {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 0 || n > 100 {
				d.AddAttributeError(path.Root("max_retries"), "Invalid HW_MAX_RETRIES", "HW_MAX_RETRIES must be a whole number from 0 to 100, not "+strconv.Quote(v)+".")
			}
			s.maxRetries = n
		}
	}
	return s, d
}
