package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"time"

	"haven"
)

// newID returns a random UUID (version 4) as text.
func newID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// CreateUser adds an account; ECONFLICT when the e-mail is taken. The
// creation is audited under actor.
func (a *AccountService) CreateUser(ctx context.Context, actor string, u *haven.User) error {
	email, err := haven.NormalizeEmail(u.Email)
	if err != nil {
		return err
	}
	if !haven.ValidRole(u.Role) {
		return haven.Errorf(haven.EINVALID, "Unknown role %q: use admin, curator, records-supervisor, screener or provider.", u.Role)
	}
	tx, err := a.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE email = $1`, email).Scan(&n); err != nil {
		return err
	} else if n > 0 {
		return haven.Errorf(haven.ECONFLICT, "An account for %s already exists.", email)
	}
	if u.Locale == "" {
		u.Locale = "en"
	} else if !haven.ValidLocale(u.Locale) {
		return haven.Errorf(haven.EINVALID, "Unknown language %q: use en or es.", u.Locale)
	}
	u.ID, u.Email, u.CreatedAt = newID(), email, tx.now
	if _, err := tx.ExecContext(ctx, `INSERT INTO users (id, email, role, password_hash, created_at, locale) VALUES ($1, $2, $3, $4, $5, $6)`,
		u.ID, u.Email, u.Role, u.PasswordHash, formatTime(tx.now), u.Locale); err != nil {
		return err
	}
	if err := audit(ctx, tx, actor, "create", "user", u.ID, "role", "", u.Email+" as "+u.Role); err != nil {
		return err
	}
	return tx.Commit()
}

const userColumns = `id, email, role, password_hash, created_at, disabled_at, locale`

func scanUser(row interface{ Scan(...any) error }) (*haven.User, error) {
	u := &haven.User{}
	var created, disabled string
	if err := row.Scan(&u.ID, &u.Email, &u.Role, &u.PasswordHash, &created, &disabled, &u.Locale); err != nil {
		return nil, err
	}
	u.CreatedAt, u.Disabled = parseTime(created), disabled != ""
	return u, nil
}

// FindUserByEmail returns the account, or ENOTFOUND.
func (a *AccountService) FindUserByEmail(ctx context.Context, email string) (*haven.User, error) {
	u, err := scanUser(a.db.read.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE email = $1`, email))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, haven.Errorf(haven.ENOTFOUND, "No such account.")
	}
	return u, err
}

// ListUsers returns every account, by e-mail.
func (a *AccountService) ListUsers(ctx context.Context) ([]*haven.User, error) {
	rows, err := a.db.read.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY email`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*haven.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// SetPasswordHash stores a new hash, as when parameters are upgraded at
// sign-in.
func (a *AccountService) SetPasswordHash(ctx context.Context, userID, hash string) error {
	_, err := a.db.write.ExecContext(ctx, `UPDATE users SET password_hash = $2 WHERE id = $1`, userID, hash)
	return err
}

// CreateSession stores a session under the hash of its token.
func (a *AccountService) CreateSession(ctx context.Context, s *haven.Session) error {
	tx, err := a.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	s.CreatedAt, s.LastSeenAt = tx.now, tx.now
	if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, user_agent) VALUES ($1, $2, $3, $4, $5)`,
		s.TokenHash, s.UserID, formatTime(tx.now), formatTime(tx.now), truncateText(s.UserAgent, 200)); err != nil {
		return err
	}
	return tx.Commit()
}

