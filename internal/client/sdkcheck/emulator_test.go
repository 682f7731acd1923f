package sdkcheck

// Every response the emulator writes, and every request body the client
// writes, read through the SDK's models: each must unmarshal into the model
// of its operation, with no value of a JSON type the model's field does not
// take and no field the model does not have.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
	"github.com/cloudimages/terraform-provider-ims/internal/client/recording"
	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"
	iam "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/iam/v3/model"
	ims "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ims/v2/model"
)

// wireExchange is one request and its answer.
type wireExchange struct {
	Method, Path, Query string
	RequestBody         []byte
	Status              int
	ResponseBody        []byte
}

var (
	membersListPath = regexp.MustCompile(`^/v1/[^/]+/cloudimages/[^/]+/members$`)
	jobPath         = regexp.MustCompile(`^/v1/[^/]+/jobs/[^/]+$`)
)

// sdkModels are the SDK models of an exchange's request body and response
// (nil when there is none, or the operation is not one the client makes).
func sdkModels(method, path string) (request, response any) {
	switch {
	case method == http.MethodGet && path == "/v3/projects":
		return nil, iam.KeystoneListProjectsResponse{}
	case method == http.MethodGet && path == "/v2/cloudimages":
		return nil, ims.ListImagesResponse{}
	case method == http.MethodGet && membersListPath.MatchString(path):
		return nil, ims.ListImageMembersResponse{}
	case method == http.MethodGet && jobPath.MatchString(path):
		return nil, ims.ShowJobResponse{}
	case path == "/v1/cloudimages/members" && (method == http.MethodPost || method == http.MethodDelete):
		// BatchDeleteMembersRequest's body is a BatchAddMembersRequestBody.
		return ims.BatchAddMembersRequestBody{}, ims.BatchAddMembersResponse{}
	case path == "/v1/cloudimages/members" && method == http.MethodPut:
		return ims.BatchUpdateMembersRequestBody{}, ims.BatchUpdateMembersResponse{}
	}
	return nil, nil
}

// checkAgainstSDK is every problem the SDK's models find in x: a body that
// does not unmarshal, a value of the wrong JSON type, and a field the
// model does not have (the emulator must write nothing the SDK does not
// know; the real API may, so a replay of a recording passes
// unknownIsProblem false).
func checkAgainstSDK(x wireExchange) []string { return checkAgainstSDKModels(x, true) }

func checkAgainstSDKModels(x wireExchange, unknownIsProblem bool) []string {
	var problems []string
	reqModel, respModel := sdkModels(x.Method, x.Path)
	name := x.Method + " " + x.Path
	if respModel == nil {
		return []string{name + ": not an operation the client makes"}
	}
	if reqModel != nil {
		problems = append(problems, modelProblems(name+" request", x.RequestBody, reqModel, unknownIsProblem)...)
	}
	if x.Status >= 400 {
		sdk := sdkerr.NewServiceResponseError(&http.Response{StatusCode: x.Status, Header: http.Header{},
			Body: io.NopCloser(bytes.NewReader(x.ResponseBody))})
		if sdk.ErrorCode == "" {
			problems = append(problems, fmt.Sprintf("%s: HTTP %d body %s has no code and message the SDK's error parser finds", name, x.Status, x.ResponseBody))
		}
		return problems
	}
	return append(problems, modelProblems(name+" response", x.ResponseBody, respModel, unknownIsProblem)...)
}

// modelProblems unmarshals body into a new value of model's type, as the
// SDK would, and walks it for wrong-typed and unknown fields.
func modelProblems(what string, body []byte, model any, unknownIsProblem bool) []string {
	typ := reflect.TypeOf(model)
	v := reflect.New(typ).Interface()
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return []string{fmt.Sprintf("%s: does not unmarshal into the SDK's %s: %v", what, typ, err)}
	}
	var out []string
	for _, p := range shapeProblems("$", body, typ, unknownIsProblem) {
		out = append(out, what+": "+p)
	}
	return out
}

const (
	ownerProject     = testProjectID
	recipientProject = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
	domainID         = "0970dd7a1300f5672ff2c003c60ae115"
	emptyImageID     = "e0000000-1bc3-4c3f-893e-3e471fd16e64"
)

// shareTarget is the project emulatorWorld's walk shares the image with.
const shareTarget = "fedcba9876543210fedcba9876543210"

