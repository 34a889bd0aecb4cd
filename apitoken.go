package haven

import (
	"context"
	"time"
)

// APIToken lets a partner's program act for one organization through the
// partner API (/api/v1/partner/), as curators allow: it is created by a
// curator and shown once, kept only hashed, revocable, rate-limited, and
// each use is audited.
type APIToken struct {
	ID, OrganizationID, OrganizationName string
	// Name says whose program uses it, for curators.
	Name                             string
	CreatedBy                        string
	CreatedAt, RevokedAt, LastUsedAt time.Time
}

// Revoked reports whether the token no longer works.
func (t *APIToken) Revoked() bool { return !t.RevokedAt.IsZero() }

// APITokenPrefix begins every partner token, so that a token pasted where
// it should not be is recognised (by secret scanners too).
const APITokenPrefix = "havenpt_"

// APITokenService keeps partners' API tokens.
type APITokenService interface {
	// CreateAPIToken stores a token of an organization under its hash,
	// audited. EINVALID for a name empty or longer than 100 characters;
	// ENOTFOUND for an unknown organization.
	CreateAPIToken(ctx context.Context, actor, orgID, name, tokenHash string) (*APIToken, error)
	// ListAPITokens returns an organization's tokens, newest first,
	// revoked ones included.
	ListAPITokens(ctx context.Context, orgID string) ([]APIToken, error)
	// RevokeAPIToken ends a token of the organization, audited; ENOTFOUND
	// for a token not of that organization.
	RevokeAPIToken(ctx context.Context, actor, orgID, id string) error
	// UseAPIToken returns the live token with the given hash and records
	// its use of route in the audit trail, in one transaction; ENOTFOUND
	// for an unknown or revoked token, alike.
	UseAPIToken(ctx context.Context, tokenHash, route string) (*APIToken, error)
}
