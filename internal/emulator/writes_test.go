package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
)

const (
	peerProject = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
	otherDomain = "0970dd7a1300f5672ff2c003c60ae115"
	testOU      = "organizations::3a2d95404f964a6aba78819bf8ddc1e3:ou:o-wvntq58r3poyv180t5df1mdna4uwy9se/ou-5x1bvygwrplokk622i9gbn3f5ftfb2l9"
)

// write sends a signed write call as project with body, tampered with by
// after if given.
func (v *env) write(method, project, body string, after func(*http.Request)) response {
	v.t.Helper()
	req, err := http.NewRequestWithContext(v.t.Context(), method, v.srv.URL+"/v1/cloudimages/members", strings.NewReader(body))
	if err != nil {
		v.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json;charset=UTF-8")
	req.Header.Set(client.HeaderProjectID, project)
	if err := v.creds.Sign(req, nil, []byte(body), time.Now()); err != nil {
		v.t.Fatal(err)
	}
	if after != nil {
		after(req)
	}
	return v.do(req)
}

// jobOf reads the job_id of a write's answer.
func jobOf(t *testing.T, r response) string {
	t.Helper()
	var b struct {
		JobID string `json:"job_id"`
	}
	if r.status != http.StatusOK || json.Unmarshal(r.body, &b) != nil || b.JobID == "" {
		t.Fatalf("status %d, body %s, want 200 with a job_id", r.status, r.body)
	}
	return b.JobID
}

// job reads a job as project.
func (v *env) job(project, id string) wireJob {
	v.t.Helper()
	r := v.do(v.signed(http.MethodGet, "/v1/"+project+"/jobs/"+id, nil, func(req *http.Request) {
		req.Header.Set(client.HeaderProjectID, project)
	}, nil))
	var j wireJob
	if r.status != http.StatusOK || json.Unmarshal(r.body, &j) != nil {
		v.t.Fatalf("job %s: status %d, body %s", id, r.status, r.body)
	}
	return j
}

// sharedWorld is testImage owned by testProject, shared with nobody yet,
// and peerProject known to IAM.
func sharedWorld(t *testing.T, cfg Config) *env {
	t.Helper()
	cfg.Projects = []Project{
		{ID: testProject, Name: "cn-north-4", DomainID: testDomain, Enabled: true},
		{ID: peerProject, Name: "cn-north-4", DomainID: otherDomain, Enabled: true},
	}
	v := newEnv(t, cfg)
	v.emu.AddImageMetadata(ImageMetadata{ID: testImage, Owner: testProject, Name: "golden"})
	return v
}

func memberKeys(members []Member) []string {
	var out []string
	for _, m := range members {
		out = append(out, m.MemberType+":"+m.MemberID+":"+m.Status+":"+m.URN)
	}
	return out
}

func TestWrites_addRemoveAndAnswerThroughJobs(t *testing.T) {
	v := sharedWorld(t, Config{})
	add := `{"images":["` + testImage + `"],"projects":["` + peerProject + `"],"domains":["` + otherDomain + `"],"organizations":["` + testOU + `"]}`
	j := v.job(testProject, jobOf(t, v.write(http.MethodPost, testProject, add, nil)))
	if j.Status != "SUCCESS" || j.JobType != "imsAddImageMembersJob" || len(j.Entities.Results) != 3 || j.Entities.Results[2].ProjectID != testOU {
		t.Fatalf("add job %+v", j)
	}
	want := []string{"project:" + peerProject + ":pending:", "domain:" + otherDomain + ":pending:", "organization:ou-5x1bvygwrplokk622i9gbn3f5ftfb2l9:pending:" + testOU}
	if got := memberKeys(v.emu.Members(testProject, testImage)); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("members after add:\n%v\nwant\n%v", got, want)
	}
	// The image list sees the change too: shared, from both sides.
	listed := func(project string, q ...client.QueryParam) bool {
		r := v.do(v.signed(http.MethodGet, "/v2/cloudimages", q, func(req *http.Request) { req.Header.Set(client.HeaderProjectID, project) }, nil))
		return r.status == http.StatusOK && strings.Contains(string(r.body), testImage)
	}
	if !listed(testProject, client.QueryParam{Key: "__imagetype", Value: "shared"}, client.QueryParam{Key: "owner", Value: testProject}) {
		t.Error("the owner's list does not show the image as shared")
	}
	if !listed(peerProject, client.QueryParam{Key: "member_status", Value: "pending"}, client.QueryParam{Key: "visibility", Value: "shared"}) {
		t.Error("the peer's list does not show the image shared with it, pending")
	}
	// Adding again changes nothing: members are a set.
	jobOf(t, v.write(http.MethodPost, testProject, add, nil))
	if n := len(v.emu.Members(testProject, testImage)); n != 3 {
		t.Fatalf("%d members after adding the same members again", n)
	}

	// The recipient accepts; the image list shows it under member_status.
	answer := `{"images":["` + testImage + `"],"project_id":"` + peerProject + `","status":"accepted"}`
	if j := v.job(peerProject, jobOf(t, v.write(http.MethodPut, peerProject, answer, nil))); j.Status != "SUCCESS" || j.JobType != "imsUpdateImageMembersJob" {
		t.Fatalf("answer job %+v", j)
	}
	r := v.do(v.signed(http.MethodGet, "/v2/cloudimages", []client.QueryParam{
		{Key: "id", Value: testImage}, {Key: "member_status", Value: "accepted"}, {Key: "visibility", Value: "shared"},
	}, func(req *http.Request) { req.Header.Set(client.HeaderProjectID, peerProject) }, nil))
	if r.status != http.StatusOK || !strings.Contains(string(r.body), testImage) {
		t.Fatalf("accepted image not listed for the peer: %d %s", r.status, r.body)
	}

	remove := `{"images":["` + testImage + `"],"projects":["` + peerProject + `"],"organizations":["` + testOU + `"]}`
	if j := v.job(testProject, jobOf(t, v.write(http.MethodDelete, testProject, remove, nil))); j.Status != "SUCCESS" || j.JobType != "imsDelImageMembersJob" {
		t.Fatalf("remove job %+v", j)
	}
	if got := memberKeys(v.emu.Members(testProject, testImage)); len(got) != 1 || got[0] != want[1] {
		t.Fatalf("members after remove: %v", got)
	}
	// The requests are logged with their bodies.
	var bodies []string
	for _, rec := range v.emu.Requests() {
		if rec.Method != http.MethodGet {
			bodies = append(bodies, rec.Method+" "+rec.Body)
		}
	}
	if len(bodies) != 4 || bodies[3] != "DELETE "+remove {
		t.Errorf("logged writes %q", bodies)
	}
}

