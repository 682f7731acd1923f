package emulator

import (
	"strconv"
	"sync"
	"time"
)

// SetRateLimit turns on "gateway mode": a token bucket refilled at
// requestsPerSecond holding at most burst tokens (at least 1). A request that
// finds the bucket empty gets 429 APIGW.0308 with Retry-After: 1 (none
// under Config.ThrottleWithoutRetryAfter), before its signature is even
// looked at. requestsPerSecond <= 0 turns throttling off.
// The bucket starts full.
func (e *Emulator) SetRateLimit(requestsPerSecond float64, burst int) {
	e.limiter.set(requestsPerSecond, burst, time.Now())
}

// rateLimiter is a token bucket shared by every caller, like a gateway's
// per-account throttle.
type rateLimiter struct {
	mu     sync.Mutex
	on     bool
	rate   float64
	burst  float64
	tokens float64
	last   time.Time
}

func (l *rateLimiter) set(rate float64, burst int, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.on = rate > 0
	l.rate, l.burst = rate, float64(max(burst, 1))
	l.tokens, l.last = l.burst, now
}

func (l *rateLimiter) allow(now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.on {
		return true
	}
	if d := now.Sub(l.last); d > 0 {
		l.tokens = min(l.burst, l.tokens+d.Seconds()*l.rate)
	}
	l.last = now
	if l.tokens < 1 {
		return false
	}
	l.tokens--
	return true
}

// describe is the limit for the 429 message.
func (l *rateLimiter) describe() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strconv.FormatFloat(l.rate, 'g', -1, 64) + " per second, burst " + strconv.FormatFloat(l.burst, 'g', -1, 64)
}
