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
		if hint := apiHint(apiErr); hint != "" {
			return msg + ". " + hint
		}
	}
	return msg
}

// apiHint is what to check for a failed API call, by status and by the
// call that failed: a 403 from the IAM project lookup is no IMS problem.
func apiHint(e *client.APIError) string {
	switch e.StatusCode {
	case http.StatusUnauthorized:
		return "Check access_key and secret_key (HW_ACCESS_KEY, HW_SECRET_KEY), security_token for temporary credentials, and the machine's clock. Bad signatures are not retried: five in a row lock the access key for five minutes."
	case http.StatusForbidden:
		switch e.Operation {
		case client.OpLookUpProject:
			return "The project of the region is looked up through IAM because project_id is not set, and the credentials may not list IAM projects. " +
				"Set project_id in the provider block or the data source (or the HW_PROJECT_ID environment variable), or grant the IAM permission to list projects."
		case client.OpListImages:
			return "The credentials lack IMS read permission to list images in this project."
		case client.OpListImageMembers:
			return "The credentials lack IMS read permission on image members in this project."
		}
		return "The credentials lack the " + strings.ToUpper(e.Service) + " permission for this call in this project."
	case http.StatusNotFound:
		switch e.Operation {
		case client.OpListImageMembers:
			return "Check that the image exists in this project and region, and that the project owns it."
		case client.OpLookUpProject:
			return "Check the iam endpoint (endpoints.iam) and the region."
		case client.OpListImages:
			return "Check the ims endpoint (endpoints.ims) and the region."
		}
	}
	return ""
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

// warnDuplicates says which members of imageID came back on more than one
// page: the membership changed during the read.
func warnDuplicates(diags *diag.Diagnostics, imageID string, duplicates []string) {
	if n := len(duplicates); n > 0 {
		diags.AddWarning("Image membership changed while it was read",
			fmt.Sprintf("Image %s: %d member(s) came back on more than one page and were kept once: %s. Read again for a consistent snapshot.",
				imageID, n, joinShort(duplicates)))
	}
}
