// Package mail sends Haven's e-mail through an SMTP server named by a URL:
// smtps://user:password@host:465 speaks TLS from the start;
// smtp://user:password@host:587 upgrades with STARTTLS, which it requires
// unless the URL says ?starttls=off (for a relay on the same host or a
// trusted network; a password is then refused except to a loopback host).
package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/smtp"
	"net/url"
	"strings"
	"time"

	"haven"
)

// Sender sends mail through one SMTP server.
type Sender struct {
	host, addr string
	implicit   bool // TLS from the first byte (smtps)
	startTLS   bool // STARTTLS required (smtp)
	user, pass string
	from       string
	// TLSConfig, when set, is used for the server's TLS (tests trust their
	// own certificate with it); by default the system's roots check the
	// server's name.
	TLSConfig *tls.Config
	// Timeout bounds one message's whole conversation (default 30s).
	Timeout time.Duration
}

// Parse reads an SMTP URL (see the package comment) and the address mail
// comes from. Errors name the part of the URL at fault; the password is
// never repeated.
func Parse(rawURL, from string) (*Sender, error) {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		return nil, haven.Errorf(haven.EINVALID, "the SMTP URL cannot be read; write it as smtp://user:password@host:587 or smtps://user:password@host:465")
	}
	s := &Sender{Timeout: 30 * time.Second}
	port := ""
	switch u.Scheme {
	case "smtps":
		s.implicit, port = true, "465"
	case "smtp":
		s.startTLS, port = true, "587"
	default:
		return nil, haven.Errorf(haven.EINVALID, "the SMTP URL's scheme %q is not smtp or smtps", u.Scheme)
	}
	if u.Opaque != "" || u.Hostname() == "" {
		return nil, haven.Errorf(haven.EINVALID, "the SMTP URL names no host; write it as %s://host:port", u.Scheme)
	}
	if u.Path != "" && u.Path != "/" {
		return nil, haven.Errorf(haven.EINVALID, "the SMTP URL has a path (%q); give only scheme, user, password, host and port", u.Path)
	}
	s.host = u.Hostname()
	if p := u.Port(); p != "" {
		port = p
	}
	s.addr = net.JoinHostPort(s.host, port)
	if u.User != nil {
		s.user = u.User.Username()
		s.pass, _ = u.User.Password()
	}
	for k, v := range u.Query() {
		switch {
		case k == "starttls" && len(v) == 1 && v[0] == "off" && u.Scheme == "smtp":
			s.startTLS = false
		case k == "starttls":
			return nil, haven.Errorf(haven.EINVALID, "the SMTP URL's starttls=%q: only starttls=off, with smtp://, is understood", strings.Join(v, ","))
		default:
			return nil, haven.Errorf(haven.EINVALID, "the SMTP URL's parameter %q is not understood (only starttls=off is)", k)
		}
	}
	if s.from, err = haven.NormalizeEmail(from); err != nil {
		return nil, haven.Errorf(haven.EINVALID, "the sender's address %q is not an e-mail address", from)
	}
	return s, nil
}

// String describes the server without its password, for logs.
func (s *Sender) String() string {
	mode := "STARTTLS"
	switch {
	case s.implicit:
		mode = "TLS"
	case !s.startTLS:
		mode = "no TLS"
	}
	return fmt.Sprintf("%s (%s) from %s", s.addr, mode, s.from)
}

// SendMail sends one plain-text message.
func (s *Sender) SendMail(ctx context.Context, m haven.Mail) error {
	to, err := haven.NormalizeEmail(m.To)
	if err != nil {
		return err
	}
	msg := s.compose(to, m)
	ctx, cancel := context.WithTimeout(ctx, s.Timeout)
	defer cancel()
	d := &net.Dialer{}
	conn, err := d.DialContext(ctx, "tcp", s.addr)
	if err != nil {
		return fmt.Errorf("mail: connect to %s: %w", s.addr, err)
	}
	// The deadline covers the whole conversation: a server that stops
	// answering does not hold the request or the job.
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	if s.implicit {
		tc := tls.Client(conn, s.tlsConfig())
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return fmt.Errorf("mail: TLS with %s: %w", s.addr, err)
		}
		conn = tc
	}
	c, err := smtp.NewClient(conn, s.host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("mail: %s: %w", s.addr, err)
	}
	defer c.Close()
	if s.startTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return fmt.Errorf("mail: %s does not offer STARTTLS; use smtps://, or ?starttls=off only for a relay on a trusted network", s.addr)
		}
		if err := c.StartTLS(s.tlsConfig()); err != nil {
			return fmt.Errorf("mail: STARTTLS with %s: %w", s.addr, err)
		}
	}
	if s.user != "" {
		// PlainAuth itself refuses to send the password unencrypted,
		// except to a loopback host.
		if err := c.Auth(smtp.PlainAuth("", s.user, s.pass, s.host)); err != nil {
			return fmt.Errorf("mail: sign in to %s: %w", s.addr, err)
		}
	}
	if err := c.Mail(s.from); err != nil {
		return fmt.Errorf("mail: %s refused the sender: %w", s.addr, err)
	}
	if err := c.Rcpt(to); err != nil {
		return fmt.Errorf("mail: %s refused the recipient: %w", s.addr, err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("mail: %s: %w", s.addr, err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("mail: %s: %w", s.addr, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("mail: %s did not take the message: %w", s.addr, err)
	}
	// The server has the message once Close succeeds: a failed goodbye must
	// not count as a failed send (the caller would cancel what it mailed).
	_ = c.Quit()
	return nil
}

func (s *Sender) tlsConfig() *tls.Config {
	if s.TLSConfig != nil {
		c := s.TLSConfig.Clone()
		if c.ServerName == "" {
			c.ServerName = s.host
		}
		return c
	}
	return &tls.Config{ServerName: s.host, MinVersion: tls.VersionTLS12}
}

// compose writes the message: UTF-8 plain text, quoted-printable so that
// accented letters and long links pass every server unchanged.
func (s *Sender) compose(to string, m haven.Mail) []byte {
	var b bytes.Buffer
	var id [12]byte
	rand.Read(id[:])
	domain := s.from[strings.LastIndexByte(s.from, '@')+1:]
	// A subject is one line: a line break in it would start new headers.
	subject := strings.Join(strings.Fields(m.Subject), " ")
	for _, h := range [][2]string{
		{"From", s.from},
		{"To", to},
		{"Subject", mime.QEncoding.Encode("utf-8", subject)},
		{"Date", time.Now().UTC().Format(time.RFC1123Z)},
		{"Message-ID", "<" + hex.EncodeToString(id[:]) + "@" + domain + ">"},
		{"MIME-Version", "1.0"},
		{"Content-Type", "text/plain; charset=utf-8"},
		{"Content-Transfer-Encoding", "quoted-printable"},
		{"Auto-Submitted", "auto-generated"},
	} {
		b.WriteString(h[0] + ": " + h[1] + "\r\n")
	}
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	qp.Write([]byte(strings.ReplaceAll(m.Body, "\r\n", "\n")))
	qp.Close()
	return b.Bytes()
}
