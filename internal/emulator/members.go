package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

// Member is one recipient of a shared image, as the API returns it.
type Member struct {
	MemberID   string `json:"member_id"`
	MemberType string `json:"member_type"` // project|domain|organization
	Status     string `json:"status"`      // accepted|rejected|pending
	URN        string `json:"urn,omitempty"`
	ImageID    string `json:"image_id"`
	Schema     string `json:"schema"` // "/v2/schemas/member"
	CreatedAt  string `json:"created_at"`
	UpdatedAt  string `json:"updated_at"`
}

// wireMember has the field order of the API page's example response.
type wireMember struct {
	Status     string `json:"status"`
	CreatedAt  string `json:"created_at"`
	UpdatedAt  string `json:"updated_at"`
	ImageID    string `json:"image_id"`
	MemberID   string `json:"member_id"`
	Schema     string `json:"schema"`
	MemberType string `json:"member_type"`
	URN        string `json:"urn,omitempty"`
}

const (
	memberSchema  = "/v2/schemas/member"
	membersSchema = "/v2/schemas/members"
	defaultLimit  = 500
	maxLimit      = 1000
)

type imageKey struct{ projectID, imageID string }

// image keeps its members pre-encoded as "m0,m1,...,mn" so a page is one
// slice of bytes: no per-request encoding, no O(n) scan per page.
type image struct {
	gen     uint32
	members []Member
	data    []byte
	start   []int // member i is data[start[i]:end[i]]
	end     []int
}

var generation atomic.Uint32

// AddImage serves members (in this order) for the image, replacing any
// earlier set and invalidating its markers. Empty ImageID and Schema fields
// are filled in. The project becomes known to IMS if it was not.
func (e *Emulator) AddImage(projectID, imageID string, members []Member) {
	img := newImage(imageID, members)
	e.mu.Lock()
	defer e.mu.Unlock()
	e.setImageLocked(imageKey{projectID, imageID}, img)
}

// newImage pre-encodes members under a fresh generation.
func newImage(imageID string, members []Member) *image {
	img := &image{
		gen:     generation.Add(1),
		members: make([]Member, len(members)),
		start:   make([]int, len(members)),
		end:     make([]int, len(members)),
	}
	for i, m := range members {
		if m.ImageID == "" {
			m.ImageID = imageID
		}
		if m.Schema == "" {
			m.Schema = memberSchema
		}
		img.members[i] = m
		if i > 0 {
			img.data = append(img.data, ',')
		}
		b, _ := json.Marshal(toWire(m)) // strings only: cannot fail
		img.start[i] = len(img.data)
		img.data = append(img.data, b...)
		img.end[i] = len(img.data)
	}
	return img
}

// setImageLocked serves img at k; e.mu must be held for writing.
func (e *Emulator) setImageLocked(k imageKey, img *image) {
	if _, ok := e.known[k.projectID]; !ok {
		e.known[k.projectID] = -1
	}
	if _, ok := e.images[k]; !ok {
		e.order = append(e.order, k)
	}
	e.images[k] = img
}

func toWire(m Member) wireMember {
	return wireMember{
		Status: m.Status, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt, ImageID: m.ImageID,
		MemberID: m.MemberID, Schema: m.Schema, MemberType: m.MemberType, URN: m.URN,
	}
}

// ImageInfo describes one served image.
type ImageInfo struct {
	ProjectID, ImageID string
	Members            int
}

// Images lists the served images in the order they were first added.
func (e *Emulator) Images() []ImageInfo {
	e.settleJobs(time.Now())
	e.mu.RLock()
	defer e.mu.RUnlock()
	out := make([]ImageInfo, 0, len(e.order))
	for _, k := range e.order {
		out = append(out, ImageInfo{k.projectID, k.imageID, len(e.images[k].members)})
	}
	return out
}

// Members returns a copy of an image's members, or nil if it is not served.
func (e *Emulator) Members(projectID, imageID string) []Member {
	e.settleJobs(time.Now())
	e.mu.RLock()
	defer e.mu.RUnlock()
	img := e.images[imageKey{projectID, imageID}]
	if img == nil {
		return nil
	}
	return append([]Member(nil), img.members...)
}

// pageOptions carry the content faults into page building.
type pageOptions struct {
	loop, endless, omitMembers bool
}

