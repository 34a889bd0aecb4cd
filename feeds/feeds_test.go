package feeds_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"haven"
	"haven/feeds"
	"haven/hsds"
	"haven/internal/testpg"
	"haven/listing"
	"haven/sqlstore"
)

// publisher is a local HSDS 3.0 API: /services pages of full records, in
// the standard envelope, with ways to misbehave.
type publisher struct {
	mu       sync.Mutex
	services []*hsds.Service
	// fail500From answers 500 to every request for this page and later
	// ones (0: never).
	fail500From int
	// busy answers 429 with this Retry-After to the next busy requests.
	busy       int
	retryAfter string
	// claim overrides total_items when >= 0.
	claim    int
	requests []string
	agents   []string
}

var ns = uuid.MustParse("b5a1c2d3-0000-4000-8000-000000000001")

func sid(kind string, n int) string { return uuid.NewSHA1(ns, []byte(kind+strconv.Itoa(n))).String() }

// sampleService is real-looking data, marked as a sample.
func sampleService(n int) *hsds.Service {
	org := &hsds.Organization{ID: sid("org", n), Name: fmt.Sprintf("Harbor Legal Aid %d (sample)", n), Description: "Immigration and labor law help (sample)."}
	lat, lon := 41.88+float64(n)/100, -87.63
	loc := &hsds.Location{ID: sid("loc", n), LocationType: "physical", Name: "Main office (sample)", OrganizationID: org.ID, Latitude: &lat, Longitude: &lon,
		Addresses: []hsds.Address{{ID: sid("addr", n), LocationID: sid("loc", n), Address1: fmt.Sprintf("%d W Example St", 100+n), City: "Chicago",
			StateProvince: "IL", PostalCode: "60601", Country: "US", AddressType: "physical"}}}
	return &hsds.Service{ID: sid("svc", n), OrganizationID: org.ID, Organization: org, Name: fmt.Sprintf("T visa legal clinic %d (sample)", n),
		Description: "Free legal help for survivors of trafficking (sample).", Status: "active", URL: "https://example.org/clinic" + strconv.Itoa(n),
		LastModified:       "2026-11-01T10:00:00Z",
		Phones:             []hsds.Phone{{ID: sid("phone", n), ServiceID: sid("svc", n), Number: "+13125550100"}},
		ServiceAtLocations: []hsds.ServiceAtLocation{{ID: sid("sal", n), ServiceID: sid("svc", n), LocationID: loc.ID, Location: loc}}}
}

func newPublisher(n int) *publisher {
	p := &publisher{claim: -1}
	for i := 1; i <= n; i++ {
		p.services = append(p.services, sampleService(i))
	}
	return p
}

func (p *publisher) edit(fn func(ss []*hsds.Service) []*hsds.Service) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.services = fn(p.services)
}

func (p *publisher) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.requests = append(p.requests, r.URL.RequestURI())
	p.agents = append(p.agents, r.UserAgent())
	if r.URL.Path != "/api/services" || r.URL.Query().Get("full") != "true" {
		http.NotFound(w, r)
		return
	}
	if p.busy > 0 {
		p.busy--
		w.Header().Set("Retry-After", p.retryAfter)
		http.Error(w, "slow down", http.StatusTooManyRequests)
		return
	}
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	per, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
	if p.fail500From > 0 && page >= p.fail500From {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	pages := (len(p.services) + per - 1) / per
	lo, hi := min((page-1)*per, len(p.services)), min(page*per, len(p.services))
	total := len(p.services)
	if p.claim >= 0 {
		total = p.claim
	}
	json.NewEncoder(w).Encode(map[string]any{"total_items": total, "total_pages": pages, "page_number": page, "size": hi - lo,
		"first_page": page == 1, "last_page": page >= pages, "empty": total == 0, "contents": p.services[lo:hi]})
}

