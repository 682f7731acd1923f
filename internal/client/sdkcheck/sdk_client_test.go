package sdkcheck

// The official SDK's own client against the emulator: the SDK looks up the
// project through IAM, signs with its own signer, builds its own queries
// and bodies and parses the answers with its own models, and the emulator
// verifies all of it with its own code (internal/emulator/signature.go),
// sharing nothing with this project's client. What the SDK sends, the
// emulator must accept, as the cloud does.

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/config"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/region"
	imsv2 "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ims/v2"
	ims "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ims/v2/model"
)

// sdkClient is the SDK's IMS client for the emulator at url, acting as
// the project IAM names after region (looked up by the SDK itself).
func sdkClient(t *testing.T, url, regionName string) *imsv2.ImsClient {
	t.Helper()
	return sdkClientWithToken(t, url, regionName, "")
}

// sdkClientWithToken is sdkClient with temporary credentials.
func sdkClientWithToken(t *testing.T, url, regionName, token string) *imsv2.ImsClient {
	t.Helper()
	creds, err := basic.NewCredentialsBuilder().WithAk("AK").WithSk("SK").WithSecurityToken(token).WithIamEndpointOverride(url).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	hc, err := imsv2.ImsClientBuilder().WithRegion(region.NewRegion(regionName, url)).WithCredential(creds).
		WithHttpConfig(config.DefaultHttpConfig().WithTimeout(10 * time.Second)).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	return imsv2.NewImsClient(hc)
}

func TestTheSDKsOwnClientWorksAgainstTheEmulator(t *testing.T) {
	emu := emulator.New(emulator.Config{AccessKey: "AK", SecretKey: "SK", JobDuration: time.Millisecond, Projects: []emulator.Project{
		{ID: ownerProject, Name: testRegion, DomainID: domainID, Enabled: true},
		{ID: recipientProject, Name: "cn-north-4_recipient", DomainID: "d2", Enabled: true},
	}})
	members := emulator.GenerateMembers(testImageID, 7)
	emu.AddImage(ownerProject, testImageID, members)
	emu.AddImageMetadata(emulator.ImageMetadata{ID: testImageID, Owner: ownerProject, Name: "web", ImageSize: "1024"})
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	owner := sdkClient(t, srv.URL, testRegion)

	// Every member, page by page, each next_marker sent back as the SDK
	// sends it (its markers carry '+', '/' and '=').
	var got []string
	req := &ims.ListImageMembersRequest{ImageId: testImageID, Limit: ptr(int32(3))}
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("the SDK's paging did not end")
		}
		resp, err := owner.ListImageMembers(req)
		if err != nil {
			t.Fatalf("page %d: %v", pages+1, err)
		}
		for _, m := range *resp.Members {
			got = append(got, m.MemberId)
		}
		if resp.PageInfo == nil || resp.PageInfo.NextMarker == "" {
			break
		}
		req.Marker = ptr(resp.PageInfo.NextMarker)
	}
	if len(got) != len(members) {
		t.Errorf("the SDK read %d members, want %d", len(got), len(members))
	}

	images, err := owner.ListImages(&ims.ListImagesRequest{Imagetype: ptr(ims.GetListImagesRequestImagetypeEnum().SHARED),
		Owner: ptr(ownerProject), Limit: ptr(int32(10))})
	if err != nil || images.Images == nil || len(*images.Images) != 1 || (*images.Images)[0].ImageSize != "1024" {
		t.Fatalf("the SDK's image list: %v, %v", images, err)
	}

	add, err := owner.BatchAddMembers(&ims.BatchAddMembersRequest{Body: &ims.BatchAddMembersRequestBody{
		Images: []string{testImageID}, Projects: []string{recipientProject}}})
	if err != nil || add.JobId == nil {
		t.Fatalf("the SDK's share: %v, %v", add, err)
	}
	waitSDKJob(t, owner, *add.JobId)

	recipient := sdkClient(t, srv.URL, "cn-north-4_recipient")
	accept, err := recipient.BatchUpdateMembers(&ims.BatchUpdateMembersRequest{Body: &ims.BatchUpdateMembersRequestBody{
		Images: []string{testImageID}, ProjectId: recipientProject, Status: ims.GetBatchUpdateMembersRequestBodyStatusEnum().ACCEPTED}})
	if err != nil || accept.JobId == nil {
		t.Fatalf("the SDK's accept: %v, %v", accept, err)
	}
	waitSDKJob(t, recipient, *accept.JobId)

	remove, err := owner.BatchDeleteMembers(&ims.BatchDeleteMembersRequest{Body: &ims.BatchAddMembersRequestBody{
		Images: []string{testImageID}, Projects: []string{recipientProject}}})
	if err != nil || remove.JobId == nil {
		t.Fatalf("the SDK's unshare: %v, %v", remove, err)
	}
	waitSDKJob(t, owner, *remove.JobId)
	if n := len(emu.Members(ownerProject, testImageID)); n != len(members) {
		t.Errorf("%d members after share and unshare, want %d", n, len(members))
	}
}

func waitSDKJob(t *testing.T, c *imsv2.ImsClient, jobID string) {
	t.Helper()
	for range 200 {
		job, err := c.ShowJob(&ims.ShowJobRequest{JobId: jobID})
		if err != nil {
			t.Fatalf("job %s: %v", jobID, err)
		}
		switch job.Status.Value() {
		case "SUCCESS":
			return
		case "FAIL":
			t.Fatalf("job %s failed: %v", jobID, job)
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("job %s did not end", jobID)
}

// With temporary credentials the SDK sends and signs X-Security-Token, and
// the emulator, which then requires it, takes the SDK's requests.
func TestTheSDKsOwnClientWithTemporaryCredentials(t *testing.T) {
	const token = "gQpjbi1ub3J0aC00temporary-token"
	emu := emulator.New(emulator.Config{AccessKey: "AK", SecretKey: "SK", SecurityToken: token,
		Projects: []emulator.Project{{ID: ownerProject, Name: testRegion, DomainID: domainID, Enabled: true}}})
	emu.AddImage(ownerProject, testImageID, emulator.GenerateMembers(testImageID, 2))
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	resp, err := sdkClientWithToken(t, srv.URL, testRegion, token).ListImageMembers(&ims.ListImageMembersRequest{ImageId: testImageID})
	if err != nil || resp.Members == nil || len(*resp.Members) != 2 {
		t.Fatalf("the SDK with a security token: %v, %v", resp, err)
	}
	if _, err := sdkClientWithToken(t, srv.URL, testRegion, token+"x").ListImageMembers(&ims.ListImageMembersRequest{ImageId: testImageID}); err == nil {
		t.Error("a wrong security token was accepted")
	}
}
