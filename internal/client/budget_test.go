package client

import (
	"context"
	"errors"
	"math"
	"sync"
	"testing"
	"time"
)

// fakeClock is a manual clock for the budget.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newTestBudget(rate float64, burst int) (*Budget, *fakeClock) {
	clock := &fakeClock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	b := NewBudget(rate, 1, 1000, burst)
	b.now = clock.now
	return b, clock
}

func TestBudget_tokenBucket(t *testing.T) {
	b, clock := newTestBudget(10, 3)
	for i := range 3 {
		if w := b.reserve(); w != 0 {
			t.Fatalf("request %d of a full bucket of 3 waits %s", i+1, w)
		}
	}
	if w := b.reserve(); w != 100*time.Millisecond {
		t.Fatalf("an empty bucket at 10/s: wait %s, want 100ms", w)
	}
	clock.advance(100 * time.Millisecond)
	if w := b.reserve(); w != 0 {
		t.Fatalf("after 100ms at 10/s: wait %s, want a token", w)
	}
	clock.advance(time.Hour)
	for range 3 {
		b.reserve()
	}
	if w := b.reserve(); w == 0 {
		t.Fatal("an hour idle saved up more than the burst of 3")
	}
}

func TestBudget_throttledCutsOncePerWindowAndEmptiesTheBucket(t *testing.T) {
	b, clock := newTestBudget(20, 10)
	b.Throttled()
	b.Throttled() // same burst of 429s: no second cut
	if got := b.Rate(); math.Abs(got-20*BudgetDecrease) > 1e-9 {
		t.Fatalf("rate after one burst of 429s = %v, want %v", got, 20*BudgetDecrease)
	}
	if w := b.reserve(); w == 0 {
		t.Fatal("the bucket kept its tokens after a 429")
	}
	clock.advance(budgetCutWindow)
	b.Throttled()
	if got := b.Rate(); math.Abs(got-20*BudgetDecrease*BudgetDecrease) > 1e-9 {
		t.Fatalf("rate after a second burst = %v, want %v", got, 20*BudgetDecrease*BudgetDecrease)
	}
	for range 100 {
		clock.advance(budgetCutWindow)
		b.Throttled()
	}
	if got := b.Rate(); got != 1 {
		t.Fatalf("rate after endless 429s = %v, want the floor 1", got)
	}
}

// TestBudget_climbsByIncreasePerSecond: a second of successes, each one
// budget interval after the last, raises the rate by about BudgetIncrease,
// whatever the rate.
func TestBudget_climbsByIncreasePerSecond(t *testing.T) {
	for _, start := range []float64{5, 20, 200} {
		b, _ := newTestBudget(start, 1)
		for elapsed := 1 / b.Rate(); elapsed <= 1; elapsed += 1 / b.Rate() {
			b.Succeeded()
		}
		// Loose bounds for the discrete steps; a per-success step that
		// ignored the rate would add tens at 200/s.
		if got := b.Rate() - start; got < 0.75*BudgetIncrease || got > 1.25*BudgetIncrease {
			t.Errorf("from %v/s, a second of successes added %.3f/s, want about %v", start, got, BudgetIncrease)
		}
	}
	b, _ := newTestBudget(999, 1)
	for range 10000 {
		b.Succeeded()
	}
	if got := b.Rate(); got != 1000 {
		t.Errorf("rate climbed to %v, past the ceiling 1000", got)
	}
}

// TestBudget_settlesUnderAGateway simulates, on the fake clock, callers
// that always have a request ready against a gateway token bucket of 20/s
// with a burst of 1 (the strictest), for two simulated minutes. The budget
// must find the limit: most of it used, few 429s.
func TestBudget_settlesUnderAGateway(t *testing.T) {
	const limit, seconds = 20.0, 120
	b, clock := newTestBudget(50, 10) // the client's default start
	start := clock.t
	gateway, gatewayLast := 1.0, clock.t
	sent, throttled := 0, 0
	for clock.t.Sub(start) < seconds*time.Second {
		if w := b.reserve(); w > 0 {
			clock.advance(w)
			continue
		}
		sent++
		gateway = min(1, gateway+clock.t.Sub(gatewayLast).Seconds()*limit)
		gatewayLast = clock.t
		if gateway >= 1 {
			gateway--
			b.Succeeded()
		} else {
			throttled++
			b.Throttled()
		}
	}
	ok := float64(sent-throttled) / seconds
	t.Logf("simulated %ds: %d sent, %d throttled, %.1f/s succeeded of %.0f/s", seconds, sent, throttled, ok, limit)
	if ok < 0.7*limit {
		t.Errorf("only %.1f requests/s succeeded against a %.0f/s gateway", ok, limit)
	}
	if throttled > sent/20 {
		t.Errorf("%d of %d requests were throttled: more than 5%%", throttled, sent)
	}
}

func TestBudget_waitEndsWithTheContext(t *testing.T) {
	b := NewBudget(0.01, 0.01, 0.01, 1)
	if _, err := b.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	start := time.Now()
	if _, err := b.Wait(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait on an empty budget = %v, want context.Canceled", err)
	}
	// 100 s until the next token; a cancelled wait must not sit it out.
	if elapsed := time.Since(start); elapsed >= time.Second {
		t.Fatalf("Wait returned %s after cancellation at 20ms", elapsed)
	}
}

// TestBudget_sharedConcurrently exercises every method from many goroutines
// (run with -race) and checks the rate stays within its bounds.
func TestBudget_sharedConcurrently(t *testing.T) {
	b := NewBudget(1e5, 1, 1e5, 1000)
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 50 {
				if _, err := b.Wait(context.Background()); err != nil {
					t.Error(err)
					return
				}
				if (i+j)%7 == 0 {
					b.Throttled()
				} else {
					b.Succeeded()
				}
			}
		}()
	}
	wg.Wait()
	if r := b.Rate(); r < 1 || r > 1e5 {
		t.Fatalf("rate %v left [1, 1e5]", r)
	}
}
