package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
)

// The limits and forms the write calls check before starting a job.
const maxMembersPerImage = 256

var tenantIDPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

// changeBody is POST and DELETE /v1/cloudimages/members.
type changeBody struct {
	Images        []string  `json:"images"`
	Projects      *[]string `json:"projects"` // mandatory in the docs
	Domains       []string  `json:"domains"`
	Organizations []string  `json:"organizations"`
}

// statusBody is PUT /v1/cloudimages/members.
type statusBody struct {
	Images    []string `json:"images"`
	ProjectID string   `json:"project_id"`
	Status    string   `json:"status"`
	VaultID   string   `json:"vault_id"`
}

// checkProject answers the errors IMS gives for an unknown project or an
// X-Project-Id that is missing or names another; true when neither.
func (e *Emulator) checkProject(x *exchange, projectID string) bool {
	e.mu.RLock()
	_, known := e.known[projectID]
	e.mu.RUnlock()
	if !known {
		x.imsError(http.StatusBadRequest, "IMG.0067", "The project ID is incorrect: project "+projectID+" does not exist.")
		return false
	}
	if h := x.r.Header.Get("X-Project-Id"); h != projectID {
		msg := "The project ID and token in the request are invalid: X-Project-Id header is missing."
		if h != "" {
			msg = "The project ID and token in the request are invalid: X-Project-Id " + h + " does not match the project " + projectID + " in the URL."
		}
		x.imsError(http.StatusForbidden, "IMG.0030", msg)
		return false
	}
	return true
}

// projectExists reports whether the emulator knows project id: served, or
// the owner of an image.
func (e *Emulator) projectExists(id string) bool {
	e.mu.RLock()
	defer e.mu.RUnlock()
	_, known := e.known[id]
	return known
}

// decodeStrict reads a JSON body, refusing unknown fields as IMS's schema
// validation does.
func decodeStrict(body []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(body))
	d.DisallowUnknownFields()
	return d.Decode(v)
}

// serveWriteMembers answers POST (add), DELETE (remove) and PUT (a
// recipient's answer) on /v1/cloudimages/members with a job.
func (e *Emulator) serveWriteMembers(x *exchange) {
	acting := x.r.Header.Get("X-Project-Id")
	if acting == "" {
		x.imsError(http.StatusForbidden, "IMG.0030", "The project ID and token in the request are invalid: X-Project-Id header is missing.")
		return
	}
	if !e.checkProject(x, acting) {
		return
	}
	var (
		j   *job
		msg string
	)
	if x.r.Method == http.MethodPut {
		j, msg = e.setStatus(x, acting)
	} else {
		j, msg = e.changeMembers(x, acting)
	}
	if j == nil {
		if msg != "" {
			x.imsError(http.StatusBadRequest, "IMG.0001", "The request message format is invalid: "+msg)
		}
		return
	}
	x.json(http.StatusOK, map[string]string{"job_id": j.ID})
}

// newMember is one member a POST names.
type newMember struct{ id, memberType, urn, named string }

