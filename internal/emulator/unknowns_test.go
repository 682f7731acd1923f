package emulator

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

const (
	testOrgURN  = "organizations::3a2d95404f964a6aba78819bf8ddc1e3:organization:o-wvntq58r3poyv180t5df1mdna4uwy9se"
	testRootURN = "organizations::3a2d95404f964a6aba78819bf8ddc1e3:root:o-wvntq58r3poyv180t5df1mdna4uwy9se/r-a1b2"
)

func addBody(projects, domains string) string {
	b := `{"images":["` + testImage + `"],"projects":[` + projects + `]`
	if domains != "" {
		b += `,"domains":[` + domains + `]`
	}
	return b + `}`
}

// Each undocumented answer is played each plausible way: a duplicate add
// and a removal of an absent member as a no-op, a failed job naming the
// member, or a refused request.
func TestUnknowns_eachWay(t *testing.T) {
	dup := addBody(`"`+peerProject+`"`, "")
	for _, tc := range []struct {
		name   string
		u      Unknowns
		method string
		want   string // SUCCESS, FAIL or a refusal's code
	}{
		{"duplicate add, no-op", Unknowns{DuplicateAdd: AnswerNoOp}, http.MethodPost, "SUCCESS"},
		{"duplicate add, failed job", Unknowns{DuplicateAdd: AnswerFailJob}, http.MethodPost, "FAIL"},
		{"duplicate add, failed job reported SUCCESS", Unknowns{DuplicateAdd: AnswerFailJob, FailedEntrySucceeds: true}, http.MethodPost, "SUCCESS+failed"},
		{"duplicate add, refused", Unknowns{DuplicateAdd: AnswerFailRequest}, http.MethodPost, "IMG.0001"},
		{"absent removal, no-op", Unknowns{RemoveAbsent: AnswerNoOp}, http.MethodDelete, "SUCCESS"},
		{"absent removal, failed job", Unknowns{RemoveAbsent: AnswerFailJob}, http.MethodDelete, "FAIL"},
		{"absent removal, refused", Unknowns{RemoveAbsent: AnswerFailRequest}, http.MethodDelete, "IMG.0001"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := sharedWorld(t, Config{})
			if tc.method == http.MethodPost {
				jobOf(t, v.write(http.MethodPost, testProject, dup, nil))
			}
			v.emu.SetUnknowns(tc.u)
			r := v.write(tc.method, testProject, dup, nil)
			if strings.HasPrefix(tc.want, "IMG.") {
				wantIMS(t, r, http.StatusBadRequest, tc.want)
				return
			}
			j := v.job(testProject, jobOf(t, r))
			status := j.Status
			if status == "SUCCESS" && j.Entities.Results[0].Status == "failed" {
				status += "+failed"
			}
			if status != tc.want {
				t.Fatalf("job %+v, want %s", j, tc.want)
			}
		})
	}
}

// The quota fails the request or the job, as chosen; a job can fail for
// chosen members only, the others changed; a job failed on request has a
// generic code of its type, never the quota's.
func TestJobs_quotaAndChosenMembers(t *testing.T) {
	v := sharedWorld(t, Config{})
	var ids []string
	for i := range maxMembersPerImage {
		id := strings.Repeat("0", 24) + hex8(i+0xb000000)
		// Recipients must exist: the emulator refuses to share with an
		// unknown project (IMG.0067).
		v.emu.AddProject(Project{ID: id, Name: fmt.Sprintf("cn-north-4_quota%d", i), DomainID: otherDomain, Enabled: true})
		ids = append(ids, `"`+id+`"`)
	}
	jobOf(t, v.write(http.MethodPost, testProject, addBody(strings.Join(ids, ","), ""), nil))
	one := addBody(`"`+peerProject+`"`, "")
	wantIMS(t, v.write(http.MethodPost, testProject, one, nil), http.StatusBadRequest, QuotaErrorCode)
	v.emu.SetUnknowns(Unknowns{Quota: QuotaInJob})
	if j := v.job(testProject, jobOf(t, v.write(http.MethodPost, testProject, one, nil))); j.Status != "FAIL" || j.ErrorCode != QuotaErrorCode {
		t.Fatalf("quota in the job: %+v", j)
	}
	if n := len(v.emu.Members(testProject, testImage)); n != maxMembersPerImage {
		t.Fatalf("%d members after the quota", n)
	}

	w := sharedWorld(t, Config{})
	w.emu.SetJobs(JobBehaviour{FailMembers: []string{otherDomain}})
	j := w.job(testProject, jobOf(t, w.write(http.MethodPost, testProject, addBody(`"`+peerProject+`"`, `"`+otherDomain+`"`), nil)))
	if j.Status != "FAIL" || j.Entities.Results[0].Status != "success" || j.Entities.Results[1].Status != "failed" {
		t.Fatalf("job %+v", j)
	}
	if got := w.emu.Members(testProject, testImage); len(got) != 1 || got[0].MemberID != peerProject {
		t.Fatalf("members %+v, want the project only", got)
	}
	w.emu.SetJobs(JobBehaviour{Fail: true})
	if j := w.job(testProject, jobOf(t, w.write(http.MethodDelete, testProject, addBody(`"`+peerProject+`"`, ""), nil))); j.ErrorCode != "IMG.0061" || !strings.Contains(j.FailReason, "delete") {
		t.Fatalf("failed removal: %+v", j)
	}
}

