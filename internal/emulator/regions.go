package emulator

import (
	"net/http"
	"strings"
)

// Regions. On the cloud every region has its own endpoints
// (https://ims.{region}.myhuaweicloud.com), and a project belongs to the
// region its name starts with ("cn-north-4", or "cn-north-4_analytics" for a
// sub-project). On loopback one emulator plays every region's gateway: a
// path that starts with a region, /{region}/v2/cloudimages, is that region's
// endpoint, so a provider configured with endpoints.ims =
// "http://127.0.0.1:PORT/{region}" reaches a different gateway per region,
// each with its own throttle (SetRateLimit). A path without a region prefix
// is the one endpoint of old that serves every project.

// apiRoots are the first path segments of the API itself; any other first
// segment is a region.
var apiRoots = map[string]bool{"v1": true, "v2": true, "v3": true}

// regionPrefix splits /{region}/rest into region and /rest; a path that
// starts at an API root has no region.
func regionPrefix(path string) (region, rest string) {
	first, after, ok := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	if !ok || first == "" || apiRoots[first] || !strings.HasPrefix(path, "/") {
		return "", path
	}
	return first, "/" + after
}

// projectRegion is the region of a project name: up to the first "_".
func projectRegion(name string) string {
	region, _, _ := strings.Cut(name, "_")
	return region
}

// wrongRegion refuses an IMS call made at one region's endpoint for a
// project of another region: the provider must read each project at its own
// region. Source: assumed (a project's resources live in its region, and
// the IMS docs give each region its own endpoint); the answer (400
// APIGW.0101) is the emulator's, not a documented one. IAM answers in
// every region; a project the emulator does not know is left to the
// handlers.
func (e *Emulator) wrongRegion(r *http.Request, rt route, region string) string {
	if region == "" || rt.kind == routeProjects || rt.kind == routeAuthProjects {
		return ""
	}
	projectID := rt.projectID
	if projectID == "" {
		projectID = r.Header.Get("X-Project-Id")
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	i, ok := e.known[projectID]
	if !ok || i < 0 {
		return ""
	}
	if got := projectRegion(e.projects[i].Name); got != region {
		return "project " + projectID + " belongs to region " + got + ", not to the region of this endpoint, " + region
	}
	return ""
}

// serveAuthProjects answers IAM's GET /v3/auth/projects: every project the
// credentials can access, disabled ones included with enabled: false, in
// one response without paging. Source: IAM API reference, "Querying the
// List of Projects Accessible to Users" (response fields is_domain,
// description, links, enabled, id, parent_id, domain_id, name; links.self).
// The emulator's one key pair can access every project it knows.
func (e *Emulator) serveAuthProjects(x *exchange) {
	e.serveProjectList(x, func(Project) bool { return true })
}
