package client

import (
	"context"
	"net/http"
	"sort"
	"strings"
)

// Logger receives one structured debug line per attempt. The provider
// adapts it to tflog; the client stays free of Terraform.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
}

type nopLogger struct{}

func (nopLogger) Debug(context.Context, string, map[string]any) {}

// redactedHeaders are never logged as they are: the signature and the
// temporary credential's token.
var redactedHeaders = map[string]bool{
	http.CanonicalHeaderKey(HeaderAuthorization): true,
	http.CanonicalHeaderKey(HeaderSecurityToken): true,
}

// RedactHeaders copies h for logging, with secrets replaced.
func RedactHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, v := range h {
		if len(v) == 0 {
			continue
		}
		if redactedHeaders[http.CanonicalHeaderKey(k)] {
			out[k] = "REDACTED"
			continue
		}
		out[k] = v[0]
	}
	return out
}

// FormatHeaders renders redacted headers as one sorted "Name: value; ..."
// string. A string rather than a map because tflog masks only top-level
// string fields: a map would slip past the provider's secret masks.
func FormatHeaders(h map[string]string) string {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	for i, k := range names {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(k + ": " + h[k])
	}
	return b.String()
}

// maskedSecret replaces a credential wherever it shows up in a log line.
const maskedSecret = "***"

// debug logs through the configured Logger with the secret key and the
// security token masked in the message and every string field, whatever
// the Logger does: the client knows its secrets, so it need not trust each
// caller to have set up masking.
func (c *Client) debug(ctx context.Context, msg string, fields map[string]any) {
	secrets := c.secrets()
	for k, v := range fields {
		if s, ok := v.(string); ok {
			fields[k] = maskSecrets(s, secrets)
		}
	}
	c.cfg.Logger.Debug(ctx, maskSecrets(msg, secrets), fields)
}

func (c *Client) secrets() []string {
	var out []string
	for _, s := range []string{c.cfg.Credentials.SecretKey, c.cfg.Credentials.SecurityToken} {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func maskSecrets(s string, secrets []string) string {
	for _, secret := range secrets {
		s = strings.ReplaceAll(s, secret, maskedSecret)
	}
	return s
}
