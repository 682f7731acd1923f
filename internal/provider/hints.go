package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
)

// explain turns a client error into a diagnostic's detail: the error
// itself (status, code, message, request ID) and what to do about it.
func explain(err error, timeout time.Duration) string {
	msg := err.Error()
	var apiErr *client.APIError
	var notFound *client.ProjectNotFoundError
	switch {
	case errors.As(err, &notFound):
		return msg + ". Set project_id in the provider block or the data source, or the HW_PROJECT_ID environment variable."
	case errors.Is(err, context.DeadlineExceeded):
		return msg + fmt.Sprintf(". The read did not finish within %s; raise timeouts { read = \"...\" } if the API is slow or throttled.", timeout)
	case errors.Is(err, context.Canceled):
		return msg + ". The read was cancelled."
	case errors.As(err, &apiErr):
		switch apiErr.StatusCode {
		case http.StatusUnauthorized:
			return msg + ". Check access_key and secret_key (HW_ACCESS_KEY, HW_SECRET_KEY), security_token for temporary credentials, and the machine's clock. Bad signatures are not retried: five in a row lock the access key for five minutes."
		case http.StatusForbidden:
			return msg + ". The credentials lack permission to read image members (IMS read permission) in this project."
		case http.StatusNotFound:
			return msg + ". Check that the image exists in this project and region, and that the project owns it."
		}
	}
	return msg
}

// joinShort names at most 20 items; a diagnostic listing thousands helps
// nobody.
func joinShort(items []string) string {
	shown := items[:min(len(items), 20)]
	s := strings.Join(shown, ", ")
	if n := len(items) - len(shown); n > 0 {
		s += fmt.Sprintf(" and %d more", n)
	}
	return s
}

// warnDuplicates says which members of imageID the API listed more than
// once, on one page or several: the membership changed during the read, or
// the server repeated itself. The same rule at every page size.
func warnDuplicates(diags *diag.Diagnostics, imageID string, duplicates []string) {
	if n := len(duplicates); n > 0 {
		diags.AddWarning("Image membership changed while it was read",
			fmt.Sprintf("Image %s: %d member(s) were listed more than once and were kept once: %s. Read again for a consistent snapshot.",
				imageID, n, joinShort(duplicates)))
	}
}
