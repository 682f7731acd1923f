package client_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
	"github.com/cloudimages/terraform-provider-ims/internal/loopback"
)

const (
	sharePeer   = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
	shareDomain = "0970dd7a1300f5672ff2c003c60ae115"
	shareOU     = "organizations::3a2d95404f964a6aba78819bf8ddc1e3:ou:o-wvntq58r3poyv180t5df1mdna4uwy9se/ou-5x1bvygwrplokk622i9gbn3f5ftfb2l9"
)

// newShareEnv is faultImage with no members yet, a peer project and fast
// job polls.
func newShareEnv(t *testing.T) (*faultEnv, *client.Client) {
	t.Helper()
	f := newFaultEnv(t, 0)
	f.emu.AddProject(emulator.Project{ID: sharePeer, Name: faultRegion, Enabled: true})
	c := f.client(t, func(cfg *client.Config) {
		cfg.JobPollInterval, cfg.JobPollMaxInterval = 10*time.Millisecond, 40*time.Millisecond
	})
	return f, c
}

// writes are the non-GET requests the emulator saw: method and body.
func writes(emu *emulator.Emulator) []string {
	var out []string
	for _, r := range emu.Requests() {
		if r.Method != http.MethodGet {
			out = append(out, r.Method+" "+r.Path+" "+r.Body)
		}
	}
	return out
}

