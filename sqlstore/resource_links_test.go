package sqlstore_test

import (
	"context"
	"testing"

	"haven"
	"haven/catalog"
	"haven/sqlstore"
)

// oldCatalog is the catalog as it was before it had web addresses: what a
// database seeded back then holds.
func oldCatalog(tb testing.TB) []*haven.Resource {
	tb.Helper()
	entries, err := catalog.Resources()
	if err != nil {
		tb.Fatal(err)
	}
	for _, r := range entries {
		r.URL, r.URLKind, r.Note, r.HowToFind = "", "", nil, nil
		switch r.ID {
		case "digital-dangers-ict-and-trafficking-in-women", "identification-legal-advocacy-trafficking-victims-2d-edition":
			r.Year = 0
		case "trafficking-in-persons-guide-for-ngos":
			r.Publisher, r.Year = "", 0
		}
	}
	return entries
}

// TestFillResourceLinks: a library seeded from the old catalog gets the new
// addresses, notes and facts on the next start, except where a curator
// has edited the entry; and a second start changes nothing.
func TestFillResourceLinks(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		db, err := sqlstore.Open(ctx, e.fresh(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		svc := sqlstore.NewResourceService(db)
		if _, err := svc.SeedResources(ctx, oldCatalog(t)); err != nil {
			t.Fatal(err)
		}
		// A curator edits one entry's description, and gives another an
		// address of their own.
		edited, _ := svc.FindResourceByID(ctx, "vital-voices")
		edited.Desc["en"] += " Edited."
		if err := svc.UpdateResource(ctx, "curator@example.org", edited); err != nil {
			t.Fatal(err)
		}
		own, _ := svc.FindResourceByID(ctx, "ovc-human-trafficking")
		own.URL = "https://ovc.example.org/own"
		if err := svc.UpdateResource(ctx, "curator@example.org", own); err != nil {
			t.Fatal(err)
		}

		entries, err := catalog.Resources()
		if err != nil {
			t.Fatal(err)
		}
		n, err := svc.FillResourceLinks(ctx, entries)
		if err != nil {
			t.Fatal(err)
		}
		if want := len(entries) - 2; n != want {
			t.Errorf("filled %d entries, want %d (all but the two a curator edited)", n, want)
		}
		for _, c := range entries {
			got, err := svc.FindResourceByID(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			switch c.ID {
			case "vital-voices":
				if got.URL != "" || got.URLKind != "" {
					t.Errorf("%s: a curator's entry was filled: %q (%s)", c.ID, got.URL, got.URLKind)
				}
			case "ovc-human-trafficking":
				if got.URL != "https://ovc.example.org/own" || got.URLKind != "" || got.Note != nil {
					t.Errorf("%s: the curator's address was touched: %q (%s) %v", c.ID, got.URL, got.URLKind, got.Note)
				}
			default:
				if got.URL != c.URL || got.URLKind != c.URLKind || got.Note.In("es") != c.Note.In("es") ||
					got.HowToFind.In("en") != c.HowToFind.In("en") || got.Year != c.Year || got.Publisher != c.Publisher {
					t.Errorf("%s: got %q %q %q year %d, want %q %q %q year %d", c.ID, got.URL, got.URLKind, got.Note.In("en"), got.Year,
						c.URL, c.URLKind, c.Note.In("en"), c.Year)
				}
			}
		}
		trail, err := sqlstore.NewAuditService(db).AuditTrail(ctx, "resource", "national-human-trafficking-hotline", 0)
		if err != nil {
			t.Fatal(err)
		}
		fields := map[string]string{}
		for _, a := range trail {
			if a.Actor == "system" && a.Action == "fill" {
				fields[a.Field] = a.After
			}
		}
		if fields["url"] != "https://humantraffickinghotline.org/about-us/what-we-do" || fields["note.en"] == "" {
			t.Errorf("audit trail of the fill: %v", fields)
		}

		// A filled publisher is found by search, as in a library seeded
		// with it.
		hits, err := svc.FindResources(ctx, haven.ResourceFilter{Query: "Women's Bureau"})
		if err != nil || hits.Total != 1 || hits.Items[0].ID != "trafficking-in-persons-guide-for-ngos" {
			t.Errorf("search for the filled publisher: %+v %v", hits, err)
		}

		// The next start finds nothing to do.
		if n, err := svc.FillResourceLinks(ctx, entries); err != nil || n != 0 {
			t.Errorf("second fill changed %d entries (err %v), want 0", n, err)
		}
	})
}

// TestFillLeavesANewLibraryAlone: a library seeded from today's catalog
// already has everything.
func TestFillLeavesANewLibraryAlone(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		db := MustOpenDB(t, e)
		entries, _ := catalog.Resources()
		if n, err := sqlstore.NewResourceService(db).FillResourceLinks(ctx, entries); err != nil || n != 0 {
			t.Errorf("fill changed %d entries (err %v), want 0", n, err)
		}
		r, err := sqlstore.NewResourceService(db).FindResourceByID(ctx, "law-enforcement-pocket-card")
		if err != nil || r.URLKind != "archive" || r.HowToFind.In("es") == "" {
			t.Errorf("pocket card read back as %+v (err %v)", r, err)
		}
	})
}
