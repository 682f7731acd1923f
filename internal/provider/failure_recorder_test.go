package provider

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// failureRecorder stands in for *testing.T where a test must show that
// other steps fail: their failures are recorded, not reported, and FailNow
// ends only the goroutine running them. Everything else (Cleanup, Log,
// Name, ...) is the real test's.
type failureRecorder struct {
	*testing.T
	mu     sync.Mutex
	failed bool
	log    []string
}

// runRecordingFailures runs steps with a failureRecorder and returns it
// once they have finished or failed.
func runRecordingFailures(t *testing.T, steps func(*failureRecorder)) *failureRecorder {
	t.Helper()
	rec := &failureRecorder{T: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		steps(rec)
	}()
	<-done
	return rec
}

func (r *failureRecorder) record(msg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failed = true
	if msg != "" {
		r.log = append(r.log, msg)
	}
}

func (r *failureRecorder) Error(args ...any)                 { r.record(fmt.Sprint(args...)) }
func (r *failureRecorder) Errorf(format string, args ...any) { r.record(fmt.Sprintf(format, args...)) }
func (r *failureRecorder) Fail()                             { r.record("") }
func (r *failureRecorder) FailNow()                          { r.record(""); runtime.Goexit() }
func (r *failureRecorder) Fatal(args ...any)                 { r.Error(args...); runtime.Goexit() }
func (r *failureRecorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	runtime.Goexit()
}

// Parallel is a no-op: the recorded steps run inside another test.
func (r *failureRecorder) Parallel() {}

func (r *failureRecorder) Failed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.failed
}

// messages is every recorded failure, one per line.
func (r *failureRecorder) messages() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.log, "\n")
}