// world is a database on one engine, a publisher and a client that may
// reach it on loopback and records its waits instead of sleeping.
type world struct {
	ctx    context.Context
	store  *sqlstore.FeedService
	dir    *sqlstore.DirectoryService
	sugg   *sqlstore.SuggestionService
	pub    *publisher
	srv    *httptest.Server
	client *feeds.Client
	waits  []time.Duration
	feed   string
}

func newWorld(t *testing.T, e testpg.Engine, services int) *world {
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, e.Fresh(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	w := &world{ctx: ctx, store: sqlstore.NewFeedService(db), dir: sqlstore.NewDirectoryService(db), sugg: sqlstore.NewSuggestionService(db),
		pub: newPublisher(services), feed: "county-211"}
	w.srv = httptest.NewServer(w.pub)
	t.Cleanup(w.srv.Close)
	w.client = &feeds.Client{AllowPrivate: true, PerPage: 2, Interval: time.Millisecond,
		Sleep: func(ctx context.Context, d time.Duration) error { w.waits = append(w.waits, d); return nil }}
	if err := w.store.AddFeed(ctx, "cli", &haven.Feed{Name: w.feed, URL: w.srv.URL + "/api", Kind: haven.FeedHSDS, Every: time.Hour}); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *world) sync(t *testing.T) (*haven.FeedSyncReport, error) {
	t.Helper()
	f, err := w.store.FindFeed(w.ctx, w.feed)
	if err != nil {
		t.Fatal(err)
	}
	return w.client.Sync(w.ctx, w.store, "system", f)
}

func (w *world) mustSync(t *testing.T) *haven.FeedSyncReport {
	t.Helper()
	rep, err := w.sync(t)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func (w *world) service(t *testing.T, n int) *hsds.Service {
	t.Helper()
	s, err := w.dir.FindServiceByID(w.ctx, sid("svc", n))
	if err != nil {
		t.Fatalf("service %d: %v", n, err)
	}
	return s
}

// snapshot is what the directory says of every service of the publisher.
func (w *world) snapshot(t *testing.T, n int) []string {
	var out []string
	for i := 1; i <= n; i++ {
		s, err := w.dir.FindServiceByID(w.ctx, sid("svc", i))
		if haven.ErrorCode(err) == haven.ENOTFOUND {
			out = append(out, "missing")
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		out = append(out, s.Name+"|"+s.Status+"|"+s.Description)
	}
	return out
}

func TestFeedSync(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) {
		w := newWorld(t, e, 5)
		rep := w.mustSync(t)
		if rep.Added != 5 || rep.Updated != 0 || len(rep.Withdrawn) != 0 {
			t.Fatalf("first sync: %+v", rep)
		}
		if n := len(w.pub.requests); n != 3 {
			t.Errorf("5 services at 2 a page took %d requests, want 3: %v", n, w.pub.requests)
		}
		for _, ua := range w.pub.agents {
			if !strings.Contains(ua, "Haven") {
				t.Errorf("User-Agent %q does not say Haven", ua)
			}
		}
		// Provenance: the source, the publisher's id, when; and the HSDS
		// metadata Haven publishes says so.
		src, err := w.store.ServiceSource(w.ctx, sid("svc", 2))
		if err != nil || src == nil {
			t.Fatalf("source: %v, %v", src, err)
		}
		if src.Kind != "feed" || src.Source != w.feed || src.PublisherID != sid("svc", 2) || src.FetchedAt.IsZero() || src.URL != w.srv.URL+"/api" {
			t.Errorf("source = %+v", src)
		}
		s2 := w.service(t, 2)
		if !slices.ContainsFunc(s2.Metadata, func(m hsds.Metadata) bool {
			return m.LastActionType == "feed sync" && strings.Contains(m.UpdatedBy, w.feed) && m.PreviousValue == sid("svc", 2)
		}) {
			t.Errorf("metadata does not say the service came from the feed: %+v", s2.Metadata)
		}

		// Nothing changed: nothing written.
		if rep := w.mustSync(t); rep.Unchanged != 5 || rep.Added+rep.Updated != 0 {
			t.Errorf("second sync: %+v", rep)
		}

		// An edit and a withdrawal upstream.
		w.pub.edit(func(ss []*hsds.Service) []*hsds.Service {
			ss[0].Name, ss[0].LastModified = "T visa legal clinic 1, renamed (sample)", "2026-12-01T10:00:00Z"
			return ss[:4]
		})
		rep = w.mustSync(t)
		if rep.Updated != 1 || rep.Unchanged != 3 || len(rep.Withdrawn) != 1 || rep.Withdrawn[0].ID != sid("svc", 5) {
			t.Fatalf("sync after an edit and a withdrawal: %+v", rep)
		}
		if got := w.service(t, 1).Name; got != "T visa legal clinic 1, renamed (sample)" {
			t.Errorf("edited name = %q", got)
		}
		if s5 := w.service(t, 5); s5.Status != "inactive" {
			t.Errorf("withdrawn service is %q, want inactive (and still there)", s5.Status)
		}
		if src, _ := w.store.ServiceSource(w.ctx, sid("svc", 5)); src == nil || src.Withdrawn.IsZero() {
			t.Errorf("withdrawn service's source = %+v", src)
		}
		// Listed again: active again.
		w.pub.edit(func(ss []*hsds.Service) []*hsds.Service { return append(ss, sampleService(5)) })
		rep = w.mustSync(t)
		if len(rep.Restored) != 1 || w.service(t, 5).Status != "active" {
			t.Errorf("relisted: %+v, status %q", rep, w.service(t, 5).Status)
		}
		f, _ := w.store.FindFeed(w.ctx, w.feed)
		if f.LastOK.IsZero() || f.LastError != "" || f.Unchanged != 4 || f.Updated != 1 {
			t.Errorf("feed after syncs: %+v", f)
		}

		// A second feed listing the same services leaves them to the first.
		if err := w.store.AddFeed(w.ctx, "cli", &haven.Feed{Name: "mirror", URL: w.srv.URL + "/api", Kind: haven.FeedHSDS, Every: time.Hour}); err != nil {
			t.Fatal(err)
		}
		mirror, _ := w.store.FindFeed(w.ctx, "mirror")
		rep, err = w.client.Sync(w.ctx, w.store, "system", mirror)
		if err != nil || rep.Added != 0 || len(rep.Refused) != 5 || !strings.Contains(rep.Refused[0], "from feed "+w.feed) {
			t.Fatalf("a second feed of the same services: %+v, %v", rep, err)
		}
		if src, _ := w.store.ServiceSource(w.ctx, sid("svc", 1)); src.Source != w.feed {
			t.Errorf("source after the mirror's sync: %+v", src)
		}
	})
}

// TestFeedSyncFailsSafe: a publisher down, failing half-way, busy for too
// long, or sending an incomplete or empty list changes nothing.
func TestFeedSyncFailsSafe(t *testing.T) {
	cases := []struct {
		name   string
		break_ func(w *world)
		want   string
	}{
		{"500 half-way", func(w *world) { w.pub.fail500From = 2 }, "500"},
		{"down", func(w *world) { w.srv.Close() }, "cannot be reached"},
		{"busy too long", func(w *world) { w.pub.busy, w.pub.retryAfter = 1, "86400" }, "wait"},
		{"count short", func(w *world) { w.pub.claim = 7 }, "incomplete"},
		{"empty list", func(w *world) {
			w.pub.edit(func([]*hsds.Service) []*hsds.Service { return nil })
		}, "no services"},
	}
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				w := newWorld(t, e, 5)
				w.mustSync(t)
				before := w.snapshot(t, 5)
				// Upstream edits and a withdrawal that must not arrive.
				w.pub.edit(func(ss []*hsds.Service) []*hsds.Service {
					ss[0].Name = "changed (sample)"
					ss[3].Description = "changed (sample)"
					return ss[:4]
				})
				c.break_(w)
				_, err := w.sync(t)
				if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "nothing was changed") {
					t.Fatalf("sync error = %v, want one saying %q and that nothing was changed", err, c.want)
				}
				if after := w.snapshot(t, 5); !slices.Equal(before, after) {
					t.Errorf("a failed sync changed the directory:\nbefore %q\nafter  %q", before, after)
				}
				f, _ := w.store.FindFeed(w.ctx, w.feed)
				if !strings.Contains(f.LastError, c.want) || f.Added != 5 {
					t.Errorf("feed after a failed sync: error %q, counts of the last good sync %d", f.LastError, f.Added)
				}
			})
		}
	})
}

