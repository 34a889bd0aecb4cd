package haven

import (
	"context"
	"time"
)

// AccountService keeps the accounts of people who sign in, and their
// sessions.
type AccountService interface {
	// CreateUser adds an account, audited under actor. EINVALID for a bad
	// e-mail or role; ECONFLICT when the e-mail is taken.
	CreateUser(ctx context.Context, actor string, u *User) error
	// FindUserByEmail returns the account, or ENOTFOUND.
	FindUserByEmail(ctx context.Context, email string) (*User, error)
	// ListUsers returns every account, by e-mail.
	ListUsers(ctx context.Context) ([]*User, error)
	// UpdateUser changes an account's role or disables it, audited;
	// disabling ends every session of the account. EINVALID for an unknown
	// role; ENOTFOUND for an unknown account.
	UpdateUser(ctx context.Context, actor, id, role string, disabled bool) error
	// SetPasswordHash stores a new hash, as when parameters are upgraded at
	// sign-in.
	SetPasswordHash(ctx context.Context, userID, hash string) error

	// CreateSession stores a session under the hash of its token.
	CreateSession(ctx context.Context, s *Session) error
	// SessionUser returns the session with the given token hash and its
	// user; ENOTFOUND for an unknown session, one idle longer than idle or
	// older than absolute, or one whose user is disabled.
	SessionUser(ctx context.Context, tokenHash string, idle, absolute time.Duration) (*Session, *User, error)
	// ListSessions returns a user's sessions, newest first.
	ListSessions(ctx context.Context, userID string) ([]*Session, error)
	// DeleteSession ends a session of the given user; a hash of another
	// user's session is not touched.
	DeleteSession(ctx context.Context, userID, tokenHash string) error
}

// AuditService reads the audit trail, which every change writes in its own
// transaction.
type AuditService interface {
	// AuditTrail returns the audit lines of one record, oldest first, or
	// the latest limit lines of all records when recordType is "".
	AuditTrail(ctx context.Context, recordType, recordID string, limit int) ([]AuditEntry, error)
	// PublishedTrail returns the audit lines of one record that its HSDS
	// metadata publishes, oldest first: all but the capacity counts, which
	// a shelter may change many times a day (their history is the
	// capacity's own).
	PublishedTrail(ctx context.Context, recordType, recordID string) ([]AuditEntry, error)
}
