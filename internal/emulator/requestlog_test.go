package emulator

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestRequestLog(t *testing.T) {
	v := newEnv(t, Config{})
	v.emu.AddImage(testProject, testImage, GenerateMembers(testImage, 3))
	before := time.Now()

	ok := v.list(testProject, testImage, 2, "")
	missing := v.list(testProject, "00000000-0000-4000-8000-000000000000", 0, "")
	v.projects("cn-north-4")

	reqs := v.emu.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests recorded, want 3", len(reqs))
	}
	first := reqs[0]
	if first.Method != http.MethodGet || first.Path != membersPath(testProject, testImage) || first.RawQuery != "limit=2" || first.Status != http.StatusOK {
		t.Errorf("first request %+v", first)
	}
	if !strings.HasPrefix(first.Header.Get("Authorization"), "SDK-HMAC-SHA256 ") || first.Header.Get("X-Project-Id") != testProject {
		t.Errorf("headers not kept: %v", first.Header)
	}
	if first.RequestID != ok.header.Get("X-Request-Id") || reqs[1].RequestID != missing.header.Get("X-Request-Id") {
		t.Error("request IDs differ from the X-Request-Id sent")
	}
	if reqs[1].Status != http.StatusNotFound || reqs[2].Path != "/v3/projects" {
		t.Errorf("later requests %+v %+v", reqs[1], reqs[2])
	}
	if first.At.Before(before) || reqs[2].At.Before(first.At) {
		t.Error("arrival times out of order")
	}

	if n := v.emu.CountRequests("/cloudimages/"); n != 2 {
		t.Errorf("CountRequests(/cloudimages/) = %d", n)
	}
	if n := v.emu.CountRequests(""); n != 3 {
		t.Errorf("CountRequests(\"\") = %d", n)
	}

	// Callers get copies.
	reqs[0].Header.Set("X-Project-Id", "changed")
	if v.emu.Requests()[0].Header.Get("X-Project-Id") != testProject {
		t.Error("Requests handed out the log's own headers")
	}

	v.emu.ResetRequests()
	if n := len(v.emu.Requests()); n != 0 {
		t.Errorf("%d requests after reset", n)
	}
	v.list(testProject, testImage, 0, "")
	if n := v.emu.CountRequests("/members"); n != 1 {
		t.Errorf("%d after one more", n)
	}
}

func TestOnRequestSeesEachAnsweredRequest(t *testing.T) {
	var seen []RecordedRequest
	v := newEnv(t, Config{OnRequest: func(r RecordedRequest, took time.Duration) {
		if took < 0 {
			t.Errorf("negative duration %v", took)
		}
		seen = append(seen, r)
	}})
	v.emu.AddImage(testProject, testImage, GenerateMembers(testImage, 1))
	v.list(testProject, testImage, 0, "")
	v.list(testProject, "00000000-0000-4000-8000-000000000000", 0, "")
	if len(seen) != 2 || seen[0].Status != http.StatusOK || seen[1].Status != http.StatusNotFound || seen[0].RequestID == "" {
		t.Fatalf("OnRequest saw %+v", seen)
	}
}
