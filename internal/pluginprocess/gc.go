// Package pluginprocess is what the provider's process sets up for itself
// before it serves: its garbage collector's settings and, when asked to,
// a CPU profile of its whole life. main calls it; nothing else does.
package pluginprocess

import "runtime/debug"

// The provider lives for one plan or apply and holds little between reads,
// so by default it collects garbage less often than Go's default (GOGC=100)
// and bounds its heap with a soft limit instead: in make bench-e2e's
// for_each audit GOGC=400 cut the provider's CPU by about a sixth, and the
// limit keeps the largest single read (a whole project's members in one
// ims_shared_images) from growing the heap without bound. A GOGC or
// GOMEMLIMIT in the environment wins (DEVELOPMENT.md "Performance").
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
