package emulator

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
)

const benchMembers = 100_000

// BenchmarkReadAll100k pages through 100,000 members, 1,000 a page, over
// real HTTP with signing: 100 requests per iteration.
func BenchmarkReadAll100k(b *testing.B) {
	v := newEnv(b, Config{})
	v.emu.AddImage(testProject, testImage, GenerateMembers(testImage, benchMembers))
	b.ResetTimer()
	for b.Loop() {
		got, requests := v.readAll(testProject, testImage, 1000)
		if len(got) != benchMembers || requests != 100 {
			b.Fatalf("%d members in %d requests", len(got), requests)
		}
		v.emu.ResetRequests()
	}
}

// BenchmarkServePage measures the handler alone for one 1,000-member page
// deep in a 100,000-member image: signature check, marker, body assembly.
func BenchmarkServePage(b *testing.B) {
	emu := New(Config{AccessKey: testAK, SecretKey: testSK, Projects: []Project{{ID: testProject, Name: "cn-north-4", Enabled: true}}})
	emu.AddImage(testProject, testImage, GenerateMembers(testImage, benchMembers))
	img := emu.images[imageKey{testProject, testImage}]
	marker := emu.encodeMarker(testProject, testImage, img.gen, marker{offset: 98_000})
	req := httptest.NewRequestWithContext(b.Context(), http.MethodGet, "http://ims.local"+membersPath(testProject, testImage), nil)
	req.Header.Set(client.HeaderProjectID, testProject)
	q := []client.QueryParam{{Key: "limit", Value: "1000"}, {Key: "marker", Value: marker}}
	creds := client.Credentials{AccessKey: testAK, SecretKey: testSK}
	if err := creds.Sign(req, q, nil, time.Now()); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		emu.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
		emu.ResetRequests()
	}
}
