package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"haven/hsds"
	"haven/listing"
)

// ImportOptions tune an import.
type ImportOptions struct {
	// Name is the input's name, used in error messages.
	Name string
	// SkipInvalid imports the valid records and reports the others, instead
	// of rejecting the whole import at the first invalid one.
	SkipInvalid bool
	// Progress, when set, is called after each record with the count so far.
	Progress func(records int)
	// Actor is who imports, for the audit trail ("cli" when empty).
	Actor string
	// Validated says the source has already validated each record, as the
	// hsds readers do; validating again would only cost time.
	Validated bool
	// DryRun does the whole import, every check included, and then rolls
	// it back: the report says what would be written, and nothing is.
	DryRun bool
}

// ImportReport says what an import did.
type ImportReport struct {
	Imported int
	Skipped  []error // the invalid records, with SkipInvalid
	// PhonesAsGiven counts the phone numbers that did not read as numbers
	// and were kept as the source wrote them.
	PhonesAsGiven int
	// AreasUnread counts the service areas in the directory, after the
	// import, that Haven could not resolve (service_areas.go): kept as
	// written, searched nowhere, and listed on the curators' dashboard.
	AreasUnread int
}

// Import reads services from next until it returns io.EOF and writes them
// in one transaction: either every record is written, or, at the first
// invalid one, nothing is (unless SkipInvalid). A service already in the
// directory is updated in place, so importing the same data twice changes
// nothing. next returns hsds.Errors for an invalid record it could read past.
func (d *DirectoryService) Import(ctx context.Context, next func() (*hsds.Service, error), opt ImportOptions) (*ImportReport, error) {
	tx, release, err := d.db.beginImport(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	defer tx.Rollback()
	// SkipInvalid puts each record under a savepoint of its own, which
	// buffered writes would cross; it takes the row-by-row path.
	if !opt.SkipInvalid {
		if err := tx.startBulk(ctx); err != nil {
			return nil, err
		}
	}
	next, stop := prefetch(ctx, next)
	defer stop()
	rep := &ImportReport{}
	seen := map[string]int{} // service id → record number, for duplicates
	var sources [][2]string  // service id, publisher's id: for provenance
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		s, err := next()
		if errors.Is(err, io.EOF) {
			break
		}
		var invalid hsds.Errors
		if err != nil && !errors.As(err, &invalid) {
			return nil, err // the input cannot be read on
		}
		if err == nil {
			if prev, dup := seen[s.ID]; dup {
				err = &hsds.FieldError{File: opt.Name, Record: fmt.Sprintf("service %s (record %d)", s.ID, n), Field: "id",
					Reason: fmt.Sprintf("duplicate id: record %d has it too", prev)}
			} else if errs := validate(s, opt.Validated); len(errs) > 0 {
				for _, e := range errs {
					if e.File == "" {
						e.File = opt.Name
					}
				}
				err = hsds.Errors(errs)
			} else {
				seen[s.ID] = n
				// Numbers that read are stored in E.164; the others stay as
				// the source wrote them, as before.
				unread := len(listing.NormalizePhones(s))
				if err = d.importOne(ctx, tx, s, opt); err == nil {
					rep.PhonesAsGiven += unread
					sources = append(sources, [2]string{s.ID, publisherID(s)})
				}
			}
		}
		if err != nil {
			if !opt.SkipInvalid {
				return nil, err
			}
			rep.Skipped = append(rep.Skipped, err)
		} else {
			rep.Imported++
		}
		if opt.Progress != nil {
			opt.Progress(n)
		}
	}
	if err := tx.barrier(ctx); err != nil {
		return nil, err
	}
	if err := putFileSources(ctx, tx, opt.Name, sources); err != nil {
		return nil, err
	}
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM search_areas WHERE kind = ''`).Scan(&rep.AreasUnread); err != nil {
		return nil, err
	}
	if opt.Actor == "" {
		opt.Actor = "cli"
	}
	if err := audit(ctx, tx, opt.Actor, "import", "directory", opt.Name, "services", "",
		fmt.Sprintf("%d services imported, %d skipped", rep.Imported, len(rep.Skipped))); err != nil {
		return nil, err
	}
	if opt.DryRun {
		// Everything Commit does but commit, so that what it would refuse
		// is refused here too; the deferred Rollback undoes it all.
		if err := tx.endBulk(ctx); err != nil {
			return nil, err
		}
		if err := tx.logChanges(); err != nil {
			return nil, err
		}
		return rep, nil
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return rep, nil
}

// prefetch reads records ahead on another goroutine, so that decoding the
// input and writing the database use a core each. stop ends the reading.
func prefetch(ctx context.Context, next func() (*hsds.Service, error)) (func() (*hsds.Service, error), func()) {
	type item struct {
		s   *hsds.Service
		err error
	}
	ch := make(chan item, 256)
	done := make(chan struct{})
	go func() {
		defer close(ch)
		for {
			s, err := next()
			select {
			case ch <- item{s, err}:
			case <-done:
				return
			case <-ctx.Done():
				return
			}
			var invalid hsds.Errors
			if err != nil && !errors.As(err, &invalid) {
				return // io.EOF, or input that cannot be read on
			}
		}
	}()
	read := func() (*hsds.Service, error) {
		it, ok := <-ch
		if !ok {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			return nil, io.ErrUnexpectedEOF
		}
		return it.s, it.err
	}
	var once sync.Once
	return read, func() { once.Do(func() { close(done) }) }
}

// importOne checks a record's references against the database and writes
// it. With SkipInvalid it runs under a savepoint, so that a record failing
// half-way leaves nothing behind while the import goes on.
func (d *DirectoryService) importOne(ctx context.Context, tx *Tx, s *hsds.Service, opt ImportOptions) error {
	if err := checkRefs(ctx, tx, s, opt.Name); err != nil {
		return err
	}
	if !opt.SkipInvalid {
		return putService(ctx, tx, s)
	}
	if _, err := tx.ExecContext(ctx, `SAVEPOINT import_record`); err != nil {
		return err
	}
	if err := putService(ctx, tx, s); err != nil {
		if _, rerr := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT import_record`); rerr != nil {
			return errors.Join(err, rerr)
		}
		return &hsds.FieldError{File: opt.Name, Record: "service " + s.ID, Reason: err.Error()}
	}
	_, err := tx.ExecContext(ctx, `RELEASE SAVEPOINT import_record`)
	return err
}

