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
	// ErrorCode and FailReason default to a share-quota failure.
	ErrorCode, FailReason string
}

// Defaults of a failing job's error.
const (
	DefaultJobErrorCode  = "IMG.0088"
	DefaultJobFailReason = "The number of tenants the image is shared with has reached the quota."
)

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
	apply     func() // the change, run with e.mu held for writing
	ended     bool
}

type jobResult struct {
	ImageID   string `json:"image_id"`
	ProjectID string `json:"project_id"`
	Status    string `json:"status"`
}

// startJobLocked registers a job for change; e.mu must be held for writing.
func (e *Emulator) startJobLocked(projectID, jobType string, results []jobResult, change func()) *job {
	now := time.Now()
	j := &job{
		ID: newJobID(), ProjectID: projectID, Type: jobType, begin: now,
		end: now.Add(e.jobConfig.Duration), behaviour: e.jobConfig, results: results, apply: change,
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
			j.apply()
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
			w.Status, w.ErrorCode, w.FailReason = jobOutcome(j.behaviour)
			for i := range w.Entities.Results {
				w.Entities.Results[i].Status = map[bool]string{true: "failed", false: "success"}[j.behaviour.Fail]
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

// jobOutcome is the status, error code and reason of an ended job.
func jobOutcome(b JobBehaviour) (status, code, reason string) {
	if !b.Fail {
		return "SUCCESS", "", ""
	}
	code, reason = b.ErrorCode, b.FailReason
	if code == "" {
		code = DefaultJobErrorCode
	}
	if reason == "" {
		reason = DefaultJobFailReason
	}
	return "FAIL", code, reason
}

// newJobID looks like the API's job IDs: 32 hex characters.
func newJobID() string { return newRequestID() }
