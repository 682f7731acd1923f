//go:build !unix

package benchmetrics

import "time"

// ProcessCPUTime is not measured here: the cpu-ns/member metric reads 0.
func ProcessCPUTime() time.Duration { return 0 }
