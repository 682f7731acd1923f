// Package client speaks the IMS and IAM APIs of Huawei Cloud: it signs,
// pages, retries and turns failures into typed errors. It knows nothing of
// Terraform.
package client

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"golang.org/x/net/http/httpproxy"
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
	// Budget is shared by all calls; nil gets a fresh one.
	Budget *Budget
	// Transport replaces the default transport (tests, benchmarks).
	Transport http.RoundTripper
	now       func() time.Time
}

// Client is safe for concurrent use; one per provider instance, so that
// connections and the request budget are shared by every read.
type Client struct {
	cfg      Config // with every default filled in
	http     *http.Client
	projects projectCache
	gate     credentialGate
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
	if cfg.Budget == nil {
		cfg.Budget = NewBudget(50, 1, 1000, 10)
	}
	transport := cfg.Transport
	if transport == nil {
		t := cleanhttp.DefaultPooledTransport()
		t.Proxy = proxyFromEnvironment()
		t.MaxIdleConnsPerHost = 32
		if cfg.Insecure {
			t.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // only when the user sets insecure
		}
		transport = t
	}
	cfg.Retry = cfg.Retry.withDefaults(cfg.MaxRetries)
	return &Client{
		cfg:  cfg,
		http: &http.Client{Transport: transport},
		projects: projectCache{
			entries: map[string]*projectEntry{},
		},
		gate: newCredentialGate(),
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

// Endpoint returns the base URL of service ("ims" or "iam") in region.
func (c *Client) Endpoint(service, region string) string {
	ep := ""
	switch service {
	case "ims":
		ep = c.cfg.IMSEndpoint
	case "iam":
		ep = c.cfg.IAMEndpoint
	}
	if ep != "" {
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
