package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
)

// TestMain lets a test run this binary's main in a child process.
func TestMain(m *testing.M) {
	if os.Getenv("IMS_EMULATOR_TEST_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// syncBuffer is a bytes.Buffer safe to read while run writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var urlLine = regexp.MustCompile(`(?m)^IMS_EMULATOR_URL=(http://127\.0\.0\.1:\d+)$`)

// start runs the command in-process until the test ends and returns its
// URL and what it prints on stdout and stderr.
func start(t *testing.T, args ...string) (string, *syncBuffer, *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, stdout, stderr) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("run: %v", err)
			}
			if !strings.Contains(stderr.String(), "stopped") {
				t.Errorf("no clean stop; stderr %q", stderr.String())
			}
		case <-time.After(10 * time.Second):
			t.Error("run did not return after cancellation")
		}
	})
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m := urlLine.FindStringSubmatch(stdout.String()); m != nil {
			return m[1], stdout, stderr
		}
		select {
		case err := <-done:
			t.Fatalf("run ended early: %v; stderr %s", err, stderr.String())
		default:
		}
	}
	t.Fatalf("no IMS_EMULATOR_URL line; stdout %q", stdout.String())
	return "", nil, nil
}

type caller struct {
	t       *testing.T
	url     string
	creds   client.Credentials
	project string
}

func (c caller) get(path, projectHeader string, query []client.QueryParam) (int, []byte) {
	c.t.Helper()
	status, _, body := c.getWithHeader(path, projectHeader, query)
	return status, body
}

func (c caller) getWithHeader(path, projectHeader string, query []client.QueryParam) (int, http.Header, []byte) {
	c.t.Helper()
	req, err := http.NewRequestWithContext(c.t.Context(), http.MethodGet, c.url+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	if projectHeader != "" {
		req.Header.Set(client.HeaderProjectID, projectHeader)
	}
	if err := c.creds.Sign(req, query, nil, time.Now()); err != nil {
		c.t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, body
}

type member struct {
	MemberType string `json:"member_type"`
	Status     string `json:"status"`
}

// readAll pages through an image and returns its members and page count.
func (c caller) readAll(imageID string, limit int) ([]member, int) {
	c.t.Helper()
	var all []member
	marker := ""
	for pages := 1; pages < 100; pages++ {
		q := []client.QueryParam{{Key: "limit", Value: strconv.Itoa(limit)}}
		if marker != "" {
			q = append(q, client.QueryParam{Key: "marker", Value: marker})
		}
		status, body := c.get("/v1/"+c.project+"/cloudimages/"+imageID+"/members", c.project, q)
		if status != http.StatusOK {
			c.t.Fatalf("status %d: %s", status, body)
		}
		var p struct {
			Members  []member `json:"members"`
			PageInfo struct {
				NextMarker string `json:"next_marker"`
			} `json:"page_info"`
		}
		if err := json.Unmarshal(body, &p); err != nil {
			c.t.Fatal(err)
		}
		all = append(all, p.Members...)
		if marker = p.PageInfo.NextMarker; marker == "" {
			return all, pages
		}
	}
	c.t.Fatal("more than 100 pages")
	return nil, 0
}

func TestDemoFixture(t *testing.T) {
	addrFile := filepath.Join(t.TempDir(), "addr")
	url, out, _ := start(t, "-fixture", "testdata/demo.json", "-write-addr", addrFile)

	banner := out.String()
	for _, want := range []string{
		`provider "ims" {`,
		`  region     = "cn-north-4"`,
		`  project_id = "1bed856811654c1cb661a6ca845ebc77"`,
		`  access_key = "` + defaultAccessKey + `"`,
		`  secret_key = "` + defaultSecretKey + `"`,
		`  endpoints  = { ims = "` + url + `", iam = "` + url + `" }`,
		"IMS_EMULATOR_IMAGE_IDS=d164b5df-1bc3-4c3f-893e-3e471fd16e64,5b2b7a35-2f8b-4f3a-9d7e-0d5c3b1a2e4f,9a6e4c1d-7b3f-4e2a-8c5d-1f0e2d3c4b5a,",
	} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, banner)
		}
	}
	if got, err := os.ReadFile(addrFile); err != nil || string(got) != url+"\n" {
		t.Errorf("-write-addr file: %q, %v", got, err)
	}

	c := caller{t: t, url: url, creds: client.Credentials{AccessKey: defaultAccessKey, SecretKey: defaultSecretKey}, project: "1bed856811654c1cb661a6ca845ebc77"}

	// The big image spans several small pages and has every type and status.
	members, pages := c.readAll("d164b5df-1bc3-4c3f-893e-3e471fd16e64", 10)
	if len(members) < 20 || pages < 3 {
		t.Errorf("%d members in %d pages, want ~26 over several pages", len(members), pages)
	}
	types, statuses := map[string]bool{}, map[string]bool{}
	for _, m := range members {
		types[m.MemberType], statuses[m.Status] = true, true
	}
	if len(types) != 3 || len(statuses) != 3 {
		t.Errorf("types %v statuses %v, want all three of each", types, statuses)
	}
	if m, p := c.readAll("5b2b7a35-2f8b-4f3a-9d7e-0d5c3b1a2e4f", 10); len(m) != 0 || p != 1 {
		t.Errorf("empty image: %d members in %d pages", len(m), p)
	}
	if m, _ := c.readAll("9a6e4c1d-7b3f-4e2a-8c5d-1f0e2d3c4b5a", 10); len(m) < 2 || len(m) > 6 {
		t.Errorf("small image: %d members, want a handful", len(m))
	}

	status, body := c.get("/v3/projects", "", []client.QueryParam{{Key: "name", Value: "cn-north-4"}})
	if status != http.StatusOK || !strings.Contains(string(body), `"id":"1bed856811654c1cb661a6ca845ebc77"`) {
		t.Errorf("IAM: %d %s", status, body)
	}
}

