package auth

import (
	"container/list"
	"sync"
	"time"
)

// Throttle slows password (and second-factor) guessing without ever
// locking an account as such. It counts failed attempts three ways:
//
//   - per client and account: after PairFree failures, each further
//     attempt from that client for that account waits Base, then twice as
//     long after every further failure, up to Max;
//   - per client, across accounts: the same growing delay after ClientFree
//     failures, which stops one client trying a password on many accounts;
//   - per account, from all clients: once an account has AccountBusy
//     failures it is under attack from many clients, and every client that
//     has failed on it even once waits from its first failure on.
//
// Why no hard lock of an account: a lock anyone can trigger by guessing
// badly lets an attacker keep an admin out forever (one wrong guess every
// few minutes did that before). Here a client that has not failed for an
// account never waits on that account's behalf, so the real owner signing
// in from their own device gets in at once however hard others guess.
//
// Failures are forgiven one per Forgive, so a person who mistyped is not
// held back for long, and a success forgets the client's failures for that
// account (not its failures across accounts, or one valid account would
// let a client reset its own spraying counter).
//
// The state is in this process's memory, bounded by MaxKeys entries per
// count (least recently used forgotten first). Keys should be KeyedHash
// values, so that memory holds no address or e-mail. A Throttle is safe for
// concurrent use.
type Throttle struct {
	// Now returns the current time; tests replace it before use.
	Now func() time.Time

	PairFree    int
	ClientFree  int
	AccountBusy int
	Base, Max   time.Duration
	Forgive     time.Duration

	mu                      sync.Mutex
	pairs, clients, account *lru
}

// NewThrottle returns a Throttle with Haven's sign-in settings: 5 free
// failures per client and account, 20 per client, an account under attack
// from 100 failures, delays from 1 s doubling up to 15 min, one failure
// forgiven every 15 min, and up to maxKeys entries per count.
func NewThrottle(maxKeys int) *Throttle {
	return &Throttle{
		Now:      time.Now,
		PairFree: 5, ClientFree: 20, AccountBusy: 100,
		Base: time.Second, Max: 15 * time.Minute, Forgive: 15 * time.Minute,
		pairs: newLRU(maxKeys), clients: newLRU(maxKeys), account: newLRU(maxKeys),
	}
}

// failures is a leaky count of failed attempts.
type failures struct {
	key   string
	n     int       // failures not yet forgiven
	last  time.Time // of the last failure
	since time.Time // when n was last brought up to date
}

// count brings f up to date: one failure forgiven per Forgive.
func (t *Throttle) count(f *failures, now time.Time) int {
	if f == nil {
		return 0
	}
	if f.n == 0 || t.Forgive <= 0 {
		f.since = now
	} else if k := now.Sub(f.since) / t.Forgive; k > 0 {
		f.n = max(0, f.n-int(min(k, 1<<20)))
		f.since = f.since.Add(k * t.Forgive)
	}
	return f.n
}

// until returns how long to wait after f before the next attempt, when up
// to free failures are free.
func (t *Throttle) until(f *failures, free int, now time.Time) time.Duration {
	n := t.count(f, now)
	if f == nil || n < free || n == 0 {
		return 0
	}
	delay := t.Max
	if shift := n - free; shift < 31 {
		delay = min(t.Max, t.Base<<shift)
	}
	return max(0, f.last.Add(delay).Sub(now))
}

func pairKey(client, account string) string { return client + "\x00" + account }

// Wait reports how long client must wait before trying account again; 0
// means it may try now. Checking counts nothing: call Fail or Succeed with
// the outcome.
func (t *Throttle) Wait(client, account string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.Now()
	pair := t.pairs.get(pairKey(client, account))
	free := t.PairFree
	if t.count(t.account.get(account), now) >= t.AccountBusy {
		free = 1
	}
	return max(t.until(pair, free, now), t.until(t.clients.get(client), t.ClientFree, now))
}

// Fail counts a failed attempt by client on account.
func (t *Throttle) Fail(client, account string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.Now()
	for _, c := range []struct {
		m   *lru
		key string
	}{{t.pairs, pairKey(client, account)}, {t.clients, client}, {t.account, account}} {
		f := c.m.get(c.key)
		if f == nil {
			f = c.m.add(c.key, now)
		}
		t.count(f, now)
		f.n = min(f.n+1, 1<<20)
		f.last = now
	}
}

// Succeed forgets client's failures on account, after a correct password
// and (when one is asked) a correct second factor.
func (t *Throttle) Succeed(client, account string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.pairs.remove(pairKey(client, account))
}

// lru is a map of failure counts that forgets the least recently used
// entry when full. Why forget rather than refuse new keys: refusing would
// let anyone filling it with made-up keys stop everybody signing in.
type lru struct {
	max   int
	keys  map[string]*list.Element // of *failures
	order *list.List               // front is most recently used
}

func newLRU(max int) *lru {
	if max < 1 {
		max = 1
	}
	return &lru{max: max, keys: make(map[string]*list.Element), order: list.New()}
}

func (l *lru) get(key string) *failures {
	e, ok := l.keys[key]
	if !ok {
		return nil
	}
	l.order.MoveToFront(e)
	return e.Value.(*failures)
}

func (l *lru) add(key string, now time.Time) *failures {
	if l.order.Len() >= l.max {
		oldest := l.order.Back()
		l.order.Remove(oldest)
		delete(l.keys, oldest.Value.(*failures).key)
	}
	f := &failures{key: key, since: now}
	l.keys[key] = l.order.PushFront(f)
	return f
}

func (l *lru) remove(key string) {
	if e, ok := l.keys[key]; ok {
		l.order.Remove(e)
		delete(l.keys, key)
	}
}

// Len returns how many client-and-account pairs are remembered.
func (t *Throttle) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.pairs.order.Len()
}