func truncateText(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// SessionUser returns the session with the given token hash and its user,
// refusing (ENOTFOUND) a session idle longer than idle or older than
// absolute, or whose user is disabled. It records the visit, at most once a
// minute, so a busy session does not write on every request.
func (a *AccountService) SessionUser(ctx context.Context, tokenHash string, idle, absolute time.Duration) (*haven.Session, *haven.User, error) {
	s := &haven.Session{TokenHash: tokenHash}
	var created, seen string
	err := a.db.write.QueryRowContext(ctx, `SELECT user_id, created_at, last_seen_at, user_agent FROM sessions WHERE token_hash = $1`, tokenHash).
		Scan(&s.UserID, &created, &seen, &s.UserAgent)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, haven.Errorf(haven.ENOTFOUND, "No such session.")
	} else if err != nil {
		return nil, nil, err
	}
	s.CreatedAt, s.LastSeenAt = parseTime(created), parseTime(seen)
	now := a.db.Now()
	if now.Sub(s.LastSeenAt) > idle || now.Sub(s.CreatedAt) > absolute {
		a.db.write.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, tokenHash)
		return nil, nil, haven.Errorf(haven.ENOTFOUND, "The session has expired.")
	}
	u, err := scanUser(a.db.write.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, s.UserID))
	if err != nil || u.Disabled {
		return nil, nil, haven.Errorf(haven.ENOTFOUND, "No such session.")
	}
	if now.Sub(s.LastSeenAt) > time.Minute {
		a.db.write.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1`, tokenHash, formatTime(now))
	}
	return s, u, nil
}

// ListSessions returns a user's sessions, newest first.
func (a *AccountService) ListSessions(ctx context.Context, userID string) ([]*haven.Session, error) {
	rows, err := a.db.write.QueryContext(ctx, `SELECT token_hash, created_at, last_seen_at, user_agent FROM sessions WHERE user_id = $1 ORDER BY created_at DESC`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*haven.Session
	for rows.Next() {
		s := &haven.Session{UserID: userID}
		var created, seen string
		if err := rows.Scan(&s.TokenHash, &created, &seen, &s.UserAgent); err != nil {
			return nil, err
		}
		s.CreatedAt, s.LastSeenAt = parseTime(created), parseTime(seen)
		out = append(out, s)
	}
	return out, rows.Err()
}

// DeleteSession ends a session of the given user (signing out, or revoking
// another device). A hash of another user's session is not touched.
func (a *AccountService) DeleteSession(ctx context.Context, userID, tokenHash string) error {
	_, err := a.db.write.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1 AND user_id = $2`, tokenHash, userID)
	return err
}

// audit appends one line to the audit trail inside the caller's
// transaction, so the change and its record stand or fall together. There
// is deliberately no function that updates or deletes the trail.
func audit(ctx context.Context, tx *Tx, actor, action, recordType, recordID, field, before, after string) error {
	link := auditLinkOf(ctx)
	if link.undoes != 0 && action == "update" {
		action = "undo"
	}
	return tx.exec(ctx, `INSERT INTO audit_log (at, actor, action, record_type, record_id, field, before, after, suggestion_id, undoes)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		formatTime(tx.now), actor, action, recordType, recordID, field, before, after, link.suggestion, link.undoes)
}

// AuditTrail returns the audit lines of one record, oldest first, or the
// latest limit lines of all records when recordType is "".
// PublishedTrail is haven.AuditService's: the record's lines but the
// capacity counts, left out by the query, not after reading them.
func (a *AuditService) PublishedTrail(ctx context.Context, recordType, recordID string) ([]haven.AuditEntry, error) {
	return queryAll(ctx, a.db.read, scanAudit, `SELECT `+auditColumns+` FROM audit_log
		WHERE record_type = $1 AND record_id = $2 AND action <> $3 ORDER BY id`, recordType, recordID, capacityAction)
}

func (a *AuditService) AuditTrail(ctx context.Context, recordType, recordID string, limit int) ([]haven.AuditEntry, error) {
	q := `SELECT ` + auditColumns + ` FROM audit_log
		WHERE record_type = $1 AND record_id = $2 ORDER BY id`
	args := []any{recordType, recordID}
	if recordType == "" {
		q = `SELECT ` + auditColumns + ` FROM audit_log ORDER BY id DESC LIMIT $1`
		args = []any{limit}
	}
	rows, err := a.db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []haven.AuditEntry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// UpdateUser changes an account's role or disables it, audited. Disabling
// ends every session of the account at once.
func (a *AccountService) UpdateUser(ctx context.Context, actor, id, role string, disabled bool) error {
	if !haven.ValidRole(role) {
		return haven.Errorf(haven.EINVALID, "Unknown role %q.", role)
	}
	tx, err := a.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return haven.Errorf(haven.ENOTFOUND, "No such account.")
	} else if err != nil {
		return err
	}
	if u.Role != role {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET role = $2 WHERE id = $1`, id, role); err != nil {
			return err
		}
		if err := audit(ctx, tx, actor, "update", "user", id, "role", u.Role, role); err != nil {
			return err
		}
	}
	if u.Disabled != disabled {
		at := ""
		if disabled {
			at = formatTime(tx.now)
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, id); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled_at = $2 WHERE id = $1`, id, at); err != nil {
			return err
		}
		if err := audit(ctx, tx, actor, "update", "user", id, "disabled", boolText(u.Disabled), boolText(disabled)); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func boolText(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
