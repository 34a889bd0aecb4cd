package haven

import (
	"context"
	"time"
)

// RoleProvider is a person at an organization listed in the directory who
// keeps its own listings current: the services, locations, phones and hours
// of the organizations their account is tied to, and nothing else. No other
// role includes it, and it includes no other.
const RoleProvider = "provider"

// ProviderOrganization is an organization a provider speaks for, as their
// dashboard lists it.
type ProviderOrganization struct {
	ID, Name string
	// EditsLive is the curators' choice: the providers' edits go live at
	// once; otherwise they wait in the queue.
	EditsLive bool
	Services  []ProviderListing
	Locations []ProviderListing
	// Pending counts the provider edits of this organization waiting for a
	// curator.
	Pending int
}

// ProviderListing names a service or a location on a provider's dashboard.
// Confidential locations are edited by curators only: their address is shown
// to staff alone.
type ProviderListing struct {
	ID, Name, Status, LastVerified string
	Confidential                   bool
}

// ProviderLink is a provider account tied to an organization, as curators
// see it.
type ProviderLink struct {
	UserID, Email string
	Since         time.Time
	Disabled      bool
}

// ProviderEditLive and ProviderEditQueued say what became of a provider's
// edit.
const (
	ProviderEditLive   = "live"
	ProviderEditQueued = "queued"
)

// ProviderService ties provider accounts to organizations and takes their
// edits.
type ProviderService interface {
	// LinkProvider ties a provider account to an organization, audited.
	// EINVALID when the account is not a provider's; ENOTFOUND for an
	// unknown account or organization.
	LinkProvider(ctx context.Context, actor, userID, orgID string) error
	// UnlinkProvider unties them, audited; untying what is not tied does
	// nothing.
	UnlinkProvider(ctx context.Context, actor, userID, orgID string) error
	// ProviderOrganizations returns the organizations a provider speaks
	// for, by name, with their services and locations.
	ProviderOrganizations(ctx context.Context, userID string) ([]ProviderOrganization, error)
	// OrganizationProviders returns the providers tied to an organization,
	// by e-mail.
	OrganizationProviders(ctx context.Context, orgID string) ([]ProviderLink, error)
	// SetProviderEditsLive records the curators' choice for an
	// organization, audited; ENOTFOUND for an unknown organization.
	SetProviderEditsLive(ctx context.Context, actor, orgID string, live bool) error
	// ProviderEditsLive reports the choice for an organization.
	ProviderEditsLive(ctx context.Context, orgID string) (bool, error)
	// ProviderMayEdit returns nil when the provider may edit the record
	// (recordType service, location or organization) and ENOTFOUND
	// otherwise, the same for a record of another organization as for one
	// that does not exist, so that nothing is learnt of others' data; a
	// confidential location is EFORBIDDEN.
	ProviderMayEdit(ctx context.Context, userID, recordType, recordID string) error
	// SubmitProviderEdit checks a provider's edit (changes in the text
	// forms of package listing) and, in one transaction, applies it audited
	// under the provider's e-mail when the organization's edits go live, or
	// queues the changed fields as a suggestion of kind "provider". It
	// returns ProviderEditLive or ProviderEditQueued, or "" when nothing
	// changed. ENOTFOUND and EFORBIDDEN as ProviderMayEdit; EINVALID for a
	// bad value.
	SubmitProviderEdit(ctx context.Context, user *User, recordType, recordID string, changes map[string]string) (string, error)
	// PendingProviderEdits returns the edits a provider (by e-mail) sent
	// that wait for a curator, oldest first.
	PendingProviderEdits(ctx context.Context, email string) ([]*Suggestion, error)
}

// Invitation asks a person, by e-mail, to become a provider of an
// organization. Its link carries a token the store keeps only hashed; it
// works once, until ExpiresAt.
type Invitation struct {
	Email          string
	OrganizationID string
	// OrganizationName is filled when an invitation is read.
	OrganizationName string
	Locale           string // en or es: the language of its e-mail and page
	CreatedBy        string
	CreatedAt        time.Time
	ExpiresAt        time.Time
	UsedAt           time.Time
}

// InvitationTTL is how long an invitation's link works.
const InvitationTTL = 7 * 24 * time.Hour

// InvitationService keeps invitations.
type InvitationService interface {
	// CreateInvitation stores an invitation under the hash of its token,
	// audited under actor. EINVALID for a bad e-mail or locale; ENOTFOUND
	// for an unknown organization; ECONFLICT when the address belongs to
	// an account that is not a provider's.
	CreateInvitation(ctx context.Context, actor string, inv *Invitation, tokenHash string) error
	// FindInvitation returns an invitation that can still be accepted;
	// ENOTFOUND for an unknown, used or expired one, alike.
	FindInvitation(ctx context.Context, tokenHash string) (*Invitation, error)
	// AcceptInvitation uses an invitation once, in one transaction: it
	// creates the provider's account with the password hash (or sets the
	// password of the provider account the address already has) and ties
	// it to the organization, audited. ENOTFOUND as FindInvitation.
	AcceptInvitation(ctx context.Context, tokenHash, passwordHash string) (*User, error)
}

// Locales are the languages of Haven's e-mail.
var Locales = []string{"en", "es"}

// ValidLocale reports whether l is one of Locales.
func ValidLocale(l string) bool { return l == "en" || l == "es" }
