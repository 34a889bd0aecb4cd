package sqlstore_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"haven"
	"haven/hsds"
	"haven/intake"
	"haven/sqlstore"
)

// mustImportSource imports the 1.1 sample package under a source name, as
// `haven import --source` does: each source's records get ids of their
// own, so the same services arrive twice.
func mustImportSource(tb testing.TB, db *sqlstore.DB, source string) {
	tb.Helper()
	path := filepath.Join("..", "intake", "testdata", "county211-sample")
	d, err := intake.Detect(path)
	if err != nil {
		tb.Fatal(err)
	}
	p, err := intake.OpenPackage(path, d, intake.Options{Source: source})
	if err != nil {
		tb.Fatal(err)
	}
	defer p.Close()
	if _, err := sqlstore.NewDirectoryService(db).Import(context.Background(), p.Next, sqlstore.ImportOptions{Name: source, Validated: true}); err != nil {
		tb.Fatal(err)
	}
}

// originalIDs returns the sources' original ids a service's metadata
// records (the import's "id" records and merges).
func originalIDs(s *hsds.Service) []string {
	var out []string
	for _, m := range s.Metadata {
		if m.FieldName == "id" {
			out = append(out, m.LastActionType+" "+m.PreviousValue+" ("+m.UpdatedBy+")")
		}
	}
	return out
}

