// Package pluginprocess is what the provider's process sets up for itself
// before it serves: its garbage collector's settings and, when asked to,
// a CPU profile of its whole life. main calls it; nothing else does.
package pluginprocess

import "runtime/debug"

// The provider lives for one plan or apply and holds little between reads,
// so by default it collects garbage less often than Go's default (GOGC=100)
// and bounds its heap with a soft limit instead. Re-measured with the
// direct reads (make bench-e2e, 2026-12-06, DEVELOPMENT.md "What the reads
// do now"): GOGC=400 costs the provider about a tenth less CPU per member
// in the for_each audit (12.5-13.1 against 14.1-14.4 µs) and a few percent
// less in one 256,029-member read (7.3-8.1 against 7.8-8.4 µs), for 30 to
// 90 MB more at peak (374 MB for that read). The limit keeps the largest
// single read from growing the heap without bound. A GOGC or GOMEMLIMIT in
// the environment wins.
const (
	pluginGCPercent   = 400
	pluginMemoryLimit = 768 << 20 // bytes
)

// TuneGC applies the plugin's GC settings unless the environment sets
// either; it reports whether it did.
func TuneGC(lookupEnv func(string) (string, bool)) bool {
	for _, name := range []string{"GOGC", "GOMEMLIMIT"} {
		if _, set := lookupEnv(name); set {
			return false
		}
	}
	debug.SetGCPercent(pluginGCPercent)
	debug.SetMemoryLimit(pluginMemoryLimit)
	return true
}
