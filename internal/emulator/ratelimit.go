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
//
// Each region is its own gateway with its own bucket of that size (see
// regionPrefix): requests under /{region}/ spend that region's tokens, and
// requests without a region prefix share one more. Source: assumed, from
// the cloud's regional endpoints (one API gateway per region, throttles
// per region).
func (e *Emulator) SetRateLimit(requestsPerSecond float64, burst int) {
	e.gateways.set(requestsPerSecond, burst, time.Now())
}

// gatewayLimits is one rateLimiter per region gateway, all set alike.
type gatewayLimits struct {
	mu       sync.Mutex
	rate     float64
	burst    int
	setAt    time.Time
	byRegion map[string]*rateLimiter
}

func (g *gatewayLimits) set(rate float64, burst int, now time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.rate, g.burst, g.setAt = rate, burst, now
	for _, l := range g.byRegion {
		l.set(rate, burst, now)
	}
}

// of is the limiter of region's gateway ("" for unprefixed requests).
func (g *gatewayLimits) of(region string) *rateLimiter {
	g.mu.Lock()
	defer g.mu.Unlock()
	l, ok := g.byRegion[region]
	if !ok {
		if g.byRegion == nil {
			g.byRegion = map[string]*rateLimiter{}
		}
		l = &rateLimiter{}
		l.set(g.rate, g.burst, g.setAt)
		g.byRegion[region] = l
	}
	return l
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
