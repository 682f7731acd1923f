package main

import (
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// logRequests prints one line per request: never headers, so neither the
// Authorization nor the X-Security-Token value reaches the terminal.
func logRequests(next http.Handler, w io.Writer) http.Handler {
	var mu sync.Mutex
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: rw}
		defer func() {
			mu.Lock()
			defer mu.Unlock()
			status := "dropped"
			if sw.status != 0 {
				status = fmt.Sprint(sw.status)
			}
			_, _ = fmt.Fprintf(w, "%s %s %s?%s -> %s in %v (request %s)\n", start.Format("15:04:05.000"), r.Method, r.URL.Path, r.URL.RawQuery,
				status, time.Since(start).Round(time.Microsecond), rw.Header().Get("X-Request-Id"))
		}()
		next.ServeHTTP(sw, r)
	})
}

// statusWriter notes the status; Unwrap keeps Hijack and Flush reachable
// for the emulator's connection faults.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }
