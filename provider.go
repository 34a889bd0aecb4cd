package haven

import (
	"context"
	"slices"
	"time"
)

// RoleProvider is a person at an organization listed in the directory who
// keeps its own listings current: the services, locations, phones and hours
// of the organizations their account is tied to, and nothing else. No other
// role includes it, and it includes no other.
const RoleProvider = "provider"

// ProviderActor is how the audit trail names a provider who changed a
// listing themselves: "provider:" and their e-mail, so that the history
// tells their changes from curators' and the public API can say who made
// them without naming the person.
func ProviderActor(email string) string { return ProviderActorPrefix + email }

// ProviderActorPrefix begins the audit trail's name of a provider.
const ProviderActorPrefix = "provider:"

// PartnerActor is how the audit trail names a partner's program that
// changed a listing with its API token: "partner:" and the token's name.
func PartnerActor(tokenName string) string { return PartnerActorPrefix + tokenName }

// PartnerActorPrefix begins the audit trail's name of a partner's token.
const PartnerActorPrefix = "partner:"

// ProviderOrganization is an organization a provider speaks for, as their
// dashboard lists it.
type ProviderOrganization struct {
	ID, Name string
	// EditsLive is the curators' choice: the providers' edits go live at
	// once; otherwise they wait in the queue.
	EditsLive bool
	Services  []ProviderListing
	Locations []ProviderListing
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
	// ProviderRecordEditsLive is ProviderMayEdit that, when the provider
	// may edit the record, also reports whether their edits of it go live
	// at once: the choice of the organization SubmitProviderEdit goes by.
	ProviderRecordEditsLive(ctx context.Context, userID, recordType, recordID string) (bool, error)
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
	// OpenInvitations returns an organization's invitations not used and
	// not expired, newest first.
	OpenInvitations(ctx context.Context, orgID string) ([]Invitation, error)
}

// Locales are the languages of Haven's e-mail.
var Locales = []string{"en", "es"}

// ValidLocale reports whether l is one of Locales.
func ValidLocale(l string) bool { return slices.Contains(Locales, l) }

// Yearly re-verification: a year after a provider is tied to an
// organization, and every year after, each of its providers is asked by
// e-mail whether its listings are still correct, and reminded once after
// three weeks without an answer.
const (
	ReverifyEvery       = 365 * 24 * time.Hour
	ReverifyRemindAfter = 21 * 24 * time.Hour
)

// Answers to a re-verification request.
const (
	ReverifyCorrect = "correct"
	ReverifyChanges = "changes"
)

// ReverifyRequest is one request to one provider to confirm an
// organization's listings.
type ReverifyRequest struct {
	ID, OrganizationID, OrganizationName string
	UserID, Email, Locale                string
	SentAt, RemindedAt, AnsweredAt       time.Time
	// Answer is ReverifyCorrect or ReverifyChanges once answered, by
	// AnsweredBy (one provider answers for the organization).
	Answer, AnsweredBy string
	// Services are the organization's services, when a request is read
	// for its page.
	Services []ProviderListing
}

// ReverifyService keeps re-verification requests. The tokens of their
// links are kept only hashed; a request may have two (the first mail's
// and the reminder's).
type ReverifyService interface {
	// DueReverifications returns the requests due now, not yet stored:
	// one per active provider of each organization that has had no request
	// within ReverifyEvery, once the provider has been tied to it that
	// long.
	DueReverifications(ctx context.Context) ([]ReverifyRequest, error)
	// StartReverify stores a request of organization orgID to provider
	// userID with its link's token hash, audited, and returns it.
	StartReverify(ctx context.Context, orgID, userID, tokenHash string) (*ReverifyRequest, error)
	// CancelReverify removes a request whose mail could not be sent, so
	// that the next run tries again.
	CancelReverify(ctx context.Context, id string) error
	// DueReminders returns the unanswered requests sent ReverifyRemindAfter
	// ago or more and not reminded yet.
	DueReminders(ctx context.Context) ([]ReverifyRequest, error)
	// RemindReverify adds the reminder's token hash to a request and
	// records the reminder.
	RemindReverify(ctx context.Context, id, tokenHash string) error
	// FindReverify returns the request a link's token hash opens, with the
	// organization's services; ENOTFOUND for an unknown token.
	FindReverify(ctx context.Context, tokenHash string) (*ReverifyRequest, error)
	// AnswerReverify records an answer, audited under the provider: with
	// ReverifyCorrect every service of the organization, and the
	// organization, are verified today; with ReverifyChanges the text
	// goes to the curators' queue. Either answers every open request of
	// the organization. ENOTFOUND for an unknown token; ECONFLICT when
	// already answered; EINVALID for an unknown answer, or changes empty
	// or longer than 4000 characters.
	AnswerReverify(ctx context.Context, tokenHash, answer, changes string) error
	// OpenReverifications returns the unanswered requests, oldest first.
	OpenReverifications(ctx context.Context) ([]ReverifyRequest, error)
}
