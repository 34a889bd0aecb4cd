package mail_test

import (
	"context"
	"crypto/tls"
	"net/url"
	"strings"
	"testing"
	"time"

	"mime"

	"haven"
	"haven/internal/smtptest"
	"haven/mail"
)

// TestSend sends through a real SMTP server on loopback, in each of the
// ways Haven speaks to one, and reads back what arrived.
func TestSend(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mode   smtptest.Mode
		scheme string
		query  string
		tls    bool
	}{
		{"starttls", smtptest.StartTLS, "smtp", "", true},
		{"implicit tls", smtptest.TLS, "smtps", "", true},
		{"plain relay on loopback", smtptest.Plain, "smtp", "?starttls=off", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := smtptest.Start(t, tc.mode, "haven", "s3cret pass")
			u := url.URL{Scheme: tc.scheme, User: url.UserPassword("haven", "s3cret pass"), Host: srv.Addr}
			s, err := mail.Parse(u.String()+tc.query, "Haven@Example.org")
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(s.String(), "s3cret") {
				t.Errorf("String shows the password: %s", s)
			}
			if srv.Roots != nil {
				s.TLSConfig = &tls.Config{RootCAs: srv.Roots}
			}
			body := "Hola, María:\n\nSu enlace: https://haven.example/invitation/" + strings.Repeat("x", 90) + "=\n"
			if err := s.SendMail(context.Background(), haven.Mail{To: "Maria@Example.org", Subject: "Invitación\r\nBcc: evil@example.org", Body: body}); err != nil {
				t.Fatal(err)
			}
			msgs := srv.Wait(1, 5*time.Second)
			if len(msgs) != 1 {
				t.Fatalf("%d messages arrived", len(msgs))
			}
			m := msgs[0]
			if m.From != "haven@example.org" || len(m.To) != 1 || m.To[0] != "maria@example.org" || m.TLS != tc.tls {
				t.Errorf("envelope: from %q to %q, TLS %v", m.From, m.To, m.TLS)
			}
			h := m.Header()
			if h == nil || h.Get("Bcc") != "" || !strings.Contains(h.Get("Content-Type"), "utf-8") {
				t.Fatalf("header: %v", h)
			}
			if subj, err := new(mimeDecoder).decode(h.Get("Subject")); err != nil || subj != "Invitación Bcc: evil@example.org" {
				t.Errorf("subject %q (%v): a line break must not start a header", subj, err)
			}
			if got := m.Text(); strings.ReplaceAll(got, "\r\n", "\n") != body {
				t.Errorf("body arrived as %q", got)
			}
		})
	}
}

// TestRefusals: a wrong password, a server without STARTTLS when it is
// required, and an untrusted certificate each fail with the reason, and
// nothing arrives.
func TestRefusals(t *testing.T) {
	ctx := context.Background()
	m := haven.Mail{To: "a@example.org", Subject: "s", Body: "b"}
	srv := smtptest.Start(t, smtptest.StartTLS, "haven", "right")
	s, _ := mail.Parse("smtp://haven:wrong@"+srv.Addr, "haven@example.org")
	s.TLSConfig = &tls.Config{RootCAs: srv.Roots}
	if err := s.SendMail(ctx, m); err == nil || !strings.Contains(err.Error(), "sign in") {
		t.Errorf("wrong password: %v", err)
	}
	s, _ = mail.Parse("smtp://haven:right@"+srv.Addr, "haven@example.org")
	if err := s.SendMail(ctx, m); err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Errorf("untrusted certificate: %v", err)
	}
	plain := smtptest.Start(t, smtptest.Plain, "", "")
	s, _ = mail.Parse("smtp://"+plain.Addr, "haven@example.org")
	if err := s.SendMail(ctx, m); err == nil || !strings.Contains(err.Error(), "does not offer STARTTLS") {
		t.Errorf("no STARTTLS: %v", err)
	}
	if err := s.SendMail(ctx, haven.Mail{To: "not an address", Subject: "s", Body: "b"}); haven.ErrorCode(err) != haven.EINVALID {
		t.Errorf("bad recipient: %v", err)
	}
	if n := len(srv.Messages()) + len(plain.Messages()); n != 0 {
		t.Errorf("%d messages arrived", n)
	}
}

func TestParse(t *testing.T) {
	for _, tc := range []struct{ url, from, want string }{
		{"smtp://mail.example.org", "haven@example.org", ""},
		{"smtps://u:p@mail.example.org:2465", "haven@example.org", ""},
		{"http://mail.example.org", "haven@example.org", "scheme"},
		{"smtp://", "haven@example.org", "no host"},
		{"smtp:mail", "haven@example.org", "no host"},
		{"smtp://mail.example.org/x", "haven@example.org", "path"},
		{"smtp://mail.example.org?starttls=maybe", "haven@example.org", "starttls"},
		{"smtps://mail.example.org?starttls=off", "haven@example.org", "starttls"},
		{"smtp://mail.example.org?tls=1", "haven@example.org", "parameter"},
		{"smtp://mail.example.org", "not an address", "sender"},
		{"smtp://u:%zz@mail.example.org", "haven@example.org", "cannot be read"},
	} {
		_, err := mail.Parse(tc.url, tc.from)
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("Parse(%q, %q): %v, want %q", tc.url, tc.from, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "%zz") {
			t.Errorf("the error repeats the password: %v", err)
		}
	}
}

// FuzzParse: any URL is read or refused with an EINVALID error, never a
// panic, and a parsed sender never shows its password.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"smtp://u:p@h:25?starttls=off", "smtps://h", "smtp://[::1]:25", "smtp://u@h/", "smtp://%41", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		s, err := mail.Parse(raw, "haven@example.org")
		if err != nil {
			if haven.ErrorCode(err) != haven.EINVALID {
				t.Fatalf("%q: error without EINVALID: %v", raw, err)
			}
			return
		}
		if u, _ := url.Parse(raw); u != nil && u.User != nil {
			if p, ok := u.User.Password(); ok && len(p) > 3 && strings.Contains(s.String(), p) {
				t.Fatalf("%q: String shows the password", raw)
			}
		}
	})
}

type mimeDecoder struct{}

func (mimeDecoder) decode(s string) (string, error) { return new(mime.WordDecoder).DecodeHeader(s) }