// changeMembers validates an add or remove and starts its job; a nil job
// with msg "" means the error is already written.
func (e *Emulator) changeMembers(x *exchange, acting string) (*job, string) {
	var body changeBody
	if err := decodeStrict(x.body, &body); err != nil {
		return nil, "the body is not valid: " + err.Error()
	}
	if len(body.Images) == 0 {
		return nil, "images is mandatory and must not be empty."
	}
	if body.Projects == nil {
		return nil, "projects is mandatory."
	}
	var members []newMember
	for _, id := range *body.Projects {
		if !tenantIDPattern.MatchString(id) {
			return nil, "project " + id + " is not a 32-character project ID."
		}
		if id == acting {
			x.imsError(http.StatusBadRequest, "IMG.0076", "The image cannot be shared with yourself.")
			return nil, ""
		}
		if x.r.Method == http.MethodPost && !e.projectExists(id) {
			// Source: assumed. IMS checks the recipients before it starts
			// the job; the code and wording are those it gives for an
			// unknown project in the URL (IMG.0067), the nearest documented
			// answer. Without this check the emulator shared with a project
			// that does not exist, which then could not read anything.
			x.imsError(http.StatusBadRequest, "IMG.0067", "The project ID is incorrect: project "+id+" to share with does not exist.")
			return nil, ""
		}
		members = append(members, newMember{id: id, memberType: "project", named: id})
	}
	for _, id := range body.Domains {
		if !tenantIDPattern.MatchString(id) {
			return nil, "domain " + id + " is not a 32-character account ID."
		}
		members = append(members, newMember{id: id, memberType: "domain", named: id})
	}
	for _, urn := range body.Organizations {
		id, ok := organizationMemberID(urn)
		if !ok {
			return nil, "organization " + urn + " is not an organization URN (organizations::{account}:organization:o-{org}, :root:o-{org}/r-{root} or :ou:o-{org}/ou-{ou})."
		}
		members = append(members, newMember{id: id, memberType: "organization", urn: urn, named: urn})
	}
	if len(members) == 0 {
		return nil, "name at least one project, domain or organization."
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	adding := x.r.Method == http.MethodPost
	failed := map[string]bool{}
	var failCode, failReason string
	for _, id := range body.Images {
		k := imageKey{acting, id}
		img := e.images[k]
		if img == nil {
			x.imsError(http.StatusBadRequest, "IMG.0066", "The image ID is incorrect: "+id+" is not an image of project "+acting+".")
			return nil, ""
		}
		if meta := e.meta[k]; meta != nil && (meta.ImageType == "gold" || meta.ImageType == "market") {
			x.imsError(http.StatusBadRequest, "IMG.0089", "A public image cannot be shared: "+id+".")
			return nil, ""
		}
		if adding && len(withMembers(slices.Clone(img.members), members)) > maxMembersPerImage {
			if e.unknowns.Quota == QuotaInRequest {
				x.imsError(http.StatusBadRequest, QuotaErrorCode, "The image "+id+" would be shared with more than 256 tenants.")
				return nil, ""
			}
			for _, m := range members {
				failed[m.named] = true
			}
			failCode, failReason = QuotaErrorCode, QuotaFailReason
		}
		// The undocumented cases: a member added twice, one removed that is
		// not there (see Unknowns).
		answer, what := e.unknowns.RemoveAbsent, "is not a member of"
		if adding {
			answer, what = e.unknowns.DuplicateAdd, "is already a member of"
		}
		for _, m := range members {
			if (indexOfMember(img.members, m.memberType, m.id) >= 0) != adding || answer == AnswerNoOp {
				continue
			}
			if answer == AnswerFailRequest {
				x.imsError(http.StatusBadRequest, "IMG.0001", "The request message format is invalid: "+m.named+" "+what+" image "+id+".")
				return nil, ""
			}
			failed[m.named] = true
			if failCode == "" {
				failCode, failReason = memberErrorCode, m.named+" "+what+" image "+id+"."
			}
		}
	}
	var results []jobResult
	for _, id := range body.Images {
		for _, m := range members {
			results = append(results, jobResult{ImageID: id, ProjectID: m.named})
		}
	}
	images := append([]string(nil), body.Images...)
	only := func(skip map[string]bool) []newMember {
		var out []newMember
		for _, m := range members {
			if !skip[m.named] {
				out = append(out, m)
			}
		}
		return out
	}
	if !adding {
		return e.startJobLocked(acting, "imsDelImageMembersJob", results, failed, failCode, failReason, func(skip map[string]bool) {
			for _, id := range images {
				e.replaceMembersLocked(imageKey{acting, id}, func(cur []Member) []Member { return withoutMembers(cur, only(skip)) })
			}
		}), ""
	}
	return e.startJobLocked(acting, "imsAddImageMembersJob", results, failed, failCode, failReason, func(skip map[string]bool) {
		for _, id := range images {
			e.replaceMembersLocked(imageKey{acting, id}, func(cur []Member) []Member {
				next := withMembers(cur, only(skip))
				if len(next) > maxMembersPerImage {
					return cur // the quota, checked again when the job runs
				}
				return next
			})
		}
	}), ""
}

// organizationMemberID checks one of the three organization URN forms
// (Huawei Cloud Organizations: the organization, its root, an
// organizational unit) and returns the ID a member list reports for it,
// the URN's last ID.
func organizationMemberID(urn string) (string, bool) {
	rest, ok := strings.CutPrefix(urn, "organizations::")
	if !ok {
		return "", false
	}
	parts := strings.Split(rest, ":")
	if len(parts) != 3 || !tenantIDPattern.MatchString(parts[0]) {
		return "", false
	}
	ids := strings.Split(parts[2], "/")
	switch {
	case parts[1] == "organization" && len(ids) == 1 && orgIDPattern.MatchString(ids[0]):
		return ids[0], true
	case parts[1] == "root" && len(ids) == 2 && orgIDPattern.MatchString(ids[0]) && rootIDPattern.MatchString(ids[1]):
		return ids[1], true
	case parts[1] == "ou" && len(ids) == 2 && orgIDPattern.MatchString(ids[0]) && ouIDPattern.MatchString(ids[1]):
		return ids[1], true
	}
	return "", false
}

var (
	orgIDPattern  = regexp.MustCompile(`^o-[0-9a-z]+$`)
	rootIDPattern = regexp.MustCompile(`^r-[0-9a-z]+$`)
	ouIDPattern   = regexp.MustCompile(`^ou-[0-9a-z]+$`)
)

// replaceMembersLocked serves change(current members) as the image's
// members; an image deleted meanwhile stays deleted.
func (e *Emulator) replaceMembersLocked(k imageKey, change func([]Member) []Member) {
	img := e.images[k]
	if img == nil {
		return
	}
	e.setImageLocked(k, newImage(k.imageID, change(append([]Member(nil), img.members...))))
}

// withMembers adds the members not there yet, pending, as IMS does: the
// recipient has not answered.
func withMembers(cur []Member, add []newMember) []Member {
	now := time.Now().UTC().Format(time.RFC3339)
	for _, m := range add {
		if indexOfMember(cur, m.memberType, m.id) >= 0 {
			continue
		}
		cur = append(cur, Member{MemberID: m.id, MemberType: m.memberType, Status: "pending", URN: m.urn, CreatedAt: now, UpdatedAt: now})
	}
	return cur
}

// withoutMembers drops the members named; removing one that is not there
// changes nothing.
func withoutMembers(cur []Member, remove []newMember) []Member {
	for _, m := range remove {
		if i := indexOfMember(cur, m.memberType, m.id); i >= 0 {
			cur = append(cur[:i], cur[i+1:]...)
		}
	}
	return cur
}

func indexOfMember(members []Member, memberType, id string) int {
	for i := range members {
		if members[i].MemberType == memberType && members[i].MemberID == id {
			return i
		}
	}
	return -1
}

// setStatus validates a recipient's answer and starts its job.
func (e *Emulator) setStatus(x *exchange, acting string) (*job, string) {
	var body statusBody
	if err := decodeStrict(x.body, &body); err != nil {
		return nil, "the body is not valid: " + err.Error()
	}
	if len(body.Images) == 0 {
		return nil, "images is mandatory and must not be empty."
	}
	if body.ProjectID != acting {
		return nil, "project_id " + body.ProjectID + " is not the project of the request (" + acting + ")."
	}
	if body.Status != "accepted" && body.Status != "rejected" {
		return nil, "status must be accepted or rejected."
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	keys := make([]imageKey, 0, len(body.Images))
	for _, id := range body.Images {
		k, ok := e.sharedWithLocked(id, acting)
		if !ok {
			x.imsError(http.StatusBadRequest, "IMG.0066", "The image ID is incorrect: "+id+" is not shared with project "+acting+".")
			return nil, ""
		}
		keys = append(keys, k)
	}
	results := make([]jobResult, len(keys))
	for i, k := range keys {
		results[i] = jobResult{ImageID: k.imageID, ProjectID: acting}
	}
	status := body.Status
	return e.startJobLocked(acting, "imsUpdateImageMembersJob", results, nil, "", "", func(skip map[string]bool) {
		if skip[acting] {
			return
		}
		now := time.Now().UTC().Format(time.RFC3339)
		for _, k := range keys {
			e.replaceMembersLocked(k, func(cur []Member) []Member {
				if i := indexOfMember(cur, "project", acting); i >= 0 {
					cur[i].Status, cur[i].UpdatedAt = status, now
				}
				return cur
			})
		}
	}), ""
}

// sharedWithLocked finds the image another project shared with recipient
// as a project member.
func (e *Emulator) sharedWithLocked(imageID, recipient string) (imageKey, bool) {
	for k, img := range e.images {
		if k.imageID == imageID && k.projectID != recipient && indexOfMember(img.members, "project", recipient) >= 0 {
			return k, true
		}
	}
	return imageKey{}, false
}
