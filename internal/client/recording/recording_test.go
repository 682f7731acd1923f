package recording_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
	"github.com/cloudimages/terraform-provider-ims/internal/client/recording"
	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
)

// Credentials and identifiers shaped like real ones, so that the audit's
// patterns would see them if they escaped.
const (
	accessKey     = "HPUAXKD3ZQ8Y1MN0RT7V"
	secretKey     = "Qm9vb3RzdHJhcFNlY3JldEtleUZvclRlc3RzMDEy"
	securityToken = "gQpjbi1ub3J0aC00gYRGtXjJqVaCYVn2qPbn7u5qHwQkHxwlr5jbJzVb9lXqQwTqXcQh0lJmKqf3bRpW1yGcK7vS2dE4nA8uZoT6iL0yP3xM5wB9vF1eH7rD2sJ4kN6aQ8cU0gI3oY5tR7zV9mX1bL3nP5jW7hC9fK2dS4gA6eQ8uT0yI2oM4wB6vR8zX0cN2lH4pJ6kF8dG0sA"
	ownerProject  = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
	peerProject   = "f9e8d7c6b5a4938271605f4e3d2c1b0a"
	ownerDomain   = "3a2d95404f964a6aba78819bf8ddc1e3"
	imageID       = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"
	region        = "cn-north-4"
	orgUnit       = "ou-5x1bvygwrplokk622i9gbn3f5ftfb2l9"
	orgURN        = "organizations::" + ownerDomain + ":ou:o-wvntq58r3poyv180t5df1mdna4uwy9se/" + orgUnit
)

var secrets = recording.Secrets{AccessKey: accessKey, SecretKey: secretKey, SecurityToken: securityToken}

// recordAgainstTheEmulator makes every call the provider makes, with
// temporary credentials, and returns the recording directory.
func recordAgainstTheEmulator(t *testing.T) string {
	t.Helper()
	emu := emulator.New(emulator.Config{AccessKey: accessKey, SecretKey: secretKey, SecurityToken: securityToken,
		Projects: []emulator.Project{
			{ID: ownerProject, Name: region, DomainID: ownerDomain, Enabled: true},
			{ID: peerProject, Name: region + "_peer", DomainID: "0970dd7a1300f5672ff2c003c60ae115", Enabled: true},
		}})
	emu.AddImage(ownerProject, imageID, []emulator.Member{
		{MemberID: peerProject, MemberType: "project", Status: "pending", CreatedAt: "2024-03-15T09:30:00Z", UpdatedAt: "2024-03-15T09:30:00Z"},
		{MemberID: orgUnit, MemberType: "organization", URN: orgURN, Status: "accepted", CreatedAt: "2024-03-15T09:30:00Z", UpdatedAt: "2024-03-15T09:30:00Z"},
	})
	emu.AddImageMetadata(emulator.ImageMetadata{ID: imageID, Owner: ownerProject, Name: "web", ImageSize: "2147483648"})
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	c, err := client.New(client.Config{Credentials: client.Credentials{AccessKey: accessKey, SecretKey: secretKey, SecurityToken: securityToken},
		IMSEndpoint: srv.URL, IAMEndpoint: srv.URL, RecordDir: dir, JobPollInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err = c.ProjectID(ctx, region)
	must(err)
	_, err = c.ListImageMembers(ctx, client.ListImageMembersInput{Region: region, ProjectID: ownerProject, ImageID: imageID, PageSize: 1})
	must(err)
	_, err = c.ListImages(ctx, client.ListImagesInput{Region: region, ProjectID: peerProject,
		Filters: client.ImageFilters{ImageType: "shared", Visibility: "shared", MemberStatus: "pending"}})
	must(err)
	job, err := c.AddImageMembers(ctx, client.MembersChange{Region: region, ProjectID: ownerProject, ImageIDs: []string{imageID},
		Domains: []string{"0970dd7a1300f5672ff2c003c60ae115"}})
	must(err)
	_, err = c.WaitForJob(ctx, client.WaitForJobInput{Region: region, ProjectID: ownerProject, JobID: job})
	must(err)
	_, err = c.ListImageMembers(ctx, client.ListImageMembersInput{Region: region, ProjectID: ownerProject, ImageID: "00000000-0000-4000-8000-00000000dead"})
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("members of an unknown image: %v", err)
	}
	return dir
}

func TestRecordingsOfAnEmulatorRunHoldNoSecret(t *testing.T) {
	dir := recordAgainstTheEmulator(t)
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) < 7 {
		t.Fatalf("%d recordings, want one per exchange (at least 7)", len(files))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, finding := range recording.Audit(data, secrets) {
			t.Errorf("%s: %s", filepath.Base(f), finding)
		}
		for _, id := range []string{ownerProject, peerProject, ownerDomain, orgUnit, "o-wvntq58r3poyv180t5df1mdna4uwy9se", "0970dd7a1300f5672ff2c003c60ae115"} {
			if strings.Contains(string(data), id) {
				t.Errorf("%s holds the identifier %s", filepath.Base(f), id)
			}
		}
	}
	exchanges, err := recording.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	// Placeholders are stable: the project in IAM's answer is the one in
	// the members path, and the job the POST started is the one polled.
	var iamProject, membersPath, jobID, jobPath string
	for _, x := range exchanges {
		switch {
		case x.Path == "/v3/projects":
			var page struct{ Projects []struct{ ID string } }
			_ = json.Unmarshal([]byte(x.ResponseBody), &page)
			if len(page.Projects) > 0 {
				iamProject = page.Projects[0].ID
			}
		case strings.HasSuffix(x.Path, "/cloudimages/"+imageID+"/members") && membersPath == "":
			membersPath = x.Path
		case x.Method == "POST":
			var reply struct {
				JobID string `json:"job_id"`
			}
			_ = json.Unmarshal([]byte(x.ResponseBody), &reply)
			jobID = reply.JobID
		case strings.Contains(x.Path, "/jobs/"):
			jobPath = x.Path
		}
		if x.RequestHeaders["Authorization"] != "SDK-HMAC-SHA256 Access=ACCESS_KEY, SignedHeaders=host;x-project-id;x-sdk-date;x-security-token, Signature=SIGNATURE" &&
			x.RequestHeaders["Authorization"] != "SDK-HMAC-SHA256 Access=ACCESS_KEY, SignedHeaders=host;x-sdk-date;x-security-token, Signature=SIGNATURE" {
			t.Errorf("%s %s: Authorization %q", x.Method, x.Path, x.RequestHeaders["Authorization"])
		}
		if x.RequestHeaders["X-Security-Token"] != recording.SecurityTokenPlaceholder {
			t.Errorf("%s %s: X-Security-Token %q", x.Method, x.Path, x.RequestHeaders["X-Security-Token"])
		}
	}
	if iamProject == "" || membersPath != "/v1/"+iamProject+"/cloudimages/"+imageID+"/members" {
		t.Errorf("IAM's project %q and the members path %q disagree", iamProject, membersPath)
	}
	if jobID == "" || !strings.HasSuffix(jobPath, "/jobs/"+jobID) {
		t.Errorf("the job started (%q) is not the job polled (%q)", jobID, jobPath)
	}
}

