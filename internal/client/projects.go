package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// ProjectNotFoundError says that IAM knows no project named after the region.
type ProjectNotFoundError struct {
	Region string
	Names  []string
}

func (e *ProjectNotFoundError) Error() string {
	return fmt.Sprintf("IAM has no project named %q for these credentials (found %d other projects)", e.Region, len(e.Names))
}

type projectsPage struct {
	Projects *[]struct {
		ID      string `json:"id"`
		Name    string `json:"name"`
		Enabled bool   `json:"enabled"`
	} `json:"projects"`
}

// ProjectID returns the ID of the project named after region, looked up
// once per region per Client; concurrent callers share one lookup. A failed
// lookup is remembered too, so an audit of hundreds of reads reports it
// from one IAM request instead of repeating it (with its retries) for every
// read. Only a lookup cut short by its caller's own context (cancelled, or
// out of time) is tried again by the next caller: it says nothing of IAM.
func (c *Client) ProjectID(ctx context.Context, region string) (string, error) {
	for {
		c.projects.mu.Lock()
		e, ok := c.projects.entries[region]
		if !ok {
			e = &projectEntry{done: make(chan struct{})}
			c.projects.entries[region] = e
			c.projects.mu.Unlock()
			e.id, e.err = c.lookupProject(ctx, region)
			if e.err != nil && cutShort(ctx, e.err) {
				c.projects.mu.Lock()
				delete(c.projects.entries, region)
				c.projects.mu.Unlock()
			}
			close(e.done)
			return e.id, e.err
		}
		c.projects.mu.Unlock()
		select {
		case <-e.done:
			c.projects.mu.Lock()
			kept := c.projects.entries[region] == e
			c.projects.mu.Unlock()
			if kept {
				return e.id, e.err
			}
			// The lookup we waited on was cut short by its own read's
			// context; try again under ours.
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
}

// cutShort reports whether err ended a call because of its caller's
// context: cancelled, out of time, or about to be (a retry wait past the
// deadline).
func cutShort(ctx context.Context, err error) bool {
	return ctx.Err() != nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

func (c *Client) lookupProject(ctx context.Context, region string) (string, error) {
	const path = "/v3/projects"
	rep, err := c.send(ctx, call{service: "iam", operation: OpLookUpProject, region: region, path: path,
		query: []QueryParam{{Key: "name", Value: region}}})
	if err != nil {
		return "", err
	}
	var page projectsPage
	if err := json.Unmarshal(rep.body, &page); err != nil {
		return "", &ResponseError{Method: http.MethodGet, Path: path, RequestID: rep.requestID,
			Reason: "the response is not valid JSON: " + c.bodySnippet(rep.body), Err: err}
	}
	if page.Projects == nil {
		return "", &ResponseError{Method: http.MethodGet, Path: path, RequestID: rep.requestID,
			Reason: `the response has no "projects" list`}
	}
	names := make([]string, 0, len(*page.Projects))
	for _, p := range *page.Projects {
		if p.Name == region {
			return p.ID, nil
		}
		names = append(names, p.Name)
	}
	return "", &ProjectNotFoundError{Region: region, Names: names}
}

// Project is one IAM project the credentials can access.
type Project struct {
	ID      string
	Name    string
	Enabled bool
}

// Region is the region of the project: its name up to the first "_"
// (sub-projects are named {region}_{name}).
func (p Project) Region() string {
	region, _, _ := strings.Cut(p.Name, "_")
	return region
}

// ListAuthProjects returns every project the credentials can access, as
// IAM's GET /v3/auth/projects lists them (one response, no paging), at the
// IAM endpoint of region, disabled ones included: the caller decides.
func (c *Client) ListAuthProjects(ctx context.Context, region string) ([]Project, error) {
	const path = "/v3/auth/projects"
	rep, err := c.send(ctx, call{service: "iam", operation: OpListAuthProjects, region: region, path: path})
	if err != nil {
		return nil, err
	}
	var page projectsPage
	if err := json.Unmarshal(rep.body, &page); err != nil {
		return nil, &ResponseError{Method: http.MethodGet, Path: path, RequestID: rep.requestID,
			Reason: "the response is not valid JSON: " + c.bodySnippet(rep.body), Err: err}
	}
	if page.Projects == nil {
		return nil, &ResponseError{Method: http.MethodGet, Path: path, RequestID: rep.requestID,
			Reason: `the response has no "projects" list`}
	}
	out := make([]Project, 0, len(*page.Projects))
	for _, p := range *page.Projects {
		if p.ID == "" || p.Name == "" {
			return nil, &ResponseError{Method: http.MethodGet, Path: path, RequestID: rep.requestID,
				Reason: fmt.Sprintf("a project without id or name (id %q, name %q)", p.ID, p.Name)}
		}
		out = append(out, Project{ID: p.ID, Name: p.Name, Enabled: p.Enabled})
	}
	return out, nil
}
