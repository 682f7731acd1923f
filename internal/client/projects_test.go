package client_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
)

func TestProjectIDExactNameMatch(t *testing.T) {
	e, c := newEmulatorClient(t, nil)
	// A sub-project whose name starts with the region must not be taken.
	e.AddProject(emulator.Project{ID: "subproject00000000000000000000000", Name: testRegion + "_dev", Enabled: true})
	id, err := c.ProjectID(context.Background(), testRegion)
	if err != nil || id != testProject {
		t.Fatalf("ProjectID = %q, %v; want %q", id, err, testProject)
	}
	r := e.Requests()
	if len(r) != 1 || r[0].Path != "/v3/projects" || r[0].RawQuery != "name="+testRegion {
		t.Errorf("requests %+v, want one GET /v3/projects?name=%s", r, testRegion)
	}
}

func TestProjectIDNotFound(t *testing.T) {
	_, c := newEmulatorClient(t, nil)
	_, err := c.ProjectID(context.Background(), "ap-southeast-9")
	var nf *client.ProjectNotFoundError
	if !errors.As(err, &nf) || nf.Region != "ap-southeast-9" || !strings.Contains(err.Error(), `"ap-southeast-9"`) {
		t.Fatalf("want ProjectNotFoundError for the region, got %v", err)
	}
}

// TestProjectIDOneLookupUnderConcurrency: ten reads of different images
// starting at once share one IAM request per region.
func TestProjectIDOneLookupUnderConcurrency(t *testing.T) {
	e, c := newEmulatorClient(t, nil)
	e.AddProject(emulator.Project{ID: "eu000000000000000000000000000000", Name: "eu-west-101", Enabled: true})
	e.Inject(emulator.Fault{Kind: emulator.FaultSlow, Delay: 50 * time.Millisecond, Path: "/v3/projects"})
	var wg sync.WaitGroup
	ids := make([]string, 20)
	errs := make([]error, 20)
	for i := range ids {
		region := testRegion
		if i%2 == 1 {
			region = "eu-west-101"
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids[i], errs[i] = c.ProjectID(context.Background(), region)
		}()
	}
	wg.Wait()
	for i := range ids {
		want := testProject
		if i%2 == 1 {
			want = "eu000000000000000000000000000000"
		}
		if errs[i] != nil || ids[i] != want {
			t.Fatalf("caller %d: %q, %v; want %q", i, ids[i], errs[i], want)
		}
	}
	if n := e.CountRequests("/v3/projects"); n != 2 {
		t.Errorf("%d IAM requests for 20 callers over 2 regions, want 2", n)
	}
	if _, err := c.ProjectID(context.Background(), testRegion); err != nil || e.CountRequests("/v3/projects") != 2 {
		t.Errorf("a later call looked the project up again (%d requests, %v)", e.CountRequests("/v3/projects"), err)
	}
}

// TestProjectIDFailureIsRemembered: a failed lookup is one IAM request
// (and its retries) for the whole client, not one per read.
func TestProjectIDFailureIsRemembered(t *testing.T) {
	for _, status := range []int{403, 503} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			e, c := newEmulatorClient(t, func(cfg *client.Config) { cfg.MaxRetries = 0 })
			e.Inject(emulator.Fault{Kind: emulator.FaultStatus, Status: status, Path: "/v3/projects"})
			var apiErrs [3]*client.APIError
			for i := range apiErrs {
				_, err := c.ProjectID(context.Background(), testRegion)
				if !errors.As(err, &apiErrs[i]) || apiErrs[i].StatusCode != status {
					t.Fatalf("lookup %d: %v, want the HTTP %d", i, err, status)
				}
			}
			if apiErrs[1] != apiErrs[0] || apiErrs[2] != apiErrs[0] {
				t.Error("a later lookup did not return the first lookup's error")
			}
			if n := e.CountRequests("/v3/projects"); n != 1 {
				t.Errorf("%d IAM requests, want 1", n)
			}
		})
	}
}

// TestProjectIDCancelledLookupIsTriedAgain: a lookup cut short by its
// caller says nothing about IAM, so the next caller looks again.
func TestProjectIDCancelledLookupIsTriedAgain(t *testing.T) {
	e, c := newEmulatorClient(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.ProjectID(ctx, testRegion); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	id, err := c.ProjectID(context.Background(), testRegion)
	if err != nil || id != testProject {
		t.Fatalf("second lookup: %q, %v", id, err)
	}
	if n := e.CountRequests("/v3/projects"); n != 1 {
		t.Errorf("%d IAM requests, want 1 (the cancelled lookup sent none)", n)
	}
}

// TestProjectIDLookupOutOfTimeIsTriedAgain: a lookup that gave up because
// the server's Retry-After outlasts its read's deadline is not remembered:
// the next read has its own time.
func TestProjectIDLookupOutOfTimeIsTriedAgain(t *testing.T) {
	e, c := newEmulatorClient(t, nil)
	e.Inject(emulator.Fault{Kind: emulator.FaultStatus, Status: 503, RetryAfter: "30", Path: "/v3/projects"})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := c.ProjectID(ctx, testRegion); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the deadline", err)
	}
	id, err := c.ProjectID(context.Background(), testRegion)
	if err != nil || id != testProject {
		t.Fatalf("second lookup: %q, %v", id, err)
	}
	if n := e.CountRequests("/v3/projects"); n != 2 {
		t.Errorf("%d IAM requests, want 2", n)
	}
}