// TestFeedRetryAfter: a 429 with Retry-After is waited out, then retried.
func TestFeedRetryAfter(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) {
		w := newWorld(t, e, 3)
		w.pub.busy, w.pub.retryAfter = 2, "7"
		rep := w.mustSync(t)
		if rep.Added != 3 {
			t.Fatalf("after 429s: %+v", rep)
		}
		if n := slices.Index(w.waits, 7*time.Second); n < 0 || len(slices.DeleteFunc(slices.Clone(w.waits), func(d time.Duration) bool { return d != 7*time.Second })) != 2 {
			t.Errorf("waits = %v, want two of 7s (Retry-After)", w.waits)
		}
	})
}

// TestFeedKeepsCuratorEdits: a field a curator changed is kept; the
// publisher's later change to it goes to the queue; other fields follow
// the publisher.
func TestFeedKeepsCuratorEdits(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) {
		w := newWorld(t, e, 2)
		w.mustSync(t)
		if err := w.dir.UpdateService(w.ctx, "curator@example.org", sid("svc", 1), map[string]string{"description": "Curator's words (sample)."}); err != nil {
			t.Fatal(err)
		}
		// Upstream changes the name only: the curator's description stays.
		w.pub.edit(func(ss []*hsds.Service) []*hsds.Service {
			ss[0].Name, ss[0].LastModified = "Renamed upstream (sample)", "2026-12-02T00:00:00Z"
			return ss
		})
		rep := w.mustSync(t)
		s := w.service(t, 1)
		if s.Name != "Renamed upstream (sample)" || s.Description != "Curator's words (sample)." || len(rep.Queued) != 0 {
			t.Fatalf("after an upstream rename: name %q, description %q, queued %+v", s.Name, s.Description, rep.Queued)
		}
		// Upstream changes the description too: kept, and queued.
		w.pub.edit(func(ss []*hsds.Service) []*hsds.Service {
			ss[0].Description, ss[0].LastModified = "Publisher's new words (sample).", "2026-12-03T00:00:00Z"
			return ss
		})
		rep = w.mustSync(t)
		if s := w.service(t, 1); s.Description != "Curator's words (sample)." {
			t.Errorf("the curator's description was overwritten: %q", s.Description)
		}
		if len(rep.Queued) != 1 || rep.Queued[0].Field != "description" {
			t.Fatalf("queued = %+v", rep.Queued)
		}
		pending, err := w.sugg.ListSuggestions(w.ctx, "pending")
		if err != nil {
			t.Fatal(err)
		}
		if len(pending) != 1 || pending[0].Kind != "upstream" || pending[0].Field != "description" || pending[0].NewValue != "Publisher's new words (sample)." {
			t.Fatalf("queue = %+v", pending)
		}
		// Accepting it takes the publisher's value, and the next sync
		// follows the publisher again.
		if err := w.sugg.ResolveSuggestion(w.ctx, "curator@example.org", pending[0].ID, true, ""); err != nil {
			t.Fatal(err)
		}
		if s := w.service(t, 1); s.Description != "Publisher's new words (sample)." {
			t.Errorf("accepted upstream value not applied: %q", s.Description)
		}
		w.pub.edit(func(ss []*hsds.Service) []*hsds.Service {
			ss[0].Description, ss[0].LastModified = "Third words (sample).", "2026-12-04T00:00:00Z"
			return ss
		})
		if rep := w.mustSync(t); len(rep.Queued) != 0 || w.service(t, 1).Description != "Third words (sample)." {
			t.Errorf("after accepting, the publisher's next change should apply: %+v, %q", rep.Queued, w.service(t, 1).Description)
		}

		// The same for the organization: a curator's name is kept, the
		// publisher's other changes are taken, its new name is queued.
		if err := w.dir.UpdateOrganization(w.ctx, "curator@example.org", sid("org", 1), map[string]string{"name": "Curator's org name (sample)"}); err != nil {
			t.Fatal(err)
		}
		w.pub.edit(func(ss []*hsds.Service) []*hsds.Service {
			o := *ss[0].Organization
			o.Description, o.Name = "Publisher's org description (sample).", "Publisher's org name (sample)"
			ss[0].Organization = &o
			return ss
		})
		rep = w.mustSync(t)
		org := w.service(t, 1).Organization
		if org.Name != "Curator's org name (sample)" || org.Description != "Publisher's org description (sample)." {
			t.Errorf("organization after sync: name %q, description %q", org.Name, org.Description)
		}
		if len(rep.Queued) != 1 || rep.Queued[0].RecordType != "organization" || rep.Queued[0].Field != "name" {
			t.Fatalf("queued = %+v", rep.Queued)
		}
		pending, _ = w.sugg.ListSuggestions(w.ctx, "pending")
		if len(pending) != 1 || pending[0].RecordType != "organization" || pending[0].NewValue != "Publisher's org name (sample)" {
			t.Fatalf("queue = %+v", pending)
		}
		if err := w.sugg.ResolveSuggestion(w.ctx, "curator@example.org", pending[0].ID, true, ""); err != nil {
			t.Fatal(err)
		}
		if got := w.service(t, 1).Organization.Name; got != "Publisher's org name (sample)" {
			t.Errorf("accepted organization name = %q", got)
		}

		// A service new to the feed, of an organization a curator edited,
		// keeps the curator's edit too.
		if err := w.dir.UpdateOrganization(w.ctx, "curator@example.org", sid("org", 1), map[string]string{"email": "curator@example.org"}); err != nil {
			t.Fatal(err)
		}
		w.pub.edit(func(ss []*hsds.Service) []*hsds.Service {
			s3 := sampleService(3)
			s3.Organization, s3.OrganizationID = ss[0].Organization, ss[0].OrganizationID
			s3.ServiceAtLocations[0].Location.OrganizationID = ss[0].OrganizationID
			return append(ss, s3)
		})
		if rep := w.mustSync(t); rep.Added != 1 {
			t.Fatalf("sync of a new service: %+v", rep)
		}
		if got := w.service(t, 1).Organization.Email; got != "curator@example.org" {
			t.Errorf("a new service of the feed overwrote the curator's organization e-mail: %q", got)
		}

		// The same for a location: a curator's street is kept, the
		// publisher's other changes are taken, its new street is queued.
		loc := func() *hsds.Location { return w.service(t, 1).ServiceAtLocations[0].Location }
		values := listing.LocationText(loc())
		values["address_1"] = "12 Curator Street (sample)"
		if err := w.dir.UpdateLocation(w.ctx, "curator@example.org", sid("loc", 1), values); err != nil {
			t.Fatal(err)
		}
		w.pub.edit(func(ss []*hsds.Service) []*hsds.Service {
			l := *ss[0].ServiceAtLocations[0].Location
			l.Transportation = "Bus 7 (sample)"
			ss[0].ServiceAtLocations[0].Location = &l
			return ss
		})
		if rep := w.mustSync(t); len(rep.Queued) != 0 {
			t.Fatalf("queued = %+v", rep.Queued)
		}
		if l := loc(); l.Transportation != "Bus 7 (sample)" || l.MainAddress().Address1 != "12 Curator Street (sample)" {
			t.Errorf("location after an upstream change of another field: transportation %q, street %q", l.Transportation, l.MainAddress().Address1)
		}
		w.pub.edit(func(ss []*hsds.Service) []*hsds.Service {
			l := *ss[0].ServiceAtLocations[0].Location
			l.Addresses = slices.Clone(l.Addresses)
			l.Addresses[0].Address1 = "99 Publisher Avenue (sample)"
			ss[0].ServiceAtLocations[0].Location = &l
			return ss
		})
		rep = w.mustSync(t)
		if got := loc().MainAddress().Address1; got != "12 Curator Street (sample)" {
			t.Errorf("the curator's street was overwritten: %q", got)
		}
		if len(rep.Queued) != 1 || rep.Queued[0].RecordType != "location" || rep.Queued[0].Field != "address_1" {
			t.Fatalf("queued = %+v", rep.Queued)
		}
		pending, _ = w.sugg.ListSuggestions(w.ctx, "pending")
		if len(pending) != 1 || pending[0].RecordType != "location" || pending[0].NewValue != "99 Publisher Avenue (sample)" {
			t.Fatalf("queue = %+v", pending)
		}
		if err := w.sugg.ResolveSuggestion(w.ctx, "curator@example.org", pending[0].ID, true, ""); err != nil {
			t.Fatal(err)
		}
		if l := loc(); l.MainAddress().Address1 != "99 Publisher Avenue (sample)" || l.Transportation != "Bus 7 (sample)" {
			t.Errorf("accepted location street = %q (transportation %q)", l.MainAddress().Address1, l.Transportation)
		}
	})
}

