package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"haven"
	"haven/sqlstore"
)

// TestScreeningDrafts: a draft is its author's alone, is replaced in
// place, expires after a day, and is gone once deleted; on both engines.
func TestScreeningDrafts(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		f := newScreeningFixture(t, e.fresh(t))
		ds := sqlstore.NewScreeningDraftService(f.db)
		const id = "0123456789abcdef0123456789abcdef"
		if err := ds.PutScreeningDraft(ctx, f.author.ID, id, "v1.sealed.one"); err != nil {
			t.Fatal(err)
		}
		if err := ds.PutScreeningDraft(ctx, f.author.ID, id, "v1.sealed.two"); err != nil {
			t.Fatal(err)
		}
		if got, err := ds.FindScreeningDraft(ctx, f.author.ID, id); err != nil || got != "v1.sealed.two" {
			t.Errorf("find: %q %v", got, err)
		}
		if _, err := ds.FindScreeningDraft(ctx, f.other.ID, id); haven.ErrorCode(err) != haven.ENOTFOUND {
			t.Errorf("another screener finds the draft: %v", err)
		}
		if err := ds.PutScreeningDraft(ctx, f.other.ID, id, "v1.sealed.theirs"); haven.ErrorCode(err) != haven.EFORBIDDEN {
			t.Errorf("another screener overwrites the draft: %v", err)
		}
		for _, bad := range [][3]string{{"", id, "x"}, {f.author.ID, "", "x"}, {f.author.ID, id, ""}} {
			if err := ds.PutScreeningDraft(ctx, bad[0], bad[1], bad[2]); haven.ErrorCode(err) != haven.EINVALID {
				t.Errorf("put %q: %v", bad, err)
			}
		}
		// A day later it has expired, and the next save clears it away.
		f.db.Now = func() time.Time { return time.Now().Add(25 * time.Hour) }
		if _, err := ds.FindScreeningDraft(ctx, f.author.ID, id); haven.ErrorCode(err) != haven.ENOTFOUND {
			t.Errorf("an expired draft opens: %v", err)
		}
		if err := ds.PutScreeningDraft(ctx, f.author.ID, "fedcba9876543210fedcba9876543210", "v1.sealed.new"); err != nil {
			t.Fatal(err)
		}
		if n, _ := f.db.CountRows(ctx, "screening_drafts"); n != 1 {
			t.Errorf("%d drafts after expiry, want 1", n)
		}
		if err := ds.DeleteScreeningDraft(ctx, f.author.ID, "fedcba9876543210fedcba9876543210"); err != nil {
			t.Fatal(err)
		}
		if n, _ := f.db.CountRows(ctx, "screening_drafts"); n != 0 {
			t.Errorf("%d drafts after delete", n)
		}
	})
}
