package http_test

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"haven"
	"haven/internal/smtptest"
	"haven/internal/testpg"
	"haven/mail"
	"haven/searchindex"
	"haven/sqlstore"
)

// TestProviderRoomNow is issue 21's whole story, on both engines: a curator
// invites a provider by e-mail, which arrives through a real SMTP exchange;
// the provider sets a password from the link, signs in, finds the capacity
// page from their listings and presses +; a referrer's search for room now
// finds the service at once through SQL, and the in-memory index finds it
// as soon as it follows the change log. The count went live though the
// organization's other edits wait for a curator, and the history names the
// provider. A partner's program does the same with an API token; another
// organization's capacities are out of reach of both.
func TestProviderRoomNow(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) {
		ctx := context.Background()
		s, db, a, b := mustCapacityServerOn(t, e.Fresh(t))
		dir := sqlstore.NewDirectoryService(db)
		ix := searchindex.New(dir, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err := ix.Build(ctx); err != nil {
			t.Fatal(err)
		}
		room := haven.DirectoryFilter{RoomSince: haven.RoomSince(time.Now(), haven.DefaultCapacityMaxAge), AllStatuses: true, Limit: 20}
		indexFinds := func() bool {
			t.Helper()
			if err := ix.Sync(ctx); err != nil {
				t.Fatal(err)
			}
			res, err := ix.SearchDirectory(ctx, room)
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range res.Hits {
				if h.ServiceID == a.ID {
					return true
				}
			}
			return false
		}
		if n := searchTotal(t, s); n != 0 || indexFinds() {
			t.Fatalf("room now before the provider's update: %d services through SQL, or the index finds it", n)
		}

		// The invitation, by mail.
		smtpd := smtptest.Start(t, smtptest.StartTLS, "haven", "mail password")
		sender, err := mail.Parse("smtp://haven:mail%20password@"+smtpd.Addr, "haven@example.org")
		if err != nil {
			t.Fatal(err)
		}
		sender.TLSConfig = &tls.Config{RootCAs: smtpd.Roots}
		s.Mailer, s.PublicURL = sender, "https://haven.example.org"
		curator := signIn(t, s, "curator@example.org")
		if r := post(s, "/admin/organizations/"+a.OrganizationID+"/providers/invite", url.Values{"email": {"beds@example.org"}, "locale": {"en"}}, curator); r.Code != 200 {
			t.Fatalf("invite: %d", r.Code)
		}
		msgs := smtpd.Wait(1, 5*time.Second)
		if len(msgs) != 1 || !msgs[0].TLS {
			t.Fatalf("messages: %+v", msgs)
		}
		m := invitationLink.FindStringSubmatch(msgs[0].Text())
		if m == nil {
			t.Fatalf("no link in %q", msgs[0].Text())
		}
		link, _ := url.Parse(m[0])
		if r := post(s, "/invitation", url.Values{"t": {link.Query().Get("t")}, "password": {testPassword}, "password2": {testPassword}}, nil); r.Code != http.StatusSeeOther {
			t.Fatalf("accept: %d %s", r.Code, r.Body.String())
		}
		p := signIn(t, s, "beds@example.org")

		// From their listings to the capacity page: plain forms, theirs.
		page := "/provider/capacity/" + a.OrganizationID
		if dash := get(s, "/provider", p).Body.String(); !strings.Contains(dash, `href="`+page+`"`) {
			t.Fatal("the provider's listings do not link to the capacity page")
		}
		w := get(s, page, p)
		body := html.UnescapeString(w.Body.String())
		if w.Code != 200 || strings.Count(body, `<form method="post" action="`+page+`"`) != 3 || strings.Contains(body, `href="/admin`) {
			t.Fatalf("the provider's capacity page: %d, forms to itself and no admin links wanted\n%s", w.Code, body)
		}
		capA := a.Capacities[0].ID
		// An HSDS client polling for changes learns of the new count.
		since := url.QueryEscape(time.Now().UTC().Add(-time.Minute).Format(time.RFC3339))
		polled := func() bool {
			return strings.Contains(get(s, "/api/hsds/services?modified_after="+since, nil).Body.String(), a.ID)
		}
		if polled() {
			t.Fatal("the service counts as modified before the provider's update")
		}
		w = post(s, page, url.Values{"service": {a.ID}, "capacity": {capA}, "to": {"1"}}, p)
		if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), page+"?saved=") {
			t.Fatalf("+: %d %q", w.Code, w.Header().Get("Location"))
		}
		if n := searchTotal(t, s); n != 1 {
			t.Errorf("room now through SQL right after the provider's +: %d services, want 1", n)
		}
		if !indexFinds() {
			t.Error("the in-memory index does not find the service with room once it follows the change log")
		}
		if !polled() {
			t.Error("an HSDS client polling with modified_after does not learn of the new count")
		}
		if h := html.UnescapeString(get(s, page, p).Body.String()); !strings.Contains(h, "provider:beds@example.org · 0 → 1") {
			t.Error("the history does not name the provider")
		}

		// Another organization's capacities: not found, as if none.
		other := "/provider/capacity/" + b.OrganizationID
		if w := get(s, other, p); w.Code != http.StatusNotFound {
			t.Errorf("another organization's capacity page: %d, want 404", w.Code)
		}
		if w := post(s, page, url.Values{"service": {b.ID}, "capacity": {b.Capacities[0].ID}, "to": {"6"}}, p); w.Code != http.StatusNotFound {
			t.Errorf("another organization's capacity through their page: %d, want 404", w.Code)
		}
		if w := get(s, "/admin/capacity/"+a.OrganizationID, p); w.Code == http.StatusOK {
			t.Error("a provider opened the admin capacity page")
		}

		// A partner's program, with a token a curator made.
		r := post(s, "/admin/organizations/"+a.OrganizationID+"/tokens", url.Values{"name": {"Shelter beds system (sample)"}}, curator)
		tm := newTokenField.FindStringSubmatch(r.Body.String())
		if r.Code != 200 || tm == nil {
			t.Fatalf("token: %d", r.Code)
		}
		token := tm[1]
		patch := func(id, body string) *httptest.ResponseRecorder {
			req := httptest.NewRequest(http.MethodPatch, "/api/v1/partner/services/"+id+"/capacities", strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			return rec
		}
		for _, c := range []struct {
			id, body string
			code     int
		}{
			{a.ID, `{"capacities":[{"id":"` + capA + `","available":13}]}`, http.StatusBadRequest},
			{a.ID, `{"capacities":[{"id":"` + capA + `"}]}`, http.StatusBadRequest},
			{a.ID, `{"capacities":[{"id":"` + capA + `","available":2,"extra":1}]}`, http.StatusBadRequest},
			{a.ID, `{"capacities":[{"id":"nope","available":2}]}`, http.StatusBadRequest},
			{b.ID, `{"capacities":[{"id":"` + b.Capacities[0].ID + `","available":2}]}`, http.StatusNotFound},
		} {
			if rec := patch(c.id, c.body); rec.Code != c.code {
				t.Errorf("PATCH %s: %d, want %d: %s", c.body, rec.Code, c.code, rec.Body.String())
			}
		}
		rec := patch(a.ID, `{"capacities":[{"id":"`+capA+`","available":0}]}`)
		var got struct {
			Capacities []struct {
				Available float64 `json:"available"`
			} `json:"capacities"`
		}
		if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &got) != nil || len(got.Capacities) != 1 || got.Capacities[0].Available != 0 {
			t.Fatalf("PATCH: %d %s", rec.Code, rec.Body.String())
		}
		if n := searchTotal(t, s); n != 0 || indexFinds() {
			t.Errorf("after the partner set 0 beds: %d services through SQL, or the index still finds it", n)
		}
		if h := html.UnescapeString(get(s, page, p).Body.String()); !strings.Contains(h, "partner:Shelter beds system (sample) · 1 → 0") {
			t.Error("the history does not name the partner's token")
		}
	})
}
