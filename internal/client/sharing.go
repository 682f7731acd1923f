package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// membersPath is where an image's owner adds and removes members and a
// recipient gives its answer; the acting project is X-Project-Id.
const membersPath = "/v1/cloudimages/members"

// MembersChange names images and the members to add to or remove from all
// of them. Projects and Domains are 32-character IDs; Organizations are
// URNs such as organizations::{account}:ou:o-{org}/ou-{ou}.
type MembersChange struct {
	Region    string
	ProjectID string // the owner, sent and signed as X-Project-Id
	ImageIDs  []string
	Projects  []string
	Domains   []string
	// Organizations are organization URNs (organization, root or unit).
	Organizations []string
}

// membersBody is the API's body: "projects" is mandatory in the docs, so it
// is always sent (empty when there is none); the others only when set.
type membersBody struct {
	Images        []string `json:"images"`
	Projects      []string `json:"projects"`
	Domains       []string `json:"domains,omitempty"`
	Organizations []string `json:"organizations,omitempty"`
}

// jobReply is the answer of every write call: the change is asynchronous.
type jobReply struct {
	JobID string `json:"job_id"`
}

// AddImageMembers shares the images with the members (POST) and returns
// the job that carries the change out; WaitForJob follows it.
func (c *Client) AddImageMembers(ctx context.Context, in MembersChange) (string, error) {
	return c.changeMembers(ctx, http.MethodPost, in)
}

// RemoveImageMembers stops sharing the images with the members (DELETE,
// same body as AddImageMembers) and returns the job.
func (c *Client) RemoveImageMembers(ctx context.Context, in MembersChange) (string, error) {
	return c.changeMembers(ctx, http.MethodDelete, in)
}

// changeMembers sends one add or remove through send, so that it shares the
// budget, retry policy and logging of the reads. It is a write: resent only
// when it never reached IMS; a lost answer is an *AnswerLostError, since the
// API's answer to adding a member twice or removing one already gone is not
// documented, and only a fresh read of the members says what is still needed.
func (c *Client) changeMembers(ctx context.Context, method string, in MembersChange) (string, error) {
	if in.ProjectID == "" || len(in.ImageIDs) == 0 {
		return "", fmt.Errorf("%s %s: project ID and at least one image ID are required", method, membersPath)
	}
	if len(in.Projects)+len(in.Domains)+len(in.Organizations) == 0 {
		return "", fmt.Errorf("%s %s: at least one member is required", method, membersPath)
	}
	body := membersBody{Images: in.ImageIDs, Projects: in.Projects, Domains: in.Domains, Organizations: in.Organizations}
	if body.Projects == nil {
		body.Projects = []string{}
	}
	op := OpAddImageMembers
	if method == http.MethodDelete {
		op = OpRemoveImageMembers
	}
	return c.startJob(ctx, call{method: method, service: "ims", operation: op, region: in.Region, path: membersPath, projectID: in.ProjectID}, body)
}

// MemberStatusInput is a recipient's answer to images shared with it.
type MemberStatusInput struct {
	Region    string
	ProjectID string // the recipient: X-Project-Id and the body's project_id
	ImageIDs  []string
	Status    string // accepted or rejected
	// VaultID is the CBR vault, only for full-ECS images from CBR backups.
	VaultID string
}

type memberStatusBody struct {
	Images    []string `json:"images"`
	ProjectID string   `json:"project_id"`
	Status    string   `json:"status"`
	VaultID   string   `json:"vault_id,omitempty"`
}

// SetMemberStatus accepts or rejects images another project shared with
// this one (PUT) and returns the job. A write like the others: a lost answer
// is an *AnswerLostError, and the caller reads the status before sending
// it again.
func (c *Client) SetMemberStatus(ctx context.Context, in MemberStatusInput) (string, error) {
	if in.ProjectID == "" || len(in.ImageIDs) == 0 {
		return "", fmt.Errorf("PUT %s: project ID and at least one image ID are required", membersPath)
	}
	if in.Status != "accepted" && in.Status != "rejected" {
		return "", fmt.Errorf("PUT %s: status %q is neither accepted nor rejected", membersPath, in.Status)
	}
	body := memberStatusBody{Images: in.ImageIDs, ProjectID: in.ProjectID, Status: in.Status, VaultID: in.VaultID}
	return c.startJob(ctx, call{method: http.MethodPut, service: "ims", operation: OpSetMemberStatus, region: in.Region, path: membersPath, projectID: in.ProjectID}, body)
}

// startJob sends cl with body as JSON and returns the job ID it answers.
func (c *Client) startJob(ctx context.Context, cl call, body any) (string, error) {
	encoded, err := json.Marshal(body)
	if err != nil {
		return "", fmt.Errorf("%s %s: encoding the body: %w", cl.method, cl.path, err)
	}
	cl.body, cl.write = encoded, true
	rep, err := c.send(ctx, cl)
	if err != nil {
		return "", err
	}
	var job jobReply
	if err := json.Unmarshal(rep.body, &job); err != nil || job.JobID == "" {
		// A 2xx without a job to follow: the write may have been accepted,
		// so it is as ambiguous as a lost answer.
		reason := `the response has no "job_id": ` + c.bodySnippet(rep.body)
		return "", &AnswerLostError{Method: cl.method, Path: cl.path, Attempts: 1,
			Err: &ResponseError{Method: cl.method, Path: cl.path, RequestID: rep.requestID, Reason: reason, Err: err}}
	}
	return job.JobID, nil
}
