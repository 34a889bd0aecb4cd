package http_test

import (
	"context"
	"crypto/tls"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"haven"
	"haven/auth"
	"haven/internal/smtptest"
	"haven/internal/testpg"
	"haven/mail"
	"haven/sqlstore"
)

var invitationLink = regexp.MustCompile(`https?://[^\s]+/invitation\?t=([A-Za-z0-9_%-]+)`)

// TestInvitationByMail: a curator invites a person; the invitation
// arrives at a real SMTP server in the invitee's language; its link sets a
// password once; the new provider signs in and sees their organization
// only.
func TestInvitationByMail(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) {
		w := mustProviderWorld(t, e.Fresh(t))
		s := w.s
		smtpd := smtptest.Start(t, smtptest.StartTLS, "haven", "mail password")
		sender, err := mail.Parse("smtp://haven:mail%20password@"+smtpd.Addr, "haven@example.org")
		if err != nil {
			t.Fatal(err)
		}
		sender.TLSConfig = &tls.Config{RootCAs: smtpd.Roots}
		s.Mailer, s.PublicURL = sender, "https://haven.example.org"
		curator := signIn(t, s, "curator@example.org")
		path := "/admin/organizations/" + w.other.OrganizationID + "/providers/invite"
		r := post(s, path, url.Values{"email": {"Nueva@Example.org"}, "locale": {"es"}}, curator)
		if r.Code != 200 || !strings.Contains(r.Body.String(), "nueva@example.org") || strings.Contains(r.Body.String(), "/invitation?t=") {
			t.Fatalf("invite: %d; with mail, the page says it was sent and shows no link", r.Code)
		}
		msgs := smtpd.Wait(1, 5*time.Second)
		if len(msgs) != 1 || msgs[0].To[0] != "nueva@example.org" || !msgs[0].TLS {
			t.Fatalf("messages: %+v", msgs)
		}
		text := msgs[0].Text()
		if !strings.Contains(text, "Hola") || !strings.Contains(text, "7 días") {
			t.Errorf("the invitation is not in Spanish: %q", text)
		}
		m := invitationLink.FindStringSubmatch(text)
		if m == nil || !strings.HasPrefix(m[0], "https://haven.example.org/invitation?t=") {
			t.Fatalf("no link in %q", text)
		}
		link, _ := url.Parse(m[0])
		token := link.Query().Get("t")

		// The store looks the invitation up by the token's hash, not the
		// token.
		invs := sqlstore.NewProviderService(w.db)
		if _, err := invs.FindInvitation(context.Background(), token); haven.ErrorCode(err) != haven.ENOTFOUND {
			t.Errorf("found by the token itself: %v", err)
		}
		if inv, err := invs.FindInvitation(context.Background(), auth.HashToken(token)); err != nil || inv.Locale != "es" {
			t.Fatalf("by its hash: %+v %v", inv, err)
		}
		page := get(s, link.RequestURI(), nil)
		if page.Code != 200 || !strings.Contains(page.Body.String(), "nueva@example.org") || len(page.Result().Cookies()) != 0 {
			t.Fatalf("invitation page: %d (and it must set no cookie)", page.Code)
		}
		// A short password and two different ones are refused.
		if r := post(s, "/invitation", url.Values{"t": {token}, "password": {"short"}, "password2": {"short"}}, nil); r.Code != http.StatusBadRequest {
			t.Errorf("short password: %d", r.Code)
		}
		if r := post(s, "/invitation", url.Values{"t": {token}, "password": {testPassword}, "password2": {testPassword + "!"}}, nil); r.Code != http.StatusBadRequest {
			t.Errorf("different passwords: %d", r.Code)
		}
		r = post(s, "/invitation", url.Values{"t": {token}, "password": {testPassword}, "password2": {testPassword}}, nil)
		if r.Code != http.StatusSeeOther {
			t.Fatalf("accept: %d %s", r.Code, r.Body.String())
		}
		// Once only.
		if r := post(s, "/invitation", url.Values{"t": {token}, "password": {"another long password here"}, "password2": {"another long password here"}}, nil); r.Code != http.StatusNotFound {
			t.Errorf("second use: %d, want 404", r.Code)
		}
		if r := get(s, link.RequestURI(), nil); r.Code != http.StatusNotFound {
			t.Errorf("used link opened: %d", r.Code)
		}
		c := signIn(t, s, "nueva@example.org")
		dash := get(s, "/provider", c).Body.String()
		if !strings.Contains(dash, "/provider/services/"+w.other.ID+"/edit") || strings.Contains(dash, w.mine.ID) {
			t.Error("the new provider does not see exactly their organization's services")
		}
		if r := get(s, "/provider/services/"+w.mine.ID+"/edit", c); r.Code != http.StatusNotFound {
			t.Errorf("another organization's service: %d", r.Code)
		}
		u, _ := sqlstore.NewAccountService(w.db).FindUserByEmail(context.Background(), "nueva@example.org")
		if u.Role != haven.RoleProvider || u.Locale != "es" {
			t.Errorf("account: %+v", u)
		}
	})
}

// TestInvitationWithoutMail: with no SMTP server, the curator's page shows
// the link to copy; an expired link does not work; a staff address cannot
// be invited.
func TestInvitationWithoutMail(t *testing.T) {
	w := mustProviderWorld(t, t.TempDir()+"/haven.db")
	s := w.s
	curator := signIn(t, s, "curator@example.org")
	path := "/admin/organizations/" + w.mine.OrganizationID + "/providers/invite"
	r := post(s, path, url.Values{"email": {"someone@example.org"}, "locale": {"en"}}, curator)
	m := invitationLink.FindStringSubmatch(r.Body.String())
	if r.Code != 200 || m == nil || r.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("without mail the page shows the link: %d %q", r.Code, m)
	}
	link, _ := url.Parse(m[0])
	if r := get(s, link.RequestURI(), nil); r.Code != 200 {
		t.Fatalf("fresh link: %d", r.Code)
	}
	if page := get(s, "/admin/organizations/"+w.mine.OrganizationID+"/providers", curator).Body.String(); !strings.Contains(page, "someone@example.org") || strings.Contains(page, "/invitation?t=") {
		t.Error("the providers page does not list the open invitation, or shows its link again")
	}
	w.db.Now = func() time.Time { return time.Now().Add(haven.InvitationTTL + time.Hour) }
	if r := get(s, link.RequestURI(), nil); r.Code != http.StatusNotFound {
		t.Errorf("expired link: %d", r.Code)
	}
	w.db.Now = time.Now
	if r := post(s, path, url.Values{"email": {"admin@example.org"}, "locale": {"en"}}, curator); r.Code != http.StatusConflict {
		t.Errorf("inviting a staff address: %d", r.Code)
	}
	if r := post(s, path, url.Values{"email": {"nobody"}, "locale": {"fr"}}, curator); r.Code != http.StatusBadRequest {
		t.Errorf("bad address and language: %d", r.Code)
	}
}
