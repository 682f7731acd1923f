package main

import (
	"fmt"
	"io"
	"strconv"
	"sync"
	"time"

	"github.com/cloudimages/terraform-provider-ims/internal/emulator"
)

// requestPrinter prints one line per request: never headers, so neither the
// Authorization nor the X-Security-Token value reaches the terminal.
func requestPrinter(w io.Writer) func(emulator.RecordedRequest, time.Duration) {
	var mu sync.Mutex
	return func(r emulator.RecordedRequest, took time.Duration) {
		status := "dropped"
		if r.Status != 0 {
			status = strconv.Itoa(r.Status)
		}
		mu.Lock()
		defer mu.Unlock()
		_, _ = fmt.Fprintf(w, "%s %s %s?%s -> %s in %v (request %s)\n", r.At.Format("15:04:05.000"), r.Method, r.Path, r.RawQuery,
			status, took.Round(time.Microsecond), r.RequestID)
	}
}