// checkRefs checks that what a service refers to without nesting it is
// already in the database (earlier records of the same import count).
func checkRefs(ctx context.Context, tx *Tx, s *hsds.Service, file string) error {
	var errs hsds.Errors
	missing := func(field, table, id string) {
		errs = append(errs, &hsds.FieldError{File: file, Record: "service " + s.ID, Field: field,
			Reason: fmt.Sprintf("%s %s is neither in the input nor in the database", table, id)})
	}
	exists := func(table, id string) (bool, error) {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM `+table+` WHERE id = $1`, id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return false, nil
		}
		return err == nil, err
	}
	if s.Organization == nil {
		if ok, err := exists("organizations", s.OrganizationID); err != nil {
			return err
		} else if !ok {
			missing("organization_id", "organization", s.OrganizationID)
		}
	}
	if s.ProgramID != "" && s.Program == nil {
		if ok, err := exists("programs", s.ProgramID); err != nil {
			return err
		} else if !ok {
			missing("program_id", "program", s.ProgramID)
		}
	}
	for i, sal := range s.ServiceAtLocations {
		if sal.Location == nil {
			if ok, err := exists("locations", sal.LocationID); err != nil {
				return err
			} else if !ok {
				missing(fmt.Sprintf("service_at_locations[%d].location_id", i), "location", sal.LocationID)
			}
		}
	}
	for i, a := range s.Attributes {
		if a.TaxonomyTerm == nil {
			if ok, err := exists("taxonomy_terms", a.TaxonomyTermID); err != nil {
				return err
			} else if !ok {
				missing(fmt.Sprintf("attributes[%d].taxonomy_term_id", i), "taxonomy_term", a.TaxonomyTermID)
			}
		}
	}
	copies, err := checkPublicCopies(ctx, tx, s, file)
	if err != nil {
		return err
	}
	errs = append(errs, copies...)
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// normalTime returns an RFC 3339 time in UTC, so that stored times compare
// correctly as text; text that is not such a time is kept as it is.
func normalTime(s string) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return s
	}
	return t.UTC().Format(time.RFC3339)
}

func validate(s *hsds.Service, done bool) []*hsds.FieldError {
	if done {
		return nil
	}
	return s.Validate()
}

// publisherID is the id a file gave a service: the original id a 2.0 or
// 1.1 package's reader kept in a metadata record of the id's change, or
// the service's own.
func publisherID(s *hsds.Service) string {
	for _, m := range s.Metadata {
		if m.FieldName == "id" && m.ReplacementValue == s.ID && m.PreviousValue != "" {
			return m.PreviousValue
		}
	}
	return s.ID
}

// putFileSources records that the services came from the file name, unless
// a feed provides them: a feed's services keep their feed as source.
func putFileSources(ctx context.Context, tx *Tx, name string, sources [][2]string) error {
	const batch = 500
	for len(sources) > 0 {
		n := min(batch, len(sources))
		var b strings.Builder
		args := make([]any, 0, 2*n+2)
		args = append(args, name, formatTime(tx.now))
		for i, s := range sources[:n] {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "($%d, 'file', $1, $%d, $2)", len(args)+1, len(args)+2)
			args = append(args, s[0], s[1])
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO service_sources (service_id, kind, source, publisher_id, fetched_at) VALUES `+b.String()+`
			ON CONFLICT (service_id) DO UPDATE SET source = excluded.source, publisher_id = excluded.publisher_id, fetched_at = excluded.fetched_at
			WHERE service_sources.kind = 'file'`, args...); err != nil {
			return fmt.Errorf("record where the services came from: %w", err)
		}
		sources = sources[n:]
	}
	return nil
}
