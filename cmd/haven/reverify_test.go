package main

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"haven"
	"haven/auth"
	"haven/hsds"
	havenhttp "haven/http"
	"haven/internal/smtptest"
	"haven/internal/testpg"
	"haven/mail"
	"haven/sample"
	"haven/sqlstore"
)

var reverifyLink = regexp.MustCompile(`https://haven\.example\.org/reverify\?t=([A-Za-z0-9_%-]+)`)

// TestReverifyJob: a year after a provider is tied to an organization the
// daily job mails them a link, through a real SMTP server; three weeks
// without an answer bring one reminder; "still correct" on the link's page
// verifies the organization's services, and the request leaves the
// curators' list of those not answered.
func TestReverifyJob(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) {
		ctx := context.Background()
		db, err := sqlstore.Open(ctx, e.Fresh(t))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var svcs []*hsds.Service
		sample.Services(6, 1, func(s *hsds.Service) error { svcs = append(svcs, s); return nil })
		mustImportServices(t, db, svcs)
		org := svcs[0].OrganizationID
		accounts, store := sqlstore.NewAccountService(db), sqlstore.NewProviderService(db)
		u := &haven.User{Email: "keeper@example.org", Role: haven.RoleProvider, PasswordHash: "x", Locale: "en"}
		if err := accounts.CreateUser(ctx, "test", u); err != nil {
			t.Fatal(err)
		}
		if err := store.LinkProvider(ctx, "test", u.ID, org); err != nil {
			t.Fatal(err)
		}
		smtpd := smtptest.Start(t, smtptest.Plain, "", "")
		sender, err := mail.Parse("smtp://"+smtpd.Addr+"?starttls=off", "haven@example.org")
		if err != nil {
			t.Fatal(err)
		}
		logger := slog.New(slog.DiscardHandler)
		run := func(at time.Time) {
			t.Helper()
			db.Now = func() time.Time { return at }
			if err := runReverify(ctx, store, sender, "https://haven.example.org", logger); err != nil {
				t.Fatal(err)
			}
		}
		now := time.Now()
		run(now) // tied today: nothing due for a year
		if n := len(smtpd.Messages()); n != 0 {
			t.Fatalf("%d messages before a year has passed", n)
		}
		asked := now.Add(haven.ReverifyEvery + time.Hour)
		run(asked)
		run(asked.Add(time.Hour)) // asked once a year, not once a run
		msgs := smtpd.Wait(1, 5*time.Second)
		if len(msgs) != 1 || msgs[0].To[0] != "keeper@example.org" {
			t.Fatalf("first request: %d messages", len(msgs))
		}
		first := reverifyLink.FindStringSubmatch(msgs[0].Text())
		if first == nil {
			t.Fatalf("no link in %q", msgs[0].Text())
		}
		open, _ := store.OpenReverifications(ctx)
		if len(open) != 1 || open[0].Email != "keeper@example.org" {
			t.Fatalf("open requests: %+v", open)
		}
		run(asked.Add(haven.ReverifyRemindAfter - time.Hour)) // too soon for a reminder
		if n := len(smtpd.Messages()); n != 1 {
			t.Fatalf("a reminder before three weeks: %d messages", n)
		}
		run(asked.Add(haven.ReverifyRemindAfter + time.Hour))
		run(asked.Add(haven.ReverifyRemindAfter + 2*time.Hour)) // one reminder only
		msgs = smtpd.Wait(2, 5*time.Second)
		if len(msgs) != 2 || !strings.Contains(msgs[1].Header().Get("Subject"), "Reminder") {
			t.Fatalf("reminder: %d messages", len(msgs))
		}
		second := reverifyLink.FindStringSubmatch(msgs[1].Text())
		if second == nil || second[1] == first[1] {
			t.Fatal("the reminder carries no new link")
		}

		// The page, answered through the first link: still correct.
		srv := havenhttp.NewServer()
		srv.Reverify, srv.Logger = store, logger
		answer := func(token, answer, changes string) *httptest.ResponseRecorder {
			tok, _ := url.QueryUnescape(token)
			r := httptest.NewRequest("POST", "/reverify", strings.NewReader(url.Values{"t": {tok}, "answer": {answer}, "changes": {changes}}.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			r.Header.Set("Sec-Fetch-Site", "same-origin")
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, r)
			return w
		}
		page := httptest.NewRecorder()
		srv.ServeHTTP(page, httptest.NewRequest("GET", "/reverify?t="+second[1], nil))
		if page.Code != 200 || !strings.Contains(page.Body.String(), svcs[0].Name) {
			t.Fatalf("the reminder's page: %d, or it does not list the services", page.Code)
		}
		if w := answer(first[1], haven.ReverifyChanges, ""); w.Code != http.StatusBadRequest {
			t.Errorf("changes without text: %d", w.Code)
		}
		if w := answer(first[1], haven.ReverifyCorrect, ""); w.Code != http.StatusSeeOther {
			t.Fatalf("still correct: %d %s", w.Code, w.Body.String())
		}
		if w := answer(second[1], haven.ReverifyCorrect, ""); w.Code != http.StatusConflict {
			t.Errorf("answered twice: %d", w.Code)
		}
		today := db.Now().UTC().Format("2006-01-02")
		o, ids, err := sqlstore.NewDirectoryService(db).FindOrganizationByID(ctx, org)
		if err != nil || o.XLastVerified != today || len(ids) == 0 {
			t.Fatalf("organization verified %q, want %s (%v)", o.XLastVerified, today, err)
		}
		for _, id := range ids {
			sv, _ := sqlstore.NewDirectoryService(db).FindServiceByID(ctx, id)
			if sv.XLastVerified != today {
				t.Errorf("service %s verified %q, want %s", id, sv.XLastVerified, today)
			}
		}
		trail, _ := sqlstore.NewAuditService(db).AuditTrail(ctx, "service", ids[0], 0)
		if last := trail[len(trail)-1]; last.Action != "verify" || last.Actor != haven.ProviderActor("keeper@example.org") {
			t.Errorf("verification audited as %+v", last)
		}
		if open, _ := store.OpenReverifications(ctx); len(open) != 0 {
			t.Errorf("still listed as not answered: %+v", open)
		}
		// Next year's request is answered with changes: they go to the
		// curators' queue.
		next := asked.Add(haven.ReverifyEvery + time.Hour)
		run(next)
		msgs = smtpd.Wait(3, 5*time.Second)
		if len(msgs) != 3 {
			t.Fatalf("next year: %d messages", len(msgs))
		}
		third := reverifyLink.FindStringSubmatch(msgs[2].Text())
		if w := answer(third[1], haven.ReverifyChanges, "The evening hours ended in March."); w.Code != http.StatusSeeOther {
			t.Fatalf("changes: %d", w.Code)
		}
		queue, _ := sqlstore.NewSuggestionService(db).ListSuggestions(ctx, "pending")
		if len(queue) != 1 || queue[0].RecordID != org || !strings.Contains(queue[0].Body, "evening hours") || queue[0].SubmittedBy != "keeper@example.org" {
			t.Fatalf("queue: %+v", queue)
		}
		if _, err := store.FindReverify(ctx, auth.HashToken("not a token")); haven.ErrorCode(err) != haven.ENOTFOUND {
			t.Errorf("unknown token: %v", err)
		}
	})
}
