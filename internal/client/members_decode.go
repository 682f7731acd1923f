package client

import (
	"encoding/json"
	"strconv"
)

type membersPage struct {
	Members  []Member `json:"members"`
	Schema   string   `json:"schema"`
	PageInfo *struct {
		NextMarker string `json:"next_marker"`
	} `json:"page_info"`
}

// decodeMembersPage reads one page of members. The common case decodes
// straight into the typed page; only when that fails is the page walked
// field by field, so that a value of an unexpected JSON type is reported by
// member and field rather than as "not valid JSON". The caller fills in the
// request of the returned error.
func (c *Client) decodeMembersPage(body []byte) (*membersPage, *ResponseError) {
	var page membersPage
	if err := json.Unmarshal(body, &page); err != nil {
		if !json.Valid(body) {
			return nil, &ResponseError{Reason: "the response is not valid JSON: " + c.bodySnippet(body), Err: err}
		}
		return nil, &ResponseError{Reason: explainMembersPage(body), Err: err}
	}
	if page.Members == nil {
		return nil, &ResponseError{Reason: `the response has no "members" list`}
	}
	// The SDK's ImageMember.Urn is a string without omitempty, documented
	// as sent only for an organization: an empty urn is no URN.
	for i := range page.Members {
		if u := page.Members[i].URN; u != nil && *u == "" {
			page.Members[i].URN = nil
		}
	}
	return &page, nil
}

// wireMember holds each field of a member raw, for explainMembersPage.
type wireMember struct {
	MemberID   json.RawMessage `json:"member_id"`
	MemberType json.RawMessage `json:"member_type"`
	Status     json.RawMessage `json:"status"`
	URN        json.RawMessage `json:"urn"`
	ImageID    json.RawMessage `json:"image_id"`
	Schema     json.RawMessage `json:"schema"`
	CreatedAt  json.RawMessage `json:"created_at"`
	UpdatedAt  json.RawMessage `json:"updated_at"`
}

// explainMembersPage says which part of a valid JSON page does not have
// the type a page of members needs.
func explainMembersPage(body []byte) string {
	var top map[string]json.RawMessage
	if body = trimJSON(body); len(body) == 0 || body[0] != '{' || json.Unmarshal(body, &top) != nil {
		return "the response is " + jsonKind(body) + ", not an object"
	}
	d := fieldDecoder{}
	d.str("schema", top["schema"])
	if d.err != nil {
		return d.err.Error()
	}
	if raw := top["page_info"]; !absent(raw) {
		var info map[string]json.RawMessage
		if raw[0] != '{' || json.Unmarshal(raw, &info) != nil {
			return `"page_info" is ` + jsonKind(raw) + ", not an object"
		}
		if d.str("page_info.next_marker", info["next_marker"]); d.err != nil {
			return d.err.Error()
		}
	}
	raw := top["members"]
	var members []json.RawMessage
	if !absent(raw) && (raw[0] != '[' || json.Unmarshal(raw, &members) != nil) {
		return `"members" is ` + jsonKind(raw) + ", not a list"
	}
	for i, r := range members {
		if reason := explainMember(r); reason != "" {
			return "members[" + strconv.Itoa(i) + "]" + reason
		}
	}
	return "the response does not have the shape of a page of members"
}

// explainMember is what is wrong with one member, after its index.
func explainMember(raw json.RawMessage) string {
	var w wireMember
	if absent(raw) || raw[0] != '{' || json.Unmarshal(raw, &w) != nil {
		return ": expected an object, got " + jsonKind(raw)
	}
	d := fieldDecoder{}
	id := d.str("member_id", w.MemberID)
	d.str("member_type", w.MemberType)
	d.str("status", w.Status)
	d.str("urn", w.URN)
	d.str("image_id", w.ImageID)
	d.str("schema", w.Schema)
	d.str("created_at", w.CreatedAt)
	d.str("updated_at", w.UpdatedAt)
	if d.err == nil {
		return ""
	}
	suffix := ""
	if id != nil {
		suffix = " (member_id " + snippetN(*id, 64) + ")"
	}
	return suffix + ": " + d.err.Error()
}
