// Package benchmetrics is what the client's and the provider's benchmarks
// report per member, measured one way: wall time, the process's CPU time,
// bytes and allocations. Only tests import it.
package benchmetrics

import (
	"runtime"
	"testing"
)

// PerMember runs op in the benchmark loop and reports its cost per member
// (members per op): ns/member (wall), cpu-ns/member (the process's user +
// system time, which a shared machine's load disturbs less than wall
// time), B/member and allocs/member, read from the runtime because
// -benchmem's per-op figures hide the per-member ones. CPU and allocations
// include everything in the process: an in-process emulator's work and
// the GC's.
func PerMember(b *testing.B, members int, op func()) {
	b.Helper()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	cpuBefore := ProcessCPUTime()
	iterations := 0
	for b.Loop() {
		op()
		iterations++
	}
	b.StopTimer()
	cpu := ProcessCPUTime() - cpuBefore
	runtime.ReadMemStats(&after)
	per := float64(iterations) * float64(members)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/per, "ns/member")
	b.ReportMetric(float64(cpu.Nanoseconds())/per, "cpu-ns/member")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/per, "B/member")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/per, "allocs/member")
}
