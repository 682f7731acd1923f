package sdkcheck

// Replay of recorded exchanges (internal/client/testdata/recorded/, made
// by the acceptance tests with IMS_RECORD_DIR): each recorded session is
// played back to the client, which must make exactly the recorded requests
// and decode every recorded answer; each answer is read through the SDK's
// models; and each is compared with what the emulator writes for the same
// operation, so that a field the cloud sends with another JSON type than
// the emulator shows up as a test failure, not as a surprise in the field.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
	"github.com/cloudimages/terraform-provider-ims/internal/client/recording"
	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
)

const recordedDir = "../testdata/recorded"

func toWire(x recording.Exchange) wireExchange {
	return wireExchange{Method: x.Method, Path: x.Path, Query: x.Query, RequestBody: []byte(x.RequestBody),
		Status: x.Status, ResponseBody: []byte(x.ResponseBody)}
}

// operationOf names an exchange's operation by its SDK response model.
func operationOf(method, path string) string {
	_, model := sdkModels(method, path)
	return fmt.Sprintf("%s %T", method, model)
}

// jsonShape maps each path of a JSON document ("members[].status") to the
// JSON kinds met there; nulls say nothing and are left out.
func jsonShape(body []byte) map[string]map[string]bool {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return nil
	}
	out := map[string]map[string]bool{}
	var walk func(at string, v any)
	walk = func(at string, v any) {
		kind := ""
		switch v := v.(type) {
		case nil:
			return
		case map[string]any:
			kind = "object"
			for k, child := range v {
				walk(at+"."+k, child)
			}
		case []any:
			kind = "array"
			for _, child := range v {
				walk(at+"[]", child)
			}
		case string:
			kind = "string"
		case float64:
			kind = "number"
		case bool:
			kind = "boolean"
		}
		if out[at] == nil {
			out[at] = map[string]bool{}
		}
		out[at][kind] = true
	}
	walk("$", v)
	return out
}

func mergeShape(into, from map[string]map[string]bool) {
	for path, kinds := range from {
		if into[path] == nil {
			into[path] = map[string]bool{}
		}
		for k := range kinds {
			into[path][k] = true
		}
	}
}

// emulatorShapes is the shape of every successful answer the emulator
// writes, by operation, from one run of every call the provider makes.
func emulatorShapes(t *testing.T) map[string]map[string]map[string]bool {
	t.Helper()
	_, c, dir := emulatorWorld(t, emulator.Config{})
	driveEveryOperation(t, c)
	shapes := map[string]map[string]map[string]bool{}
	for _, x := range recorded(t, dir) {
		if x.Status/100 != 2 {
			continue
		}
		op := operationOf(x.Method, x.Path)
		if shapes[op] == nil {
			shapes[op] = map[string]map[string]bool{}
		}
		mergeShape(shapes[op], jsonShape(x.ResponseBody))
	}
	return shapes
}

// compareWithEmulator lists each path whose JSON kind in the recorded
// answer is one the emulator never writes there (problems), and each path
// the recording has and the emulator never writes (notes).
func compareWithEmulator(x recording.Exchange, shapes map[string]map[string]map[string]bool) (problems, notes []string) {
	if x.Status/100 != 2 {
		return nil, nil
	}
	op := operationOf(x.Method, x.Path)
	emu := shapes[op]
	if emu == nil {
		return []string{fmt.Sprintf("%s: the emulator was never seen answering %s", x.Path, op)}, nil
	}
	rec := jsonShape([]byte(x.ResponseBody))
	paths := make([]string, 0, len(rec))
	for p := range rec {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		if emu[p] == nil {
			notes = append(notes, fmt.Sprintf("%s %s: %s is recorded, the emulator never writes it", x.Method, x.Path, p))
			continue
		}
		for kind := range rec[p] {
			if !emu[p][kind] {
				problems = append(problems, fmt.Sprintf("%s %s: %s is a %s in the recording, never in the emulator's answers", x.Method, x.Path, p, kind))
			}
		}
	}
	return problems, notes
}

// replayServer answers each request with the next recorded answer to the
// same method, path and query, and notes any request not recorded.
type replayServer struct {
	mu       sync.Mutex
	queues   map[string][]recording.Exchange
	served   map[int]bool
	problems []string
}

func replayKey(method, path, query string) string { return method + " " + path + "?" + query }

func (s *replayServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	defer s.mu.Unlock()
	key := replayKey(r.Method, r.URL.Path, r.URL.RawQuery)
	q := s.queues[key]
	if len(q) == 0 {
		s.problems = append(s.problems, "the client sent a request that was not recorded: "+key)
		w.WriteHeader(http.StatusTeapot)
		return
	}
	x := q[0]
	s.queues[key] = q[1:]
	s.served[x.Seq] = true
	if x.RequestBody != "" && string(body) != x.RequestBody {
		s.problems = append(s.problems, fmt.Sprintf("%s: the client's body %s is not the recorded %s", key, body, x.RequestBody))
	}
	for k, v := range x.ResponseHeaders {
		if k == "Retry-After" {
			v = "0" // the wait was real when recorded; replaying it only slows the test
		}
		w.Header().Set(k, v)
	}
	w.WriteHeader(x.Status)
	_, _ = io.WriteString(w, x.ResponseBody)
}