func TestSharing_exactBodiesAndJobs(t *testing.T) {
	f, c := newShareEnv(t)
	ctx := t.Context()
	wait := func(id string) *client.Job {
		t.Helper()
		job, err := c.WaitForJob(ctx, client.WaitForJobInput{Region: faultRegion, ProjectID: faultProject, JobID: id})
		if err != nil {
			t.Fatal(err)
		}
		return job
	}
	id, err := c.AddImageMembers(ctx, client.MembersChange{Region: faultRegion, ProjectID: faultProject, ImageIDs: []string{faultImage},
		Projects: []string{sharePeer}, Domains: []string{shareDomain}, Organizations: []string{shareOU}})
	if err != nil {
		t.Fatal(err)
	}
	if job := wait(id); job.Status != "SUCCESS" || job.Type != "imsAddImageMembersJob" || len(job.Entities.Results) != 3 {
		t.Fatalf("job %+v", job)
	}
	// Domains only: projects is still sent, empty; organizations left out.
	id, err = c.RemoveImageMembers(ctx, client.MembersChange{Region: faultRegion, ProjectID: faultProject, ImageIDs: []string{faultImage}, Domains: []string{shareDomain}})
	if err != nil {
		t.Fatal(err)
	}
	wait(id)
	list, err := f.list(ctx, c, 0)
	if err != nil || len(list.Members) != 2 || list.Members[0].MemberID != sharePeer || *list.Members[1].URN != shareOU {
		t.Fatalf("members after the jobs: %+v, %v", list, err)
	}
	id, err = c.SetMemberStatus(ctx, client.MemberStatusInput{Region: faultRegion, ProjectID: sharePeer, ImageIDs: []string{faultImage}, Status: "accepted", VaultID: "v-1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.WaitForJob(ctx, client.WaitForJobInput{Region: faultRegion, ProjectID: sharePeer, JobID: id}); err != nil {
		t.Fatal(err)
	}
	id, err = c.SetMemberStatus(ctx, client.MemberStatusInput{Region: faultRegion, ProjectID: sharePeer, ImageIDs: []string{faultImage}, Status: "rejected"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.WaitForJob(ctx, client.WaitForJobInput{Region: faultRegion, ProjectID: sharePeer, JobID: id}); err != nil {
		t.Fatal(err)
	}
	want := []string{
		`POST /v1/cloudimages/members {"images":["` + faultImage + `"],"projects":["` + sharePeer + `"],"domains":["` + shareDomain + `"],"organizations":["` + shareOU + `"]}`,
		`DELETE /v1/cloudimages/members {"images":["` + faultImage + `"],"projects":[],"domains":["` + shareDomain + `"]}`,
		`PUT /v1/cloudimages/members {"images":["` + faultImage + `"],"project_id":"` + sharePeer + `","status":"accepted","vault_id":"v-1"}`,
		`PUT /v1/cloudimages/members {"images":["` + faultImage + `"],"project_id":"` + sharePeer + `","status":"rejected"}`,
	}
	if got := writes(f.emu); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("writes:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := f.emu.Members(faultProject, faultImage)[0].Status; got != "rejected" {
		t.Errorf("peer status %s", got)
	}
}

func TestSharing_refusedWithoutARequest(t *testing.T) {
	f, c := newShareEnv(t)
	ctx := t.Context()
	for name, call := range map[string]func() error{
		"no member": func() error {
			_, err := c.AddImageMembers(ctx, client.MembersChange{ProjectID: faultProject, ImageIDs: []string{faultImage}})
			return err
		},
		"no image": func() error {
			_, err := c.RemoveImageMembers(ctx, client.MembersChange{ProjectID: faultProject, Projects: []string{sharePeer}})
			return err
		},
		"bad status": func() error {
			_, err := c.SetMemberStatus(ctx, client.MemberStatusInput{ProjectID: sharePeer, ImageIDs: []string{faultImage}, Status: "pending"})
			return err
		},
		"no job ID": func() error { _, err := c.WaitForJob(ctx, client.WaitForJobInput{ProjectID: faultProject}); return err },
	} {
		if call() == nil {
			t.Errorf("%s: no error", name)
		}
	}
	f.expectRequests(t, 0)
}

func TestWaitForJob_failureNamesJobCodeReasonAndMember(t *testing.T) {
	f, c := newShareEnv(t)
	f.emu.SetJobs(emulator.JobBehaviour{Duration: 30 * time.Millisecond, Fail: true, ErrorCode: emulator.QuotaErrorCode, FailReason: emulator.QuotaFailReason})
	id, err := c.AddImageMembers(t.Context(), client.MembersChange{Region: faultRegion, ProjectID: faultProject, ImageIDs: []string{faultImage}, Projects: []string{sharePeer}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.WaitForJob(t.Context(), client.WaitForJobInput{Region: faultRegion, ProjectID: faultProject, JobID: id})
	var jobErr *client.JobError
	if !errors.As(err, &jobErr) {
		t.Fatalf("error %v, want a *JobError", err)
	}
	want := "job " + id + " (imsAddImageMembersJob) ended in FAIL: error code IMG.0088, reason \"" + emulator.QuotaFailReason +
		"\"; member " + sharePeer + " of image " + faultImage + ": failed"
	if err.Error() != want {
		t.Errorf("error:\n%s\nwant\n%s", err, want)
	}
	// It polled while the job ran, then stopped.
	if n := f.emu.CountRequests("/jobs/" + id); n < 2 {
		t.Errorf("%d polls, want the job seen RUNNING at least once", n)
	}
}

// A SUCCESS job that lists a failed member is an error naming it (the API
// does not say whether that happens; the client checks anyway).
func TestWaitForJob_successWithAFailedMember(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"status":"SUCCESS","job_id":"j1","job_type":"imsAddImageMembersJob","entities":{"results":[` +
			`{"image_id":"i1","project_id":"p-ok","status":"success"},{"image_id":"i1","project_id":"p-bad","status":"failed"}]},"error_code":"","fail_reason":""}`))
	}))
	t.Cleanup(srv.Close)
	c, err := client.New(client.Config{Credentials: client.Credentials{AccessKey: "AK", SecretKey: "SK"}, IMSEndpoint: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.WaitForJob(t.Context(), client.WaitForJobInput{Region: faultRegion, ProjectID: faultProject, JobID: "j1"})
	var jobErr *client.JobError
	if !errors.As(err, &jobErr) || jobErr.Member != "p-bad" || jobErr.ImageID != "i1" ||
		!strings.Contains(err.Error(), "reported success with a failed member") {
		t.Fatalf("error %v", err)
	}
}

func TestWaitForJob_boundedByTheDeadlineAndCancellation(t *testing.T) {
	f, c := newShareEnv(t)
	f.emu.SetJobs(emulator.JobBehaviour{Duration: time.Hour})
	id, err := c.AddImageMembers(t.Context(), client.MembersChange{Region: faultRegion, ProjectID: faultProject, ImageIDs: []string{faultImage}, Projects: []string{sharePeer}})
	if err != nil {
		t.Fatal(err)
	}
	in := client.WaitForJobInput{Region: faultRegion, ProjectID: faultProject, JobID: id}

	// Long enough for a poll to be answered even on a loaded machine, so the
	// error can say what the job was doing; the job itself lasts an hour.
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	_, err = c.WaitForJob(ctx, in)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "job "+id+" (imsAddImageMembersJob) was still RUNNING after") {
		t.Fatalf("timeout: %v", err)
	}

	ctx, cancel = context.WithCancel(t.Context())
	f.log.onLine = func(e logEntry) {
		if e.fields["path"] == "/v1/"+faultProject+"/jobs/"+id {
			cancel() // during the wait that follows the first poll
		}
	}
	_, err = c.WaitForJob(ctx, in)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
}

// A write is resent only when it never reached IMS (the gateway's 429); a
// 5xx, a dropped connection or an attempt timeout after sending is an
// AnswerLostError and the write is sent once: only a fresh read can say
// whether it took effect.
func TestSharing_writeResentOnlyWhenItNeverReachedIMS(t *testing.T) {
	for _, tc := range []struct {
		name   string
		fault  emulator.Fault
		writes int
		lost   bool
	}{
		{"5xx", emulator.Fault{Kind: emulator.FaultStatus, Status: http.StatusServiceUnavailable}, 1, true},
		{"dropped connection", emulator.Fault{Kind: emulator.FaultDropConnection}, 1, true},
		{"answer lost after the change", emulator.Fault{Kind: emulator.FaultDropConnection, After: true}, 1, true},
		{"a proxy's page instead of the job", emulator.Fault{Kind: emulator.FaultGarbage, After: true}, 1, true},
		{"gateway 429", emulator.Fault{Kind: emulator.FaultStatus, Status: http.StatusTooManyRequests, RetryAfter: "0",
			Body: `{"error_code":"APIGW.0308","error_msg":"The throttling threshold has been reached"}`}, 2, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, c := newShareEnv(t)
			tc.fault.Path, tc.fault.Method = "/v1/cloudimages/members", http.MethodPost
			f.emu.Inject(tc.fault)
			_, err := c.AddImageMembers(t.Context(), client.MembersChange{Region: faultRegion, ProjectID: faultProject, ImageIDs: []string{faultImage}, Projects: []string{sharePeer}})
			var lost *client.AnswerLostError
			if errors.As(err, &lost) != tc.lost || (!tc.lost && err != nil) {
				t.Fatalf("error %v, want answer lost: %v", err, tc.lost)
			}
			if got := writes(f.emu); len(got) != tc.writes {
				t.Errorf("writes %q, want %d", got, tc.writes)
			}
		})
	}
}

// A write that cannot connect never reached IMS: it is retried like a read
// and ends as a plain error, not an AnswerLostError.
func TestSharing_writeThatNeverConnectedIsRetried(t *testing.T) {
	url := "http://" + loopback.ClosedPort(t) // connection refused
	c, err := client.New(client.Config{
		Credentials: client.Credentials{AccessKey: "AK", SecretKey: "SK"},
		IMSEndpoint: url, IAMEndpoint: url, MaxRetries: 2,
		Retry: client.RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: time.Millisecond},
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.AddImageMembers(t.Context(), client.MembersChange{Region: faultRegion, ProjectID: faultProject, ImageIDs: []string{faultImage}, Projects: []string{sharePeer}})
	var lost *client.AnswerLostError
	if err == nil || errors.As(err, &lost) || !strings.Contains(err.Error(), "giving up after 3 attempt(s)") {
		t.Fatalf("error %v, want three attempts and no AnswerLostError", err)
	}
}