func hex8(n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, 8)
	for i := 7; i >= 0; i-- {
		b[i] = digits[n&15]
		n >>= 4
	}
	return string(b)
}

// The three organization URN forms are accepted; the member's ID is the
// URN's last ID. Other forms are refused.
func TestWrites_organizationForms(t *testing.T) {
	v := sharedWorld(t, Config{})
	body := `{"images":["` + testImage + `"],"projects":[],"organizations":["` + testOrgURN + `","` + testRootURN + `","` + testOU + `"]}`
	if j := v.job(testProject, jobOf(t, v.write(http.MethodPost, testProject, body, nil))); j.Status != "SUCCESS" {
		t.Fatalf("job %+v", j)
	}
	var got []string
	for _, m := range v.emu.Members(testProject, testImage) {
		got = append(got, m.MemberID+"="+m.URN)
	}
	want := []string{"o-wvntq58r3poyv180t5df1mdna4uwy9se=" + testOrgURN, "r-a1b2=" + testRootURN, "ou-5x1bvygwrplokk622i9gbn3f5ftfb2l9=" + testOU}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("members %v, want %v", got, want)
	}
	for _, bad := range []string{
		"organizations::3a2d95404f964a6aba78819bf8ddc1e3:organization:o-1/o-1",
		"organizations::3a2d95404f964a6aba78819bf8ddc1e3:root:o-1/ou-1",
		"organizations::acct:ou:o-1/ou-1",
		"organizations::3a2d95404f964a6aba78819bf8ddc1e3:account:o-1/ou-1",
	} {
		wantIMS(t, v.write(http.MethodPost, testProject, `{"images":["`+testImage+`"],"projects":[],"organizations":["`+bad+`"]}`, nil), http.StatusBadRequest, "IMG.0001")
	}
}

// A fault aimed at one method and path answers that request only; served
// after the request acted, the change is made and the answer lost.
func TestFaults_aimedAndAfter(t *testing.T) {
	v := sharedWorld(t, Config{})
	v.emu.Inject(Fault{Kind: FaultStatus, Status: http.StatusServiceUnavailable, Method: http.MethodDelete, Path: "/v1/cloudimages/members"})
	one := addBody(`"`+peerProject+`"`, "")
	jobOf(t, v.write(http.MethodPost, testProject, one, nil)) // not aimed at: answered
	if v.emu.PendingFaults() != 1 {
		t.Fatal("a POST took the fault aimed at DELETE")
	}
	wantIMS(t, v.write(http.MethodDelete, testProject, one, nil), http.StatusServiceUnavailable, "IMG.0061")
	if n := len(v.emu.Members(testProject, testImage)); n != 1 {
		t.Fatalf("the DELETE refused before acting removed the member (%d left)", n)
	}
	v.emu.Inject(Fault{Kind: FaultStatus, Status: http.StatusBadGateway, After: true, Method: http.MethodDelete, Path: "/v1/cloudimages/members"})
	wantGateway(t, v.write(http.MethodDelete, testProject, one, nil), http.StatusBadGateway, "APIGW.0202")
	if n := len(v.emu.Members(testProject, testImage)); n != 0 {
		t.Fatalf("the DELETE answered 502 after acting did not act (%d left)", n)
	}
	// The gateway's 404, for a path it does not route.
	v.emu.Inject(Fault{Kind: FaultStatus, Status: http.StatusNotFound, Path: "/members"})
	wantGateway(t, v.list(testProject, testImage, 0, ""), http.StatusNotFound, "APIGW.0101")
}
