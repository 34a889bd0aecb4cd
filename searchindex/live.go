package searchindex

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"haven"
)

// Source is the store an Index builds itself from and follows:
// *sqlstore.DirectoryService.
type Source interface {
	// EachDirectoryDoc calls fn with every service's search document.
	EachDirectoryDoc(ctx context.Context, fn func(*haven.DirectoryDoc) error) error
	// FindDirectoryDocs returns the documents of the services with the
	// given ids, leaving out those that no longer exist.
	FindDirectoryDocs(ctx context.Context, ids []string) ([]*haven.DirectoryDoc, error)
	// LastDirectoryChange returns the number of the latest logged change.
	LastDirectoryChange(ctx context.Context) (int64, error)
	// DirectoryChanges returns up to limit changes after the numbered one,
	// in commit order.
	DirectoryChanges(ctx context.Context, after int64, limit int) ([]haven.DirectoryChange, error)
}

// maxApply is how many changed services one sync applies one by one; more
// than that, and rebuilding is as quick.
const maxApply = 50_000

// Index is an in-memory index of the directory that implements
// haven.DirectorySearcher. Run builds it and keeps it following its source;
// until the first build is done it is not Ready and refuses to search.
type Index struct {
	src Source
	log *slog.Logger

	// PollEvery is how often Run reads the change log (500 ms).
	PollEvery time.Duration
	// MaxLag is how long the index may go without reading the change log
	// before it must rebuild, because older changes may have been pruned
	// (sqlstore.ChangeRetention / 2 is right; 12 h by default).
	MaxLag time.Duration

	// AfterBuild, if set, is called after each build: before the first
	// index answers, and after a rebuild once searches have moved to it.
	// It is the place to return the build's garbage to the OS.
	AfterBuild func()

	cur   atomic.Pointer[index]
	small int // for tests: see defaultSmallSet; -1 for the default
	drift int // for tests: see defaultDrift; -1 for the default

	mu       sync.Mutex // one build or sync at a time
	seq      int64      // the last change applied
	lastRead time.Time  // when the change log was last read in full
}

// New returns an index of src, empty and not ready until Run or Build.
// A nil logger logs nothing.
func New(src Source, logger *slog.Logger) *Index {
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Index{src: src, log: logger, PollEvery: 500 * time.Millisecond, MaxLag: 12 * time.Hour, small: -1, drift: -1}
}

// Ready reports whether the index has been built and answers searches.
func (ix *Index) Ready() bool { return ix.cur.Load() != nil }

// Len returns how many services the index holds.
func (ix *Index) Len() int {
	x := ix.cur.Load()
	if x == nil {
		return 0
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.byService)
}

// Engine is the index's name in DirectoryResult.Engine.
const Engine = "index"

// Supports reports whether the index answers a filter. It leaves the HSDS
// API's filters by organization, taxonomy and modification time to SQL.
func Supports(f haven.DirectoryFilter) bool {
	return f.OrganizationID == "" && f.TaxonomyTermID == "" && f.TaxonomyID == "" && f.ModifiedAfter.IsZero()
}

// SearchDirectory searches the index; see haven.DirectorySearcher. It
// returns EUNAVAILABLE before the index is built.
func (ix *Index) SearchDirectory(ctx context.Context, f haven.DirectoryFilter) (*haven.DirectoryResult, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	if !Supports(f) {
		return nil, fmt.Errorf("searchindex: the index does not filter by organization, taxonomy or modification time")
	}
	x := ix.cur.Load()
	if x == nil {
		return nil, haven.Errorf(haven.EUNAVAILABLE, "The search index is still being built. Try again in a moment.")
	}
	return x.search(f), nil
}

// Run builds the index, retrying until it succeeds, then applies the
// source's changes every PollEvery until ctx ends.
func (ix *Index) Run(ctx context.Context) {
	for wait := time.Second; ; wait = min(2*wait, time.Minute) {
		err := ix.Build(ctx)
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			return
		}
		ix.log.Error("search index: build failed", "err", err, "retry_in", wait)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
	t := time.NewTicker(ix.PollEvery)
	defer t.Stop()
	failing := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		err := ix.Sync(ctx)
		switch {
		case err != nil && ctx.Err() != nil:
			return
		case err != nil && !failing:
			ix.log.Error("search index: cannot follow the database's changes; searches may be out of date", "err", err)
		case err == nil && failing:
			ix.log.Info("search index: following the database's changes again")
		}
		failing = err != nil
	}
}