func TestWrites_jobRunsThenChanges(t *testing.T) {
	v := sharedWorld(t, Config{JobDuration: 2 * time.Second})
	id := jobOf(t, v.write(http.MethodPost, testProject, `{"images":["`+testImage+`"],"projects":["`+peerProject+`"]}`, nil))
	if j := v.job(testProject, id); j.Status != "RUNNING" || j.EndTime != "" {
		t.Fatalf("job right after the call: %+v", j)
	}
	if n := len(v.emu.Members(testProject, testImage)); n != 0 {
		t.Fatalf("%d members while the job runs", n)
	}
	for deadline := time.Now().Add(5 * time.Second); v.job(testProject, id).Status == "RUNNING"; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("job still RUNNING after 5s")
		}
	}
	if j := v.job(testProject, id); j.Status != "SUCCESS" || j.Entities.Results[0].Status != "success" {
		t.Fatalf("job %+v", j)
	}
	if n := len(v.emu.Members(testProject, testImage)); n != 1 {
		t.Fatalf("%d members after the job", n)
	}
	// Another project cannot read the job.
	wantIMS(t, v.do(v.signed(http.MethodGet, "/v1/"+peerProject+"/jobs/"+id, nil, func(req *http.Request) {
		req.Header.Set(client.HeaderProjectID, peerProject)
	}, nil)), http.StatusNotFound, "IMG.0043")
}

func TestWrites_failingJobsChangeNothing(t *testing.T) {
	v := sharedWorld(t, Config{FailJobs: true})
	j := v.job(testProject, jobOf(t, v.write(http.MethodPost, testProject, `{"images":["`+testImage+`"],"projects":["`+peerProject+`"]}`, nil)))
	// A job failed on request fails with a generic code, not the quota's.
	if j.Status != "FAIL" || j.ErrorCode != "IMG.0061" || j.FailReason != "Failed to add the image members." ||
		j.Entities.Results[0] != (jobResult{ImageID: testImage, ProjectID: peerProject, Status: "failed"}) {
		t.Fatalf("job %+v", j)
	}
	if n := len(v.emu.Members(testProject, testImage)); n != 0 {
		t.Fatalf("%d members after a failed job", n)
	}
	v.emu.SetJobs(JobBehaviour{})
	if j := v.job(testProject, jobOf(t, v.write(http.MethodPost, testProject, `{"images":["`+testImage+`"],"projects":["`+peerProject+`"]}`, nil))); j.Status != "SUCCESS" {
		t.Fatalf("after SetJobs: %+v", j)
	}
}

