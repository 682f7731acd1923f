// Package client speaks the IMS and IAM APIs of Huawei Cloud: it signs,
// pages, retries and turns failures into typed errors. It knows nothing of
// Terraform.
package client

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"golang.org/x/net/http/httpproxy"

	"github.com/cloudimages/terraform-provider-ims/internal/client/recording"
)

// Defaults for Config's zero values.
const (
	DefaultCloud          = "myhuaweicloud.com"
	DefaultMaxRetries     = 5
	DefaultAttemptTimeout = 60 * time.Second
	DefaultMaxBodyBytes   = 32 << 20
)

// Config is everything a Client needs. Endpoints left empty follow the
// cloud's convention https://{service}.{region}.{cloud}; an endpoint given
// may contain RegionPlaceholder.
type Config struct {
	Credentials Credentials
	// Cloud is the endpoint domain; empty picks DefaultCloudFor(region).
	Cloud       string
	IMSEndpoint string
	IAMEndpoint string
	Insecure    bool
	// MaxRetries is how many times a failed attempt is repeated; 0 means none.
	MaxRetries     int
	UserAgent      string
	AttemptTimeout time.Duration
	MaxBodyBytes   int64
	// Retry tunes the backoff; zero fields take the defaults.
	Retry RetryPolicy
	// JobPollInterval and JobPollMaxInterval bound the wait between two
	// polls of a job; zero means DefaultJobPollInterval and
	// DefaultJobPollMaxInterval.
	JobPollInterval    time.Duration
	JobPollMaxInterval time.Duration
	Logger             Logger
	// Budget, when set, is shared by every call to every endpoint (tests,
	// benchmarks). Nil, the default, gives each endpoint its own budget,
	// made on its first call: regions are separate gateways with separate
	// limits, so a throttled region must not slow the others.
	Budget *Budget
	// Transport replaces the default transport (tests, benchmarks).
	Transport http.RoundTripper
	// RecordDir, when set, saves every exchange there with secrets and
	// account identifiers replaced (package recording), for a run against
	// the real API to be contributed and replayed. Only the acceptance
	// tests set it.
	RecordDir string
	// Resolver replaces the system's DNS resolver of the default transport;
	// tests give one that answers on loopback, so no lookup leaves the
	// machine.
	Resolver *net.Resolver
	now      func() time.Time
}

// Client is safe for concurrent use; one per provider instance, so that
// connections and the request budgets (one per endpoint) are shared by
// every read.
type Client struct {
	cfg      Config // with every default filled in
	http     *http.Client
	projects projectCache
	gate     credentialGate
	budgets  endpointBudgets
}

