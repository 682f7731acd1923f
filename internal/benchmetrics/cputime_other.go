//go:build !unix

package client_test

import "time"

// processCPUTime is not measured here: the cpu-ns/member metric reads 0.
func processCPUTime() time.Duration { return 0 }
