package client

import (
	"context"
	"net/http"
)

// Logger receives one structured line per attempt. The provider adapts it
// to tflog; the client stays free of Terraform.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
	Warn(ctx context.Context, msg string, fields map[string]any)
}

type nopLogger struct{}

func (nopLogger) Debug(context.Context, string, map[string]any) {}
func (nopLogger) Warn(context.Context, string, map[string]any)  {}

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
