package emulator

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
)

// projects calls IAM's project list; name "" leaves the filter out.
func (v *env) projects(name string) response {
	v.t.Helper()
	var q []client.QueryParam
	if name != "" {
		q = []client.QueryParam{{Key: "name", Value: name}}
	}
	return v.do(v.signed(http.MethodGet, "/v3/projects", q, nil, nil))
}

type projectList struct {
	Projects []Project `json:"projects"`
	Links    struct {
		Self string `json:"self"`
	} `json:"links"`
}

func decodeProjects(t *testing.T, r response) projectList {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	var l projectList
	if err := json.Unmarshal(r.body, &l); err != nil {
		t.Fatal(err)
	}
	return l
}

func TestIAMProjectLookup(t *testing.T) {
	v := newEnv(t, Config{Projects: []Project{
		{ID: "p1", Name: "cn-north-4", DomainID: "d1", Enabled: true},
		{ID: "p2", Name: "cn-north-4_sub", DomainID: "d1", Enabled: true},
		{ID: "p3", Name: "eu-west-101", DomainID: "d1", Enabled: false},
	}})

	l := decodeProjects(t, v.projects("cn-north-4"))
	if len(l.Projects) != 1 || l.Projects[0] != (Project{ID: "p1", Name: "cn-north-4", DomainID: "d1", Enabled: true}) {
		t.Errorf("exact match: %+v", l.Projects)
	}
	if !strings.HasSuffix(l.Links.Self, "/v3/projects?name=cn-north-4") {
		t.Errorf("links.self %q", l.Links.Self)
	}
	if l := decodeProjects(t, v.projects("eu-west-101")); len(l.Projects) != 1 || l.Projects[0].Enabled {
		t.Errorf("disabled project: %+v", l.Projects)
	}
	if l := decodeProjects(t, v.projects("")); len(l.Projects) != 3 {
		t.Errorf("unfiltered: %+v", l.Projects)
	}

	r := v.projects("cn-north")
	if !strings.Contains(string(r.body), `"projects":[]`) {
		t.Errorf("no match must be an empty list, not null: %s", r.body)
	}

	v.emu.AddProject(Project{ID: "p4", Name: "cn-north", DomainID: "d1", Enabled: true})
	if l := decodeProjects(t, v.projects("cn-north")); len(l.Projects) != 1 || l.Projects[0].ID != "p4" {
		t.Errorf("after AddProject: %+v", l.Projects)
	}
}

func TestIAMNeedsASignature(t *testing.T) {
	v := newEnv(t, Config{})
	v.creds.SecretKey = "wrong"
	wantGateway(t, v.projects("cn-north-4"), http.StatusUnauthorized, "APIGW.0301")
	r := v.do(v.signed(http.MethodGet, "/v3/projects", nil, nil, func(r *http.Request) { r.Header.Del("Authorization") }))
	wantGateway(t, r, http.StatusUnauthorized, "APIGW.0301")
}
