package emulator

import (
	"cmp"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// imageQuery is a parsed GET /v2/cloudimages query.
type imageQuery struct {
	filters          map[string]string // API filter name -> value
	sortKey, sortDir string
	limit            int
	marker           string
	// allShares lists images shared with the requester in every status
	// when member_status is not given (Config.UnfilteredShares).
	allShares bool
}

// imageFilterNames are the filters served; any other parameter is refused,
// so that a client typo shows up as a 400 rather than as an unfiltered list.
var imageFilterNames = []string{
	"__imagetype", "visibility", "owner", "id", "name", "status", "member_status",
	"__os_type", "__platform", "architecture", "enterprise_project_id", "tag",
}

// enumerated filters and parameters, with the values the API accepts.
var imageEnums = map[string][]string{
	"__imagetype":   imageTypes,
	"visibility":    imageVisibilities,
	"status":        imageStatuses,
	"member_status": memberStatuses[:],
	"__os_type":     imageOSTypes,
	"architecture":  imageArchitectures,
	"sort_key":      imageSortKeys,
	"sort_dir":      imageSortDirections,
}

// parseImageQuery validates the query; msg explains a rejection.
func parseImageQuery(params []queryParam) (q imageQuery, msg string) {
	q = imageQuery{filters: map[string]string{}, sortKey: "created_at", sortDir: "desc", limit: defaultLimit}
	seen := map[string]bool{}
	for _, p := range params {
		if seen[p.Key] {
			return q, p.Key + " is given more than once."
		}
		seen[p.Key] = true
		if allowed, ok := imageEnums[p.Key]; ok && !slices.Contains(allowed, p.Value) {
			return q, p.Key + " " + strconv.Quote(p.Value) + " is not one of " + strings.Join(allowed, ", ") + "."
		}
		switch {
		case p.Key == "limit":
			v, ok := parseLimit(p.Value)
			if !ok {
				return q, "limit " + strconv.Quote(p.Value) + " must be an integer in [1,1000]."
			}
			q.limit = v
		case p.Key == "marker":
			q.marker = p.Value
		case p.Key == "sort_key":
			q.sortKey = p.Value
		case p.Key == "sort_dir":
			q.sortDir = p.Value
		case slices.Contains(imageFilterNames, p.Key):
			if p.Value == "" {
				return q, p.Key + " must not be empty."
			}
			q.filters[p.Key] = p.Value
		default:
			return q, "unknown query parameter " + strconv.Quote(p.Key) + "."
		}
	}
	if _, ok := q.filters["member_status"]; ok && q.filters["visibility"] != "shared" {
		return q, "member_status is only valid with visibility=shared."
	}
	return q, ""
}

// matches applies every filter but member_status's special rule (below).
func (q imageQuery) matches(v imageView) bool {
	m := v.meta
	for key, want := range q.filters {
		var ok bool
		switch key {
		case "__imagetype":
			ok = v.imageType == want
		case "visibility":
			ok = v.visibility == want
		case "owner":
			ok = m.Owner == want
		case "id":
			ok = m.ID == want
		case "name":
			ok = displayName(m) == want
		case "status":
			ok = statusOf(m) == want
		case "member_status":
			ok = v.memberStatus == want
		case "__os_type":
			ok = m.OSType == want
		case "__platform":
			ok = m.Platform == want
		case "architecture":
			ok = architectureOf(m) == want
		case "enterprise_project_id":
			ok = want == "all_granted_eps" || cmp.Or(m.EnterpriseProjectID, "0") == want
		case "tag":
			ok = slices.Contains(m.Tags, want)
		}
		if !ok {
			return false
		}
	}
	// Images shared with the requester are listed in the state asked for,
	// and only as accepted when no state is asked for (as Glance does).
	if v.memberStatus != "" && q.filters["member_status"] == "" && !q.allShares {
		return v.memberStatus == "accepted"
	}
	return true
}

func displayName(m *ImageMetadata) string {
	if m.Name != "" {
		return m.Name
	}
	return "image-" + m.ID[:min(8, len(m.ID))]
}

func statusOf(m *ImageMetadata) string { return cmp.Or(m.Status, "active") }

func architectureOf(m *ImageMetadata) string {
	if m.SupportARM == "true" {
		return "arm"
	}
	return "x86"
}

// sortValue is the field sort_key names, for ordering.
func sortValue(m *ImageMetadata, key string) string {
	switch key {
	case "name":
		return displayName(m)
	case "status":
		return statusOf(m)
	case "id":
		return m.ID
	case "disk_format":
		return m.DiskFormat
	case "container_format":
		return "bare"
	case "size":
		n, _ := strconv.ParseUint(m.ImageSize, 10, 64)
		return strconv.FormatUint(n, 10)
	}
	return m.CreatedAt
}

// serveImages answers GET /v2/cloudimages as the project in X-Project-Id
// sees it: its own images, images shared with it (by member status),
// public and market images. Paging is by marker = the last image's ID; the
// list ends with an empty page. Config.ImagePageCap silently caps a page,
// and FaultLoopingMarker answers a marker with the page that ended at it.
func (e *Emulator) serveImages(x *exchange, opt pageOptions) {
	requester, ok := e.actingProject(x)
	if !ok {
		return
	}
	q, msg := parseImageQuery(x.query)
	if msg != "" {
		x.imsError(http.StatusBadRequest, "IMG.0001", "The request message format is invalid: "+msg)
		return
	}

	q.allShares = e.cfg.UnfilteredShares == UnfilteredSharesAll
	e.mu.RLock()
	domainID := e.domainOfLocked(requester)
	var listed []imageView
	for _, k := range e.order {
		if v, ok := e.viewLocked(k, e.images[k], requester, domainID); ok && q.matches(v) {
			listed = append(listed, v)
		}
	}
	e.mu.RUnlock()

	sortImages(listed, q.sortKey, q.sortDir)
	from := 0
	if q.marker != "" {
		i := slices.IndexFunc(listed, func(v imageView) bool { return v.meta.ID == q.marker })
		if i < 0 {
			x.imsError(http.StatusBadRequest, "IMG.0001", "The request message format is invalid: marker "+strconv.Quote(q.marker)+" is not an image of this list.")
			return
		}
		from = i + 1
	}
	size := q.limit + e.cfg.OversizePages
	if c := e.cfg.ImagePageCap; c > 0 {
		size = min(size, c)
	}
	if opt.loop && q.marker != "" {
		from = max(0, from-size) // the page that ended at the marker, again
	}
	to := min(len(listed), from+size)

	b := x.buf
	b.Reset()
	b.WriteString(`{"images":[`)
	for i := from; i < to; i++ {
		if i > from {
			b.WriteByte(',')
		}
		enc, _ := json.Marshal(toWireImage(listed[i])) // strings, ints and bools: cannot fail
		b.Write(enc)
	}
	b.WriteString("]}")
	x.setJSON(http.StatusOK)
}

func sortImages(listed []imageView, key, dir string) {
	slices.SortStableFunc(listed, func(a, b imageView) int {
		var c int
		if key == "size" {
			x, _ := strconv.ParseUint(a.meta.ImageSize, 10, 64)
			y, _ := strconv.ParseUint(b.meta.ImageSize, 10, 64)
			c = cmp.Compare(x, y)
		} else {
			c = strings.Compare(sortValue(a.meta, key), sortValue(b.meta, key))
		}
		c = cmp.Or(c, strings.Compare(a.meta.ID, b.meta.ID)) // ties: by ID, so markers are stable
		if dir == "desc" {
			return -c
		}
		return c
	})
}

// actingProject is the project in X-Project-Id, for the calls whose path
// names none; false once the error is written.
func (e *Emulator) actingProject(x *exchange) (string, bool) {
	projectID := x.r.Header.Get("X-Project-Id")
	if projectID == "" {
		x.imsError(http.StatusForbidden, "IMG.0030", "The project ID and token in the request are invalid: X-Project-Id header is missing.")
		return "", false
	}
	e.mu.RLock()
	_, known := e.known[projectID]
	e.mu.RUnlock()
	if !known {
		x.imsError(http.StatusBadRequest, "IMG.0067", "The project ID is incorrect: project "+projectID+" does not exist.")
		return "", false
	}
	return projectID, true
}

// wireImage is one image as the list returns it: its metadata (absent
// fields left out), what the requester's view decides (visibility,
// __imagetype), the defaults of name and status, and a few fields this
// provider does not read (schema, self, file, container_format,
// __isregistered). The outer fields shadow the metadata's of the same name.
type wireImage struct {
	Schema     string `json:"schema"`
	ID         string `json:"id"`
	Name       string `json:"name"`
	Status     string `json:"status"`
	Visibility string `json:"visibility"`
	ImageType  string `json:"__imagetype"`
	Owner      string `json:"owner"`
	ImageMetadata
	ContainerFormat string `json:"container_format"`
	IsRegistered    string `json:"__isregistered"`
	Self            string `json:"self"`
	File            string `json:"file"`
}

func toWireImage(v imageView) wireImage {
	m := v.meta
	return wireImage{
		Schema: "/v2/schemas/image", ID: m.ID, Name: displayName(m), Status: statusOf(m),
		Visibility: v.visibility, ImageType: v.imageType, Owner: m.Owner,
		ImageMetadata: *m, ContainerFormat: "bare", IsRegistered: "true",
		Self: "/v2/images/" + m.ID, File: "/v2/images/" + m.ID + "/file",
	}
}
