package sqlstore_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"haven"
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