var (
	recordedMembersPath = regexp.MustCompile(`^/v1/([^/]+)/cloudimages/([^/]+)/members$`)
	recordedJobPath     = regexp.MustCompile(`^/v1/([^/]+)/jobs/([^/]+)$`)
)

// replaySession plays one session's exchanges back to the client and
// returns what went wrong.
func replaySession(t *testing.T, exchanges []recording.Exchange) []string {
	t.Helper()
	srv := &replayServer{queues: map[string][]recording.Exchange{}, served: map[int]bool{}}
	for _, x := range exchanges {
		k := replayKey(x.Method, x.Path, x.Query)
		srv.queues[k] = append(srv.queues[k], x)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	newClient := func() *client.Client {
		c, err := client.New(client.Config{Credentials: client.Credentials{AccessKey: recording.AccessKeyPlaceholder, SecretKey: recording.SecretKeyPlaceholder},
			IMSEndpoint: hs.URL, IAMEndpoint: hs.URL, MaxRetries: 10, JobPollInterval: time.Millisecond, JobPollMaxInterval: time.Millisecond,
			Retry: client.RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: time.Millisecond, MaxRetryAfter: time.Millisecond}})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	ctx := context.Background()
	const region = "replay-region"
	var problems []string
	for _, x := range exchanges {
		srv.mu.Lock()
		done := srv.served[x.Seq]
		srv.mu.Unlock()
		if done {
			continue
		}
		query, _ := url.ParseQuery(x.Query)
		project := x.RequestHeaders["X-Project-Id"]
		var err error
		what := x.Method + " " + x.Path + "?" + x.Query
		switch {
		case x.Method == http.MethodGet && x.Path == "/v3/projects":
			_, err = newClient().ProjectID(ctx, query.Get("name"))
		case x.Method == http.MethodGet && recordedMembersPath.MatchString(x.Path) && !query.Has("marker"):
			m := recordedMembersPath.FindStringSubmatch(x.Path)
			limit, _ := strconv.Atoi(query.Get("limit"))
			_, err = newClient().ListImageMembers(ctx, client.ListImageMembersInput{Region: region, ProjectID: m[1], ImageID: m[2], PageSize: limit})
		case x.Method == http.MethodGet && x.Path == "/v2/cloudimages" && !query.Has("marker"):
			limit, _ := strconv.Atoi(query.Get("limit"))
			_, err = newClient().ListImages(ctx, client.ListImagesInput{Region: region, ProjectID: project, PageSize: limit, Filters: client.ImageFilters{
				ImageType: query.Get("__imagetype"), Visibility: query.Get("visibility"), Owner: query.Get("owner"), ID: query.Get("id"),
				Name: query.Get("name"), Status: query.Get("status"), MemberStatus: query.Get("member_status"), OSType: query.Get("__os_type"),
				Platform: query.Get("__platform"), Architecture: query.Get("architecture"), EnterpriseProjectID: query.Get("enterprise_project_id"),
				Tag: query.Get("tag"), SortKey: query.Get("sort_key"), SortDir: query.Get("sort_dir")}})
		case x.Method == http.MethodGet && recordedJobPath.MatchString(x.Path):
			m := recordedJobPath.FindStringSubmatch(x.Path)
			_, err = newClient().WaitForJob(ctx, client.WaitForJobInput{Region: region, ProjectID: m[1], JobID: m[2]})
		case x.Path == "/v1/cloudimages/members" && (x.Method == http.MethodPost || x.Method == http.MethodDelete):
			var body struct{ Images, Projects, Domains, Organizations []string }
			_ = json.Unmarshal([]byte(x.RequestBody), &body)
			change := client.MembersChange{Region: region, ProjectID: project, ImageIDs: body.Images, Projects: body.Projects,
				Domains: body.Domains, Organizations: body.Organizations}
			if x.Method == http.MethodPost {
				_, err = newClient().AddImageMembers(ctx, change)
			} else {
				_, err = newClient().RemoveImageMembers(ctx, change)
			}
		case x.Path == "/v1/cloudimages/members" && x.Method == http.MethodPut:
			var body struct {
				Images    []string `json:"images"`
				ProjectID string   `json:"project_id"`
				Status    string   `json:"status"`
				VaultID   string   `json:"vault_id"`
			}
			_ = json.Unmarshal([]byte(x.RequestBody), &body)
			_, err = newClient().SetMemberStatus(ctx, client.MemberStatusInput{Region: region, ProjectID: project,
				ImageIDs: body.Images, Status: body.Status, VaultID: body.VaultID})
		default:
			problems = append(problems, "recorded but not the start of any call the client makes: "+what)
			continue
		}
		var bad *client.ResponseError
		if errors.As(err, &bad) {
			problems = append(problems, "the client refused the recorded answer to "+what+": "+err.Error())
		}
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	for _, x := range exchanges {
		if !srv.served[x.Seq] {
			problems = append(problems, "recorded, and the client's replay never asked for it: "+replayKey(x.Method, x.Path, x.Query))
		}
	}
	return append(problems, srv.problems...)
}

// replayAll runs every check on every session of exchanges and returns
// the problems and the notes.
func replayAll(t *testing.T, exchanges []recording.Exchange, shapes map[string]map[string]map[string]bool) (problems, notes []string) {
	t.Helper()
	sessions := map[string][]recording.Exchange{}
	var names []string
	for _, x := range exchanges {
		if sessions[x.Session] == nil {
			names = append(names, x.Session)
		}
		sessions[x.Session] = append(sessions[x.Session], x)
		problems = append(problems, checkAgainstSDKModels(toWire(x), false)...)
		p, n := compareWithEmulator(x, shapes)
		problems, notes = append(problems, p...), append(notes, n...)
	}
	for _, name := range names {
		for _, p := range replaySession(t, sessions[name]) {
			problems = append(problems, name+": "+p)
		}
	}
	return problems, notes
}

// recordAgainstTheEmulator records every call the provider makes against
// the emulator, as an acceptance run records them against the cloud.
func recordAgainstTheEmulator(t *testing.T) []recording.Exchange {
	t.Helper()
	_, c, dir := emulatorWorld(t, emulator.Config{})
	driveEveryOperation(t, c)
	exchanges, err := recording.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(exchanges) < 10 {
		t.Fatalf("%d exchanges recorded", len(exchanges))
	}
	return exchanges
}

func TestReplayOfARecordingMadeAgainstTheEmulatorIsGreen(t *testing.T) {
	problems, notes := replayAll(t, recordAgainstTheEmulator(t), emulatorShapes(t))
	for _, p := range problems {
		t.Error(p)
	}
	for _, n := range notes {
		t.Error("the emulator compared with itself: " + n)
	}
}

// Each kind of disagreement a real recording could bring fails the replay.
func TestReplayFindsWhatTheClientOrTheEmulatorWouldGetWrong(t *testing.T) {
	clean := recordAgainstTheEmulator(t)
	shapes := emulatorShapes(t)
	tamper := func(match func(recording.Exchange) bool, change func(*recording.Exchange)) []recording.Exchange {
		out := append([]recording.Exchange(nil), clean...)
		for i := range out {
			if match(out[i]) {
				change(&out[i])
				return out
			}
		}
		t.Fatal("no exchange to tamper with")
		return nil
	}
	isImages := func(x recording.Exchange) bool {
		return x.Path == "/v2/cloudimages" && strings.Contains(x.ResponseBody, `"__image_size"`)
	}
	for _, c := range []struct {
		name      string
		exchanges []recording.Exchange
		want      []string
	}{
		{"image size sent as a number", tamper(isImages, func(x *recording.Exchange) {
			x.ResponseBody = regexp.MustCompile(`"__image_size":"(\d+)"`).ReplaceAllString(x.ResponseBody, `"__image_size":$1`)
		}), []string{"the client refused", "__image_size", "is a number in the recording"}},
		{"members list named otherwise", tamper(func(x recording.Exchange) bool { return recordedMembersPath.MatchString(x.Path) && x.Status == 200 },
			func(x *recording.Exchange) {
				x.ResponseBody = strings.Replace(x.ResponseBody, `"members"`, `"image_members"`, 1)
			}),
			[]string{"the client refused", "image_members is recorded, the emulator never writes it"}},
		{"a request the client no longer makes", append(append([]recording.Exchange(nil), clean...), recording.Exchange{
			Session: clean[0].Session, Seq: 9999, Method: "GET", Path: "/v2/cloudimages", Query: "limit=500&marker=gone", Status: 200, ResponseBody: `{"images":[]}`}),
			[]string{"not the start of any call"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			problems, notes := replayAll(t, c.exchanges, shapes)
			all := strings.Join(append(problems, notes...), "\n")
			for _, w := range c.want {
				if !strings.Contains(all, w) {
					t.Errorf("no problem or note contains %q; got:\n%s", w, all)
				}
			}
		})
	}
}

// TestReplayContributedRecordings replays every recording committed under
// internal/client/testdata/recorded/ (none yet is fine). A field the cloud
// sends that the emulator never writes is logged, not failed: the emulator
// writes only what the provider reads.
func TestReplayContributedRecordings(t *testing.T) {
	exchanges, err := recording.Load(recordedDir)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(recordedDir, "*.json"))
	if len(files) != len(exchanges) {
		t.Fatalf("%d files, %d exchanges", len(files), len(exchanges))
	}
	if _, err := os.Stat(recordedDir); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d recorded exchanges", len(exchanges))
	if len(exchanges) == 0 {
		return
	}
	problems, notes := replayAll(t, exchanges, emulatorShapes(t))
	for _, p := range problems {
		t.Error(p)
	}
	for _, n := range notes {
		t.Log(n)
	}
}
