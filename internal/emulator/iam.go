package emulator

import (
	"encoding/json"
	"net/http"
)

// iamProject is one entry of Keystone's project list as IAM returns it.
type iamProject struct {
	IsDomain    bool            `json:"is_domain"`
	Description string          `json:"description"`
	Links       iamProjectLinks `json:"links"`
	Enabled     bool            `json:"enabled"`
	ID          string          `json:"id"`
	ParentID    string          `json:"parent_id"`
	DomainID    string          `json:"domain_id"`
	Name        string          `json:"name"`
}

type iamProjectLinks struct {
	Self string `json:"self"`
}

type iamListLinks struct {
	Self     string  `json:"self"`
	Previous *string `json:"previous"`
	Next     *string `json:"next"`
}

// serveProjects answers GET /v3/projects[?name=]: exact name matches only,
// an empty list when none match (which the provider must report).
func (e *Emulator) serveProjects(x *exchange) {
	name, filtered := "", false
	for _, p := range x.query {
		if p.Key == "name" {
			name, filtered = p.Value, true
		}
	}
	e.serveProjectList(x, func(p Project) bool { return !filtered || p.Name == name })
}

// serveProjectList answers with the projects that pass keep, in IAM's
// list format.
func (e *Emulator) serveProjectList(x *exchange, keep func(Project) bool) {
	base := "http://" + x.r.Host
	out := struct {
		Projects []iamProject `json:"projects"`
		Links    iamListLinks `json:"links"`
	}{Projects: []iamProject{}, Links: iamListLinks{Self: base + x.r.URL.RequestURI()}}

	e.mu.RLock()
	for _, p := range e.projects {
		if !keep(p) {
			continue
		}
		out.Projects = append(out.Projects, iamProject{
			Links:   iamProjectLinks{Self: base + "/v3/projects/" + p.ID},
			Enabled: p.Enabled, ID: p.ID, ParentID: p.DomainID, DomainID: p.DomainID, Name: p.Name,
		})
	}
	e.mu.RUnlock()

	x.buf.Reset()
	_ = json.NewEncoder(x.buf).Encode(out) // plain strings and bools: cannot fail
	x.setJSON(http.StatusOK)
}