// TestFeedRefusesLoopback: without AllowPrivate a feed on loopback is
// refused, as the link checker refuses it.
func TestFeedRefusesLoopback(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) {
		w := newWorld(t, e, 1)
		w.client = &feeds.Client{Sleep: w.client.Sleep}
		_, err := w.sync(t)
		if err == nil || !strings.Contains(err.Error(), "refused") {
			t.Fatalf("sync of a loopback feed: %v", err)
		}
		if len(w.pub.requests) != 0 {
			t.Errorf("the publisher on loopback was reached: %v", w.pub.requests)
		}
	})
}

// TestFeedPackage: a data package on the web (an HSDS 1.1 .zip), with
// conditional requests.
func TestFeedPackage(t *testing.T) {
	zipped := zipDir(t, filepath.Join("..", "intake", "testdata", "county211-sample"))
	const etag = `"v1"`
	var conditional int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == etag {
			conditional++
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", "application/zip")
		w.Write(zipped)
	}))
	defer srv.Close()
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) {
		ctx := context.Background()
		db, err := sqlstore.Open(ctx, e.Fresh(t))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		store := sqlstore.NewFeedService(db)
		if err := store.AddFeed(ctx, "cli", &haven.Feed{Name: "county", URL: srv.URL + "/export/county211.zip", Kind: haven.FeedPackage, Every: time.Hour}); err != nil {
			t.Fatal(err)
		}
		c := &feeds.Client{AllowPrivate: true, Interval: time.Millisecond}
		f, _ := store.FindFeed(ctx, "county")
		rep, err := c.Sync(ctx, store, "cli", f)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Added != 4 {
			t.Fatalf("package sync: %+v", rep)
		}
		f, _ = store.FindFeed(ctx, "county")
		if f.ETag != etag {
			t.Errorf("etag = %q", f.ETag)
		}
		before := conditional
		rep, err = c.Sync(ctx, store, "cli", f)
		if err != nil || !rep.NotModified || rep.Unchanged != 4 || conditional != before+1 {
			t.Fatalf("conditional sync: %+v, %v (304s %d)", rep, err, conditional-before)
		}
		// The 1.1 package's own ids are the publisher's ids.
		var n int
		dir := sqlstore.NewDirectoryService(db)
		err = dir.EachService(ctx, func(s *hsds.Service) error {
			src, err := store.ServiceSource(ctx, s.ID)
			if err != nil || src == nil || src.PublisherID == s.ID || src.PublisherID == "" {
				return fmt.Errorf("service %s: source %+v, %v", s.ID, src, err)
			}
			n++
			return nil
		})
		if err != nil || n != 4 {
			t.Fatalf("sources: %v (%d services)", err, n)
		}
	})
}

