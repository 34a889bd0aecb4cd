package sqlstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"haven"
	"haven/sqlstore"
)

func TestAccountsAndAudit(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		db := MustOpenDB(t, e)
		u := &haven.User{Email: "Curator@Example.org", Role: haven.RoleCurator, PasswordHash: "$argon2id$x"}
		if err := sqlstore.NewAccountService(db).CreateUser(ctx, "cli", u); err != nil {
			t.Fatal(err)
		}
		if err := sqlstore.NewAccountService(db).CreateUser(ctx, "cli", &haven.User{Email: "curator@example.org", Role: haven.RoleAdmin}); haven.ErrorCode(err) != haven.ECONFLICT {
			t.Errorf("duplicate e-mail: %v", err)
		}
		if err := sqlstore.NewAccountService(db).CreateUser(ctx, "cli", &haven.User{Email: "x@example.org", Role: "owner"}); haven.ErrorCode(err) != haven.EINVALID {
			t.Errorf("bad role: %v", err)
		}
		got, err := sqlstore.NewAccountService(db).FindUserByEmail(ctx, "curator@example.org")
		if err != nil || got.ID != u.ID {
			t.Fatalf("find: %v", err)
		}
		// Sessions end when idle too long and when too old.
		if err := sqlstore.NewAccountService(db).CreateSession(ctx, &haven.Session{TokenHash: "h1", UserID: u.ID}); err != nil {
			t.Fatal(err)
		}
		if _, su, err := sqlstore.NewAccountService(db).SessionUser(ctx, "h1", time.Hour, 24*time.Hour); err != nil || su.ID != u.ID {
			t.Fatalf("session: %v", err)
		}
		db.Now = func() time.Time { return time.Now().Add(2 * time.Hour) }
		if _, _, err := sqlstore.NewAccountService(db).SessionUser(ctx, "h1", time.Hour, 24*time.Hour); haven.ErrorCode(err) != haven.ENOTFOUND {
			t.Errorf("idle session still valid: %v", err)
		}
		db.Now = time.Now
		// The audit trail: written with the change, never changed.
		trail, _ := sqlstore.NewAuditService(db).AuditTrail(ctx, "user", u.ID, 0)
		if len(trail) != 1 || trail[0].Actor != "cli" {
			t.Errorf("user creation audit: %+v", trail)
		}
		for _, q := range []string{`UPDATE audit_log SET actor = 'x'`, `DELETE FROM audit_log`} {
			if err := db.ExecForTest(ctx, q); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: %v, want refused", q, err)
			}
		}
		if e.name == "postgres" {
			if err := db.ExecForTest(ctx, `TRUNCATE audit_log`); err == nil {
				t.Error("TRUNCATE of the audit trail was allowed")
			}
		}
		res := sqlstore.NewResourceService(db)
		r, _ := res.FindResourceByID(ctx, "sex-trafficking-fact-sheet")
		r.Year = 2010
		if err := res.UpdateResource(ctx, "curator@example.org", r); err != nil {
			t.Fatal(err)
		}
		trail, _ = sqlstore.NewAuditService(db).AuditTrail(ctx, "resource", r.ID, 0)
		if len(trail) != 1 || trail[0].Field != "year" || trail[0].Before != "" || trail[0].After != "2010" {
			t.Errorf("edit audit: %+v", trail)
		}
		if err := res.VerifyResource(ctx, "curator@example.org", r.ID); err != nil {
			t.Fatal(err)
		}
		if v, _ := res.FindResourceByID(ctx, r.ID); v.LastVerified != time.Now().UTC().Format("2006-01-02") {
			t.Errorf("last verified = %q", v.LastVerified)
		}
	})
}