// TestMatchAndMergeTwoSources imports the same package from two sources,
// finds each service paired with its twin, merges one pair field by field
// keeping both provenances, follows the old id to the survivor, and undoes
// the merge; "not the same" removes a pair for good.
func TestMatchAndMergeTwoSources(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		db := MustOpenDB(t, e)
		mustImportSource(t, db, "county211")
		mustImportSource(t, db, "statewide")
		dir, trail := sqlstore.NewDirectoryService(db), sqlstore.NewAuditService(db)

		pairs, err := dir.ListMatches(ctx, 0.5)
		if err != nil {
			t.Fatal(err)
		}
		twins := 0
		for _, p := range pairs {
			if p.A.Name == p.B.Name && p.A.OrgName == p.B.OrgName {
				twins++
				if p.Score < 0.9 || len(p.Reasons) < 2 {
					t.Errorf("twins %q scored %v for %+v", p.A.Name, p.Score, p.Reasons)
				}
			}
		}
		if twins != 4 {
			t.Fatalf("%d of the 4 twins paired: %+v", twins, pairs)
		}
		p := pairs[0]
		survivorID, absorbedID := p.A.ID, p.B.ID
		survivor, _ := dir.FindServiceByID(ctx, survivorID)
		absorbed, _ := dir.FindServiceByID(ctx, absorbedID)
		beforeName := survivor.Name

		// Refusals change nothing.
		for _, c := range []struct {
			a, b string
			take []string
			code string
		}{
			{survivorID, survivorID, nil, haven.EINVALID},
			{survivorID, "no-such-service", nil, haven.ENOTFOUND},
			{survivorID, absorbedID, []string{"nonsense"}, haven.EINVALID},
		} {
			if _, err := dir.MergeServices(ctx, "c@example.org", c.a, c.b, c.take); haven.ErrorCode(err) != c.code {
				t.Errorf("MergeServices(%s, %s, %v): %v, want %s", c.a, c.b, c.take, err, c.code)
			}
		}

		// Merge, the survivor taking the absorbed service's description.
		if err := dir.UpdateService(ctx, "c@example.org", absorbedID, map[string]string{"description": "Told by the statewide list (sample)."}); err != nil {
			t.Fatal(err)
		}
		m, err := dir.MergeServices(ctx, "c@example.org", survivorID, absorbedID, []string{"description", "name"})
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Fields) != 1 || m.Fields[0].Field != "description" || m.Fields[0].After != "Told by the statewide list (sample)." {
			t.Errorf("merge fields: %+v (the names were the same)", m.Fields)
		}
		got, err := dir.FindServiceByID(ctx, survivorID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Description != "Told by the statewide list (sample)." || got.Name != beforeName {
			t.Errorf("survivor after merge: %q, %q", got.Name, got.Description)
		}
		// Both provenances: each source's original id, and the merge.
		ids := strings.Join(originalIDs(got), "\n")
		for _, want := range []string{"source county211", "source statewide", "merge " + absorbedID} {
			if !strings.Contains(ids, want) {
				t.Errorf("survivor's metadata lacks %q:\n%s", want, ids)
			}
		}
		var schemes []string
		for _, oi := range got.Organization.OrganizationIdentifiers {
			schemes = append(schemes, oi.IdentifierType)
		}
		if len(absorbed.Organization.OrganizationIdentifiers) > 0 && !slices.Contains(schemes, absorbed.Organization.OrganizationIdentifiers[0].IdentifierType) {
			t.Errorf("survivor's organization lacks the absorbed one's identifier: %v", schemes)
		}
		// The absorbed service leaves public view; its id leads on.
		if _, err := dir.FindServiceByID(ctx, absorbedID); haven.ErrorCode(err) != haven.ENOTFOUND {
			t.Errorf("absorbed service still public: %v", err)
		}
		if to, err := dir.MergedInto(ctx, absorbedID); err != nil || to != survivorID {
			t.Errorf("MergedInto(absorbed) = %q, %v; want %q", to, err, survivorID)
		}
		if to, _ := dir.MergedInto(ctx, survivorID); to != "" {
			t.Errorf("MergedInto(survivor) = %q", to)
		}
		res, err := dir.SearchDirectory(ctx, haven.DirectoryFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			if h.ServiceID == absorbedID {
				t.Error("search still finds the absorbed service")
			}
		}
		if _, err := dir.MergeServices(ctx, "c@example.org", survivorID, absorbedID, nil); haven.ErrorCode(err) != haven.ECONFLICT {
			t.Errorf("merging twice: %v, want ECONFLICT", err)
		}
		after, _ := dir.ListMatches(ctx, 0.5)
		for _, q := range after {
			if q.A.ID == absorbedID || q.B.ID == absorbedID {
				t.Errorf("a merged-away service is still paired: %+v", q)
			}
		}
		// Audited, on both records.
		for _, id := range []string{survivorID, absorbedID} {
			lines, _ := trail.AuditTrail(ctx, "service", id, 0)
			if !slices.ContainsFunc(lines, func(l haven.AuditEntry) bool { return l.Action == "merge" && l.Actor == "c@example.org" }) {
				t.Errorf("no merge line in %s's history: %+v", id, lines)
			}
		}
		merges, err := dir.ListMerges(ctx, 10)
		if err != nil || len(merges) != 1 || merges[0].ID != m.ID || !merges[0].UndoneAt.IsZero() {
			t.Fatalf("ListMerges: %+v, %v", merges, err)
		}

		// Undo: the absorbed service is back, the survivor as it was.
		if err := dir.UndoMerge(ctx, "d@example.org", m.ID); err != nil {
			t.Fatal(err)
		}
		if err := dir.UndoMerge(ctx, "d@example.org", m.ID); haven.ErrorCode(err) != haven.ECONFLICT {
			t.Errorf("undoing twice: %v, want ECONFLICT", err)
		}
		if err := dir.UndoMerge(ctx, "d@example.org", "nope"); haven.ErrorCode(err) != haven.ENOTFOUND {
			t.Errorf("undoing an unknown merge: %v, want ENOTFOUND", err)
		}
		back, err := dir.FindServiceByID(ctx, absorbedID)
		if err != nil {
			t.Fatalf("absorbed service after undo: %v", err)
		}
		if back.Description != "Told by the statewide list (sample)." {
			t.Errorf("absorbed service changed: %q", back.Description)
		}
		got, _ = dir.FindServiceByID(ctx, survivorID)
		if got.Description != survivor.Description || len(got.Metadata) != len(survivor.Metadata) ||
			len(got.Organization.OrganizationIdentifiers) != len(survivor.Organization.OrganizationIdentifiers) {
			t.Errorf("survivor after undo: %q, %d metadata, %d identifiers; want %q, %d, %d", got.Description, len(got.Metadata),
				len(got.Organization.OrganizationIdentifiers), survivor.Description, len(survivor.Metadata), len(survivor.Organization.OrganizationIdentifiers))
		}
		if to, _ := dir.MergedInto(ctx, absorbedID); to != "" {
			t.Errorf("the old id still leads to %q after undo", to)
		}
		merges, _ = dir.ListMerges(ctx, 10)
		if len(merges) != 1 || merges[0].UndoneBy != "d@example.org" || merges[0].UndoneAt.IsZero() {
			t.Errorf("merge history after undo: %+v", merges)
		}

		// Merges of merges: the first id follows both, and undoing the
		// second leads it back to the first survivor.
		third := ""
		for _, q := range pairs {
			if q.A.ID != survivorID && q.A.ID != absorbedID {
				third = q.A.ID
				break
			}
		}
		m1, err := dir.MergeServices(ctx, "c@example.org", survivorID, absorbedID, nil)
		if err != nil {
			t.Fatal(err)
		}
		m2, err := dir.MergeServices(ctx, "c@example.org", third, survivorID, nil)
		if err != nil {
			t.Fatal(err)
		}
		if to, _ := dir.MergedInto(ctx, absorbedID); to != third {
			t.Errorf("after two merges the first id leads to %q, want %q", to, third)
		}
		if _, err := dir.MergeServices(ctx, "c@example.org", survivorID, third, nil); haven.ErrorCode(err) != haven.ECONFLICT {
			t.Errorf("merging into a merged-away service: %v, want ECONFLICT", err)
		}
		if err := dir.UndoMerge(ctx, "c@example.org", m2.ID); err != nil {
			t.Fatal(err)
		}
		if to, _ := dir.MergedInto(ctx, absorbedID); to != survivorID {
			t.Errorf("after undoing the second merge the first id leads to %q, want %q", to, survivorID)
		}
		if err := dir.UndoMerge(ctx, "c@example.org", m1.ID); err != nil {
			t.Fatal(err)
		}

		// Not the same: remembered.
		if err := dir.MarkDistinct(ctx, "c@example.org", absorbedID, survivorID); err != nil {
			t.Fatal(err)
		}
		if err := dir.MarkDistinct(ctx, "c@example.org", absorbedID, survivorID); err != nil {
			t.Errorf("marking twice: %v", err)
		}
		if err := dir.MarkDistinct(ctx, "c@example.org", absorbedID, "no-such"); haven.ErrorCode(err) != haven.ENOTFOUND {
			t.Errorf("MarkDistinct(unknown): %v", err)
		}
		after, _ = dir.ListMatches(ctx, 0.5)
		if len(after) != len(pairs)-1 {
			t.Errorf("%d pairs after not the same; want %d", len(after), len(pairs)-1)
		}
		for _, q := range after {
			if q.A.ID == p.A.ID && q.B.ID == p.B.ID {
				t.Error("a pair marked not the same is listed again")
			}
		}
	})
}
