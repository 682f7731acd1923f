package sdkcheck

// For every response the client decodes: a value built with the SDK's
// model and marshalled from it is served to the client, and what the
// client returns must carry the same values. The SDK's models are
// generated from the cloud's API definitions, so a field the client names
// or types differently (a number sent as a string, a missing list) shows
// here even where the emulator shares the client's reading.

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"
	iam "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/iam/v3/model"
	ims "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ims/v2/model"
)

const (
	testProjectID = "0123456789abcdef0123456789abcdef"
	testImageID   = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"
	testRegion    = "cn-north-4"
)

// exchange is one request the fake server saw.
type exchange struct {
	method, path, query string
	body                []byte
}

// fakeAPI answers each request with the next of bodies (status 200 unless
// statuses says otherwise) and keeps what it was sent.
type fakeAPI struct {
	t        *testing.T
	bodies   [][]byte
	statuses []int
	seen     []exchange
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.seen = append(f.seen, exchange{r.Method, r.URL.Path, r.URL.RawQuery, body})
	i := len(f.seen) - 1
	if i >= len(f.bodies) {
		f.t.Errorf("unexpected request %d: %s %s?%s", i+1, r.Method, r.URL.Path, r.URL.RawQuery)
		w.WriteHeader(http.StatusTeapot)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Request-Id", "req-"+string(rune('a'+i)))
	if i < len(f.statuses) && f.statuses[i] != 0 {
		w.WriteHeader(f.statuses[i])
	}
	_, _ = w.Write(f.bodies[i])
}

func newFakeClient(t *testing.T, api *fakeAPI) *client.Client {
	t.Helper()
	api.t = t
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	c, err := client.New(client.Config{
		Credentials: client.Credentials{AccessKey: "AK", SecretKey: "SK"},
		IMSEndpoint: srv.URL, IAMEndpoint: srv.URL,
		MaxRetries: 0, JobPollInterval: time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func sdkJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func ptr[T any](v T) *T { return &v }

func TestClientDecodesSDKMembersPages(t *testing.T) {
	members := []ims.ImageMember{
		{Status: "accepted", CreatedAt: "2024-03-15T09:30:00Z", UpdatedAt: "2024-03-16T10:00:00Z", ImageId: testImageID,
			MemberId: "a1b2c3d4e5f60718293a4b5c6d7e8f90", Schema: "/v2/schemas/member", MemberType: "project"},
		{Status: "pending", CreatedAt: "2024-03-15T09:31:00Z", UpdatedAt: "2024-03-15T09:31:00Z", ImageId: testImageID,
			MemberId: "0970dd7a1300f5672ff2c003c60ae115", Schema: "/v2/schemas/member", MemberType: "domain"},
		{Status: "rejected", CreatedAt: "2024-03-15T09:32:00Z", UpdatedAt: "2024-03-17T08:00:00Z", ImageId: testImageID,
			MemberId: "o-wvntq58r3poyv180t5df1mdna4uwy9se", Schema: "/v2/schemas/member", MemberType: "organization",
			Urn: "organizations::3a2d95404f964a6aba78819bf8ddc1e3:ou:o-wvntq58r3poyv180t5df1mdna4uwy9se/ou-5x1bvygwrplokk622i9gbn3f5ftfb2l9"},
	}
	pages := []ims.ListImageMembersResponse{
		{Members: ptr(members[:2]), Schema: ptr("/v2/schemas/members"), PageInfo: &ims.GlancePageInfo{NextMarker: "bWFya2VyLTI=", CurrentCount: 2}},
		{Members: ptr(members[2:]), Schema: ptr("/v2/schemas/members"), PageInfo: &ims.GlancePageInfo{CurrentCount: 1}},
	}
	api := &fakeAPI{bodies: [][]byte{sdkJSON(t, pages[0]), sdkJSON(t, pages[1])}}
	got, err := newFakeClient(t, api).ListImageMembers(context.Background(),
		client.ListImageMembersInput{Region: testRegion, ProjectID: testProjectID, ImageID: testImageID, PageSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	if got.Schema != "/v2/schemas/members" || got.Requests != 2 {
		t.Errorf("schema %q after %d requests, want /v2/schemas/members after 2", got.Schema, got.Requests)
	}
	var want []client.Member
	for _, m := range members {
		cm := client.Member{MemberID: m.MemberId, MemberType: m.MemberType, Status: m.Status, ImageID: m.ImageId,
			Schema: m.Schema, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt}
		// The SDK's urn has no omitempty; its own doc says only an
		// organization carries one, so "" is no URN.
		if m.Urn != "" {
			cm.URN = ptr(m.Urn)
		}
		want = append(want, cm)
	}
	if !reflect.DeepEqual(got.Members, want) {
		t.Errorf("members\n got %+v\nwant %+v", got.Members, want)
	}
	if !strings.Contains(api.seen[1].query, "marker=bWFya2VyLTI%3D") {
		t.Errorf("second request's query %q does not carry the SDK page's next_marker", api.seen[1].query)
	}
}

// sdkImages are an image with every field the provider exposes, and two
// with only what the SDK's model always writes (no omitempty), one of them
// the model's zero value.
func sdkImages() []ims.ImageInfo {
	full := ims.ImageInfo{
		Id: "3b2c1a00-0000-4000-8000-000000000001", Name: "web-2024", Owner: testProjectID,
		Status:              ims.GetImageInfoStatusEnum().ACTIVE,
		Visibility:          ims.GetImageInfoVisibilityEnum().SHARED,
		Imagetype:           ims.GetImageInfoImagetypeEnum().SHARED,
		OsType:              ims.GetImageInfoOsTypeEnum().LINUX,
		Platform:            ptr(ims.GetImageInfoPlatformEnum().UBUNTU),
		OsVersion:           ptr("Ubuntu 22.04 server 64bit"),
		OsBit:               ptr(ims.GetImageInfoOsBitEnum().E_64),
		SupportArm:          ptr(ims.GetImageInfoSupportArmEnum().TRUE),
		MinDisk:             40,
		MinRam:              1024,
		ImageSize:           "2147483648",
		DiskFormat:          ptr("zvhd2"),
		VirtualEnvType:      ims.GetImageInfoVirtualEnvTypeEnum().FUSION_COMPUTE,
		EnterpriseProjectId: ptr("0"),
		Tags:                []string{"env=prod", "team=web"},
		Protected:           true,
		Description:         ptr("web tier"),
		CreatedAt:           "2024-03-15T09:30:00Z",
		UpdatedAt:           "2024-03-16T10:00:00Z",
	}
	bare := ims.ImageInfo{Id: "3b2c1a00-0000-4000-8000-000000000002", ImageSize: "0"}
	zero := ims.ImageInfo{Id: "3b2c1a00-0000-4000-8000-000000000003"} // "__image_size":"", as the SDK writes an unset size
	return []ims.ImageInfo{full, bare, zero}
}

// clientImage is what the client must make of an SDK image: each field the
// SDK always writes is a value, each it may omit is nil when omitted.
func clientImage(m ims.ImageInfo) client.Image {
	str := func(s string) *string { return &s }
	opt := func(s *string) *string { return s }
	img := client.Image{
		ID: m.Id, Name: str(m.Name), Status: str(m.Status.Value()), Visibility: str(m.Visibility.Value()),
		ImageType: str(m.Imagetype.Value()), Owner: str(m.Owner), OSType: str(m.OsType.Value()),
		OSVersion: opt(m.OsVersion), MinDiskGB: ptr(int64(m.MinDisk)), MinRAMMB: ptr(int64(m.MinRam)),
		DiskFormat: opt(m.DiskFormat), VirtualEnvType: str(m.VirtualEnvType.Value()),
		EnterpriseProjectID: opt(m.EnterpriseProjectId), Tags: m.Tags, Protected: ptr(m.Protected),
		Description: opt(m.Description), CreatedAt: str(m.CreatedAt), UpdatedAt: str(m.UpdatedAt),
	}
	if img.Tags == nil {
		img.Tags = nil // the SDK writes "tags":null for a nil slice: no tags known
	}
	if m.Platform != nil {
		img.Platform = str(m.Platform.Value())
	}
	if m.OsBit != nil {
		img.OSBit = str(m.OsBit.Value())
	}
	if m.SupportArm != nil {
		img.SupportARM = str(m.SupportArm.Value())
	}
	if m.ImageSize != "" {
		size, err := strconv.ParseInt(m.ImageSize, 10, 64)
		if err != nil {
			panic(err)
		}
		img.SizeBytes = &size
	}
	return img
}

func TestClientDecodesSDKImagesPages(t *testing.T) {
	images := sdkImages()
	api := &fakeAPI{bodies: [][]byte{
		sdkJSON(t, ims.ListImagesResponse{Images: &images}),
		sdkJSON(t, ims.ListImagesResponse{Images: &[]ims.ImageInfo{}}),
	}}
	got, err := newFakeClient(t, api).ListImages(context.Background(),
		client.ListImagesInput{Region: testRegion, ProjectID: testProjectID, PageSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range images {
		if want := clientImage(m); i >= len(got.Images) || !reflect.DeepEqual(got.Images[i], want) {
			t.Errorf("image %d\n got %s\nwant %s", i, dump(got.Images, i), dump([]client.Image{want}, 0))
		}
	}
	if len(got.Images) != len(images) {
		t.Errorf("%d images, want %d", len(got.Images), len(images))
	}
}

func dump(images []client.Image, i int) string {
	if i >= len(images) {
		return "(none)"
	}
	b, _ := json.Marshal(images[i])
	return string(b)
}

func TestClientDecodesSDKJobs(t *testing.T) {
	results := []ims.JobEntitiesResult{
		{ImageId: ptr(testImageID), ProjectId: ptr("a1b2c3d4e5f60718293a4b5c6d7e8f90"), Status: ptr("success")},
	}
	running := ims.ShowJobResponse{Status: ptr(ims.GetShowJobResponseStatusEnum().RUNNING), JobId: ptr("job-1"),
		JobType: ptr("imsAddImageMembersJob"), BeginTime: ptr("2024-03-15T09:30:00Z"), Entities: &ims.JobEntities{}}
	done := running
	done.Status = ptr(ims.GetShowJobResponseStatusEnum().SUCCESS)
	done.EndTime = ptr("2024-03-15T09:30:05Z")
	done.Entities = &ims.JobEntities{Results: &results}
	failed := done
	failed.Status = ptr(ims.GetShowJobResponseStatusEnum().FAIL)
	failed.ErrorCode = ptr("IMG.0123")
	failed.FailReason = ptr("the member quota is exceeded")

	api := &fakeAPI{bodies: [][]byte{sdkJSON(t, running), sdkJSON(t, done), sdkJSON(t, failed)}}
	c := newFakeClient(t, api)
	in := client.WaitForJobInput{Region: testRegion, ProjectID: testProjectID, JobID: "job-1"}
	job, err := c.WaitForJob(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	want := client.Job{ID: "job-1", Type: "imsAddImageMembersJob", Status: "SUCCESS", BeginTime: "2024-03-15T09:30:00Z",
		EndTime: "2024-03-15T09:30:05Z", Entities: client.JobEntities{Results: []client.JobResult{
			{ImageID: testImageID, ProjectID: "a1b2c3d4e5f60718293a4b5c6d7e8f90", Status: "success"}}}}
	if !reflect.DeepEqual(*job, want) {
		t.Errorf("job\n got %+v\nwant %+v", *job, want)
	}
	_, err = c.WaitForJob(context.Background(), in)
	var jobErr *client.JobError
	if !errors.As(err, &jobErr) || jobErr.Status != "FAIL" || jobErr.ErrorCode != "IMG.0123" || jobErr.FailReason != "the member quota is exceeded" {
		t.Errorf("failed job: %v, want a JobError with the SDK's error_code and fail_reason", err)
	}
}

func TestClientDecodesSDKJobReplies(t *testing.T) {
	replies := [][]byte{
		sdkJSON(t, ims.BatchAddMembersResponse{JobId: ptr("job-add")}),
		sdkJSON(t, ims.BatchAddMembersResponse{JobId: ptr("job-remove")}), // BatchDeleteMembersResponse has the same model
		sdkJSON(t, ims.BatchUpdateMembersResponse{JobId: ptr("job-update")}),
	}
	api := &fakeAPI{bodies: replies}
	c := newFakeClient(t, api)
	ctx := context.Background()
	change := client.MembersChange{Region: testRegion, ProjectID: testProjectID, ImageIDs: []string{testImageID},
		Projects: []string{"a1b2c3d4e5f60718293a4b5c6d7e8f90"}}
	var got []string
	for _, call := range []func() (string, error){
		func() (string, error) { return c.AddImageMembers(ctx, change) },
		func() (string, error) { return c.RemoveImageMembers(ctx, change) },
		func() (string, error) {
			return c.SetMemberStatus(ctx, client.MemberStatusInput{Region: testRegion, ProjectID: testProjectID,
				ImageIDs: []string{testImageID}, Status: "accepted"})
		},
	} {
		id, err := call()
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, id)
	}
	if want := []string{"job-add", "job-remove", "job-update"}; !reflect.DeepEqual(got, want) {
		t.Errorf("job IDs %v, want %v", got, want)
	}
}

func TestClientDecodesSDKProjects(t *testing.T) {
	page := iam.KeystoneListProjectsResponse{Projects: &[]iam.ProjectResult{
		{Id: "fedcba9876543210fedcba9876543210", Name: "cn-north-4_sub", Enabled: true, DomainId: "d1", ParentId: "d1"},
		{Id: testProjectID, Name: testRegion, Enabled: true, DomainId: "d1", ParentId: "d1"},
	}}
	api := &fakeAPI{bodies: [][]byte{sdkJSON(t, page)}}
	id, err := newFakeClient(t, api).ProjectID(context.Background(), testRegion)
	if err != nil || id != testProjectID {
		t.Errorf("project ID %q, %v; want %s", id, err, testProjectID)
	}
}

// TestClientReadsErrorBodiesAsTheSDKDoes serves error bodies of each shape
// met behind the gateway and checks that whenever the SDK's error parser
// (sdkerr.NewServiceResponseError) finds a code and a message, the client's
// APIError carries the same two.
func TestClientReadsErrorBodiesAsTheSDKDoes(t *testing.T) {
	bodies := []string{
		`{"error":{"code":"IMG.0001","message":"The image does not exist."}}`,
		`{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information","request_id":"abc"}`,
		`{"code":"IMG.0032","message":"The image is not shared."}`,
		`{"error":{"error_code":"IMS.0404","error_msg":"not found"}}`,
		`{"error":{"code":401,"message":"The request you have made requires authentication.","title":"Unauthorized"}}`,
	}
	for _, body := range bodies {
		t.Run(body, func(t *testing.T) {
			sdk := sdkerr.NewServiceResponseError(&http.Response{StatusCode: 404, Header: http.Header{},
				Body: io.NopCloser(strings.NewReader(body))})
			api := &fakeAPI{bodies: [][]byte{[]byte(body)}, statuses: []int{404}}
			_, err := newFakeClient(t, api).ListImageMembers(context.Background(),
				client.ListImageMembersInput{Region: testRegion, ProjectID: testProjectID, ImageID: testImageID})
			var apiErr *client.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error %v, want an APIError", err)
			}
			if sdk.ErrorCode == "" {
				t.Logf("the SDK finds no code (message %q); the client reads %q %q", sdk.ErrorMessage, apiErr.Code, apiErr.Message)
				return
			}
			if apiErr.Code != sdk.ErrorCode || apiErr.Message != sdk.ErrorMessage {
				t.Errorf("client reads code %q message %q; the SDK reads %q %q", apiErr.Code, apiErr.Message, sdk.ErrorCode, sdk.ErrorMessage)
			}
		})
	}
}