// emulatorWorld is an emulator with an owner, a recipient, a shared
// image with a full set of list metadata and an image with no member, and
// a client talking to it that records every exchange (client.Config.
// RecordDir, the recorder of acceptance runs) in the returned directory.
func emulatorWorld(t *testing.T, cfg emulator.Config) (*emulator.Emulator, *client.Client, string) {
	t.Helper()
	cfg.AccessKey, cfg.SecretKey = "AK", "SK"
	cfg.Projects = []emulator.Project{
		{ID: ownerProject, Name: testRegion, DomainID: domainID, Enabled: true},
		{ID: recipientProject, Name: testRegion + "_recipient", DomainID: "d2", Enabled: true},
		// The project the walk shares with and unshares: the emulator
		// refuses to share with a project it does not know (IMG.0067).
		{ID: shareTarget, Name: testRegion + "_target", DomainID: "d3", Enabled: true},
	}
	emu := emulator.New(cfg)
	members := emulator.GenerateMembers(testImageID, 5)
	members = append(members, emulator.Member{MemberID: recipientProject, MemberType: "project", Status: "pending",
		CreatedAt: "2024-03-15T09:30:00Z", UpdatedAt: "2024-03-15T09:30:00Z"})
	emu.AddImage(ownerProject, testImageID, members)
	emu.AddImage(ownerProject, emptyImageID, nil)
	minDisk, minRAM, protected := 40, 1024, false
	emu.AddImageMetadata(emulator.ImageMetadata{ID: testImageID, Owner: ownerProject, Name: "web", Status: "active",
		OSType: "Linux", Platform: "Ubuntu", OSVersion: "Ubuntu 22.04 server 64bit", OSBit: "64", SupportARM: "false",
		MinDisk: &minDisk, MinRAM: &minRAM, ImageSize: "2147483648", DiskFormat: "zvhd2", VirtualEnvType: "FusionCompute",
		EnterpriseProjectID: "0", Tags: []string{"env=prod"}, Protected: &protected, Description: "web tier",
		CreatedAt: "2024-03-15T09:30:00Z", UpdatedAt: "2024-03-16T10:00:00Z"})
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	recordDir := t.TempDir()
	c, err := client.New(client.Config{Credentials: client.Credentials{AccessKey: "AK", SecretKey: "SK"},
		IMSEndpoint: srv.URL, IAMEndpoint: srv.URL, JobPollInterval: time.Millisecond, RecordDir: recordDir})
	if err != nil {
		t.Fatal(err)
	}
	return emu, c, recordDir
}

// recorded is every exchange recorded in dir, as the wire saw it but for
// the placeholders of the IDs.
func recorded(t *testing.T, dir string) []wireExchange {
	t.Helper()
	exchanges, err := recording.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]wireExchange, len(exchanges))
	for i, x := range exchanges {
		out[i] = toWire(x)
	}
	return out
}

// driveEveryOperation makes each call the provider makes, successful and
// failing, so that every kind of answer crosses the wire once.
func driveEveryOperation(t *testing.T, c *client.Client) {
	t.Helper()
	ctx := context.Background()
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	_, err := c.ProjectID(ctx, testRegion)
	must("project lookup", err)
	_, err = c.ListImageMembers(ctx, client.ListImageMembersInput{Region: testRegion, ProjectID: ownerProject, ImageID: testImageID, PageSize: 4})
	must("members", err)
	_, err = c.ListImageMembers(ctx, client.ListImageMembersInput{Region: testRegion, ProjectID: ownerProject, ImageID: emptyImageID})
	must("members of an image with none", err)
	_, err = c.ListImages(ctx, client.ListImagesInput{Region: testRegion, ProjectID: ownerProject, PageSize: 1})
	must("owner's images", err)
	_, err = c.ListImages(ctx, client.ListImagesInput{Region: testRegion, ProjectID: recipientProject,
		Filters: client.ImageFilters{ImageType: "shared", Visibility: "shared", MemberStatus: "pending"}})
	must("recipient's images", err)
	wait := func(what string, projectID string, jobID string, err error) {
		t.Helper()
		must(what, err)
		_, err = c.WaitForJob(ctx, client.WaitForJobInput{Region: testRegion, ProjectID: projectID, JobID: jobID})
		must(what+" job", err)
	}
	change := client.MembersChange{Region: testRegion, ProjectID: ownerProject, ImageIDs: []string{testImageID},
		Projects: []string{shareTarget}}
	id, err := c.AddImageMembers(ctx, change)
	wait("share", ownerProject, id, err)
	id, err = c.SetMemberStatus(ctx, client.MemberStatusInput{Region: testRegion, ProjectID: recipientProject,
		ImageIDs: []string{testImageID}, Status: "accepted"})
	wait("accept", recipientProject, id, err)
	id, err = c.RemoveImageMembers(ctx, change)
	wait("unshare", ownerProject, id, err)

	var apiErr *client.APIError
	_, err = c.ListImageMembers(ctx, client.ListImageMembersInput{Region: testRegion, ProjectID: ownerProject,
		ImageID: "00000000-0000-4000-8000-00000000dead"})
	if !errors.As(err, &apiErr) {
		t.Fatalf("members of an unknown image: %v, want an APIError", err)
	}
}