// TestFeedUK reads an Open Referral UK API's pages.
func TestFeedUK(t *testing.T) {
	page := func(n int) string {
		content := `[{"id":"uk-` + strconv.Itoa(n) + `","name":"Modern slavery helpline partner ` + strconv.Itoa(n) + ` (sample)","description":"Advice (sample)","status":"active",
			"organization":{"id":"org-` + strconv.Itoa(n) + `","name":"Example Trust (sample)"},
			"contacts":[{"id":"c` + strconv.Itoa(n) + `","name":"Desk","phones":[{"id":"p` + strconv.Itoa(n) + `","number":"020 7946 0000"}]}],
			"service_at_locations":[{"id":"sal` + strconv.Itoa(n) + `","location":{"id":"l` + strconv.Itoa(n) + `","name":"Office (sample)","latitude":51.5,"longitude":-0.1,
				"physical_addresses":[{"id":"a` + strconv.Itoa(n) + `","address_1":"1 Example Road","city":"London","state_province":"Greater London","postal_code":"E1 6AN","country":"GB"}]}}],
			"languages":[{"id":"lang` + strconv.Itoa(n) + `","language":"English"}]}]`
		return fmt.Sprintf(`{"totalElements":2,"totalPages":2,"number":%d,"size":1,"first":%t,"last":%t,"content":%s}`, n, n == 1, n == 2, content)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("page"))
		if r.URL.Path != "/services" || n < 1 || n > 2 {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, page(n))
	}))
	defer srv.Close()
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) {
		ctx := context.Background()
		db, err := sqlstore.Open(ctx, e.Fresh(t))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		store := sqlstore.NewFeedService(db)
		if err := store.AddFeed(ctx, "cli", &haven.Feed{Name: "oruk", URL: srv.URL, Kind: haven.FeedUK, Every: time.Hour}); err != nil {
			t.Fatal(err)
		}
		f, _ := store.FindFeed(ctx, "oruk")
		rep, err := (&feeds.Client{AllowPrivate: true, PerPage: 1, Interval: time.Millisecond}).Sync(ctx, store, "cli", f)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Added != 2 {
			t.Fatalf("UK sync: %+v", rep)
		}
		dir := sqlstore.NewDirectoryService(db)
		var names []string
		dir.EachService(ctx, func(s *hsds.Service) error {
			src, _ := store.ServiceSource(ctx, s.ID)
			if src == nil || !strings.HasPrefix(src.PublisherID, "uk-") {
				t.Errorf("service %s: source %+v", s.ID, src)
			}
			names = append(names, s.Name)
			return nil
		})
		if len(names) != 2 {
			t.Errorf("services = %q", names)
		}
	})
}