func TestGeneratedImageAndFlags(t *testing.T) {
	const project = "77b6a44cba5143ab91d13ab9a8ff44fd"
	url, out, log := start(t, "-members", "1500", "-image-id", "11111111-2222-4333-8444-555555555555",
		"-region", "eu-west-101", "-project-id", project, "-access-key", "AK1", "-secret-key", "SK1",
		"-security-token", "tok", "-v")
	if !strings.Contains(out.String(), `region     = "eu-west-101"`) || !strings.Contains(out.String(), `security_token = "tok"`) {
		t.Errorf("banner:\n%s", out)
	}
	c := caller{t: t, url: url, creds: client.Credentials{AccessKey: "AK1", SecretKey: "SK1", SecurityToken: "tok"}, project: project}
	if m, pages := c.readAll("11111111-2222-4333-8444-555555555555", 1000); len(m) != 1500 || pages != 2 {
		t.Errorf("%d members in %d pages", len(m), pages)
	}
	c.creds.SecurityToken = ""
	if status, _ := c.get("/v3/projects", "", nil); status != http.StatusUnauthorized {
		t.Errorf("without the token: %d", status)
	}
	// -v logs each request, and never a credential.
	lines := log.String()
	if !strings.Contains(lines, "GET /v3/projects? -> 401") || strings.Count(lines, "/members?limit=1000") != 2 {
		t.Errorf("request log:\n%s", lines)
	}
	if strings.Contains(lines, "SK1") || strings.Contains(lines, "tok") || strings.Contains(lines, "Signature=") {
		t.Errorf("the request log shows a secret:\n%s", lines)
	}
}

// TestGeneratedImagesForTheAudit is the scale world of the audit benchmark
// in small: -images images shared with -members members each, listed
// under a silent page cap.
func TestGeneratedImagesForTheAudit(t *testing.T) {
	const project = "77b6a44cba5143ab91d13ab9a8ff44fd"
	url, _, _ := start(t, "-images", "30", "-members", "4", "-image-page-cap", "7", "-project-id", project)
	c := caller{t: t, url: url, creds: client.Credentials{AccessKey: defaultAccessKey, SecretKey: defaultSecretKey}, project: project}
	var ids []string
	marker, pages := "", 0
	for ; pages < 20; pages++ {
		q := []client.QueryParam{{Key: "__imagetype", Value: "shared"}, {Key: "owner", Value: project}, {Key: "limit", Value: "500"}}
		if marker != "" {
			q = append(q, client.QueryParam{Key: "marker", Value: marker})
		}
		status, body := c.get("/v2/cloudimages", project, q)
		var page struct {
			Images []struct {
				ID string `json:"id"`
			} `json:"images"`
		}
		if status != http.StatusOK || json.Unmarshal(body, &page) != nil {
			t.Fatalf("page %d: %d %s", pages, status, body)
		}
		if len(page.Images) > 7 {
			t.Fatalf("page %d has %d images despite -image-page-cap 7", pages, len(page.Images))
		}
		if len(page.Images) == 0 {
			break
		}
		for _, img := range page.Images {
			ids = append(ids, img.ID)
		}
		marker = ids[len(ids)-1]
	}
	if len(ids) != 30 || pages != 5 {
		t.Fatalf("%d shared images in %d pages, want 30 in 5 (+1 empty)", len(ids), pages)
	}
	if m, _ := c.readAll(ids[0], 1000); len(m) != 4 {
		t.Errorf("image %s has %d members, want 4", ids[0], len(m))
	}
}

