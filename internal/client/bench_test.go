package client_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/cloudimages/terraform-provider-ims/internal/benchmetrics"
	"github.com/cloudimages/terraform-provider-ims/internal/client"
	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
)

const (
	benchAccessKey = "BENCHACCESSKEY000001"
	benchSecretKey = "bench-secret-key-0001"
	benchProjectID = "0123456789abcdef0123456789abcdef"
	benchRegion    = "cn-north-4"
)

// BenchmarkListImageMembers is the client: signing, paging 1,000 members a
// page, JSON decoding, with an unlimited request budget so that it measures
// work, not the shipped budget's pacing. It runs over two transports:
//
//   - transport=emulator: loopback HTTP to the emulator in the same
//     process, so the figures include the emulator's side (signature check,
//     page encoding) and both ends of HTTP: an upper bound on the client's
//     share of a read;
//   - transport=memory: the same pages, recorded once from the emulator,
//     answered from memory by a RoundTripper: the client's own code alone,
//     without the network stack.
//
// Besides wall time it reports the process's CPU time per member
// (cpu-ns/member), which a shared machine's load disturbs less.
func BenchmarkListImageMembers(b *testing.B) {
	emu := emulator.New(emulator.Config{
		AccessKey: benchAccessKey, SecretKey: benchSecretKey,
		Projects: []emulator.Project{{ID: benchProjectID, Name: benchRegion, Enabled: true}},
	})
	srv := httptest.NewServer(emu)
	b.Cleanup(srv.Close)
	newClient := func(transport http.RoundTripper) *client.Client {
		c, err := client.New(client.Config{
			Credentials: client.Credentials{AccessKey: benchAccessKey, SecretKey: benchSecretKey},
			IMSEndpoint: srv.URL, IAMEndpoint: srv.URL,
			Budget:    client.NewBudget(1e9, 1, 1e9, 1<<20),
			Transport: transport,
		})
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
	for _, n := range []int{256, 100_000} {
		// Setup happens per size so that -bench can pick one.
		b.Run(fmt.Sprintf("members=%d", n), func(b *testing.B) {
			imageID := fmt.Sprintf("be0c%04x-0000-4000-8000-000000000001", n%0x10000)
			emu.AddImage(benchProjectID, imageID, emulator.GenerateMembers(imageID, n))
			in := client.ListImageMembersInput{Region: benchRegion, ProjectID: benchProjectID, ImageID: imageID}
			recorded := &recordingTransport{next: http.DefaultTransport, pages: map[string][]byte{}}
			if _, err := newClient(recorded).ListImageMembers(context.Background(), in); err != nil {
				b.Fatal(err)
			}
			for _, tc := range []struct {
				name      string
				transport http.RoundTripper
			}{
				{"emulator", nil},
				{"memory", memoryTransport(recorded.pages)},
			} {
				b.Run("transport="+tc.name, func(b *testing.B) {
					benchListImageMembers(b, newClient(tc.transport), emu, in, n)
				})
			}
		})
	}
}

func benchListImageMembers(b *testing.B, c *client.Client, emu *emulator.Emulator, in client.ListImageMembersInput, n int) {
	wantRequests := max(1, (n+client.MaxPageSize-1)/client.MaxPageSize)
	benchmetrics.PerMember(b, n, func() {
		list, err := c.ListImageMembers(context.Background(), in)
		if err != nil {
			b.Fatal(err)
		}
		if len(list.Members) != n || list.Requests != wantRequests {
			b.Fatalf("%d members in %d requests, want %d in %d", len(list.Members), list.Requests, n, wantRequests)
		}
		emu.ResetRequests() // the request log would grow without bound
	})
}

// recordingTransport keeps each page's body by its request's query, whose
// marker tells the pages apart.
type recordingTransport struct {
	next  http.RoundTripper
	pages map[string][]byte
}

func (t *recordingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("recording %s: HTTP %d %s", r.URL, resp.StatusCode, body)
	}
	t.pages[r.URL.RawQuery] = body
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

// memoryTransport answers each request with the page recorded for its query.
type memoryTransport map[string][]byte

func (t memoryTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	body, ok := t[r.URL.RawQuery]
	if !ok {
		return nil, fmt.Errorf("no recorded page for %s", r.URL)
	}
	return &http.Response{
		StatusCode: http.StatusOK, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        http.Header{"Content-Type": {"application/json"}, "X-Request-Id": {"memory"}},
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)), Request: r,
	}, nil
}
