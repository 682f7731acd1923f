package pluginprocess

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
)

// profileDirEnv names a directory where each provider process writes a CPU
// profile of its whole life, cpu-PID.pprof: Terraform starts the provider
// itself, so an environment variable is the way to profile a real plan
// (DEVELOPMENT.md "Performance"). Unset, nothing is profiled.
const profileDirEnv = "IMS_PROVIDER_PROFILE_DIR"

// StartProfile starts the CPU profile when asked to and returns what stops
// it; a profile that cannot start is reported and the provider runs on.
func StartProfile() (stop func()) {
	dir := os.Getenv(profileDirEnv)
	if dir == "" {
		return func() {}
	}
	f, err := os.Create(filepath.Join(dir, fmt.Sprintf("cpu-%d.pprof", os.Getpid())))
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: no CPU profile: %v\n", profileDirEnv, err)
		if f != nil {
			_ = f.Close()
		}
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		_ = f.Close()
	}
}
