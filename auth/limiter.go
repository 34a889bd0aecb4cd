package auth

import (
	"container/list"
	"math"
	"sync"
	"time"
)

// Limiter is an in-memory token-bucket rate limiter keyed by string: each key
// may have up to burst events at once, refilled at rate per second. It is
// meant for throttling password guesses per account and per client.
//
// Keys should be KeyedHash values rather than raw e-mail or client addresses,
// so the limiter's memory holds nothing identifying.
//
// Memory is bounded: at most maxKeys keys are remembered, and when a new key
// arrives at capacity the least recently used one is forgotten, which resets
// its bucket. Why this trade-off: the alternative, refusing new keys when
// full, would let anyone flooding with made-up keys lock everybody out. An
// attacker who could cycle through maxKeys keys between two guesses could
// reset a bucket this way, so size maxKeys well above the number of keys
// active within burst/rate seconds, and combine per-account and per-client
// limiters.
//
// A Limiter is safe for concurrent use, and Allow and Reset are O(1).
type Limiter struct {
	// Now returns the current time. It is time.Now unless replaced, which
	// tests do to control time; set it before the Limiter is in use.
	Now func() time.Time

	rate    float64
	burst   float64
	maxKeys int

	mu    sync.Mutex
	keys  map[string]*list.Element // of *bucket
	order *list.List               // front is most recently used
}

type bucket struct {
	key    string
	tokens float64
	last   time.Time
}

// NewLimiter returns a Limiter allowing burst events per key at once, refilled
// at rate events per second, and remembering at most maxKeys keys. For
// example NewLimiter(5.0/900, 5, 10000) allows 5 attempts, then one every
// three minutes.
//
// It panics if rate is not positive and finite, or burst or maxKeys is less
// than 1: those are programming errors, like time.NewTicker's.
func NewLimiter(rate float64, burst int, maxKeys int) *Limiter {
	if !(rate > 0) || math.IsInf(rate, 0) || burst < 1 || maxKeys < 1 {
		panic("auth: NewLimiter needs rate > 0, burst >= 1 and maxKeys >= 1")
	}
	return &Limiter{
		Now:     time.Now,
		rate:    rate,
		burst:   float64(burst),
		maxKeys: maxKeys,
		keys:    make(map[string]*list.Element),
		order:   list.New(),
	}
}

// maxRetryAfter caps retryAfter so that a tiny rate cannot overflow it.
const maxRetryAfter = 365 * 24 * time.Hour

// Allow reports whether an event for key may happen now, and if so counts
// it. When it may not, retryAfter is how long until it may (for a
// Retry-After header, round it up to whole seconds); refused events are not
// counted, so a client that keeps trying is not pushed back further.
func (l *Limiter) Allow(key string) (ok bool, retryAfter time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.Now()

	var b *bucket
	if e, found := l.keys[key]; found {
		l.order.MoveToFront(e)
		b = e.Value.(*bucket)
		if elapsed := now.Sub(b.last).Seconds(); elapsed > 0 {
			b.tokens = min(l.burst, b.tokens+elapsed*l.rate)
			b.last = now
		}
	} else {
		if l.order.Len() >= l.maxKeys {
			oldest := l.order.Back()
			l.order.Remove(oldest)
			delete(l.keys, oldest.Value.(*bucket).key)
		}
		b = &bucket{key: key, tokens: l.burst, last: now}
		l.keys[key] = l.order.PushFront(b)
	}

	// The epsilon absorbs float rounding, so waiting exactly retryAfter
	// (or 1/rate) always suffices.
	const epsilon = 1e-9
	if b.tokens >= 1-epsilon {
		b.tokens = max(0, b.tokens-1)
		return true, 0
	}
	wait := (1 - b.tokens) / l.rate * float64(time.Second)
	if wait >= float64(maxRetryAfter) {
		return false, maxRetryAfter
	}
	return false, time.Duration(math.Ceil(wait))
}

// Reset forgets key, giving it a full bucket again; for example after a
// successful sign-in, so a person who mistyped a few times is not held back
// later.
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e, found := l.keys[key]; found {
		l.order.Remove(e)
		delete(l.keys, key)
	}
}

// Len returns the number of keys remembered, never more than maxKeys.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.order.Len()
}
