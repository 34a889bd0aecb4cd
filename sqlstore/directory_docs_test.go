package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"haven"
	"haven/hsds"
	"haven/listing"
	"haven/sqlstore"
)

// TestEachDirectoryDoc reads every service's document once, in batches
// and ranges read at once, and agrees with FindDirectoryDocs.
func TestEachDirectoryDoc(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		db := mustOpenPath(t, e.fresh(t))
		svcs := MustSample(t, 120)
		MustImport(t, db, svcs)
		dir := sqlstore.NewDirectoryService(db)
		for _, batch := range []int{1000, 3} {
			undo := sqlstore.SetDocBatch(batch)
			got := map[string]*haven.DirectoryDoc{}
			err := dir.EachDirectoryDoc(ctx, func(d *haven.DirectoryDoc) error {
				if got[d.ServiceID] != nil {
					t.Errorf("batch %d: %s twice", batch, d.ServiceID)
				}
				got[d.ServiceID] = d
				return nil
			})
			undo()
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, s := range svcs {
				ids = append(ids, s.ID)
			}
			slices.Sort(ids)
			want, err := dir.FindDirectoryDocs(ctx, ids)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(svcs) || len(want) != len(svcs) {
				t.Fatalf("batch %d: %d documents read, %d found, %d services", batch, len(got), len(want), len(svcs))
			}
			for _, w := range want {
				if g := got[w.ServiceID]; g == nil || !equalDocs(g, w) {
					t.Errorf("batch %d: %s read as %+v, found as %+v", batch, w.ServiceID, g, w)
				}
			}
		}

		// An error from fn stops the reading and is returned.
		stop := errors.New("stop")
		n := 0
		err := dir.EachDirectoryDoc(ctx, func(*haven.DirectoryDoc) error {
			if n++; n == 10 {
				return stop
			}
			return nil
		})
		if !errors.Is(err, stop) || n != 10 {
			t.Errorf("fn failed at the 10th document: %v after %d", err, n)
		}
	})
}

func equalDocs(a, b *haven.DirectoryDoc) bool {
	return a.ServiceID == b.ServiceID && a.Name == b.Name && a.Status == b.Status && a.OrgID == b.OrgID &&
		a.OrgName == b.OrgName && slices.Equal(a.Terms, b.Terms) && slices.Equal(a.HeadTerms, b.HeadTerms) &&
		slices.Equal(a.Categories, b.Categories) && slices.Equal(a.Languages, b.Languages) && len(a.Places) == len(b.Places)
}

// mustMatchLive fails unless every service's stored search document is
// the one SQL search's own rows make, read live: the index built from the
// stored documents then answers as SQL does.
func mustMatchLive(t *testing.T, db *sqlstore.DB, step string) {
	t.Helper()
	ctx := context.Background()
	dir := sqlstore.NewDirectoryService(db)
	live, err := dir.LiveDirectoryDocs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]*haven.DirectoryDoc{}
	if err := dir.EachDirectoryDoc(ctx, func(d *haven.DirectoryDoc) error { stored[d.ServiceID] = d; return nil }); err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	if len(stored) != len(live) {
		t.Errorf("%s: %d stored documents, %d services", step, len(stored), len(live))
	}
	bad := 0
	for _, l := range live {
		if s := stored[l.ServiceID]; s == nil || !sqlstore.SameSearchDoc(s, l) {
			if bad++; bad <= 3 {
				t.Errorf("%s: service %s stored as %+v, read live as %+v", step, l.ServiceID, s, l)
			}
		}
	}
	if bad > 3 {
		t.Errorf("%s: %d services in all differ", step, bad)
	}
}

// TestSearchDocsFollowWrites holds the stored search documents to what SQL
// reads after every kind of write that changes what a search shows: an
// import, in bulk and row by row, of data whose organizations and locations
// come back changed; a re-import renaming an organization; and curators'
// edits of a service, an organization, a location and a taxonomy term.
func TestSearchDocsFollowWrites(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		for _, skip := range []bool{false, true} {
			db := mustOpenPath(t, e.fresh(t))
			dir := sqlstore.NewDirectoryService(db)
			svcs := awkwardImport(t)
			if _, err := dir.Import(ctx, sliceSource(svcs), sqlstore.ImportOptions{Name: "test", SkipInvalid: skip}); err != nil {
				t.Fatal(err)
			}
			mustMatchLive(t, db, fmt.Sprintf("import (skip invalid: %v)", skip))
		}

		dsn := e.fresh(t)
		db := mustOpenPath(t, dsn)
		dir := sqlstore.NewDirectoryService(db)
		svcs := MustSample(t, 60)
		MustImport(t, db, svcs)
		mustMatchLive(t, db, "sample import")

		s := svcs[5]
		o := *s.Organization
		o.Name = "Renamed On Import (sample)"
		c := *s
		c.Organization = &o
		MustImport(t, db, []*hsds.Service{&c})
		mustMatchLive(t, db, "a re-import renaming an organization")

		if err := dir.UpdateService(ctx, "test", svcs[7].ID, map[string]string{"name": "Zephyr Legal Aid"}); err != nil {
			t.Fatal(err)
		}
		mustMatchLive(t, db, "a service's name edited")
		if err := dir.UpdateOrganization(ctx, "test", svcs[9].OrganizationID, map[string]string{"name": "Edited Name (sample)"}); err != nil {
			t.Fatal(err)
		}
		mustMatchLive(t, db, "an organization's name edited")
		loc := svcs[11].ServiceAtLocations[0].LocationID
		l, err := dir.FindLocation(ctx, loc)
		if err != nil {
			t.Fatal(err)
		}
		values := listing.LocationText(l)
		values["city"] = "Quillayute"
		if err := dir.UpdateLocation(ctx, "test", loc, values); err != nil {
			t.Fatal(err)
		}
		mustMatchLive(t, db, "a location's city edited")
		term := svcs[13].Attributes[0].TaxonomyTermID
		if err := dir.UpdateTerm(ctx, "test", term, "Renamed term", "A term renamed by a test."); err != nil {
			t.Fatal(err)
		}
		mustMatchLive(t, db, "a taxonomy term renamed")

		// A database made before search_docs has them filled when opened.
		for _, q := range []string{`DELETE FROM search_docs`, `DELETE FROM settings WHERE key = 'search_docs'`} {
			if err := db.ExecForTest(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		db.Close()
		db = mustOpenPath(t, dsn)
		mustMatchLive(t, db, "reopened without search documents")
	})
}