func TestSuggestionQueue(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		db := MustOpenDB(t, e)
		svcs := MustSample(t, 2)
		MustImport(t, db, svcs)
		for _, bad := range []*haven.Suggestion{
			{Kind: "spam", Body: "x"}, {Kind: "other"}, {Kind: "phone", RecordType: "service", RecordID: "nope", Body: "x"},
		} {
			if err := sqlstore.NewSuggestionService(db).CreateSuggestion(ctx, bad); haven.ErrorCode(err) != haven.EINVALID {
				t.Errorf("%+v: %v, want EINVALID", bad, err)
			}
		}
		closed := &haven.Suggestion{Kind: "closed", RecordType: "service", RecordID: svcs[1].ID, Body: "Shut last month."}
		site := &haven.Suggestion{Kind: "website", RecordType: "resource", RecordID: "vital-voices", NewValue: "https://example.org/vv"}
		for _, s := range []*haven.Suggestion{closed, site} {
			if err := sqlstore.NewSuggestionService(db).CreateSuggestion(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		if list, _ := sqlstore.NewSuggestionService(db).ListSuggestions(ctx, "pending"); len(list) != 2 {
			t.Fatalf("pending: %d", len(list))
		}
		if err := sqlstore.NewSuggestionService(db).ResolveSuggestion(ctx, "c@example.org", closed.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		if s, _ := sqlstore.NewDirectoryService(db).FindServiceByID(ctx, svcs[1].ID); s.Status != "inactive" {
			t.Errorf("accepting \"closed\" left status %q", s.Status)
		}
		before, _ := sqlstore.NewResourceService(db).FindResourceByID(ctx, "vital-voices")
		if err := sqlstore.NewSuggestionService(db).ResolveSuggestion(ctx, "c@example.org", site.ID, false, ""); err != nil {
			t.Fatal(err)
		}
		if r, _ := sqlstore.NewResourceService(db).FindResourceByID(ctx, "vital-voices"); r.URL != before.URL {
			t.Errorf("a rejected suggestion changed the entry: %q", r.URL)
		}
		if list, _ := sqlstore.NewSuggestionService(db).ListSuggestions(ctx, "pending"); len(list) != 0 {
			t.Errorf("still pending: %d", len(list))
		}
	})
}

func TestLearningPageStore(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		db := MustOpenDB(t, e)
		pages := []*haven.LearningPage{
			{Slug: "interpreters", Section: "culture", Position: 1, Title: haven.Localized{"en": "Working with interpreters", "es": "Trabajar con intérpretes"},
				Summary: haven.Localized{"en": "s", "es": "r"}, Body: haven.Localized{"en": "## Why\n\nQualified interpreters.", "es": "## Por qué\n\nIntérpretes calificados."},
				Reviewed: "2026-11-24", Cites: []string{"vital-voices"}},
			{Slug: "safety", Section: "heal", Position: 1, Title: haven.Localized{"en": "Safety first", "es": "Primero la seguridad"},
				Summary: haven.Localized{"en": "s", "es": "r"}, Body: haven.Localized{"en": "## Now\n\nShelter.", "es": "## Ahora\n\nRefugio."}, Reviewed: "2026-11-24"},
		}
		if n, err := sqlstore.NewLearningService(db).SeedPages(ctx, pages); err != nil || n != 2 {
			t.Fatalf("seed: %d %v", n, err)
		}
		if n, _ := sqlstore.NewLearningService(db).SeedPages(ctx, pages); n != 0 {
			t.Error("pages seeded twice")
		}
		for _, q := range []string{"interpreter", "intérpretes", "interpretes"} {
			got, err := sqlstore.NewLearningService(db).SearchPages(ctx, q)
			if err != nil || len(got) != 1 || got[0].Slug != "interpreters" {
				t.Errorf("search %q: %v %v", q, got, err)
			}
		}
		p, _ := sqlstore.NewLearningService(db).FindPage(ctx, "safety")
		p.Body["es"] = ""
		if err := sqlstore.NewLearningService(db).UpdatePage(ctx, "c@example.org", p); haven.ErrorCode(err) != haven.EINVALID {
			t.Errorf("a page without Spanish: %v", err)
		}
		p.Body["es"] = "## Ahora\n\nUn albergue seguro."
		if err := sqlstore.NewLearningService(db).UpdatePage(ctx, "c@example.org", p); err != nil {
			t.Fatal(err)
		}
		if got, _ := sqlstore.NewLearningService(db).SearchPages(ctx, "albergue"); len(got) != 1 {
			t.Error("the edit is not searchable")
		}
		if trail, _ := sqlstore.NewAuditService(db).AuditTrail(ctx, "learning_page", "safety", 0); len(trail) == 0 {
			t.Error("the edit is not audited")
		}
	})
}
