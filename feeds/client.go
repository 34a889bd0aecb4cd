// Package feeds keeps Haven's directory current from the publishers it is
// told of (haven.Feed): an HSDS 3.0 or 3.1 API, followed page by page to the
// last; an Open Referral UK API; or a data package on the web.
//
// A fetch is polite and safe: it says who it is (UserAgent), leaves at
// least Interval between two requests, retries with back-off on 429 and 5xx
// answers, honouring Retry-After, bounds every request in time and every
// answer in size, asks conditionally when the publisher gave validators,
// and, unless AllowPrivate, never connects to loopback, private or other
// special addresses (see netguard), after DNS and on every redirect.
//
// A fetch is all or nothing: any failure part-way returns an error and no
// services, so that a partial answer is never taken for the publisher
// withdrawing the rest. What a complete fetch brings is applied by the
// store (haven.FeedService.ApplyFeed) in one transaction.
package feeds

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"haven/netguard"
)

// Defaults of a Client's fields left at zero.
const (
	DefaultUserAgent    = "Haven directory feeds (+https://github.com/haven; contact the directory's operators)"
	DefaultInterval     = time.Second
	DefaultTimeout      = 60 * time.Second
	DefaultMaxBytes     = 64 << 20
	DefaultRetries      = 4
	DefaultMaxRetryWait = 5 * time.Minute
	DefaultPerPage      = 100
	DefaultMaxPages     = 10000
)

// Client fetches feeds. Its fields must not change while it fetches.
type Client struct {
	// HTTP makes the requests; nil means a client guarded by netguard
	// unless AllowPrivate, with no proxy (a proxy would connect for it,
	// past the guard).
	HTTP *http.Client
	// UserAgent says who is asking, so that a publisher can reach the
	// operators.
	UserAgent string
	// Interval is the least time between the starts of two requests.
	Interval time.Duration
	// Timeout bounds each request, reading the answer included.
	Timeout time.Duration
	// MaxBytes bounds each answer; a larger one fails the fetch.
	MaxBytes int64
	// Retries is how many times a request is tried again after a 429, a
	// 5xx or a network error; MaxRetryWait the longest wait Haven accepts
	// before one (a publisher asking for longer fails the fetch, to be
	// tried at the next run).
	Retries      int
	MaxRetryWait time.Duration
	// PerPage is the page size asked of an API; MaxPages how many pages a
	// fetch follows before it gives up.
	PerPage, MaxPages int
	// AllowPrivate lets the default client reach loopback and private
	// addresses: for a publisher on the intranet, and for tests.
	AllowPrivate bool
	// Now and Sleep are the clock, replaceable in tests.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error

	once   sync.Once
	client *http.Client
	mu     sync.Mutex
	last   time.Time // the start of the last request
}