func zipDir(t *testing.T, dir string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		fw, _ := zw.Create("county211-sample/" + e.Name())
		fw.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestFeedHSDS31: a publisher on HSDS 3.1 is read; the properties 3.1
// adds (additional_urls, capacities, additional_websites) are dropped and
// the rest arrives.
func TestFeedHSDS31(t *testing.T) {
	b, err := json.Marshal(sampleService(1))
	if err != nil {
		t.Fatal(err)
	}
	var rec map[string]any
	json.Unmarshal(b, &rec)
	rec["additional_urls"] = []any{map[string]any{"id": sid("url", 1), "title": "Intake form (sample)", "url": "https://example.org/intake"}}
	rec["capacities"] = []any{}
	rec["organization"].(map[string]any)["additional_websites"] = []any{map[string]any{"id": sid("web", 1), "url": "https://example.org/es"}}
	page, _ := json.Marshal(map[string]any{"total_items": 1, "total_pages": 1, "page_number": 1, "last_page": true, "contents": []any{rec}})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(page) }))
	defer srv.Close()
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) {
		ctx := context.Background()
		db, err := sqlstore.Open(ctx, e.Fresh(t))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		store := sqlstore.NewFeedService(db)
		if err := store.AddFeed(ctx, "cli", &haven.Feed{Name: "v31", URL: srv.URL, Kind: haven.FeedHSDS, Every: time.Hour}); err != nil {
			t.Fatal(err)
		}
		f, _ := store.FindFeed(ctx, "v31")
		rep, err := (&feeds.Client{AllowPrivate: true, Interval: time.Millisecond}).Sync(ctx, store, "cli", f)
		if err != nil || rep.Added != 1 {
			t.Fatalf("3.1 record: %+v, %v", rep, err)
		}
		s, err := sqlstore.NewDirectoryService(db).FindServiceByID(ctx, sid("svc", 1))
		if err != nil || s.Name != sampleService(1).Name || len(s.ServiceAtLocations) != 1 {
			t.Fatalf("stored: %+v, %v", s, err)
		}
	})
}