// TestLatency: -latency answers every request after the wait, and a
// request whose client has gone stops waiting without an answer.
func TestLatency(t *testing.T) {
	url, _, _ := start(t, "-members", "3", "-latency", "5ms")
	c := caller{t: t, url: url, creds: client.Credentials{AccessKey: defaultAccessKey, SecretKey: defaultSecretKey}, project: defaultProjectID}
	if m, pages := c.readAll(defaultImageID, 1000); len(m) != 3 || pages != 1 {
		t.Errorf("%d members in %d pages", len(m), pages)
	}

	served := false
	h := withLatency(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { served = true }), time.Hour)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	req := httptest.NewRequestWithContext(ctx, http.MethodGet, "/v3/projects", nil)
	h.ServeHTTP(httptest.NewRecorder(), req)
	if served {
		t.Error("answered a request whose client had gone")
	}
}

// TestRateLimitFlags: -rate-limit throttles with Retry-After: 1, and
// -throttle-without-retry-after leaves the header out.
func TestRateLimitFlags(t *testing.T) {
	for _, tc := range []struct {
		name           string
		flags          []string
		wantRetryAfter string
	}{
		{"Retry-After", nil, "1"},
		{"no Retry-After", []string{"-throttle-without-retry-after"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			url, _, _ := start(t, append([]string{"-rate-limit", "0.001", "-burst", "1"}, tc.flags...)...)
			c := caller{t: t, url: url, creds: client.Credentials{AccessKey: defaultAccessKey, SecretKey: defaultSecretKey}}
			query := []client.QueryParam{{Key: "name", Value: defaultRegion}}
			if status, _, body := c.getWithHeader("/v3/projects", "", query); status != http.StatusOK {
				t.Fatalf("first request: %d %s", status, body)
			}
			status, header, _ := c.getWithHeader("/v3/projects", "", query)
			if got := strings.Join(header.Values("Retry-After"), ", "); status != http.StatusTooManyRequests || got != tc.wantRetryAfter {
				t.Errorf("second request: %d with Retry-After %q, want 429 with %q", status, got, tc.wantRetryAfter)
			}
		})
	}
}

func TestFlagErrors(t *testing.T) {
	for _, args := range [][]string{
		{"-members", "-1"},
		{"-images", "-1"},
		{"-image-page-cap", "-2"},
		{"-latency", "-1ms"},
		{"-latency", "soon"},
		{"-job-duration", "-1s"},
		{"extra"},
		{"-fixture", "testdata/no-such.json"},
		{"-access-key", ""},
		{"-addr", "256.0.0.1:99999"},
		{"-no-such-flag"},
	} {
		var stderr bytes.Buffer
		if err := run(t.Context(), args, io.Discard, &stderr); err == nil {
			t.Errorf("%q: no error", args)
		}
	}
	if err := run(t.Context(), []string{"-h"}, io.Discard, io.Discard); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: %v", err)
	}
}