func TestWrites_refusedBeforeAnyJob(t *testing.T) {
	v := sharedWorld(t, Config{})
	img := `"images":["` + testImage + `"]`
	for _, tc := range []struct {
		name, method, project, body string
		status                      int
		code                        string
	}{
		{"projects missing", http.MethodPost, testProject, `{` + img + `,"domains":["` + otherDomain + `"]}`, 400, "IMG.0001"},
		{"no member", http.MethodPost, testProject, `{` + img + `,"projects":[]}`, 400, "IMG.0001"},
		{"unknown field", http.MethodPost, testProject, `{` + img + `,"projects":["` + peerProject + `"],"tenants":[]}`, 400, "IMG.0001"},
		{"short project ID", http.MethodPost, testProject, `{` + img + `,"projects":["abc"]}`, 400, "IMG.0001"},
		{"not a URN", http.MethodPost, testProject, `{` + img + `,"projects":[],"organizations":["ou-1"]}`, 400, "IMG.0001"},
		{"yourself", http.MethodPost, testProject, `{` + img + `,"projects":["` + testProject + `"]}`, 400, "IMG.0076"},
		{"not the owner", http.MethodPost, peerProject, `{` + img + `,"projects":["` + testProject + `"]}`, 400, "IMG.0066"},
		{"not shared with the recipient", http.MethodPut, peerProject, `{` + img + `,"project_id":"` + peerProject + `","status":"accepted"}`, 400, "IMG.0066"},
		{"another project's answer", http.MethodPut, peerProject, `{` + img + `,"project_id":"` + testProject + `","status":"accepted"}`, 400, "IMG.0001"},
		{"status", http.MethodPut, peerProject, `{` + img + `,"project_id":"` + peerProject + `","status":"pending"}`, 400, "IMG.0001"},
		{"unknown project", http.MethodPost, "ffffffffffffffffffffffffffffffff", `{` + img + `,"projects":["` + peerProject + `"]}`, 400, "IMG.0067"},
		{"share with a project that does not exist", http.MethodPost, testProject, `{` + img + `,"projects":["` + peerProject + `","eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"]}`, 400, "IMG.0067"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantIMS(t, v.write(tc.method, tc.project, tc.body, nil), tc.status, tc.code)
		})
	}
	// The body is signed: changing it in transit breaks the signature.
	body := `{` + img + `,"projects":["` + peerProject + `"]}`
	wantGateway(t, v.write(http.MethodPost, testProject, body, func(req *http.Request) {
		tampered := strings.Replace(body, peerProject, "b1b2c3d4e5f60718293a4b5c6d7e8f90", 1)
		req.Body, req.ContentLength = nopCloser{strings.NewReader(tampered)}, int64(len(tampered))
	}), http.StatusUnauthorized, "APIGW.0301")
	r := v.do(v.signed(http.MethodPatch, "/v1/cloudimages/members", nil, nil, nil))
	wantIMS(t, r, http.StatusMethodNotAllowed, "IMG.0001")
	if got := r.header.Get("Allow"); got != "POST, PUT, DELETE" {
		t.Errorf("Allow %q", got)
	}
	if n := len(v.emu.Members(testProject, testImage)); n != 0 {
		t.Fatalf("%d members after refused calls", n)
	}
}

type nopCloser struct{ *strings.Reader }

func (nopCloser) Close() error { return nil }

func TestAdmin_changesTheWorldForLoopbackOnly(t *testing.T) {
	v := sharedWorld(t, Config{Admin: true})
	post := func(method, path, body string) int {
		req, err := http.NewRequestWithContext(t.Context(), method, v.srv.URL+path, bytes.NewBufferString(body))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := v.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		return resp.StatusCode
	}
	if s := post(http.MethodPost, "/_emulator/members", `{"project_id":"`+testProject+`","image_id":"`+testImage+`","members":[{"member_id":"`+peerProject+`","member_type":"project","status":"accepted"}]}`); s != http.StatusNoContent {
		t.Fatalf("add: %d", s)
	}
	if got := memberKeys(v.emu.Members(testProject, testImage)); len(got) != 1 || got[0] != "project:"+peerProject+":accepted:" {
		t.Fatalf("members %v", got)
	}
	if s := post(http.MethodDelete, "/_emulator/members", `{"project_id":"`+testProject+`","image_id":"`+testImage+`","member_ids":["`+peerProject+`"]}`); s != http.StatusNoContent {
		t.Fatalf("remove: %d", s)
	}
	if s := post(http.MethodPut, "/_emulator/jobs", `{"duration":"1h","fail":true}`); s != http.StatusNoContent {
		t.Fatalf("jobs: %d", s)
	}
	if j := v.job(testProject, jobOf(t, v.write(http.MethodPost, testProject, `{"images":["`+testImage+`"],"projects":["`+peerProject+`"]}`, nil))); j.Status != "RUNNING" {
		t.Fatalf("job %+v", j)
	}
	if s := post(http.MethodPost, "/_emulator/members", `{"project_id":"`+testProject+`","image_id":"nope","members":[]}`); s != http.StatusBadRequest {
		t.Errorf("unknown image: %d", s)
	}
	if n := v.emu.CountRequests("/_emulator/"); n != 0 {
		t.Errorf("%d admin calls in the API's request log", n)
	}
	// Not from loopback: refused.
	req := httptest.NewRequest(http.MethodPost, "/_emulator/members", strings.NewReader(`{}`))
	req.RemoteAddr = "192.0.2.1:1234"
	rec := httptest.NewRecorder()
	v.emu.ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden {
		t.Errorf("remote admin call: %d", rec.Code)
	}
	// Off: not found.
	off := newEnv(t, Config{})
	req = httptest.NewRequest(http.MethodPut, "/_emulator/jobs", strings.NewReader(`{}`))
	rec = httptest.NewRecorder()
	off.emu.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotFound {
		t.Errorf("admin off: %d", rec.Code)
	}
}