// Build builds the index afresh from its source, then applies the changes
// made meanwhile. Searches go to the previous build until it is done.
func (ix *Index) Build(ctx context.Context) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if err := ix.rebuild(ctx); err != nil {
		return err
	}
	return ix.sync(ctx, false)
}

// Sync applies the changes logged since the last one applied.
func (ix *Index) Sync(ctx context.Context) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.sync(ctx, true)
}

func (ix *Index) rebuild(ctx context.Context) error {
	start := time.Now()
	// Read the log's position first: a change committed while the
	// documents are read is then applied again after, which is harmless.
	seq, err := ix.src.LastDirectoryChange(ctx)
	if err != nil {
		return err
	}
	// Read and index at once: reading is as much work as indexing.
	b := NewBuilder()
	batches := make(chan []*haven.DirectoryDoc, 4)
	readErr := make(chan error, 1)
	go func() {
		defer close(batches)
		var batch []*haven.DirectoryDoc
		err := ix.src.EachDirectoryDoc(ctx, func(d *haven.DirectoryDoc) error {
			if batch = append(batch, d); len(batch) == 1000 {
				batches <- batch
				batch = nil
			}
			return nil
		})
		if err == nil && len(batch) > 0 {
			batches <- batch
		}
		readErr <- err
	}()
	for batch := range batches {
		for _, d := range batch {
			b.Add(d)
		}
	}
	if err := <-readErr; err != nil {
		return err
	}
	if ix.small >= 0 {
		b.x.small = uint64(ix.small)
	}
	if ix.drift >= 0 {
		b.x.drift = ix.drift
	}
	x := b.build()
	// The first index frees the build's garbage before it answers, so that
	// a server is ready at its resting size; a rebuild frees the old index
	// too, once searches have left it.
	first := ix.cur.Load() == nil
	if first && ix.AfterBuild != nil {
		ix.AfterBuild()
	}
	ix.cur.Store(x)
	ix.seq, ix.lastRead = seq, start
	ix.log.Info("search index built", "services", len(x.byService), "terms", len(x.termIDs), "took", time.Since(start).Round(time.Millisecond))
	if !first && ix.AfterBuild != nil {
		ix.AfterBuild()
	}
	return nil
}

// sync applies logged changes; with mayRebuild, it rebuilds instead when
// there are too many to apply one by one, or when the index has drifted.
func (ix *Index) sync(ctx context.Context, mayRebuild bool) error {
	x := ix.cur.Load()
	if x == nil || mayRebuild && time.Since(ix.lastRead) > ix.MaxLag {
		return ix.rebuild(ctx)
	}
	start := time.Now()
	changes, err := ix.src.DirectoryChanges(ctx, ix.seq, maxApply+1)
	if err != nil {
		return err
	}
	var ids []string
	seen := make(map[string]bool, len(changes))
	everything := len(changes) > maxApply
	for _, c := range changes {
		if c.ServiceID == "" {
			everything = true
		} else if !seen[c.ServiceID] {
			seen[c.ServiceID] = true
			ids = append(ids, c.ServiceID)
		}
	}
	if everything {
		if !mayRebuild {
			return nil // the caller has just rebuilt; the next sync rebuilds again
		}
		return ix.rebuild(ctx)
	}
	if len(ids) > 0 {
		docs, err := ix.src.FindDirectoryDocs(ctx, ids)
		if err != nil {
			return err
		}
		drifted := x.apply(ids, docs)
		ix.seq = changes[len(changes)-1].Seq
		if drifted && mayRebuild {
			return ix.rebuild(ctx)
		}
	}
	ix.lastRead = start
	return nil
}

// Builder builds an index from documents, without a database: for tests,
// benchmarks and tools. Add each service once.
type Builder struct {
	x       *index
	entries []entry
}

// NewBuilder returns an empty builder.
func NewBuilder() *Builder { return &Builder{x: newIndex()} }

// Add adds a service's document. The builder keeps no reference to d's
// terms; it shares its places, categories and languages, which must not
// change.
func (b *Builder) Add(d *haven.DirectoryDoc) { b.entries = append(b.entries, b.x.entryOf(d)) }

// Index returns a ready index of the documents added, which follows no
// store. The builder must not be used again.
func (b *Builder) Index() *Index {
	ix := New(nil, nil)
	ix.cur.Store(b.build())
	return ix
}

func (b *Builder) build() *index {
	x := build(b.x, b.entries)
	b.entries = nil
	return x
}