// TestSIGTERM runs the real main in a child process and stops it the way a
// demo script or a terminal would.
func TestSIGTERM(t *testing.T) {
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-members", "3")
	cmd.Env = append(os.Environ(), "IMS_EMULATOR_TEST_MAIN=1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	found := false
	for sc.Scan() {
		if urlLine.MatchString(sc.Text()) {
			found = true
			break
		}
	}
	if !found {
		_ = cmd.Process.Kill()
		t.Fatalf("no URL line; stderr %s", stderr.String())
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("exit after SIGTERM: %v; stderr %s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "stopped") {
		t.Errorf("stderr %q", stderr.String())
	}
}

// TestFlagsOverrideFixtureProject is how make demo runs it: its own project
// ID and region for the bundled data.
func TestFlagsOverrideFixtureProject(t *testing.T) {
	const project = "0123456789abcdef0123456789abcdef"
	url, out, _ := start(t, "-fixture", "testdata/demo.json", "-region", "ap-southeast-1", "-project-id", project)
	if !strings.Contains(out.String(), `project_id = "`+project+`"`) || !strings.Contains(out.String(), `region     = "ap-southeast-1"`) {
		t.Errorf("banner:\n%s", out)
	}
	c := caller{t: t, url: url, creds: client.Credentials{AccessKey: defaultAccessKey, SecretKey: defaultSecretKey}, project: project}
	if m, _ := c.readAll("d164b5df-1bc3-4c3f-893e-3e471fd16e64", 10); len(m) != 26 {
		t.Errorf("%d members under the overriding project, want 26", len(m))
	}
	// The images the analytics project shared with the fixture's first
	// project are now shared with the overriding one, in the same states.
	for status, want := range map[string]string{"accepted": "analytics-base", "pending": "ml-runtime", "rejected": "legacy-tools"} {
		code, body := c.get("/v2/cloudimages", project, []client.QueryParam{{Key: "visibility", Value: "shared"}, {Key: "member_status", Value: status}})
		if code != http.StatusOK || strings.Count(string(body), `"id":`) != 1 || !strings.Contains(string(body), `"name":"`+want+`"`) {
			t.Errorf("shared with the project, %s: %d %s", status, code, body)
		}
	}
	status, body := c.get("/v3/projects", "", []client.QueryParam{{Key: "name", Value: "ap-southeast-1"}})
	if status != http.StatusOK || !strings.Contains(string(body), `"id":"`+project+`"`) {
		t.Errorf("IAM: %d %s", status, body)
	}
	if _, body := c.get("/v3/projects", "", []client.QueryParam{{Key: "name", Value: "cn-north-4"}}); !strings.Contains(string(body), `"projects":[]`) {
		t.Errorf("the fixture's original project is still served: %s", body)
	}
}

// TestJobFlagsAndAdmin: -job-duration and -fail-jobs shape the share jobs,
// the admin API changes the world for loopback clients, -admin=false
// turns it off.
func TestJobFlagsAndAdmin(t *testing.T) {
	const project = "1bed856811654c1cb661a6ca845ebc77"
	const image = "5b2b7a35-2f8b-4f3a-9d7e-0d5c3b1a2e4f"
	url, _, _ := start(t, "-fixture", "testdata/demo.json", "-job-duration", "0s", "-fail-jobs")
	c := caller{t: t, url: url, creds: client.Credentials{AccessKey: defaultAccessKey, SecretKey: defaultSecretKey}, project: project}
	body := `{"images":["` + image + `"],"projects":["2c4e6a8b0d1f43a5b7c9e1f3a5c7e9b1"]}`
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url+"/v1/cloudimages/members", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set(client.HeaderProjectID, project)
	if err := c.creds.Sign(req, nil, []byte(body), time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var job struct {
		JobID string `json:"job_id"`
	}
	err = json.NewDecoder(resp.Body).Decode(&job)
	_ = resp.Body.Close()
	if err != nil || job.JobID == "" {
		t.Fatalf("POST: %d, %v", resp.StatusCode, err)
	}
	if status, b := c.get("/v1/"+project+"/jobs/"+job.JobID, project, nil); status != http.StatusOK || !strings.Contains(string(b), `"status":"FAIL"`) {
		t.Errorf("job with -fail-jobs: %d %s", status, b)
	}

	// The change goes through `ims-emulator admin`, as the demo makes it.
	admin := func(url string) error {
		var out bytes.Buffer
		return run(t.Context(), []string{"admin", url + "/_emulator/members",
			`{"project_id":"` + project + `","image_id":"` + image + `","members":[{"member_id":"77777777777777777777777777777777","member_type":"project","status":"accepted"}]}`},
			&out, io.Discard)
	}
	if err := admin(url); err != nil {
		t.Fatalf("admin call: %v", err)
	}
	if m, _ := c.readAll(image, 10); len(m) != 1 || m[0].Status != "accepted" {
		t.Errorf("members after the admin call: %+v", m)
	}
	off, _, _ := start(t, "-admin=false")
	if err := admin(off); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("admin call with -admin=false: %v, want a 404 error", err)
	}
	if err := run(t.Context(), []string{"admin", url + "/v1/cloudimages/members", "{}"}, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "not an admin API URL") {
		t.Errorf("admin call to a non-admin URL: %v", err)
	}
}

// TestReadBehaviourFlags: the read behaviours the documentation leaves open
// can be played another way from the command line.
func TestReadBehaviourFlags(t *testing.T) {
	const image = "11111111-2222-4333-8444-555555555555"
	url, _, _ := start(t, "-members", "5", "-image-id", image, "-last-page", "empty-marker", "-oversize-pages", "2")
	c := caller{t: t, url: url, creds: client.Credentials{AccessKey: defaultAccessKey, SecretKey: defaultSecretKey}, project: defaultProjectID}
	path := "/v1/" + defaultProjectID + "/cloudimages/" + image + "/members"
	status, body := c.get(path, defaultProjectID, []client.QueryParam{{Key: "limit", Value: "1"}})
	var first struct {
		Members  []json.RawMessage `json:"members"`
		PageInfo struct {
			NextMarker string `json:"next_marker"`
		} `json:"page_info"`
	}
	if err := json.Unmarshal(body, &first); err != nil || status != http.StatusOK {
		t.Fatalf("HTTP %d %s: %v", status, body, err)
	}
	if len(first.Members) != 3 || first.PageInfo.NextMarker == "" {
		t.Errorf("-oversize-pages 2 with limit 1: %d members, next_marker %q; want 3 and a marker", len(first.Members), first.PageInfo.NextMarker)
	}
	_, body = c.get(path, defaultProjectID, []client.QueryParam{{Key: "limit", Value: "1"}, {Key: "marker", Value: first.PageInfo.NextMarker}})
	if !strings.Contains(string(body), `"page_info":{"next_marker":"","current_count":2}`) {
		t.Errorf("-last-page empty-marker: last page %s", body)
	}
	for _, args := range [][]string{{"-last-page", "never"}, {"-unfiltered-shares", "some"}, {"-oversize-pages", "-1"}} {
		if err := run(t.Context(), args, io.Discard, io.Discard); err == nil {
			t.Errorf("%q: no error", args)
		}
	}
}

// TestMoreRegions: -more-regions adds a project per region, named as the
// region, with -images generated images each, served at that region's
// gateway (URL/{region}) and listed by IAM's /v3/auth/projects.
func TestMoreRegions(t *testing.T) {
	url, out, _ := start(t, "-images", "2", "-members", "3", "-more-regions", "ap-southeast-1, la-south-2")
	if !strings.Contains(out.String(), `ims = "`+url+`/{region}"`) {
		t.Errorf("banner lacks the regional endpoint:\n%s", out)
	}
	c := caller{t: t, url: url, creds: client.Credentials{AccessKey: defaultAccessKey, SecretKey: defaultSecretKey}}
	status, body := c.get("/v3/auth/projects", "", nil)
	for _, want := range []string{`"name":"cn-north-4"`, `"name":"ap-southeast-1"`, `"name":"la-south-2"`, `"id":"` + regionProjectID("la-south-2") + `"`} {
		if status != http.StatusOK || !strings.Contains(string(body), want) {
			t.Errorf("/v3/auth/projects lacks %s: %d %s", want, status, body)
		}
	}
	project := regionProjectID("ap-southeast-1")
	shared := []client.QueryParam{{Key: "__imagetype", Value: "shared"}, {Key: "owner", Value: project}}
	if status, body := c.get("/ap-southeast-1/v2/cloudimages", project, shared); status != http.StatusOK || strings.Count(string(body), `"id":`) != 2 {
		t.Errorf("ap-southeast-1's shared images: %d %s", status, body)
	}
	if status, _ := c.get("/cn-north-4/v2/cloudimages", project, shared); status == http.StatusOK {
		t.Error("cn-north-4's gateway served ap-southeast-1's project")
	}
}

// A region that already has its project cannot get a second one.
func TestMoreRegionsRefusesARegionWithAProject(t *testing.T) {
	_, _, err := build(options{region: defaultRegion, projectID: defaultProjectID, fixture: "testdata/demo.json", moreRegions: []string{"ap-southeast-3"}, set: map[string]bool{}}, nil)
	if err == nil || !strings.Contains(err.Error(), "ap-southeast-3") {
		t.Errorf("err = %v, want one naming ap-southeast-3", err)
	}
}
