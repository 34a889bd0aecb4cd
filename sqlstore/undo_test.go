package sqlstore_test

import (
	"context"
	"fmt"
	"testing"

	"haven"
	"haven/sqlstore"
)

// TestAcceptLinksAndUndo accepts a phone suggestion: the number is stored
// normalized, the audit line names the suggestion, and undoing it puts the
// number back, audited as an undo of that line; a second undo of the same
// line is refused, since the field changed since.
func TestAcceptLinksAndUndo(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		db := MustOpenDB(t, e)
		svcs := MustSample(t, 1)
		MustImport(t, db, svcs)
		dir, sg, trail := sqlstore.NewDirectoryService(db), sqlstore.NewSuggestionService(db), sqlstore.NewAuditService(db)
		before, _ := dir.FindServiceByID(ctx, svcs[0].ID)
		s := &haven.Suggestion{Kind: "phone", RecordType: "service", RecordID: svcs[0].ID, NewValue: "(979) 555-0101 x12"}
		if err := sg.CreateSuggestion(ctx, s); err != nil {
			t.Fatal(err)
		}
		if err := sg.ResolveSuggestion(ctx, "c@example.org", s.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		got, _ := dir.FindServiceByID(ctx, svcs[0].ID)
		if got.Phones[0].Number != "+19795550101" || got.Phones[0].Extension == nil || *got.Phones[0].Extension != 12 {
			t.Fatalf("phone after accepting: %+v", got.Phones[0])
		}
		if f, err := sg.FindSuggestion(ctx, s.ID); err != nil || f.Status != "accepted" || f.ResolvedBy != "c@example.org" {
			t.Errorf("FindSuggestion: %+v %v", f, err)
		}
		if _, err := sg.FindSuggestion(ctx, "nope"); haven.ErrorCode(err) != haven.ENOTFOUND {
			t.Errorf("FindSuggestion(nope): %v", err)
		}
		lines, _ := trail.AuditTrail(ctx, "service", svcs[0].ID, 0)
		var change haven.AuditEntry
		for _, l := range lines {
			if l.Field == "phone" {
				change = l
			}
		}
		if change.SuggestionID != s.ID || change.After != "+19795550101 ext. 12" {
			t.Fatalf("the change's line: %+v", change)
		}
		if err := dir.UndoChange(ctx, "c@example.org", change.ID); err != nil {
			t.Fatal(err)
		}
		got, _ = dir.FindServiceByID(ctx, svcs[0].ID)
		if got.Phones[0].Number != before.Phones[0].Number || got.Phones[0].Extension != nil {
			t.Errorf("phone after undo: %+v, want %q", got.Phones[0], before.Phones[0].Number)
		}
		lines, _ = trail.AuditTrail(ctx, "service", svcs[0].ID, 0)
		if last := lines[len(lines)-1]; last.Action != "undo" || last.Undoes != change.ID || last.Before != change.After {
			t.Errorf("the undo's line: %+v", last)
		}
		if err := dir.UndoChange(ctx, "c@example.org", change.ID); haven.ErrorCode(err) != haven.ECONFLICT {
			t.Errorf("undoing twice: %v, want ECONFLICT", err)
		}
		if err := dir.UndoChange(ctx, "c@example.org", 1<<40); haven.ErrorCode(err) != haven.ENOTFOUND {
			t.Errorf("undoing an unknown line: %v, want ENOTFOUND", err)
		}
		// The suggestion's own lines (suggest, accept) are no field's change.
		if own, _ := trail.AuditTrail(ctx, "suggestion", s.ID, 0); len(own) == 0 {
			t.Error("the suggestion has no history")
		} else if err := dir.UndoChange(ctx, "c@example.org", own[0].ID); haven.ErrorCode(err) != haven.EINVALID {
			t.Errorf("undoing a suggestion's line: %v, want EINVALID", err)
		}
	})
}

// TestImportNormalizesPhones stores the numbers that read in E.164, the
// extension apart, and keeps the others as the source gave them, counted.
func TestImportNormalizesPhones(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		db := MustOpenDB(t, e)
		svcs := MustSample(t, 2)
		svcs[0].Phones[0].Number = "+1 (979) 555-0101 x12"
		svcs[1].Phones[0].Number = "ask at the desk"
		rep, err := sqlstore.NewDirectoryService(db).Import(ctx, sliceSource(svcs), sqlstore.ImportOptions{Name: "test"})
		if err != nil {
			t.Fatal(err)
		}
		if rep.PhonesAsGiven != 1 {
			t.Errorf("PhonesAsGiven = %d, want 1", rep.PhonesAsGiven)
		}
		a, _ := sqlstore.NewDirectoryService(db).FindServiceByID(ctx, svcs[0].ID)
		if p := a.Phones[0]; p.Number != "+19795550101" || p.Extension == nil || *p.Extension != 12 {
			t.Errorf("a number that reads: %q ext %v", p.Number, p.Extension)
		}
		b, _ := sqlstore.NewDirectoryService(db).FindServiceByID(ctx, svcs[1].ID)
		if b.Phones[0].Number != "ask at the desk" {
			t.Errorf("a number that does not read: %q, want it as given", b.Phones[0].Number)
		}
	})
}

// TestOrganizationPhone stores a typed number normalized, refuses one that
// does not read, and undoes the change.
func TestOrganizationPhone(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		db := MustOpenDB(t, e)
		svcs := MustSample(t, 1)
		MustImport(t, db, svcs)
		dir := sqlstore.NewDirectoryService(db)
		id := svcs[0].OrganizationID
		if err := dir.UpdateOrganization(ctx, "c@example.org", id, map[string]string{"phone": "call us"}); haven.ErrorCode(err) != haven.EINVALID {
			t.Errorf("a phone that does not read: %v, want EINVALID", err)
		}
		if err := dir.UpdateOrganization(ctx, "c@example.org", id, map[string]string{"phone": "(979) 555-0101 ext. 3"}); err != nil {
			t.Fatal(err)
		}
		o, _, _ := dir.FindOrganizationByID(ctx, id)
		if p := o.Phones[0]; p.Number != "+19795550101" || p.Extension == nil || *p.Extension != 3 {
			t.Errorf("organization phone: %q ext %v", p.Number, p.Extension)
		}
		lines, _ := sqlstore.NewAuditService(db).AuditTrail(ctx, "organization", id, 0)
		last := lines[len(lines)-1]
		if last.Field != "phone" || last.After != "+19795550101 ext. 3" {
			t.Fatalf("audit: %+v", last)
		}
		if err := dir.UndoChange(ctx, "c@example.org", last.ID); err != nil {
			t.Fatal(err)
		}
		o, _, _ = dir.FindOrganizationByID(ctx, id)
		if len(o.Phones) > 0 && o.Phones[0].Number+extOf(o.Phones[0].Extension) != last.Before {
			t.Errorf("after undo: %+v, want %q", o.Phones, last.Before)
		} else if len(o.Phones) == 0 && last.Before != "" {
			t.Errorf("after undo no phone, want %q", last.Before)
		}
	})
}

func extOf(e *float64) string {
	if e == nil {
		return ""
	}
	return fmt.Sprintf(" ext. %v", *e)
}