// TestFeedPackage30 reads a zipped HSDS 3.0 package from the web, and
// refuses one that unpacks to far more than it weighs.
func TestFeedPackage30(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "providers")
	var svcs []*hsds.Service
	for i := 1; i <= 20; i++ {
		s := sampleService(i)
		s.Description = strings.Repeat("Sample text that compresses well. ", 1500) // 50 kB; 1 MB in all
		svcs = append(svcs, s)
	}
	if err := hsds.WritePackage(dir, svcs); err != nil {
		t.Fatal(err)
	}
	zipped := zipDir(t, dir)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(zipped) }))
	defer srv.Close()
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) {
		ctx := context.Background()
		db, err := sqlstore.Open(ctx, e.Fresh(t))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		store := sqlstore.NewFeedService(db)
		if err := store.AddFeed(ctx, "cli", &haven.Feed{Name: "p30", URL: srv.URL + "/providers.zip", Kind: haven.FeedPackage, Every: time.Hour}); err != nil {
			t.Fatal(err)
		}
		f, _ := store.FindFeed(ctx, "p30")
		// The zip weighs a few kB: within the limit; unpacked, 20 times
		// the limit is not enough.
		small := &feeds.Client{AllowPrivate: true, Interval: time.Millisecond, MaxBytes: int64(len(zipped)) + 10}
		if _, err := small.Sync(ctx, store, "cli", f); err == nil || !strings.Contains(err.Error(), "unpacks to more than") {
			t.Fatalf("a zip that unpacks to 1 MB under a %d-byte limit: %v", small.MaxBytes, err)
		}
		rep, err := (&feeds.Client{AllowPrivate: true, Interval: time.Millisecond}).Sync(ctx, store, "cli", f)
		if err != nil || rep.Added != 20 {
			t.Fatalf("3.0 package: %+v, %v", rep, err)
		}
	})
}