func (c *Client) init() {
	c.once.Do(func() {
		c.client = c.HTTP
		if c.client == nil {
			d := netguard.Dialer()
			if c.AllowPrivate {
				d.Control = nil
			}
			c.client = &http.Client{Transport: &http.Transport{
				DialContext:           d.DialContext,
				TLSHandshakeTimeout:   15 * time.Second,
				ResponseHeaderTimeout: 60 * time.Second,
				MaxIdleConnsPerHost:   2,
				IdleConnTimeout:       90 * time.Second,
			}}
		}
		if c.UserAgent == "" {
			c.UserAgent = DefaultUserAgent
		}
		if c.Interval == 0 {
			c.Interval = DefaultInterval
		}
		if c.Timeout <= 0 {
			c.Timeout = DefaultTimeout
		}
		if c.MaxBytes <= 0 {
			c.MaxBytes = DefaultMaxBytes
		}
		if c.Retries < 0 {
			c.Retries = 0
		} else if c.Retries == 0 {
			c.Retries = DefaultRetries
		}
		if c.MaxRetryWait <= 0 {
			c.MaxRetryWait = DefaultMaxRetryWait
		}
		if c.PerPage <= 0 {
			c.PerPage = DefaultPerPage
		}
		if c.MaxPages <= 0 {
			c.MaxPages = DefaultMaxPages
		}
		if c.Now == nil {
			c.Now = time.Now
		}
		if c.Sleep == nil {
			c.Sleep = sleep
		}
	})
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// answer is one response read in full.
type answer struct {
	status         int
	body           []byte
	etag, modified string
	notModified    bool
}

// validators are what a conditional request sends.
type validators struct{ etag, modified string }

// get fetches url, politely, retrying what is worth retrying.
func (c *Client) get(ctx context.Context, url string, cond validators) (*answer, error) {
	c.init()
	for attempt := 0; ; attempt++ {
		if err := c.wait(ctx); err != nil {
			return nil, err
		}
		a, retry, err := c.once1(ctx, url, cond)
		if err == nil {
			return a, nil
		}
		if retry < 0 || attempt >= c.Retries || ctx.Err() != nil {
			if attempt > 0 && retry >= 0 {
				return nil, fmt.Errorf("%w (after %d tries)", err, attempt+1)
			}
			return nil, err
		}
		if retry == 0 {
			retry = time.Second << attempt // 1s, 2s, 4s…
		}
		if retry > c.MaxRetryWait {
			return nil, fmt.Errorf("%w; the publisher asks Haven to wait %s, longer than %s: the next run tries again", err, retry.Round(time.Second), c.MaxRetryWait)
		}
		if err := c.Sleep(ctx, retry); err != nil {
			return nil, err
		}
	}
}

// wait keeps Interval between the starts of two requests.
func (c *Client) wait(ctx context.Context) error {
	c.mu.Lock()
	now := c.Now()
	next := c.last.Add(c.Interval)
	d := next.Sub(now)
	if d < 0 {
		d = 0
		next = now
	}
	c.last = next
	c.mu.Unlock()
	return c.Sleep(ctx, d)
}

// once1 makes one request. retry is how long to wait before trying again
// (0: the usual back-off), or negative when trying again would not help.
func (c *Client) once1(ctx context.Context, url string, cond validators) (a *answer, retry time.Duration, err error) {
	ctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, -1, fmt.Errorf("%s: %v", url, err)
	}
	req.Header.Set("User-Agent", c.UserAgent)
	req.Header.Set("Accept", "application/json, application/zip;q=0.9, */*;q=0.5")
	if cond.etag != "" {
		req.Header.Set("If-None-Match", cond.etag)
	}
	if cond.modified != "" {
		req.Header.Set("If-Modified-Since", cond.modified)
	}
	resp, err := c.client.Do(req)
	if err != nil {
		var refused *netguard.RefusedError
		if errors.As(err, &refused) {
			return nil, -1, fmt.Errorf("%s: %v (a publisher on the intranet needs --feeds-allow-private)", url, refused)
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return nil, 0, fmt.Errorf("%s: no answer within %s", url, c.Timeout)
		}
		return nil, 0, fmt.Errorf("%s: the publisher cannot be reached: %v", url, unwrapURLError(err))
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotModified && (cond.etag != "" || cond.modified != ""):
		return &answer{status: resp.StatusCode, notModified: true, etag: resp.Header.Get("ETag"), modified: resp.Header.Get("Last-Modified")}, 0, nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, retryAfter(resp.Header.Get("Retry-After"), c.Now()), fmt.Errorf("%s: the publisher answered %s", url, resp.Status)
	case resp.StatusCode != http.StatusOK:
		return nil, -1, fmt.Errorf("%s: the publisher answered %s", url, resp.Status)
	}
	if resp.ContentLength > c.MaxBytes {
		return nil, -1, fmt.Errorf("%s: the answer is %d bytes, more than the limit of %d (--feed-max-bytes)", url, resp.ContentLength, c.MaxBytes)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.MaxBytes+1))
	if err != nil {
		return nil, 0, fmt.Errorf("%s: the answer broke off: %v", url, unwrapURLError(err))
	}
	if int64(len(body)) > c.MaxBytes {
		return nil, -1, fmt.Errorf("%s: the answer is more than the limit of %d bytes (--feed-max-bytes)", url, c.MaxBytes)
	}
	return &answer{status: resp.StatusCode, body: body, etag: resp.Header.Get("ETag"), modified: resp.Header.Get("Last-Modified")}, 0, nil
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date. 0 when
// absent or unreadable.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil {
		if n < 0 {
			return 0
		}
		return time.Duration(min(n, 1<<20)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

func unwrapURLError(err error) error {
	var ue interface{ Unwrap() error }
	if errors.As(err, &ue) {
		if inner := ue.Unwrap(); inner != nil {
			return inner
		}
	}
	return err
}
