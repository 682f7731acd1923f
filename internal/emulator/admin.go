package emulator

import (
	"encoding/json"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"
)

// The admin API changes the world the way someone in the console would,
// between two plans, to show drift. It is not the cloud's: it takes no
// signature, so it only answers loopback clients, and Config.Admin (the
// command's -admin flag) turns it off.
//
//	POST   /_emulator/members  {"project_id": owner, "image_id": ..., "members": [member, ...]}
//	       adds the members, or replaces those with the same member_id and type
//	DELETE /_emulator/members  {"project_id": owner, "image_id": ..., "member_ids": [...]}
//	PUT    /_emulator/jobs     {"duration": "30s", "fail": true, "error_code": ..., "fail_reason": ..., "fail_members": [...]}
const adminPrefix = "/_emulator/"

func isAdminPath(path string) bool { return strings.HasPrefix(path, adminPrefix) }

type adminMembers struct {
	ProjectID string   `json:"project_id"`
	ImageID   string   `json:"image_id"`
	Members   []Member `json:"members"`
	MemberIDs []string `json:"member_ids"`
}

type adminJobs struct {
	Duration    string   `json:"duration"`
	Fail        bool     `json:"fail"`
	ErrorCode   string   `json:"error_code"`
	FailReason  string   `json:"fail_reason"`
	FailMembers []string `json:"fail_members"`
}

func (e *Emulator) serveAdmin(w http.ResponseWriter, r *http.Request) {
	if !e.cfg.Admin {
		http.NotFound(w, r)
		return
	}
	if !fromLoopback(r) {
		http.Error(w, "the emulator's admin API answers loopback clients only", http.StatusForbidden)
		return
	}
	var err error
	switch {
	case r.URL.Path == adminPrefix+"members" && (r.Method == http.MethodPost || r.Method == http.MethodDelete):
		var body adminMembers
		if err = json.NewDecoder(r.Body).Decode(&body); err == nil {
			if r.Method == http.MethodPost {
				err = e.UpsertMembers(body.ProjectID, body.ImageID, body.Members...)
			} else {
				err = e.RemoveMembers(body.ProjectID, body.ImageID, body.MemberIDs...)
			}
		}
	case r.URL.Path == adminPrefix+"jobs" && r.Method == http.MethodPut:
		var body adminJobs
		if err = json.NewDecoder(r.Body).Decode(&body); err == nil {
			var d time.Duration
			if body.Duration != "" {
				d, err = time.ParseDuration(body.Duration)
			}
			if err == nil {
				e.SetJobs(JobBehaviour{Duration: d, Fail: body.Fail, ErrorCode: body.ErrorCode, FailReason: body.FailReason, FailMembers: body.FailMembers})
			}
		}
	default:
		http.Error(w, "unknown admin call "+r.Method+" "+r.URL.Path, http.StatusNotFound)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func fromLoopback(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// UpsertMembers adds members to the image owner shares, or replaces those
// with the same member_id and member_type, as a change made in the console
// would; empty timestamps become now. The image must be served.
func (e *Emulator) UpsertMembers(owner, imageID string, members ...Member) error {
	return e.editMembers(owner, imageID, func(cur []Member) []Member {
		now := time.Now().UTC().Format(time.RFC3339)
		for _, m := range members {
			if m.CreatedAt == "" {
				m.CreatedAt = now
			}
			if m.UpdatedAt == "" {
				m.UpdatedAt = now
			}
			if i := indexOfMember(cur, m.MemberType, m.MemberID); i >= 0 {
				cur[i] = m
			} else {
				cur = append(cur, m)
			}
		}
		return cur
	})
}

// RemoveMembers drops the members with these IDs from the image owner
// shares, whatever their type.
func (e *Emulator) RemoveMembers(owner, imageID string, memberIDs ...string) error {
	return e.editMembers(owner, imageID, func(cur []Member) []Member {
		out := cur[:0]
		for _, m := range cur {
			drop := false
			for _, id := range memberIDs {
				drop = drop || m.MemberID == id
			}
			if !drop {
				out = append(out, m)
			}
		}
		return out
	})
}

func (e *Emulator) editMembers(owner, imageID string, change func([]Member) []Member) error {
	e.settleJobs(time.Now())
	e.mu.Lock()
	defer e.mu.Unlock()
	k := imageKey{owner, imageID}
	if e.images[k] == nil {
		return &adminError{"image " + imageID + " of project " + owner + " is not served"}
	}
	e.replaceMembersLocked(k, change)
	return nil
}

type adminError struct{ msg string }

func (e *adminError) Error() string { return e.msg }

// DeleteImage stops serving the image, as if its owner deleted it: its
// members list and its entry in the image list answer as for any unknown
// image.
func (e *Emulator) DeleteImage(owner, imageID string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	k := imageKey{owner, imageID}
	delete(e.images, k)
	delete(e.meta, k)
	if i := slices.Index(e.order, k); i >= 0 {
		e.order = slices.Delete(e.order, i, i+1)
	}
}
