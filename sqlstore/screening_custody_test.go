package sqlstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"haven"
	"haven/screening"
	"haven/sqlstore"
)

// TestScreeningHoldAndDelete: a held record can be neither deleted nor
// purged; holds, releases and deletions need a reason and are audited; a
// deletion in the trail is not a verification fault, a deletion outside
// it is.
func TestScreeningHoldAndDelete(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		f := newScreeningFixture(t, e.fresh(t))
		ss := sqlstore.NewScreeningRecordService(f.db)
		yes := screening.Answers{"doc-taken": screening.Yes}
		f.db.Now = func() time.Time { return time.Now().AddDate(-5, 0, 0) }
		held := f.save(t, "", f.record(yes, secretNote))
		gone := f.save(t, "", f.record(yes, secretNote))
		f.db.Now = time.Now

		for _, tc := range []struct {
			name   string
			do     func() error
			code   string
			reason string
		}{
			{"hold without a reason", func() error { return ss.HoldScreening(ctx, "sup@example.org", held.ID, true, "  ") }, haven.EINVALID, ""},
			{"hold with an overlong reason", func() error {
				return ss.HoldScreening(ctx, "sup@example.org", held.ID, true, strings.Repeat("x", haven.MaxScreeningReason+1))
			}, haven.EINVALID, ""},
			{"hold an unknown record", func() error {
				return ss.HoldScreening(ctx, "sup@example.org", "00000000-0000-4000-8000-000000000000", true, "case 12")
			}, haven.ENOTFOUND, ""},
			{"release a record not held", func() error { return ss.HoldScreening(ctx, "sup@example.org", held.ID, false, "done") }, haven.ECONFLICT, ""},
			{"hold", func() error { return ss.HoldScreening(ctx, "sup@example.org", held.ID, true, "subpoena in case 12") }, "", "subpoena in case 12"},
			{"hold twice", func() error { return ss.HoldScreening(ctx, "sup@example.org", held.ID, true, "again") }, haven.ECONFLICT, ""},
			{"delete a held record", func() error { return ss.DeleteScreening(ctx, "sup@example.org", held.ID, "asked to") }, haven.ECONFLICT, ""},
			{"delete without a reason", func() error { return ss.DeleteScreening(ctx, "sup@example.org", gone.ID, "") }, haven.EINVALID, ""},
		} {
			err := tc.do()
			if haven.ErrorCode(err) != tc.code && !(tc.code == "" && err == nil) {
				t.Errorf("%s: %v, want code %q", tc.name, err, tc.code)
			}
		}
		rec, _, err := ss.FindScreening(ctx, held.ID)
		if err != nil || !rec.Held() || rec.HeldBy != "sup@example.org" || rec.HoldReason != "subpoena in case 12" {
			t.Fatalf("held record: %+v %v", rec, err)
		}
		// Retention skips the held record.
		ids, err := ss.PurgeScreenings(ctx, "system", time.Now().AddDate(-1, 0, 0), false)
		if err != nil || len(ids) != 1 || ids[0] != gone.ID {
			t.Fatalf("purge: %v %v, want only %s", ids, err, gone.ID)
		}
		if _, _, err := ss.FindScreening(ctx, held.ID); err != nil {
			t.Fatalf("the held record was purged: %v", err)
		}
		// Released, it can be deleted, with the reason in the trail.
		if err := ss.HoldScreening(ctx, "sup@example.org", held.ID, false, "case closed"); err != nil {
			t.Fatal(err)
		}
		if err := ss.DeleteScreening(ctx, "sup@example.org", held.ID, "the person asked"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := ss.FindScreening(ctx, held.ID); haven.ErrorCode(err) != haven.ENOTFOUND {
			t.Errorf("deleted record still found: %v", err)
		}
		if err := ss.DeleteScreening(ctx, "sup@example.org", held.ID, "again"); haven.ErrorCode(err) != haven.ENOTFOUND {
			t.Errorf("deleting twice: %v", err)
		}
		trail, _ := sqlstore.NewAuditService(f.db).AuditTrail(ctx, "screening", held.ID, 0)
		var got []string
		for _, e := range trail {
			got = append(got, e.Action+":"+e.Field+":"+e.After)
			if strings.Contains(e.After+e.Before, secretNote) {
				t.Errorf("audit line holds content: %+v", e)
			}
		}
		want := "save:version:, hold:legal_hold:subpoena in case 12, release:legal_hold:case closed, delete:reason:the person asked"
		if g := strings.Join(got, ", "); !strings.HasPrefix(g, "save:version:1 ") || !strings.HasSuffix(g, strings.TrimPrefix(want, "save:version:")) {
			t.Errorf("audit trail:\n got %s\nwant %s", g, want)
		}
		if p := f.verify(t, f.keys); p != nil {
			t.Errorf("audited deletions reported as faults: %v", p)
		}
		// A record deleted behind Haven's back is still found.
		kept := f.save(t, "", f.record(yes, ""))
		exec(t, f.db, `DELETE FROM screening_versions WHERE record_id = '%s'`, kept.ID)
		exec(t, f.db, `DELETE FROM screening_records WHERE id = '%s'`, kept.ID)
		if p := f.verify(t, f.keys); len(p) != 1 || p[0].RecordID != kept.ID {
			t.Errorf("an unaudited deletion: %v", p)
		}
	})
}

// TestScreeningAccessLog: the access log lists views and exports, newest
// first, and nothing else.
func TestScreeningAccessLog(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		f := newScreeningFixture(t, e.fresh(t))
		ss := sqlstore.NewScreeningRecordService(f.db)
		rec := f.save(t, "", f.record(screening.Answers{"doc-taken": screening.Yes}, ""))
		for _, a := range [][3]string{{"sup@example.org", "view", "page"}, {"sup@example.org", "export", "json"}, {f.author.Email, "view", "print"}} {
			if err := ss.LogScreeningAccess(ctx, a[0], a[1], rec.ID, a[2]); err != nil {
				t.Fatal(err)
			}
		}
		if err := ss.HoldScreening(ctx, "sup@example.org", rec.ID, true, "case"); err != nil {
			t.Fatal(err)
		}
		log, err := ss.ScreeningAccessLog(ctx, rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range log {
			got = append(got, e.Actor+" "+e.Action+" "+e.Field)
			if e.At.IsZero() {
				t.Error("an access without a time")
			}
		}
		want := f.author.Email + " view print, sup@example.org export json, sup@example.org view page"
		if strings.Join(got, ", ") != want {
			t.Errorf("access log:\n got %s\nwant %s", strings.Join(got, ", "), want)
		}
	})
}
