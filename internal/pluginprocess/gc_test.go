package pluginprocess

import (
	"math"
	"runtime/debug"
	"testing"
)

// TestTuneGC: the plugin's GC settings apply only when the environment
// sets neither GOGC nor GOMEMLIMIT.
func TestTuneGC(t *testing.T) {
	percent, limit := debug.SetGCPercent(100), debug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() { debug.SetGCPercent(percent); debug.SetMemoryLimit(limit) })

	for _, env := range []map[string]string{{"GOGC": "100"}, {"GOMEMLIMIT": "1GiB"}, {"GOGC": "off", "GOMEMLIMIT": "2GiB"}} {
		lookup := func(name string) (string, bool) { v, ok := env[name]; return v, ok }
		if TuneGC(lookup) {
			t.Errorf("%v: tuned despite the environment", env)
		}
		if got := debug.SetGCPercent(100); got != 100 {
			t.Errorf("%v: GC percent %d, want the environment's 100", env, got)
		}
		if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
			t.Errorf("%v: memory limit %d, want none", env, got)
		}
	}

	if !TuneGC(func(string) (string, bool) { return "", false }) {
		t.Fatal("not tuned with neither variable set")
	}
	if got := debug.SetGCPercent(100); got != pluginGCPercent {
		t.Errorf("GC percent %d, want %d", got, pluginGCPercent)
	}
	if got := debug.SetMemoryLimit(-1); got != pluginMemoryLimit {
		t.Errorf("memory limit %d, want %d", got, pluginMemoryLimit)
	}
}
