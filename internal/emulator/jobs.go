package emulator

import (
	"encoding/json"
	"net/http"
	"time"
)

// JobBehaviour is how the jobs of later write calls run: each stays
// RUNNING for Duration, then ends in SUCCESS with its change made, or, when
// Fail is set, in FAIL with ErrorCode and FailReason and nothing changed.
type JobBehaviour struct {
	Duration time.Duration
	Fail     bool
	// ErrorCode and FailReason default to a generic failure of the job's
	// type (jobDefaultFailReason); the quota code is only for the quota.
	ErrorCode, FailReason string
	// FailMembers fails the job for these members only (project or domain
	// IDs, organization URNs or their last ID): the others are changed, the
	// job's results mark these failed, and the job ends in FAIL (or in
	// SUCCESS under Unknowns.FailedEntrySucceeds).
	FailMembers []string
}

// SetJobs sets how the jobs of later write calls run.
func (e *Emulator) SetJobs(b JobBehaviour) {
	e.mu.Lock()
	e.jobConfig = b
	e.mu.Unlock()
}

// job is one asynchronous change. Its change is made when it ends, the
// first time a request (or a Go API read) sees that its time is up, so a
// job reported SUCCESS has always made its change visible to reads.
type job struct {
	ID        string
	ProjectID string // the project that started it, the only one that can read it
	Type      string
	begin     time.Time
	end       time.Time
	behaviour JobBehaviour
	results   []jobResult
	// failed are the members (as named in results) the job fails for,
	// with the code and reason of the first; none is changed.
	failed               map[string]bool
	failCode, failReason string
	failedSucceeds       bool
	apply                func(skip map[string]bool) // the change, run with e.mu held for writing
	ended                bool
}

type jobResult struct {
	ImageID   string `json:"image_id"`
	ProjectID string `json:"project_id"`
	Status    string `json:"status"`
}

// startJobLocked registers a job for change; e.mu must be held for writing.
// failed names members the job fails for whatever the behaviour says
// (an undocumented case played as a failed job), with their code and reason.
func (e *Emulator) startJobLocked(projectID, jobType string, results []jobResult, failed map[string]bool, code, reason string, change func(skip map[string]bool)) *job {
	now := time.Now()
	j := &job{
		ID: newJobID(), ProjectID: projectID, Type: jobType, begin: now,
		end: now.Add(e.jobConfig.Duration), behaviour: e.jobConfig, results: results, apply: change,
		failed: map[string]bool{}, failCode: code, failReason: reason, failedSucceeds: e.unknowns.FailedEntrySucceeds,
	}
	for m := range failed {
		j.failed[m] = true
	}
	for _, r := range results {
		if e.jobConfig.failsMember(r.ProjectID) {
			j.failed[r.ProjectID] = true
		}
	}
	if len(j.failed) > 0 && j.failCode == "" {
		j.failCode, j.failReason = memberErrorCode, memberFailReason
		if e.jobConfig.ErrorCode != "" {
			j.failCode, j.failReason = e.jobConfig.ErrorCode, e.jobConfig.FailReason
		}
	}
	e.jobs[j.ID] = j
	e.unsettled.Add(1)
	e.settleLocked(now) // a job of zero duration ends at once
	return j
}

// settleJobs ends the jobs whose time is up.
func (e *Emulator) settleJobs(now time.Time) {
	if e.unsettled.Load() == 0 {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.settleLocked(now)
}

func (e *Emulator) settleLocked(now time.Time) {
	for _, j := range e.jobs {
		if j.ended || now.Before(j.end) {
			continue
		}
		j.ended = true
		e.unsettled.Add(-1)
		if !j.behaviour.Fail {
			j.apply(j.failed)
		}
	}
}

// wireJob is GET /v1/{project_id}/jobs/{job_id}'s answer.
type wireJob struct {
	Status   string `json:"status"`
	Entities struct {
		Results []jobResult `json:"results"`
	} `json:"entities"`
	JobID      string `json:"job_id"`
	JobType    string `json:"job_type"`
	BeginTime  string `json:"begin_time"`
	EndTime    string `json:"end_time"`
	ErrorCode  string `json:"error_code"`
	FailReason string `json:"fail_reason"`
}

// jobTimeFormat is the API's job timestamp format.
const jobTimeFormat = "2006-01-02T15:04:05.000Z"

// serveJob answers GET /v1/{project_id}/jobs/{job_id}.
func (e *Emulator) serveJob(x *exchange, projectID, jobID string) {
	if !e.checkProject(x, projectID) {
		return
	}
	e.mu.RLock()
	j := e.jobs[jobID]
	var w wireJob
	if j != nil && j.ProjectID == projectID {
		w = wireJob{JobID: j.ID, JobType: j.Type, BeginTime: j.begin.UTC().Format(jobTimeFormat), Status: "RUNNING"}
		w.Entities.Results = append([]jobResult(nil), j.results...)
		for i := range w.Entities.Results {
			w.Entities.Results[i].Status = "RUNNING"
		}
		if j.ended {
			w.EndTime = j.end.UTC().Format(jobTimeFormat)
			w.Status, w.ErrorCode, w.FailReason = j.outcome()
			for i := range w.Entities.Results {
				failed := j.behaviour.Fail || j.failed[w.Entities.Results[i].ProjectID]
				w.Entities.Results[i].Status = map[bool]string{true: "failed", false: "success"}[failed]
			}
		}
	}
	e.mu.RUnlock()
	if j == nil || w.JobID == "" {
		x.imsError(http.StatusNotFound, "IMG.0043", "The job does not exist: "+jobID+".")
		return
	}
	b, _ := json.Marshal(w) // strings only: cannot fail
	x.buf.Reset()
	x.buf.Write(b)
	x.setJSON(http.StatusOK)
}

// outcome is the status, error code and reason of an ended job.
func (j *job) outcome() (status, code, reason string) {
	if j.behaviour.Fail {
		code, reason = memberErrorCode, jobDefaultFailReason(j.Type)
		if j.behaviour.ErrorCode != "" {
			code = j.behaviour.ErrorCode
		}
		if j.behaviour.FailReason != "" {
			reason = j.behaviour.FailReason
		}
		return "FAIL", code, reason
	}
	if len(j.failed) == 0 {
		return "SUCCESS", "", ""
	}
	if j.failedSucceeds {
		return "SUCCESS", "", ""
	}
	return "FAIL", j.failCode, j.failReason
}

// newJobID looks like the API's job IDs: 32 hex characters.
func newJobID() string { return newRequestID() }
