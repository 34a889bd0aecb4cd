package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"unicode/utf8"

	"haven"
)

const apiTokenColumns = `t.id, t.organization_id, o.name, t.name, t.created_by, t.created_at, t.revoked_at, t.last_used_at`

func scanAPIToken(row interface{ Scan(...any) error }) (*haven.APIToken, error) {
	t := &haven.APIToken{}
	var created, revoked, used string
	if err := row.Scan(&t.ID, &t.OrganizationID, &t.OrganizationName, &t.Name, &t.CreatedBy, &created, &revoked, &used); err != nil {
		return nil, err
	}
	t.CreatedAt, t.RevokedAt, t.LastUsedAt = parseTime(created), parseTime(revoked), parseTime(used)
	return t, nil
}

// CreateAPIToken stores a partner's token under its hash.
func (p *ProviderService) CreateAPIToken(ctx context.Context, actor, orgID, name, tokenHash string) (*haven.APIToken, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return nil, haven.Errorf(haven.EINVALID, "Give the token a name: whose program will use it.")
	case utf8.RuneCountInString(name) > 100:
		return nil, haven.Errorf(haven.EINVALID, "A token's name is 100 characters at most.")
	case tokenHash == "":
		return nil, haven.Errorf(haven.EINVALID, "A token needs its hash.")
	}
	tx, err := p.db.BeginTx(ctx, false)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if err := orgExists(ctx, tx, orgID); err != nil {
		return nil, err
	}
	id := newID()
	if err := tx.exec(ctx, `INSERT INTO api_tokens (id, organization_id, name, token_hash, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		id, orgID, name, tokenHash, actor, formatTime(tx.now)); err != nil {
		return nil, err
	}
	if err := audit(ctx, tx, actor, "create", "api_token", id, "organization", "", orgID+" ("+name+")"); err != nil {
		return nil, err
	}
	t, err := scanAPIToken(tx.QueryRowContext(ctx, `SELECT `+apiTokenColumns+` FROM api_tokens t JOIN organizations o ON o.id = t.organization_id WHERE t.id = $1`, id))
	if err != nil {
		return nil, err
	}
	return t, tx.Commit()
}

// ListAPITokens returns an organization's tokens, newest first.
func (p *ProviderService) ListAPITokens(ctx context.Context, orgID string) ([]haven.APIToken, error) {
	return queryAll(ctx, p.db.read, values(scanAPIToken), `SELECT `+apiTokenColumns+` FROM api_tokens t JOIN organizations o ON o.id = t.organization_id
		WHERE t.organization_id = $1 ORDER BY t.created_at DESC, t.id LIMIT 200`, orgID)
}

// RevokeAPIToken ends a token of the organization.
func (p *ProviderService) RevokeAPIToken(ctx context.Context, actor, orgID, id string) error {
	tx, err := p.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var revoked string
	err = tx.QueryRowContext(ctx, `SELECT revoked_at FROM api_tokens WHERE id = $1 AND organization_id = $2`, id, orgID).Scan(&revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return haven.Errorf(haven.ENOTFOUND, "This organization has no such token.")
	} else if err != nil || revoked != "" {
		return err
	}
	if err := tx.exec(ctx, `UPDATE api_tokens SET revoked_at = $2 WHERE id = $1`, id, formatTime(tx.now)); err != nil {
		return err
	}
	if err := audit(ctx, tx, actor, "revoke", "api_token", id, "revoked", "", formatTime(tx.now)); err != nil {
		return err
	}
	return tx.Commit()
}

// UseAPIToken returns a live token and audits its use.
func (p *ProviderService) UseAPIToken(ctx context.Context, tokenHash, route string) (*haven.APIToken, error) {
	unknown := haven.Errorf(haven.ENOTFOUND, "This token is not known or was revoked.")
	if tokenHash == "" {
		return nil, unknown
	}
	// Made-up tokens are answered from a read, without the write lock
	// (SQLite has one writer): a flood of them holds up no edit.
	const q = `SELECT ` + apiTokenColumns + ` FROM api_tokens t JOIN organizations o ON o.id = t.organization_id WHERE t.token_hash = $1`
	t, err := scanAPIToken(p.db.read.QueryRowContext(ctx, q, tokenHash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, unknown
	} else if err != nil {
		return nil, err
	}
	if t.Revoked() {
		return nil, unknown
	}
	tx, err := p.db.BeginTx(ctx, false)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	// Again in the transaction: it may have been revoked since.
	if t, err = scanAPIToken(tx.QueryRowContext(ctx, q, tokenHash)); errors.Is(err, sql.ErrNoRows) {
		return nil, unknown
	} else if err != nil {
		return nil, err
	}
	if t.Revoked() {
		return nil, unknown
	}
	if err := tx.exec(ctx, `UPDATE api_tokens SET last_used_at = $2 WHERE id = $1`, t.ID, formatTime(tx.now)); err != nil {
		return nil, err
	}
	if err := audit(ctx, tx, "token:"+t.ID, "api", "api_token", t.ID, "route", "", route); err != nil {
		return nil, err
	}
	t.LastUsedAt = tx.now
	return t, tx.Commit()
}