// serveMembers answers GET /v1/{project_id}/cloudimages/{image_id}/members.
func (e *Emulator) serveMembers(x *exchange, projectID, imageID string, opt pageOptions) {
	e.mu.RLock()
	_, knownProject := e.known[projectID]
	img := e.images[imageKey{projectID, imageID}]
	style := e.cfg.LastPage
	e.mu.RUnlock()

	if !knownProject {
		x.imsError(http.StatusBadRequest, "IMG.0067", "The project ID is incorrect: project "+projectID+" does not exist.")
		return
	}
	if h := x.r.Header.Get("X-Project-Id"); h != projectID {
		msg := "The project ID and token in the request are invalid: X-Project-Id header is missing."
		if h != "" {
			msg = "The project ID and token in the request are invalid: X-Project-Id " + h + " does not match the project " + projectID + " in the URL."
		}
		x.imsError(http.StatusForbidden, "IMG.0030", msg)
		return
	}
	limit, markerText, msg := membersQuery(x)
	if msg != "" {
		x.imsError(http.StatusBadRequest, "IMG.0001", "The request message format is invalid: "+msg)
		return
	}
	if img == nil {
		x.imsError(http.StatusNotFound, "IMG.0027", "The image ID in the request does not exist: "+imageID+".")
		return
	}

	n := len(img.members)
	var m marker
	if markerText != "" {
		var ok bool
		m, ok = e.decodeMarker(projectID, imageID, img.gen, markerText)
		if !ok || (m.flags&markerEndless == 0 && int(m.offset) > n) {
			x.imsError(http.StatusBadRequest, "IMG.0001", "The request message format is invalid: marker "+strconv.Quote(markerText)+" is not valid for this image.")
			return
		}
	}

	// Which members, and what comes next.
	from := int(m.offset)
	to := min(from+limit+e.cfg.OversizePages, n)
	next := ""
	switch {
	case m.flags&markerEndless != 0 || opt.endless:
		if m.flags&markerEndless == 0 { // the fault starts the chain
			m = marker{flags: markerEndless}
		} else if n > 0 {
			from = int(m.offset) % n
		}
		to = from + min(limit, n) // may wrap around the end
		m.seq++
		m.offset = uint32(to % max(n, 1))
		next = e.encodeMarker(projectID, imageID, img.gen, m)
	case m.flags&markerLoop != 0:
		next = markerText
	case opt.loop && markerText != "":
		next = markerText // a marker the client has already sent
	case opt.loop:
		next = e.encodeMarker(projectID, imageID, img.gen, marker{flags: markerLoop, offset: uint32(to)})
	case to < n:
		next = e.encodeMarker(projectID, imageID, img.gen, marker{offset: uint32(to)})
	}

	b := x.buf
	b.Reset()
	count := to - from
	if opt.omitMembers {
		b.WriteString(`{"schema":"` + membersSchema + `"`)
	} else {
		b.WriteString(`{"members":[`)
		writeMembers(b, img, from, to)
		b.WriteString(`],"schema":"` + membersSchema + `"`)
	}
	if next == "" && style == LastPageRotate {
		style = LastPageStyle(1 + count%3)
	}
	switch {
	case next != "":
		b.WriteString(`,"page_info":{"next_marker":"` + next + `","current_count":` + itoa(count) + `}`)
	case style == LastPageEmptyMarker:
		b.WriteString(`,"page_info":{"next_marker":"","current_count":` + itoa(count) + `}`)
	case style == LastPageOmitMarker:
		b.WriteString(`,"page_info":{"current_count":` + itoa(count) + `}`)
	}
	b.WriteString("}")
	x.setJSON(http.StatusOK)
}

// writeMembers copies members [from, to) taken modulo n (to wrap only for
// endless paging) from the pre-encoded data.
func writeMembers(b *bytes.Buffer, img *image, from, to int) {
	n := len(img.members)
	if n == 0 || from >= to {
		return
	}
	first := true
	for from < to {
		i := from % n
		j := min(n, i+(to-from)) // contiguous run within data
		if !first {
			b.WriteByte(',')
		}
		b.Write(img.data[img.start[i]:img.end[j-1]])
		from += j - i
		first = false
	}
}

// membersQuery reads limit and marker; msg explains a rejection.
func membersQuery(x *exchange) (limit int, marker, msg string) {
	limit = defaultLimit
	var sawLimit, sawMarker bool
	for _, p := range x.query {
		switch p.Key {
		case "limit":
			if sawLimit {
				return 0, "", "limit is given more than once."
			}
			sawLimit = true
			v, ok := parseLimit(p.Value)
			if !ok {
				return 0, "", "limit " + strconv.Quote(p.Value) + " must be an integer in [1,1000]."
			}
			limit = v
		case "marker":
			if sawMarker {
				return 0, "", "marker is given more than once."
			}
			sawMarker = true
			marker = p.Value
		}
	}
	return limit, marker, ""
}

// parseLimit accepts only plain decimal digits, as the API's "positive
// integer" does: no sign, no spaces, no exponent.
func parseLimit(s string) (int, bool) {
	if s == "" || len(s) > 4 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, n >= 1 && n <= maxLimit
}
