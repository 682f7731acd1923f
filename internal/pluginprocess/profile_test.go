package pluginprocess

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestStartProfile: with IMS_PROVIDER_PROFILE_DIR set, the process writes
// its CPU profile there as cpu-PID.pprof once stopped; unset, nothing.
func TestStartProfile(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(profileDirEnv, "")
	StartProfile()()
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("profiled without being asked: %v", entries)
	}

	t.Setenv(profileDirEnv, dir)
	StartProfile()()
	info, err := os.Stat(filepath.Join(dir, fmt.Sprintf("cpu-%d.pprof", os.Getpid())))
	if err != nil || info.Size() == 0 {
		t.Fatalf("no profile: %v", err)
	}
}
