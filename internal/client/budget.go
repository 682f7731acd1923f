package client

import (
	"context"
	"sync"
	"time"
)

// The AIMD shape shared by every Budget. Measured against the emulator's
// gateway at 20 requests per second (internal/provider audit test): a cut to
// 0.7 and a climb of 2 requests per second each second keep an audit at the
// gateway's rate with a 429 every few seconds; halving or climbing faster
// trades throughput for 429s or the other way round.
const (
	// BudgetDecrease multiplies the rate when the gateway answers 429.
	BudgetDecrease = 0.7
	// BudgetIncrease is how much the rate climbs, in requests per second,
	// per second of successful requests.
	BudgetIncrease = 2.0
	// budgetCutWindow makes the 429s of one burst count as one signal:
	// requests already in flight when the first came back say nothing new.
	budgetCutWindow = time.Second
)

// Budget is the request rate shared by every read of one provider instance
// to one endpoint (see endpointBudgets):
// a token bucket whose rate drops by BudgetDecrease when the gateway
// throttles (429) and climbs back additively while requests succeed (AIMD),
// so an audit settles just under the account's limit instead of storming it.
type Budget struct {
	mu       sync.Mutex
	rate     float64 // tokens per second
	minRate  float64
	maxRate  float64
	burst    float64
	tokens   float64
	last     time.Time
	cutUntil time.Time
	now      func() time.Time
}

// NewBudget starts at rate requests per second, between minRate and maxRate,
// with at most burst requests sent back to back.
func NewBudget(rate, minRate, maxRate float64, burst int) *Budget {
	minRate = max(minRate, 0.01) // a zero rate would never send again
	return &Budget{
		rate: min(max(rate, minRate), max(maxRate, minRate)), minRate: minRate, maxRate: max(maxRate, minRate),
		burst: float64(max(burst, 1)), tokens: float64(max(burst, 1)), now: time.Now,
	}
}

// Rate is the current requests-per-second allowance.
func (b *Budget) Rate() float64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.rate
}

// Wait blocks until a request may be sent or ctx ends; it returns how long
// it waited, for the request log.
func (b *Budget) Wait(ctx context.Context) (time.Duration, error) {
	start := b.now()
	for {
		wait := b.reserve()
		if wait == 0 {
			return b.now().Sub(start), nil
		}
		if err := sleep(ctx, wait); err != nil {
			return b.now().Sub(start), err
		}
	}
}

// reserve takes a token and returns 0, or returns how long until one is
// due; the caller sleeps and asks again, since the rate may change meanwhile.
func (b *Budget) reserve() time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refillLocked()
	if b.tokens >= 1 {
		b.tokens--
		return 0
	}
	return max(time.Duration((1-b.tokens)/b.rate*float64(time.Second)), time.Microsecond)
}

func (b *Budget) refillLocked() {
	now := b.now()
	if !b.last.IsZero() && now.After(b.last) {
		b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	}
	b.last = now
}

// Throttled reacts to a 429. Every 429 empties the bucket, so that tokens
// saved up while requests slept on Retry-After are not spent in one burst
// into a gateway that is already refusing; the rate itself is cut once per
// budgetCutWindow.
func (b *Budget) Throttled() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refillLocked()
	b.tokens = 0
	now := b.now()
	if now.Before(b.cutUntil) {
		return
	}
	b.rate = max(b.minRate, b.rate*BudgetDecrease)
	b.cutUntil = now.Add(budgetCutWindow)
}

// Succeeded raises the rate by BudgetIncrease/rate: at rate r about r
// requests succeed per second, so the rate climbs BudgetIncrease per second
// whatever its level, instead of faster the faster it already goes.
func (b *Budget) Succeeded() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.rate = min(b.maxRate, b.rate+BudgetIncrease/b.rate)
}

// Starting point of every endpoint's own budget: 50 requests/s, between 1
// and 1,000, at most 10 back to back.
const (
	defaultBudgetRate    = 50
	defaultBudgetMinRate = 1
	defaultBudgetMaxRate = 1000
	defaultBudgetBurst   = 10
)

// endpointBudgets holds one Budget per endpoint base URL (scheme, host and
// path, after the region is filled in): each region's gateway has its own
// limit, so a read of five regions at once runs at five regions' pace, and
// a 429 from one region slows only that region. With one endpoint, as in
// every single-project read, it is exactly the one budget of old.
type endpointBudgets struct {
	shared     *Budget // Config.Budget: one for every endpoint
	mu         sync.Mutex
	byEndpoint map[string]*Budget
}

// For is the budget of the endpoint base, made on first use.
func (b *endpointBudgets) For(base string) *Budget {
	if b.shared != nil {
		return b.shared
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	budget, ok := b.byEndpoint[base]
	if !ok {
		budget = NewBudget(defaultBudgetRate, defaultBudgetMinRate, defaultBudgetMaxRate, defaultBudgetBurst)
		b.byEndpoint[base] = budget
	}
	return budget
}

// Budget is the request budget of service's endpoint in region, as calls
// there use it (tests and benchmarks look at its rate).
func (c *Client) Budget(service, region string) *Budget {
	return c.budgets.For(c.Endpoint(service, region))
}