// TestFeedKeepsConfidential: a location a curator marked confidential (a
// shelter) stays confidential whatever the publisher sends next.
func TestFeedKeepsConfidential(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) {
		w := newWorld(t, e, 2)
		w.mustSync(t)
		l, err := w.dir.FindLocation(w.ctx, sid("loc", 1))
		if err != nil {
			t.Fatal(err)
		}
		values := listing.LocationText(l)
		values[listing.ConfidentialField] = "true"
		if err := w.dir.UpdateLocation(w.ctx, "curator@example.org", sid("loc", 1), values); err != nil {
			t.Fatal(err)
		}
		w.pub.edit(func(ss []*hsds.Service) []*hsds.Service {
			ss[0].Name, ss[0].LastModified = "Shelter intake (sample)", "2026-12-05T00:00:00Z"
			ss[0].ServiceAtLocations[0].Location.Name = "Renamed office (sample)"
			return ss
		})
		if rep := w.mustSync(t); rep.Updated != 1 {
			t.Fatalf("sync: %+v", rep)
		}
		if l, err = w.dir.FindLocation(w.ctx, sid("loc", 1)); err != nil {
			t.Fatal(err)
		}
		if !l.Confidential() || l.Name != "Renamed office (sample)" {
			t.Errorf("after a sync the location is confidential %v, named %q: want still confidential, with the publisher's name", l.Confidential(), l.Name)
		}
	})
}
