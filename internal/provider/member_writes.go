package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
)

// The member writes of both resources never lose track of a member
// (IMAGES-AND-SHARING.md, "Writes that never lose track of a member"):
// every write is diffed against a fresh read of the cloud, removals go
// first, a lost answer is reconciled by reading again rather than resent
// as is, and a failed job is judged against a fresh read.

// shareWriter carries out the member writes of one image of its owner.
type shareWriter struct {
	data                       *providerData
	region, projectID, imageID string
	// mayHaveWritten is set once a write was answered with a job or sent
	// with its answer lost: from then on the cloud may differ from before,
	// and a failed create must still record the resource.
	mayHaveWritten bool
	// sent are the members of every add and remove sent: after a failure
	// each may still change (a job still running), so the state keeps them.
	sent shareSets
}

// members reads the image's complete members list.
func (w *shareWriter) members(ctx context.Context) (*client.MemberList, error) {
	return w.data.client.ListImageMembers(ctx, client.ListImageMembersInput{Region: w.region, ProjectID: w.projectID, ImageID: w.imageID})
}

// shareSetsOf sorts members into the three sets: projects and domains by
// member_id, organizations by URN (member_id when the API sent none).
func shareSetsOf(members []client.Member) shareSets {
	var s shareSets
	for _, m := range members {
		switch m.MemberType {
		case "project":
			s.projects = append(s.projects, m.MemberID)
		case "domain":
			s.domains = append(s.domains, m.MemberID)
		case "organization":
			urn := m.MemberID
			if m.URN != nil && *m.URN != "" {
				urn = *m.URN
			}
			s.organizations = append(s.organizations, urn)
		}
	}
	slices.Sort(s.projects)
	slices.Sort(s.domains)
	slices.Sort(s.organizations)
	return s
}

// intersect is what s and other have in common.
func (s shareSets) intersect(other shareSets) shareSets {
	return s.minus(s.minus(other))
}

// union is every member of s and other, sorted.
func (s shareSets) union(other shareSets) shareSets {
	return shareSets{sortedUnion(s.projects, other.projects), sortedUnion(s.domains, other.domains), sortedUnion(s.organizations, other.organizations)}
}

func sortedUnion(a, b []string) []string {
	out := slices.Concat(a, b)
	slices.Sort(out)
	return slices.Compact(out)
}

func (s shareSets) size() int { return len(s.projects) + len(s.domains) + len(s.organizations) }

// converge makes every member of add present on the image and every member
// of remove absent, sending only what a fresh read shows is still needed:
// removals first (at the quota a swap needs the room, and taking access
// away first is the safer order), then additions, each job awaited; see
// reconcile for what happens after a failure.
func (w *shareWriter) converge(ctx context.Context, add, remove shareSets) error {
	return w.data.reconcile(ctx, func(ctx context.Context) (writeStep, error) {
		list, err := w.members(ctx)
		if err != nil {
			return writeStep{}, err
		}
		current := shareSetsOf(list.Members)
		removeNow, addNow := remove.intersect(current), add.minus(current)
		if removeNow.empty() && addNow.empty() {
			return writeStep{}, nil // as wanted, whatever the last answer said
		}
		return writeStep{
			send: func(ctx context.Context) error {
				if err := w.write(ctx, w.data.client.RemoveImageMembers, removeNow); err != nil {
					return err
				}
				return w.write(ctx, w.data.client.AddImageMembers, addNow)
			},
			explain: func(err error) error { return w.explainFailure(err, current, addNow, removeNow) },
		}, nil
	})
}

// writeStep is what a fresh read says is still to be written: send writes
// it (nil when nothing is), and explain adds what the read knows to a
// final failure.
type writeStep struct {
	send    func(context.Context) error
	explain func(error) error
}

// reconcile is the one loop of both resources' writes: next reads what the
// write is to change and says what is still needed; reconcile sends it.
// After a failure it reads again: nothing still needed means the write
// succeeded, whatever its answer was (a failed job is judged by a fresh
// read). A write whose answer was lost, or whose job could not be followed
// to its end, is sent again only as what the read shows still needed, at
// most as many times as the client retries a request (the client itself
// resends only writes that never reached IMS). Any other failure is final.
func (p *providerData) reconcile(ctx context.Context, next func(context.Context) (writeStep, error)) error {
	var failure error // the last write's failure, judged by the next read
	for sends := 0; ; {
		step, err := next(ctx)
		switch {
		case err != nil && failure != nil:
			return fmt.Errorf("%w; reading again to see what it did also failed: %w", failure, err)
		case err != nil:
			return err
		case step.send == nil:
			return nil
		case failure != nil && (!reconcilable(ctx, failure) || sends > p.client.MaxRetries()):
			if step.explain != nil {
				return step.explain(failure)
			}
			return failure
		}
		sends++
		if failure = step.send(ctx); failure == nil {
			return nil
		}
	}
}