// Under every play of the behaviours the documentation leaves open (how a
// list ends, an empty list, pages longer than asked for, which shares an
// unfiltered list shows), every answer fits the SDK's models.
func TestEmulatorResponsesAndClientRequestsFitTheSDKModels(t *testing.T) {
	seen := map[string]bool{}
	for _, play := range []emulator.Config{
		{LastPage: emulator.LastPageOmitPageInfo},
		{LastPage: emulator.LastPageEmptyMarker, OversizePages: 2},
		{LastPage: emulator.LastPageOmitMarker, UnfilteredShares: emulator.UnfilteredSharesAll},
	} {
		_, c, dir := emulatorWorld(t, play)
		driveEveryOperation(t, c)
		for _, x := range recorded(t, dir) {
			_, model := sdkModels(x.Method, x.Path)
			seen[fmt.Sprintf("%s %T %d", x.Method, model, x.Status/100)] = true
			for _, p := range checkAgainstSDK(x) {
				t.Errorf("LastPage %d: %s", play.LastPage, p)
			}
		}
	}
	for _, want := range []string{
		"GET model.KeystoneListProjectsResponse 2", "GET model.ListImageMembersResponse 2", "GET model.ListImagesResponse 2",
		"GET model.ShowJobResponse 2", "POST model.BatchAddMembersResponse 2", "DELETE model.BatchAddMembersResponse 2",
		"PUT model.BatchUpdateMembersResponse 2", "GET model.ListImageMembersResponse 4",
	} {
		if !seen[want] {
			t.Errorf("no exchange %q was checked (saw %v)", want, seen)
		}
	}
}

// TestGatewayErrorsFitTheSDKErrorParser: the emulator's error answers (a
// bad signature, throttling, the statuses a fault injects) carry a code
// and a message the SDK's parser finds.
func TestGatewayErrorsFitTheSDKErrorParser(t *testing.T) {
	emu := emulator.New(emulator.Config{AccessKey: "AK", SecretKey: "SK",
		Projects: []emulator.Project{{ID: ownerProject, Name: testRegion, Enabled: true}}})
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	c, err := client.New(client.Config{Credentials: client.Credentials{AccessKey: "AK", SecretKey: "wrong"},
		IMSEndpoint: srv.URL, IAMEndpoint: srv.URL, RecordDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListImageMembers(context.Background(), client.ListImageMembersInput{Region: testRegion, ProjectID: ownerProject, ImageID: testImageID})
	exchanges := recorded(t, dir)
	if err == nil || len(exchanges) == 0 || exchanges[0].Status != http.StatusUnauthorized {
		t.Fatalf("a wrong secret got %v, want a 401", err)
	}
	statuses := []int{http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout, http.StatusBadRequest}
	for _, status := range statuses {
		emu.Inject(emulator.Fault{Kind: emulator.FaultStatus, Status: status})
	}
	faulty, err := client.New(client.Config{Credentials: client.Credentials{AccessKey: "AK", SecretKey: "SK"},
		IMSEndpoint: srv.URL, IAMEndpoint: srv.URL, RecordDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	for range statuses {
		_, err = faulty.ListImageMembers(context.Background(), client.ListImageMembersInput{Region: testRegion, ProjectID: ownerProject, ImageID: testImageID})
		if err == nil {
			t.Fatal("an injected error status was not an error")
		}
	}
	exchanges = recorded(t, dir)
	if len(exchanges) != 1+len(statuses) {
		t.Fatalf("%d exchanges, want %d", len(exchanges), 1+len(statuses))
	}
	for _, x := range exchanges {
		for _, p := range checkAgainstSDK(x) {
			t.Error(p)
		}
	}
}

func TestCheckAgainstSDKFindsProblems(t *testing.T) {
	cases := []struct {
		name string
		x    wireExchange
		want string
	}{
		{"size as a number", wireExchange{Method: "GET", Path: "/v2/cloudimages", Status: 200,
			ResponseBody: []byte(`{"images":[{"id":"x","__image_size":1}]}`)}, "__image_size"},
		{"os bit as a number", wireExchange{Method: "GET", Path: "/v2/cloudimages", Status: 200,
			ResponseBody: []byte(`{"images":[{"id":"x","__os_bit":64}]}`)}, "__os_bit: number"},
		{"request body with a wrong field", wireExchange{Method: "POST", Path: "/v1/cloudimages/members", Status: 200,
			RequestBody: []byte(`{"images":["i"],"project":["p"]}`), ResponseBody: []byte(`{"job_id":"j"}`)}, "$.project"},
		{"request status not accepted or rejected", wireExchange{Method: "PUT", Path: "/v1/cloudimages/members", Status: 200,
			RequestBody: []byte(`{"images":["i"],"project_id":"p","status":1}`), ResponseBody: []byte(`{"job_id":"j"}`)}, "status: number"},
		{"error body without a code", wireExchange{Method: "GET", Path: "/v2/cloudimages", Status: 500,
			ResponseBody: []byte(`<html>oops</html>`)}, "no code and message"},
		{"unknown operation", wireExchange{Method: "GET", Path: "/v2/images", Status: 200, ResponseBody: []byte(`{}`)}, "not an operation"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := checkAgainstSDK(c.x)
			if len(got) == 0 || !strings.Contains(strings.Join(got, "\n"), c.want) {
				t.Errorf("problems %q, want one containing %q", got, c.want)
			}
		})
	}
}