// New validates the configuration and builds a Client.
func New(cfg Config) (*Client, error) {
	if cfg.Credentials.AccessKey == "" || cfg.Credentials.SecretKey == "" {
		return nil, errors.New("client: access key and secret key are required")
	}
	for _, ep := range []string{cfg.IMSEndpoint, cfg.IAMEndpoint} {
		if ep != "" {
			if err := ValidateEndpoint(ep); err != nil {
				return nil, err
			}
		}
	}
	if cfg.Cloud != "" {
		if err := ValidateHostNamePart(cfg.Cloud); err != nil {
			return nil, fmt.Errorf("cloud: %w", err)
		}
	}
	if cfg.MaxRetries < 0 {
		cfg.MaxRetries = 0
	}
	if cfg.AttemptTimeout <= 0 {
		cfg.AttemptTimeout = DefaultAttemptTimeout
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.JobPollInterval <= 0 {
		cfg.JobPollInterval = DefaultJobPollInterval
	}
	if cfg.JobPollMaxInterval < cfg.JobPollInterval {
		cfg.JobPollMaxInterval = max(DefaultJobPollMaxInterval, cfg.JobPollInterval)
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = "terraform-provider-ims/dev"
	}
	if cfg.now == nil {
		cfg.now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = nopLogger{}
	}
	transport := cfg.Transport
	if transport == nil {
		t := cleanhttp.DefaultPooledTransport()
		t.Proxy = proxyFromEnvironment()
		t.MaxIdleConnsPerHost = 32
		if cfg.Resolver != nil {
			// cleanhttp's dialer, with the resolver.
			t.DialContext = (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second, Resolver: cfg.Resolver}).DialContext
		}
		if cfg.Insecure {
			t.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // only when the user sets insecure
		}
		transport = t
	}
	if cfg.RecordDir != "" {
		c := cfg.Credentials
		rec, err := recording.New(cfg.RecordDir, transport, recording.Secrets{AccessKey: c.AccessKey, SecretKey: c.SecretKey, SecurityToken: c.SecurityToken})
		if err != nil {
			return nil, err
		}
		transport = rec
	}
	cfg.Retry = cfg.Retry.withDefaults(cfg.MaxRetries)
	return &Client{
		cfg:  cfg,
		http: &http.Client{Transport: transport},
		projects: projectCache{
			entries: map[string]*projectEntry{},
		},
		gate:    newCredentialGate(),
		budgets: endpointBudgets{shared: cfg.Budget, byEndpoint: map[string]*Budget{}},
	}, nil
}

// RegionPlaceholder in an endpoint is replaced by the region of each call,
// so one setting serves every region; an endpoint without it is fixed and
// serves every region as it is.
const RegionPlaceholder = "{region}"

// ValidateEndpoint accepts an absolute http:// or https:// URL with a host,
// once RegionPlaceholder is replaced by a region.
func ValidateEndpoint(ep string) error {
	u, err := url.Parse(strings.ReplaceAll(ep, RegionPlaceholder, "cn-north-4"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("endpoint %q is not an http:// or https:// URL with a host", ep)
	}
	return nil
}

// configuredEndpoint is the endpoint of service as configured, "" when it
// follows the cloud's convention.
func (c *Client) configuredEndpoint(service string) string {
	switch service {
	case "ims":
		return c.cfg.IMSEndpoint
	case "iam":
		return c.cfg.IAMEndpoint
	}
	return ""
}

// Endpoint returns the base URL of service ("ims" or "iam") in region.
func (c *Client) Endpoint(service, region string) string {
	if ep := c.configuredEndpoint(service); ep != "" {
		return strings.TrimRight(strings.ReplaceAll(ep, RegionPlaceholder, region), "/")
	}
	cloud := c.cfg.Cloud
	if cloud == "" {
		cloud = DefaultCloudFor(region)
	}
	return "https://" + service + "." + region + "." + cloud
}

// DefaultCloudFor is the endpoint domain of a region: the European
// regions (eu-west-1*) are served from myhuaweicloud.eu.
func DefaultCloudFor(region string) string {
	if strings.HasPrefix(region, "eu-west-1") {
		return "myhuaweicloud.eu"
	}
	return DefaultCloud
}

// projectCache holds one lookup per region; concurrent reads of the same
// region wait for the first lookup instead of repeating it.
type projectCache struct {
	mu      sync.Mutex
	entries map[string]*projectEntry
}

type projectEntry struct {
	done chan struct{}
	id   string
	err  error
}

// proxyFromEnvironment reads HTTPS_PROXY, HTTP_PROXY and NO_PROXY now, for
// this client, where http.ProxyFromEnvironment would read them once per
// process.
func proxyFromEnvironment() func(*http.Request) (*url.URL, error) {
	proxy := httpproxy.FromEnvironment().ProxyFunc()
	return func(r *http.Request) (*url.URL, error) { return proxy(r.URL) }
}

// MaxRetries is how many times a failed request is repeated: the bound a
// caller that reconciles a lost write's answer (read, then send what is
// still needed) keeps to as well.
func (c *Client) MaxRetries() int { return c.cfg.MaxRetries }
