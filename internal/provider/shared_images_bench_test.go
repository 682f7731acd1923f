package provider

import (
	"context"
	"fmt"
	"runtime"
	"runtime/metrics"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/cloudimages/terraform-provider-ims/internal/benchmetrics"
	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
)

// BenchmarkSharedImagesRead is one ims_shared_images read of a whole
// project as Terraform makes it (ReadDataSource with a msgpack config,
// state encoded to msgpack), the audit's scale case at its largest: 1,000
// shared images of 256 members, 256,000 members in one state. The client
// has an unlimited request budget, as in BenchmarkImageMembersRead, so the
// figures are the provider's work, not waiting. Besides ns/member it
// reports the Go heap's peak during the read (peak-heap-MB, from
// runtime/metrics: the live heap at its highest, the bulk of the process's
// RSS) and the msgpack state's size.
func BenchmarkSharedImagesRead(b *testing.B) {
	for _, size := range []struct{ images, members int }{{100, 256}, {1000, 256}} {
		b.Run(fmt.Sprintf("images=%d/members=%d", size.images, size.members), func(b *testing.B) {
			env := newBenchEnv(b)
			for _, img := range emulator.GenerateImages(testProjectID, size.images) {
				env.emu.AddImage(testProjectID, img.ID, emulator.GenerateMembers(img.ID, size.members))
				env.emu.AddImageMetadata(img)
			}
			config, err := newDynamicValue(env.direct.sharedImagesType, nil)
			if err != nil {
				b.Fatal(err)
			}
			var stateBytes int
			read := func() {
				resp, err := env.direct.server.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{TypeName: "ims_shared_images", Config: &config})
				if err != nil || resp.State == nil || len(resp.Diagnostics) > 0 {
					b.Fatalf("ReadDataSource: %v %s", err, diagnosticsText(resp.Diagnostics))
				}
				stateBytes = len(resp.State.MsgPack)
				env.emu.ResetRequests()
			}
			peak := trackPeakHeap()
			benchmetrics.PerMember(b, size.images*size.members, read)
			b.ReportMetric(float64(peak())/(1<<20), "peak-heap-MB")
			b.ReportMetric(float64(stateBytes)/(1<<20), "state-MB")
		})
	}
}

// trackPeakHeap samples the live heap until the returned function is
// called, which returns the highest sample in bytes.
func trackPeakHeap() func() uint64 {
	done := make(chan struct{})
	result := make(chan uint64)
	go func() {
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var peak uint64
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			select {
			case <-done:
				result <- peak
				return
			default:
				runtime.Gosched()
			}
		}
	}()
	return func() uint64 { close(done); return <-result }
}
