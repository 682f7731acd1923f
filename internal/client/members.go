package client

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
)

// Member is one recipient of an image, each field as the API returned it.
// URN is nil when the API sent none (only organizations carry one).
type Member struct {
	MemberID   string  `json:"member_id"`
	MemberType string  `json:"member_type"`
	Status     string  `json:"status"`
	URN        *string `json:"urn"`
	ImageID    string  `json:"image_id"`
	Schema     string  `json:"schema"`
	CreatedAt  string  `json:"created_at"`
	UpdatedAt  string  `json:"updated_at"`
}

// MemberList is every member of an image, in API order.
type MemberList struct {
	Schema  string
	Members []Member
	// Requests is how many pages were read (retries not counted).
	Requests int
	// Duplicates are member IDs the API listed more than once, on one page
	// or on several (membership changed while paging); each is kept once,
	// where it first appeared, whatever the page size.
	Duplicates []string
}

// ListImageMembersInput names the image and how to page.
type ListImageMembersInput struct {
	Region    string
	ProjectID string
	ImageID   string
	// PageSize is the limit per request, 1..1000; 0 means 1000.
	PageSize int
}

// MaxPageSize is the largest limit the API accepts.
const MaxPageSize = 1000

// ListImageMembers reads every page of the image's members. It fails rather
// than return a partial list: a repeated marker, a page without members, or
// a chain longer than a list of MaxListItems members needs is an error.
func (c *Client) ListImageMembers(ctx context.Context, in ListImageMembersInput) (*MemberList, error) {
	if in.ProjectID == "" || in.ImageID == "" {
		return nil, fmt.Errorf("list image members: project ID and image ID are required")
	}
	pageSize, err := pageSizeOr(in.PageSize, MaxPageSize, "list image members")
	if err != nil {
		return nil, err
	}
	path := "/v1/" + in.ProjectID + "/cloudimages/" + in.ImageID + "/members"
	limit := QueryParam{Key: "limit", Value: strconv.Itoa(pageSize)}
	list := &MemberList{}
	seenMarkers := map[string]struct{}{}
	var seenMembers map[string]struct{} // sized by the first page
	requests, err := readPages(path, "members", pageSize, func(n int, marker string) (string, bool, string, error) {
		query := []QueryParam{limit}
		if marker != "" {
			query = append(query, QueryParam{Key: "marker", Value: marker})
		}
		rep, err := c.send(ctx, call{service: "ims", operation: OpListImageMembers, region: in.Region, path: path, query: query, projectID: in.ProjectID})
		if err != nil {
			return "", false, "", err
		}
		page, bad := c.decodeMembersPage(rep.body)
		if bad != nil {
			bad.Method, bad.Path, bad.RequestID = http.MethodGet, path, rep.requestID
			return "", false, "", bad
		}
		if n == 1 {
			list.Schema = page.Schema
			seenMembers = make(map[string]struct{}, len(page.Members))
		}
		list.add(page.Members, seenMembers)
		if page.PageInfo == nil || page.PageInfo.NextMarker == "" {
			return "", true, rep.requestID, nil
		}
		next := page.PageInfo.NextMarker
		if _, loop := seenMarkers[next]; loop {
			return "", false, "", &ResponseError{Method: http.MethodGet, Path: path, RequestID: rep.requestID,
				Reason: fmt.Sprintf("next_marker %q was already returned by an earlier page: the server is looping", next)}
		}
		seenMarkers[next] = struct{}{}
		return next, false, rep.requestID, nil
	})
	if err != nil {
		return nil, err
	}
	list.Requests = requests
	return list, nil
}

// add appends the members of page not seen before and records the others
// as duplicates: one rule for the first page and every later one, so the
// result never depends on the page size. page is filtered in place (it is
// freshly decoded and ours), so the first page becomes the list uncopied.
func (l *MemberList) add(page []Member, seen map[string]struct{}) {
	kept := page[:0]
	for _, m := range page {
		if _, dup := seen[m.MemberID]; dup {
			l.Duplicates = append(l.Duplicates, m.MemberID)
			continue
		}
		seen[m.MemberID] = struct{}{}
		kept = append(kept, m)
	}
	if l.Members == nil {
		l.Members = kept
		return
	}
	l.Members = append(l.Members, kept...)
}