// A secret planted in a clean recording fails the audit, whatever its
// form: the redaction test is only as good as this.
func TestAuditFindsPlantedSecrets(t *testing.T) {
	dir := recordAgainstTheEmulator(t)
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	clean, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if findings := recording.Audit(clean, secrets); len(findings) > 0 {
		t.Fatalf("the clean recording already has findings: %q", findings)
	}
	for _, plant := range []struct{ name, value string }{
		{"this run's access key", accessKey},
		{"this run's secret key", secretKey},
		{"this run's security token", securityToken},
		{"another access key", "ZZ7KQ2M4N6P8R0T1V3X5"},
		{"another secret key", "abcdefghijABCDEFGHIJ0123456789klmnopqrst"},
		{"a project ID", ownerProject},
		{"an upper-case account ID", strings.ToUpper(ownerDomain)},
		{"an organization unit", orgUnit},
		{"a signature", "Signature=5a2ce64c865e0fb7f7e4c6d3fcbb2d4b8a8ae8b1cbd7c2b0e5cf3e1b1c1d6a02"},
		{"an Authorization with its key", "Access=HPUAXKD3ZQ8Y1MN0RT7V, SignedHeaders=host"},
		{"a project ID inside a Base64 marker", `\"next_marker\":\"` + base64.StdEncoding.EncodeToString([]byte(peerProject)) + `\"`},
		{"a project ID inside a marker query", "marker=" + url.QueryEscape(base64.StdEncoding.EncodeToString([]byte(peerProject)))},
	} {
		t.Run(plant.name, func(t *testing.T) {
			planted := strings.Replace(string(clean), `"response_body": "`, `"response_body": "`+plant.value+` `, 1)
			if planted == string(clean) {
				t.Fatal("nothing planted")
			}
			if findings := recording.Audit([]byte(planted), secrets); len(findings) == 0 {
				t.Errorf("%s planted in a recording went unnoticed", plant.name)
			}
		})
	}
}

// TestContributedRecordingsHoldNoSecret audits every recording committed
// under internal/client/testdata/recorded/ (none yet is fine), and the
// credentials of this run when an acceptance run sets them.
func TestContributedRecordingsHoldNoSecret(t *testing.T) {
	files, err := filepath.Glob("../testdata/recorded/*.json")
	if err != nil {
		t.Fatal(err)
	}
	known := recording.Secrets{AccessKey: os.Getenv("HW_ACCESS_KEY"), SecretKey: os.Getenv("HW_SECRET_KEY"), SecurityToken: os.Getenv("HW_SECURITY_TOKEN")}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, finding := range recording.Audit(data, known) {
			t.Errorf("%s: %s", f, finding)
		}
	}
	if _, err := recording.Load("../testdata/recorded"); err != nil {
		t.Error(err)
	}
	t.Logf("%d recordings audited", len(files))
}
