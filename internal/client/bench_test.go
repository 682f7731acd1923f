package client_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"runtime"
	"testing"

	"github.com/cloudimages/terraform-provider-ims/internal/client"
	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
)

const (
	benchAccessKey = "BENCHACCESSKEY000001"
	benchSecretKey = "bench-secret-key-0001"
	benchProjectID = "0123456789abcdef0123456789abcdef"
	benchRegion    = "cn-north-4"
)

// BenchmarkListImageMembers is the client alone: signing, paging 1,000
// members a page over loopback HTTP to the emulator, JSON decoding. The
// emulator serves from the same process, so the figures include its side
// (signature check, page encoding) too; they are an upper bound on the
// client's share of a read. The request budget is unlimited so that the
// benchmark measures work, not the shipped budget's pacing.
func BenchmarkListImageMembers(b *testing.B) {
	emu := emulator.New(emulator.Config{
		AccessKey: benchAccessKey, SecretKey: benchSecretKey,
		Projects: []emulator.Project{{ID: benchProjectID, Name: benchRegion, Enabled: true}},
	})
	srv := httptest.NewServer(emu)
	b.Cleanup(srv.Close)
	c, err := client.New(client.Config{
		Credentials: client.Credentials{AccessKey: benchAccessKey, SecretKey: benchSecretKey},
		IMSEndpoint: srv.URL, IAMEndpoint: srv.URL,
		Budget: client.NewBudget(1e9, 1, 1e9, 1<<20),
	})
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{256, 100_000} {
		b.Run(fmt.Sprintf("members=%d", n), func(b *testing.B) {
			imageID := fmt.Sprintf("be0c%04x-0000-4000-8000-000000000001", n%0x10000)
			emu.AddImage(benchProjectID, imageID, emulator.GenerateMembers(imageID, n))
			in := client.ListImageMembersInput{Region: benchRegion, ProjectID: benchProjectID, ImageID: imageID}
			wantRequests := max(1, (n+client.MaxPageSize-1)/client.MaxPageSize)

			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			iterations := 0
			for b.Loop() {
				list, err := c.ListImageMembers(context.Background(), in)
				if err != nil {
					b.Fatal(err)
				}
				if len(list.Members) != n || list.Requests != wantRequests {
					b.Fatalf("%d members in %d requests, want %d in %d", len(list.Members), list.Requests, n, wantRequests)
				}
				emu.ResetRequests() // the request log would grow without bound
				iterations++
			}
			b.StopTimer()
			runtime.ReadMemStats(&after)
			per := float64(iterations) * float64(n)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/per, "ns/member")
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/per, "B/member")
			b.ReportMetric(float64(after.Mallocs-before.Mallocs)/per, "allocs/member")
		})
	}
}
