package client

import (
	"context"
	"sync"
	"time"
)

// Budget is the request rate shared by every read of one provider instance:
// a token bucket whose rate halves when the gateway throttles (429) and
// climbs back by a fixed step per success (AIMD), so an audit settles just
// under the account's limit instead of storming it.
type Budget struct {
	mu       sync.Mutex
	rate     float64 // tokens per second
	minRate  float64
	maxRate  float64
	step     float64 // additive increase per success
	burst    float64
	tokens   float64
	last     time.Time
	cutUntil time.Time // one decrease per burst of 429s
	now      func() time.Time
}

// NewBudget starts at rate requests per second, between minRate and maxRate.
func NewBudget(rate, minRate, maxRate float64, burst int) *Budget {
	return &Budget{
		rate: rate, minRate: minRate, maxRate: maxRate, step: 0.5,
		burst: float64(burst), tokens: float64(burst), now: time.Now,
	}
}

// Rate is the current requests-per-second allowance.
func (b *Budget) Rate() float64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.rate
}

// Wait blocks until a request may be sent or ctx ends.
func (b *Budget) Wait(ctx context.Context) error {
	for {
		b.mu.Lock()
		now := b.now()
		if !b.last.IsZero() {
			b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
		}
		b.last = now
		if b.tokens >= 1 {
			b.tokens--
			b.mu.Unlock()
			return nil
		}
		wait := time.Duration((1 - b.tokens) / b.rate * float64(time.Second))
		b.mu.Unlock()
		if err := sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// Throttled halves the rate, at most once per window so that the 429s of
// one burst count once, and empties the bucket.
func (b *Budget) Throttled() {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	if now.Before(b.cutUntil) {
		return
	}
	b.rate = max(b.minRate, b.rate/2)
	b.tokens = 0
	b.cutUntil = now.Add(time.Second)
}

// Succeeded raises the rate by one step.
func (b *Budget) Succeeded() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.rate = min(b.maxRate, b.rate+b.step)
}
