package haven

import "context"

// Mail is one plain-text e-mail message.
type Mail struct {
	To      string
	Subject string
	Body    string
}

// Mailer sends e-mail. Without one configured, Haven sends none: pages
// that would mail a link show it to copy instead.
type Mailer interface {
	// SendMail sends one message; EINVALID for a bad address, and an
	// error without a code when the server refused it or could not be
	// reached.
	SendMail(ctx context.Context, m Mail) error
}
