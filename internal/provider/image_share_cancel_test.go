package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
)

// Cancelling a create (Terraform interrupted) during the job wait stops
// the wait and says so (the job runs an hour: a wait that ignored the
// cancellation would not return), and still answers with the state: the
// member whose job is running is recorded, so Terraform keeps the resource
// (tainted). Called directly: a test through the terraform binary cannot
// interrupt it at that moment.
func TestImageShare_cancelledDuringTheJobWait(t *testing.T) {
	s := newShareServer(t)
	s.SetJobs(emulator.JobBehaviour{Duration: time.Hour})
	r, sch := directShareResource(t, s)
	ctx := t.Context()
	plan := tfsdk.Plan{Schema: sch}
	if d := plan.Set(ctx, shareModelOf(shareSets{projects: []string{shareProject}})); d.HasError() {
		t.Fatal(d)
	}

	ctx, cancel := context.WithCancel(ctx)
	go func() { // cancel once the job has been polled and found RUNNING
		for !s.answeredJobPoll() {
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
	}()
	resp := resource.CreateResponse{State: tfsdk.State{Schema: sch}}
	r.Create(ctx, resource.CreateRequest{Plan: plan}, &resp)
	if !resp.Diagnostics.HasError() {
		t.Fatal("a cancelled create succeeded")
	}
	detail := resp.Diagnostics.Errors()[0].Detail()
	// Usually during the wait after the first poll ("was still RUNNING after
	// 1 poll(s)"); the cancellation may also catch the poll's answer in flight.
	inWait := strings.Contains(detail, "context canceled. The create was cancelled.")
	inPoll := strings.Contains(detail, "context canceled during attempt")
	if !strings.Contains(detail, "job ") || !inWait && !inPoll || !strings.Contains(detail, "terraform untaint") {
		t.Errorf("detail %q", detail)
	}
	var got imageShareModel
	if d := resp.State.Get(ctx, &got); d.HasError() {
		t.Fatalf("state: %v", d)
	}
	var ids []string
	got.ProjectIDs.ElementsAs(ctx, &ids, false)
	if got.ID.ValueString() != shareImage || len(ids) != 1 || ids[0] != shareProject {
		t.Errorf("state %+v, want the image with project %s", got, shareProject)
	}
}

// answeredJobPoll tells whether a job poll has been answered.
func (s *testServer) answeredJobPoll() bool {
	for _, r := range s.Requests() {
		if strings.Contains(r.Path, "/jobs/") && r.Status != 0 {
			return true
		}
	}
	return false
}

// Cancelling the create of an answer during its job wait keeps the record
// too: the state holds the answer read back (still pending while the job
// runs), so Terraform keeps the resource (tainted).
func TestSharedImageAcceptance_cancelledDuringTheJobWait(t *testing.T) {
	s := newTestServer(t)
	s.addWorld()
	s.SetJobs(emulator.JobBehaviour{Duration: time.Hour})
	shares, _ := directShareResource(t, s)
	r := &sharedImageAcceptanceResource{data: shares.data}
	ctx := t.Context()
	var schemaResp resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &schemaResp)
	plan := tfsdk.Plan{Schema: schemaResp.Schema}
	model := sharedImageAcceptanceModel{
		ID: types.StringUnknown(), ImageID: types.StringValue(worldIncomingPending), Region: types.StringUnknown(), ProjectID: types.StringUnknown(),
		Status: types.StringValue("accepted"), VaultID: types.StringNull(),
		Timeouts: timeouts.Value{Object: types.ObjectNull(shareTimeoutsType)},
	}
	if d := plan.Set(ctx, &model); d.HasError() {
		t.Fatal(d)
	}
	ctx, cancel := context.WithCancel(ctx)
	go func() {
		for !s.answeredJobPoll() {
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
	}()
	resp := resource.CreateResponse{State: tfsdk.State{Schema: schemaResp.Schema}}
	r.Create(ctx, resource.CreateRequest{Plan: plan}, &resp)
	if !resp.Diagnostics.HasError() || !strings.Contains(resp.Diagnostics.Errors()[0].Detail(), "terraform untaint") {
		t.Fatalf("diagnostics %v", resp.Diagnostics)
	}
	var got sharedImageAcceptanceModel
	if d := resp.State.Get(t.Context(), &got); d.HasError() {
		t.Fatalf("state: %v", d)
	}
	if got.ID.ValueString() != worldIncomingPending || got.Status.ValueString() != "pending" {
		t.Errorf("state %+v, want the image with its answer as read back (pending)", got)
	}
}
