package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Job is an asynchronous IMS job as GET /v1/{project_id}/jobs/{job_id}
// returns it.
type Job struct {
	ID         string      `json:"job_id"`
	Type       string      `json:"job_type"` // imsAddImageMembersJob, imsDelImageMembersJob, imsUpdateImageMembersJob
	Status     string      `json:"status"`   // INIT, RUNNING, SUCCESS, FAIL
	BeginTime  string      `json:"begin_time"`
	EndTime    string      `json:"end_time"`
	ErrorCode  string      `json:"error_code"`
	FailReason string      `json:"fail_reason"`
	Entities   JobEntities `json:"entities"`
}

// JobEntities are what the job worked on.
type JobEntities struct {
	Results []JobResult `json:"results"`
}

// JobResult is one image and member of a job: ProjectID is the member.
type JobResult struct {
	ImageID   string `json:"image_id"`
	ProjectID string `json:"project_id"`
	Status    string `json:"status"`
}

// failedResults are the results the job marks as failed. The API does not
// document whether a SUCCESS job can carry failed entries, so both
// outcomes are checked.
func (j *Job) failedResults() []JobResult {
	var out []JobResult
	for _, r := range j.Entities.Results {
		switch strings.ToLower(r.Status) {
		case "fail", "failed", "failure", "error":
			out = append(out, r)
		}
	}
	return out
}

// JobError is a job that ended in FAIL, or in SUCCESS with a failed
// member. It names the job, the cloud's error code and reason, and the
// image and member the job says failed, when it says so.
type JobError struct {
	JobID, JobType, Status string
	ErrorCode, FailReason  string
	// ImageID and Member are the first failed entry's; empty when the job
	// names none. Failed lists every failed entry.
	ImageID, Member, MemberStatus string
	Failed                        []JobResult
}

// FailedMembers are the members the job names as failed.
func (e *JobError) FailedMembers() []string {
	out := make([]string, len(e.Failed))
	for i, r := range e.Failed {
		out[i] = r.ProjectID
	}
	return out
}

func (e *JobError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "job %s", e.JobID)
	if e.JobType != "" {
		fmt.Fprintf(&b, " (%s)", e.JobType)
	}
	if e.Status == "SUCCESS" {
		b.WriteString(" reported success with a failed member")
	} else {
		fmt.Fprintf(&b, " ended in %s", e.Status)
	}
	fmt.Fprintf(&b, ": error code %s, reason %q", orNone(e.ErrorCode), e.FailReason)
	const shown = 20 // a diagnostic listing hundreds helps nobody
	for _, r := range e.Failed[:min(len(e.Failed), shown)] {
		fmt.Fprintf(&b, "; member %s of image %s: %s", r.ProjectID, r.ImageID, r.Status)
	}
	if n := len(e.Failed) - shown; n > 0 {
		fmt.Fprintf(&b, "; and %d more failed member(s)", n)
	}
	return b.String()
}

// WaitForJobInput names the job and the project that started it.
type WaitForJobInput struct {
	Region    string
	ProjectID string
	JobID     string
}

// Default intervals between two polls of a job: the first poll is at once,
// then the wait doubles from JobPollInterval up to JobPollMaxInterval.
const (
	DefaultJobPollInterval    = time.Second
	DefaultJobPollMaxInterval = 10 * time.Second
)

// WaitForJob polls the job until it ends in SUCCESS or FAIL, or ctx ends
// (the operation's timeout, or a cancellation), waiting longer between
// polls the longer it runs. A FAIL, or a SUCCESS that lists a failed
// member, is a *JobError. Each poll goes through send: budget, retries and
// logging as for any read.
func (c *Client) WaitForJob(ctx context.Context, in WaitForJobInput) (*Job, error) {
	if in.ProjectID == "" || in.JobID == "" {
		return nil, fmt.Errorf("wait for job: project ID and job ID are required")
	}
	path := "/v1/" + in.ProjectID + "/jobs/" + in.JobID
	wait := c.cfg.JobPollInterval
	var last *Job // the last poll answered, for an error that cuts the next
	for polls := 1; ; polls++ {
		rep, err := c.send(ctx, call{service: "ims", operation: OpGetJob, region: in.Region, path: path, projectID: in.ProjectID})
		if err != nil {
			if last != nil && ctx.Err() != nil {
				// The deadline or a cancellation cut a poll: what the user
				// needs is what the job was last seen doing.
				return nil, fmt.Errorf("job %s (%s) was still %s after %d poll(s): %w", last.ID, last.Type, last.Status, polls-1, err)
			}
			return nil, fmt.Errorf("waiting for job %s: %w", in.JobID, err)
		}
		var job Job
		if err := json.Unmarshal(rep.body, &job); err != nil || job.Status == "" {
			return nil, &ResponseError{Method: http.MethodGet, Path: path, RequestID: rep.requestID,
				Reason: `the response is not a job with a "status": ` + c.bodySnippet(rep.body), Err: err}
		}
		if job.ID == "" {
			job.ID = in.JobID
		}
		switch job.Status {
		case "SUCCESS", "FAIL":
			return job.outcome()
		}
		last = &job
		if err := sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("job %s (%s) was still %s after %d poll(s): %w", job.ID, job.Type, job.Status, polls, err)
		}
		wait = min(2*wait, c.cfg.JobPollMaxInterval)
	}
}

// outcome is the job of a finished poll, or the error it carries.
func (j *Job) outcome() (*Job, error) {
	failed := j.failedResults()
	if j.Status == "SUCCESS" && len(failed) == 0 {
		return j, nil
	}
	e := &JobError{JobID: j.ID, JobType: j.Type, Status: j.Status, ErrorCode: j.ErrorCode, FailReason: j.FailReason, Failed: failed}
	if len(failed) > 0 {
		e.ImageID, e.Member, e.MemberStatus = failed[0].ImageID, failed[0].ProjectID, failed[0].Status
	}
	return j, e
}
