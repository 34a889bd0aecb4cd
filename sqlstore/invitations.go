package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"haven"
)

// CreateInvitation stores an invitation under the hash of its token.
func (p *ProviderService) CreateInvitation(ctx context.Context, actor string, inv *haven.Invitation, tokenHash string) error {
	email, err := haven.NormalizeEmail(inv.Email)
	if err != nil {
		return err
	}
	if !haven.ValidLocale(inv.Locale) {
		return haven.Errorf(haven.EINVALID, "Unknown language %q: use en or es.", inv.Locale)
	}
	if tokenHash == "" {
		return haven.Errorf(haven.EINVALID, "An invitation needs a token.")
	}
	tx, err := p.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := orgExists(ctx, tx, inv.OrganizationID); err != nil {
		return err
	}
	var role string
	err = tx.QueryRowContext(ctx, `SELECT role FROM users WHERE email = $1`, email).Scan(&role)
	if err == nil && role != haven.RoleProvider {
		// A staff account must not turn into a provider's, nor have its
		// password set through a mailed link.
		return haven.Errorf(haven.ECONFLICT, "%s has a %s's account, not a provider's: invite another address.", email, role)
	} else if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	inv.Email, inv.CreatedBy, inv.CreatedAt = email, actor, tx.now
	if inv.ExpiresAt.IsZero() {
		inv.ExpiresAt = tx.now.Add(haven.InvitationTTL)
	}
	if err := tx.exec(ctx, `INSERT INTO invitations (token_hash, email, organization_id, locale, created_by, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, tokenHash, email, inv.OrganizationID, inv.Locale, actor, formatTime(tx.now), formatTime(inv.ExpiresAt)); err != nil {
		return err
	}
	if err := audit(ctx, tx, actor, "invite", "organization", inv.OrganizationID, "provider", "", email); err != nil {
		return err
	}
	return tx.Commit()
}

// FindInvitation returns an invitation that can still be accepted.
func (p *ProviderService) FindInvitation(ctx context.Context, tokenHash string) (*haven.Invitation, error) {
	tx, err := p.db.BeginTx(ctx, true)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return findInvitation(ctx, tx, tokenHash, true)
}

func findInvitation(ctx context.Context, tx *Tx, tokenHash string, open bool) (*haven.Invitation, error) {
	inv := &haven.Invitation{}
	var created, expires, used string
	err := tx.QueryRowContext(ctx, `SELECT i.email, i.organization_id, o.name, i.locale, i.created_by, i.created_at, i.expires_at, i.used_at
		FROM invitations i JOIN organizations o ON o.id = i.organization_id WHERE i.token_hash = $1`, tokenHash).
		Scan(&inv.Email, &inv.OrganizationID, &inv.OrganizationName, &inv.Locale, &inv.CreatedBy, &created, &expires, &used)
	// Unknown, used and expired read alike: the link does not work.
	gone := haven.Errorf(haven.ENOTFOUND, "This invitation link does not work: it was used already, it expired, or it was copied wrong. Ask for a new one.")
	if errors.Is(err, sql.ErrNoRows) || tokenHash == "" {
		return nil, gone
	} else if err != nil {
		return nil, err
	}
	inv.CreatedAt, inv.ExpiresAt, inv.UsedAt = parseTime(created), parseTime(expires), parseTime(used)
	if open && (used != "" || !tx.now.Before(inv.ExpiresAt)) {
		return nil, gone
	}
	return inv, nil
}

// AcceptInvitation uses an invitation once: it makes or updates the
// provider's account and ties it to the organization.
func (p *ProviderService) AcceptInvitation(ctx context.Context, tokenHash, passwordHash string) (*haven.User, error) {
	tx, err := p.db.BeginTx(ctx, false)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	inv, err := findInvitation(ctx, tx, tokenHash, true)
	if err != nil {
		return nil, err
	}
	// The update is the use: of two acceptances at once, one changes the
	// row and the other finds it used.
	res, err := tx.ExecContext(ctx, `UPDATE invitations SET used_at = $2 WHERE token_hash = $1 AND used_at = ''`, tokenHash, formatTime(tx.now))
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, haven.Errorf(haven.ENOTFOUND, "This invitation link was used already.")
	}
	u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE email = $1`, inv.Email))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		u = &haven.User{ID: newID(), Email: inv.Email, Role: haven.RoleProvider, PasswordHash: passwordHash, CreatedAt: tx.now, Locale: inv.Locale}
		if err := tx.exec(ctx, `INSERT INTO users (id, email, role, password_hash, created_at, locale) VALUES ($1, $2, $3, $4, $5, $6)`,
			u.ID, u.Email, u.Role, u.PasswordHash, formatTime(tx.now), u.Locale); err != nil {
			return nil, err
		}
		if err := audit(ctx, tx, inv.Email, "create", "user", u.ID, "role", "", u.Email+" as "+u.Role+", invited by "+inv.CreatedBy); err != nil {
			return nil, err
		}
	case err != nil:
		return nil, err
	case u.Role != haven.RoleProvider || u.Disabled:
		return nil, haven.Errorf(haven.ECONFLICT, "This address has an account that an invitation cannot change; please ask a curator.")
	default:
		// A provider invited to one more organization: the link also
		// sets their password, and ends their other sign-ins.
		if err := setPassword(ctx, tx, inv.Email, u.ID, passwordHash, "", "set through an invitation"); err != nil {
			return nil, err
		}
		u.PasswordHash = passwordHash
	}
	if err := linkProvider(ctx, tx, inv.Email, u.ID, inv.OrganizationID); err != nil {
		return nil, err
	}
	return u, tx.Commit()
}

// OpenInvitations returns an organization's invitations that can still be
// accepted, newest first.
func (p *ProviderService) OpenInvitations(ctx context.Context, orgID string) ([]haven.Invitation, error) {
	rows, err := p.db.read.QueryContext(ctx, `SELECT email, locale, created_by, created_at, expires_at FROM invitations
		WHERE organization_id = $1 AND used_at = '' AND expires_at > $2 ORDER BY created_at DESC LIMIT 100`, orgID, formatTime(p.db.Now()))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []haven.Invitation
	for rows.Next() {
		inv := haven.Invitation{OrganizationID: orgID}
		var created, expires string
		if err := rows.Scan(&inv.Email, &inv.Locale, &inv.CreatedBy, &created, &expires); err != nil {
			return nil, err
		}
		inv.CreatedAt, inv.ExpiresAt = parseTime(created), parseTime(expires)
		out = append(out, inv)
	}
	return out, rows.Err()
}
