package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"haven"
	"haven/auth"
	"haven/hsds"
	"haven/internal/smtptest"
	"haven/sample"
	"haven/sqlstore"
)

// TestServeInvitesByMail runs the serve command with --smtp-url pointing at
// a real SMTP server on loopback: a curator invites a provider, the mail
// arrives, its link sets the provider's password, and the provider signs
// in to see their organization's services and no other's.
func TestServeInvitesByMail(t *testing.T) {
	ctx := context.Background()
	dsn := filepath.Join(t.TempDir(), "h.db")
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	var svcs []*hsds.Service
	sample.Services(8, 1, func(s *hsds.Service) error { svcs = append(svcs, s); return nil })
	mustImportServices(t, db, svcs)
	const password = "a long enough curator password"
	hash, _ := auth.HashPassword(password, auth.DefaultParams)
	if err := sqlstore.NewAccountService(db).CreateUser(ctx, "test", &haven.User{Email: "cur@example.org", Role: haven.RoleCurator, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	mine, other := svcs[0], svcs[0]
	for _, s := range svcs {
		if s.OrganizationID != mine.OrganizationID {
			other = s
			break
		}
	}

	smtpd := smtptest.Start(t, smtptest.Plain, "haven", "relay secret")
	var logs syncWriter
	m := &Main{Stdout: io.Discard, Stderr: io.Discard, Stdin: strings.NewReader(""), Logger: slog.New(slog.NewJSONHandler(&logs, nil))}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- m.Run(runCtx, []string{"serve", "--addr", "127.0.0.1:0", "--metrics-addr", "", "--db", dsn, "--search", "sql",
			"--smtp-url", "smtp://haven:relay%20secret@" + smtpd.Addr + "?starttls=off", "--smtp-from", "haven@example.org"})
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	var base string
	for deadline := time.Now().Add(20 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := servingURL.FindStringSubmatch(logs.String()); m != nil {
			base = strings.TrimSuffix(m[1], "/")
		}
	}
	if base == "" {
		t.Fatalf("server did not start:\n%s", logs.String())
	}
	if strings.Contains(logs.String(), "relay secret") {
		t.Error("the SMTP password is in the log")
	}
	client := func() *http.Client {
		jar, _ := cookiejar.New(nil)
		return &http.Client{Jar: jar, Timeout: 20 * time.Second}
	}
	postForm := func(c *http.Client, path string, form url.Values) string {
		t.Helper()
		resp, err := c.PostForm(base+path, form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("POST %s: %d\n%s", path, resp.StatusCode, b)
		}
		return string(b)
	}
	getPage := func(c *http.Client, path string) string {
		t.Helper()
		resp, err := c.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
		return string(b)
	}
	curator := client()
	postForm(curator, "/signin", url.Values{"email": {"cur@example.org"}, "password": {password}})
	postForm(curator, "/admin/organizations/"+mine.OrganizationID+"/providers/invite", url.Values{"email": {"keeper@example.org"}, "locale": {"en"}})
	msgs := smtpd.Wait(1, 10*time.Second)
	if len(msgs) != 1 {
		t.Fatalf("%d messages arrived", len(msgs))
	}
	link := regexp.MustCompile(`http://\S+/invitation\?t=\S+`).FindString(msgs[0].Text())
	if link == "" {
		t.Fatalf("no link in %q", msgs[0].Text())
	}
	u, _ := url.Parse(link)
	keeper := client()
	page := getPage(keeper, u.RequestURI())
	if !strings.Contains(page, "keeper@example.org") {
		t.Fatal("the invitation page does not name the invitee")
	}
	const newPassword = "the keeper's own passphrase"
	postForm(keeper, "/invitation", url.Values{"t": {u.Query().Get("t")}, "password": {newPassword}, "password2": {newPassword}})
	dash := postForm(keeper, "/signin", url.Values{"email": {"keeper@example.org"}, "password": {newPassword}, "next": {"/provider"}})
	if !strings.Contains(dash, "/provider/services/"+mine.ID+"/edit") || strings.Contains(dash, other.ID) {
		t.Error("after sign-in the provider does not see exactly their organization's services")
	}
}
