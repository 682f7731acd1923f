package provider

// Every diagnostic of a failed call is built here, by operation.fail: its
// summary (headline, which names the cause when the error knows it better
// than the call) and its detail (explain: the error and what to do about
// it, from the hints for each kind of error: connection, IAM project
// lookup, IMS error code, HTTP status of each call, job).

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
)

// fail adds the error diagnostic of a call that failed during o, the one
// way every failed call is reported: summary (unless headline names the
// cause better), then the error and what to do about it (explain), then
// each of after (what the state holds now, what to run next).
func (o operation) fail(diags *diag.Diagnostics, summary string, err error, after ...string) {
	detail := o.explain(err)
	for _, s := range after {
		detail += " " + s
	}
	diags.AddError(headline(err, summary), detail)
}

// explain turns a client error into a diagnostic's detail: the error
// itself (status, code, message, request ID) and what to do about it; a
// deadline names the timeouts attribute to raise (o.name), or, for a
// bound no block sets, how to read less.
func (o operation) explain(err error) string {
	msg := err.Error()
	if o.fixed && errors.Is(err, context.DeadlineExceeded) {
		return msg + fmt.Sprintf(". The list did not finish within %s; narrow it (region, project_id) or run it again when the API is less busy.", o.timeout)
	}
	var apiErr *client.APIError
	var notFound *client.ProjectNotFoundError
	var jobErr *client.JobError
	var connErr *client.ConnectionError
	switch {
	case errors.As(err, &notFound):
		return msg + ". " + projectNotFoundHint(notFound)
	case errors.As(err, &connErr):
		return msg + ". " + connectionHint(connErr)
	case errors.Is(err, context.DeadlineExceeded):
		return msg + fmt.Sprintf(". The %s did not finish within %s; raise timeouts { %s = \"...\" } if the API is slow or throttled.", o.name, o.timeout, o.name)
	case errors.Is(err, context.Canceled):
		return msg + fmt.Sprintf(". The %s was cancelled.", o.name)
	case errors.As(err, &jobErr):
		return msg + ". " + jobHint(jobErr.ErrorCode)
	case errors.As(err, &apiErr):
		if hint := apiHint(apiErr, o.name); hint != "" {
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
	if hint := memberCallHint(e); hint != "" {
		return hint
	}
	if plainHTTPToHTTPS(e) {
		return "The server there speaks HTTPS: write endpoints." + e.Service + " with https://."
	}
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
		case client.OpListAuthProjects:
			return "all_projects finds the account's projects through IAM (GET /v3/auth/projects), and the credentials may not list them. " +
				"Grant the IAM permission to list projects, or read each project with project_id."
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

// headline is the summary of a failed call's diagnostic: summary, unless
// the error names what failed more precisely than the call does (an
// endpoint that gives no answer, a region IAM has no project for,
// credentials the API rejected), so that the headline blames the cause.
func headline(err error, summary string) string {
	var connErr *client.ConnectionError
	var notFound *client.ProjectNotFoundError
	var apiErr *client.APIError
	switch {
	case errors.As(err, &connErr):
		if h := connectionHeadline(connErr); h != "" {
			return h
		}
	case errors.As(err, &notFound):
		return fmt.Sprintf("IAM has no project for region %q", notFound.Region)
	case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusUnauthorized:
		return serviceName(apiErr.Service) + " rejected the credentials (HTTP 401)"
	case errors.As(err, &apiErr) && plainHTTPToHTTPS(apiErr):
		return "The " + serviceName(apiErr.Service) + " endpoint expects HTTPS, not http://"
	}
	return summary
}

// serviceName is how a diagnostic names a service: "IMS", "IAM".
func serviceName(service string) string { return strings.ToUpper(service) }

// connectionHeadline names the endpoint, or the region in its host name,
// and the cause; "" for a dropped connection, where the call's own summary
// says more.
func connectionHeadline(e *client.ConnectionError) string {
	endpoint := "the " + serviceName(e.Service) + " endpoint " + e.Endpoint
	switch e.Cause {
	case client.CauseUnknownHost:
		if e.RegionInHost {
			return fmt.Sprintf("Cannot reach %s in region %q: host %s not found", serviceName(e.Service), e.Region, e.Host)
		}
		return fmt.Sprintf("Cannot reach %s: host %s not found", endpoint, e.Host)
	case client.CauseRefused:
		return "Cannot connect to " + endpoint + ": connection refused"
	case client.CauseSchemeMismatch:
		return "The " + serviceName(e.Service) + " endpoint " + e.Endpoint + " answers in plain HTTP, not HTTPS"
	case client.CauseNotTLS:
		return "Cannot start TLS with " + endpoint
	case client.CauseCertificate:
		return "The TLS certificate of " + endpoint + " was not accepted"
	}
	return ""
}

// connectionHint is what to check when an endpoint gives no answer.
func connectionHint(e *client.ConnectionError) string {
	setting := "endpoints." + e.Service
	switch e.Cause {
	case client.CauseUnknownHost:
		if !e.RegionInHost {
			return "Check the host name in " + setting + ": it does not resolve."
		}
		hint := fmt.Sprintf("The host name is built from the region: is region %q spelled right (the provider's region or HW_REGION_NAME, or the data source's or resource's region)?", e.Region)
		if note := unknownRegionNote(e.Region); note != "" {
			hint += " " + note
		}
		if e.CustomEndpoint {
			return hint + " If it is, check " + setting + "."
		}
		return hint + " If it is, check cloud (HW_CLOUD) and this machine's DNS."
	case client.CauseRefused:
		if e.CustomEndpoint {
			return "Check " + setting + " (host and port) and that the server it names (an emulator, a proxy) is running."
		}
		return "Check the network path to the cloud: a firewall, or HTTPS_PROXY and NO_PROXY."
	case client.CauseSchemeMismatch:
		return "The server there speaks plain HTTP: write " + setting + " with http:// (a local emulator or proxy), or give the port that serves HTTPS."
	case client.CauseNotTLS:
		return "Check the scheme and the port in " + setting + ", and any proxy (HTTPS_PROXY) in between: the server does not complete a TLS handshake."
	case client.CauseCertificate:
		hint := "A certificate signed by a private CA (a TLS-inspecting proxy, a private cloud) needs that CA in this machine's trust store or SSL_CERT_FILE."
		if e.CustomEndpoint {
			hint = "Check that " + setting + " names the host its certificate is for. " + hint
		}
		return hint + " insecure = true (HW_INSECURE) skips the check: only for a local emulator or test proxy."
	}
	return "Retried as max_retries allows; check the network path to " + e.Endpoint + "."
}

// projectNotFoundHint asks for the region's spelling before project_id:
// setting project_id for a misspelled region would record the wrong
// region in state.
func projectNotFoundHint(e *client.ProjectNotFoundError) string {
	hint := fmt.Sprintf("IAM names each project after its region: check the spelling of region %q first (the provider's region or HW_REGION_NAME, or the data source's or resource's region); "+
		"a project_id set to work around a misspelled region records the wrong region in state.", e.Region)
	if note := unknownRegionNote(e.Region); note != "" {
		hint += " " + note
	}
	if len(e.Names) > 0 {
		hint += " IAM lists these projects for the credentials: " + joinShort(e.Names) + "."
	}
	return hint + " If the region is right, set project_id in the provider block, the data source or the resource, or the HW_PROJECT_ID environment variable."
}

// memberCallHint explains the codes whose meaning depends on the sharing
// call that drew them; "" for the rest, which codeHint explains.
func memberCallHint(e *client.APIError) string {
	switch {
	case e.Code == "IMG.0066" && (e.Operation == client.OpAddImageMembers || e.Operation == client.OpRemoveImageMembers):
		return "The image ID is wrong: the image must exist in this project and region, and the project must own it (check image_id, and the resource's or provider's region and project_id)."
	case e.Code == "IMG.0066" && e.Operation == client.OpSetMemberStatus:
		return "The image ID is wrong: the image must be shared with this project, in this region (check image_id, and the resource's or provider's region and project_id)."
	case e.Code == "IMG.0067" && e.Operation == client.OpAddImageMembers:
		return "A project to share with does not exist: check the IDs in project_ids (a recipient finds its project ID in the console, under My Credentials > Projects)."
	}
	return ""
}

// plainHTTPToHTTPS recognises the 400 an HTTPS server answers to plain HTTP,
// by the wording of Go's servers and of nginx, the common front ends.
func plainHTTPToHTTPS(e *client.APIError) bool {
	return e.StatusCode == http.StatusBadRequest &&
		(strings.Contains(e.Message, "HTTP request to an HTTPS server") || strings.Contains(e.Message, "plain HTTP request was sent to HTTPS port"))
}
