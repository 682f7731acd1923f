package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// tflogLogger adapts the client's Logger to tflog, so request lines honour
// TF_LOG and the masks set on the read's context.
type tflogLogger struct{}

// The fields go onto a copy of ctx's logger options (SetField copies them)
// rather than beside them: tflog masks secrets by rewriting the options'
// field map in place, so concurrent calls logging under one ctx (the reads
// of ims_shared_images) raced on it. One small copy per request line.
func (tflogLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	for k, v := range fields {
		ctx = tflog.SetField(ctx, k, v)
	}
	tflog.Debug(ctx, msg)
}

// maskSecrets hides every occurrence of the secret key and the security
// token in log messages and field values written under ctx.
func maskSecrets(ctx context.Context, secrets []string) context.Context {
	if len(secrets) == 0 {
		return ctx
	}
	ctx = tflog.MaskAllFieldValuesStrings(ctx, secrets...)
	ctx = tflog.MaskMessageStrings(ctx, secrets...)
	return ctx
}
