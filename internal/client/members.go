package client

import (
	"context"
	"encoding/json"
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
	// Duplicates are member IDs that came back on more than one page
	// (membership changed while paging); each is kept once.
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

type membersPage struct {
	Members  []Member `json:"members"`
	Schema   string   `json:"schema"`
	PageInfo *struct {
		NextMarker string `json:"next_marker"`
	} `json:"page_info"`
}

// ListImageMembers reads every page of the image's members. It fails rather
// than return a partial list: a repeated marker, a page without members, or
// more than MaxPages pages is an error.
func (c *Client) ListImageMembers(ctx context.Context, in ListImageMembersInput) (*MemberList, error) {
	if in.ProjectID == "" || in.ImageID == "" {
		return nil, fmt.Errorf("list image members: project ID and image ID are required")
	}
	pageSize := in.PageSize
	if pageSize == 0 {
		pageSize = MaxPageSize
	}
	if pageSize < 1 || pageSize > MaxPageSize {
		return nil, fmt.Errorf("list image members: page size %d is outside 1..%d", pageSize, MaxPageSize)
	}
	path := "/v1/" + in.ProjectID + "/cloudimages/" + in.ImageID + "/members"
	limit := QueryParam{Key: "limit", Value: strconv.Itoa(pageSize)}
	list := &MemberList{}
	seenMarkers := map[string]struct{}{}
	var seenMembers map[string]struct{}
	marker, lastRequestID := "", ""
	for {
		if list.Requests >= c.cfg.MaxPages {
			return nil, &ResponseError{Method: http.MethodGet, Path: path, RequestID: lastRequestID,
				Reason: fmt.Sprintf("the marker chain did not end after %d pages; refusing a partial list", c.cfg.MaxPages)}
		}
		query := []QueryParam{limit}
		if marker != "" {
			query = append(query, QueryParam{Key: "marker", Value: marker})
		}
		rep, err := c.send(ctx, call{service: "ims", operation: OpListImageMembers, region: in.Region, path: path, query: query, projectID: in.ProjectID})
		if err != nil {
			return nil, err
		}
		list.Requests++
		lastRequestID = rep.requestID
		var page membersPage
		if err := json.Unmarshal(rep.body, &page); err != nil {
			return nil, &ResponseError{Method: http.MethodGet, Path: path, RequestID: rep.requestID,
				Reason: "the response is not valid JSON: " + c.bodySnippet(rep.body), Err: err}
		}
		if page.Members == nil {
			return nil, &ResponseError{Method: http.MethodGet, Path: path, RequestID: rep.requestID,
				Reason: `the response has no "members" list`}
		}
		if list.Requests == 1 {
			// The first page's slice becomes the list: no copy.
			list.Schema, list.Members = page.Schema, page.Members
		} else {
			if seenMembers == nil {
				seenMembers = memberIDs(list.Members)
			}
			for _, m := range page.Members {
				if _, dup := seenMembers[m.MemberID]; dup {
					list.Duplicates = append(list.Duplicates, m.MemberID)
					continue
				}
				seenMembers[m.MemberID] = struct{}{}
				list.Members = append(list.Members, m)
			}
		}
		if page.PageInfo == nil || page.PageInfo.NextMarker == "" {
			return list, nil
		}
		next := page.PageInfo.NextMarker
		if _, loop := seenMarkers[next]; loop {
			return nil, &ResponseError{Method: http.MethodGet, Path: path, RequestID: rep.requestID,
				Reason: fmt.Sprintf("next_marker %q was already returned by an earlier page: the server is looping", next)}
		}
		seenMarkers[next] = struct{}{}
		marker = next
	}
}

func memberIDs(members []Member) map[string]struct{} {
	ids := make(map[string]struct{}, 2*len(members))
	for _, m := range members {
		ids[m.MemberID] = struct{}{}
	}
	return ids
}