// write sends one add or remove of members and awaits its job; nothing is
// sent for no member.
func (w *shareWriter) write(ctx context.Context, send func(context.Context, client.MembersChange) (string, error), members shareSets) error {
	if members.empty() {
		return nil
	}
	change := members.change(w.region, w.projectID, w.imageID)
	w.sent = w.sent.union(members)
	return w.data.runJob(ctx, w.region, w.projectID, &w.mayHaveWritten, func(ctx context.Context) (string, error) {
		return send(ctx, change)
	})
}

// reconcilable tells a failure after which the write may be sent again
// once a fresh read shows it is still needed: its answer was lost, or its
// job could not be followed to the end (a poll that failed, a job the API
// no longer knows). A failed job, a refused request and the end of the
// operation's time are final.
func reconcilable(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	var lost *client.AnswerLostError
	var jobErr *client.JobError
	var waitErr *jobWaitError
	switch {
	case errors.As(err, &jobErr):
		return false
	case errors.As(err, &lost), errors.As(err, &waitErr):
		return true
	}
	return false
}

// jobWaitError is a job started whose end could not be learned.
type jobWaitError struct {
	jobID string
	err   error
}

func (e *jobWaitError) Error() string { return e.err.Error() }
func (e *jobWaitError) Unwrap() error { return e.err }

// explainFailure is the error of a write that did not converge: the
// failure, and for the share quota the numbers.
func (w *shareWriter) explainFailure(err error, current, addNow, removeNow shareSets) error {
	var apiErr *client.APIError
	var jobErr *client.JobError
	quota := (errors.As(err, &apiErr) && apiErr.Code == "IMG.0088") || (errors.As(err, &jobErr) && jobErr.ErrorCode == "IMG.0088")
	if quota {
		return fmt.Errorf("%w; image %s has %d member(s) (%d project(s), %d account(s), %d organization(s)) and %d more were to be added, "+
			"%d in all, over the limit of %d tenants an image can be shared with (10 for a full-ECS image; whether accounts and organizations count toward it is not documented)",
			err, w.imageID, current.size(), len(current.projects), len(current.domains), len(current.organizations), addNow.size(),
			current.size()+addNow.size()-removeNow.size(), maxShareMembers)
	}
	return err
}

// imageGone tells whether IMS itself says the image does not exist: the
// error is IMS's 404 (or IMG.0066 on a write), and the image list
// confirms it (GET /v2/cloudimages?id=). A gateway 404 or any other answer
// is not "gone".
func (p *providerData) imageGone(ctx context.Context, err error, region, projectID, imageID string) bool {
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	if saysGone := apiErr.NotFoundByIMS() || (apiErr.FromIMS() && apiErr.Code == "IMG.0066"); !saysGone {
		return false
	}
	list, listErr := p.client.ListImages(ctx, client.ListImagesInput{Region: region, ProjectID: projectID, Filters: client.ImageFilters{ID: imageID}})
	return listErr == nil && !slices.ContainsFunc(list.Images, func(img client.Image) bool { return img.ID == imageID })
}

// recordTimeout bounds the read that records what a failed, timed-out or
// cancelled write did: the operation's own context may be over by then.
const recordTimeout = 30 * time.Second

// recordContext is ctx while it lasts, else a short context of its own
// (same values, no cancellation) for the read that records the outcome.
func recordContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if ctx.Err() == nil {
		return ctx, func() {}
	}
	return context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
}

// runJob starts a job with start and waits for it to end. It sets
// *written once the write may have taken effect (answered with a job, or
// its answer lost). A wait that failed for another reason than the job's
// own failure or the operation's end is a *jobWaitError: the job's outcome
// is unknown, and only a fresh read can tell.
func (p *providerData) runJob(ctx context.Context, region, projectID string, written *bool, start func(context.Context) (string, error)) error {
	jobID, err := start(ctx)
	var lost *client.AnswerLostError
	if err == nil || errors.As(err, &lost) {
		*written = true
	}
	if err != nil {
		return err
	}
	_, err = p.client.WaitForJob(ctx, client.WaitForJobInput{Region: region, ProjectID: projectID, JobID: jobID})
	var jobErr *client.JobError
	if err != nil && !errors.As(err, &jobErr) && ctx.Err() == nil {
		return &jobWaitError{jobID: jobID, err: err}
	}
	return err
}
