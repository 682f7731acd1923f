package emulator

import "strings"

// The cloud's docs leave some answers of the member writes open. The
// emulator plays each plausible answer, chosen with SetUnknowns, so that
// the provider's tests can run its write paths against every one. Each
// field names its source; none of these is documented, so every way is
// "assumed".

// UnknownAnswer is one plausible answer to a write the docs say nothing of.
type UnknownAnswer int

const (
	// AnswerNoOp: the request is accepted and its job succeeds without
	// changing anything. Assumed (what a set-like API usually does).
	AnswerNoOp UnknownAnswer = iota
	// AnswerFailJob: the request is accepted and its job ends in FAIL,
	// naming the member in entities.results. Assumed (IMS reports
	// per-member results in jobs; see the Job model's entities).
	AnswerFailJob
	// AnswerFailRequest: the request is refused with 400 before any job.
	// Assumed (IMS validates a write before starting its job).
	AnswerFailRequest
)

// QuotaAnswer is where the share quota (IMG.0088) shows.
type QuotaAnswer int

const (
	// QuotaInRequest: the POST is refused with 400 IMG.0088. Source: the
	// IMS error code list names IMG.0088 among the request errors.
	QuotaInRequest QuotaAnswer = iota
	// QuotaInJob: the POST answers a job that ends in FAIL with error_code
	// IMG.0088 and changes nothing. Assumed: the limit is checked when the
	// job runs.
	QuotaInJob
)

// Unknowns picks one plausible answer for each open question.
type Unknowns struct {
	// DuplicateAdd is the answer to a POST naming a member the image
	// already has. Source: not documented (assumed, every way).
	DuplicateAdd UnknownAnswer
	// RemoveAbsent is the answer to a DELETE naming a member the image
	// does not have. Source: not documented (assumed, every way).
	RemoveAbsent UnknownAnswer
	// Quota is where an add over 256 members fails.
	Quota QuotaAnswer
	// FailedEntrySucceeds makes a job with failed members (JobBehaviour's
	// FailMembers, or an AnswerFailJob) end in SUCCESS with the failed
	// entries listed, instead of FAIL. Source: the Job model allows both;
	// whether SUCCESS can carry a failed entry is not documented (assumed).
	FailedEntrySucceeds bool
}

// SetUnknowns picks the answers to the undocumented cases for later writes.
func (e *Emulator) SetUnknowns(u Unknowns) {
	e.mu.Lock()
	e.unknowns = u
	e.mu.Unlock()
}

// Error codes and reasons of failed jobs, by cause.
const (
	// QuotaErrorCode is the share quota. Source: IMS error codes (IMG.0088).
	QuotaErrorCode   = "IMG.0088"
	QuotaFailReason  = "The number of tenants the image is shared with has reached the quota."
	memberErrorCode  = "IMG.0061" // assumed: the generic IMS system error
	memberFailReason = "The job failed for some members."
)

// jobDefaultFailReason is the reason of a job failed on request
// (JobBehaviour.Fail without a code), by job type; its code is IMS's
// generic system error (memberErrorCode). Assumed; never the quota code,
// which only an add over the limit earns.
func jobDefaultFailReason(jobType string) string {
	switch jobType {
	case "imsAddImageMembersJob":
		return "Failed to add the image members."
	case "imsDelImageMembersJob":
		return "Failed to delete the image members."
	case "imsUpdateImageMembersJob":
		return "Failed to update the image member status."
	}
	return "The job failed."
}

// failsMember tells whether the job behaviour fails the member named
// (a project or domain ID, or an organization URN or its last ID).
func (b JobBehaviour) failsMember(named string) bool {
	for _, m := range b.FailMembers {
		if m == named || (strings.HasPrefix(named, "organizations::") && strings.HasSuffix(named, "/"+m)) {
			return true
		}
	}
	return false
}
