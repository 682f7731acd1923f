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

// explain turns a client error of a read into a diagnostic's detail: the
// error itself (status, code, message, request ID) and what to do about it.
func explain(err error, timeout time.Duration) string { return explainOp(err, "read", timeout) }

// explainOp is explain for operation op (read, create, update, delete):
// op names the timeouts attribute to raise.
func explainOp(err error, op string, timeout time.Duration) string {
	msg := err.Error()
	var apiErr *client.APIError
	var notFound *client.ProjectNotFoundError
	var jobErr *client.JobError
	switch {
	case errors.As(err, &notFound):
		return msg + ". Set project_id in the provider block, the data source or the resource, or the HW_PROJECT_ID environment variable."
	case errors.Is(err, context.DeadlineExceeded):
		return msg + fmt.Sprintf(". The %s did not finish within %s; raise timeouts { %s = \"...\" } if the API is slow or throttled.", op, timeout, op)
	case errors.Is(err, context.Canceled):
		return msg + fmt.Sprintf(". The %s was cancelled.", op)
	case errors.As(err, &jobErr):
		return msg + ". " + jobHint(jobErr.ErrorCode)
	case errors.As(err, &apiErr):
		if hint := apiHint(apiErr, op); hint != "" {
			return msg + ". " + hint
		}
	}
	return msg
}

// jobHint explains a failed job's error code.
func jobHint(code string) string {
	if hint := codeHint(code); hint != "" {
		return hint
	}
	return "Nothing in the job's answer says more; the members list is read again at the next plan."
}

// codeHint explains the IMS error codes the sharing calls answer; they say
// more than the status does.
func codeHint(code string) string {
	switch code {
	case "IMG.0066":
		return "The image ID is wrong: the image must exist in this project and region (for an answer, be shared with this project)."
	case "IMG.0076":
		return "An image cannot be shared with the project that owns it: remove that project from project_ids."
	case "IMG.0088":
		return "The image is shared with as many tenants as allowed (256, or 10 for a full-ECS image)."
	case "IMG.0089":
		return "Public images cannot be shared."
	case "IMG.0098":
		return "Encrypted images cannot be shared this way."
	case "IMG.0135":
		return "Full-ECS images have their own sharing limits (at most 10 tenants; CBR vault for the recipient)."
	}
	return ""
}

// apiHint is what to check for a failed API call, by status and by the
// call that failed: a 403 from the IAM project lookup is no IMS problem.
// op is the Terraform operation (read, create, update, delete).
func apiHint(e *client.APIError, op string) string {
	if hint := codeHint(e.Code); hint != "" {
		return hint
	}
	switch e.StatusCode {
	case http.StatusUnauthorized:
		return "Check access_key and secret_key (HW_ACCESS_KEY, HW_SECRET_KEY), security_token for temporary credentials, and the machine's clock. Bad signatures are not retried: five in a row lock the access key for five minutes."
	case http.StatusForbidden:
		switch e.Operation {
		case client.OpLookUpProject:
			return "The project of the region is looked up through IAM because project_id is not set, and the credentials may not list IAM projects. " +
				"Set project_id in the provider block, the data source or the resource (or the HW_PROJECT_ID environment variable), or grant the IAM permission to list projects."
		case client.OpListImages:
			return "The credentials lack IMS read permission to list images in this project."
		case client.OpListImageMembers:
			return "The credentials lack IMS read permission on image members in this project."
		}
		if op != "read" && e.Service == "ims" {
			return "The credentials lack permission to share images (IMS write permission) in this project."
		}
		return "The credentials lack the " + strings.ToUpper(e.Service) + " permission for this call in this project."
	case http.StatusNotFound:
		if !e.FromIMS() {
			// Only IMS can say an image does not exist; a 404 from the
			// gateway (APIGW.0101) or a proxy means the path is not routed.
			return "IMS did not answer this 404: it came from the API gateway or a proxy, which routes no API at this path. " +
				"Check the " + e.Service + " endpoint (endpoints." + e.Service + ") and the region. Nothing was taken as deleted; the state is unchanged."
		}
		switch e.Operation {
		case client.OpGetJob:
			return "IMS does not know the job (any more): the members were read again to learn what the write did, and what is still needed is shown by the next plan."
		case client.OpListImageMembers:
			return "Check that the image exists in this project and region, and that the project owns it."
		case client.OpLookUpProject:
			return "Check the iam endpoint (endpoints.iam) and the region."
		case client.OpListImages:
			return "Check the ims endpoint (endpoints.ims) and the region."
		}
		if e.Service == "ims" {
			return "Check that the image exists in this project and region, and that the project owns it."
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
