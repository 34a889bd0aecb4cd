package haven

import (
	"net/mail"
	"strings"
	"time"
)

// Roles. Admins manage users and do all a curator does; curators edit the
// library and the directory; screeners use the screening tool; records
// supervisors screen too, and read, hold and delete everyone's saved
// screening records; providers keep their own organizations' listings
// current (see RoleProvider). Anonymous visitors only read.
const (
	RoleAdmin             = "admin"
	RoleCurator           = "curator"
	RoleScreener          = "screener"
	RoleRecordsSupervisor = "records-supervisor"
)

// Roles lists the roles in order of power.
var Roles = []string{RoleAdmin, RoleCurator, RoleRecordsSupervisor, RoleScreener, RoleProvider}

// User is a person who signs in.
type User struct {
	ID           string
	Email        string
	Role         string
	PasswordHash string
	CreatedAt    time.Time
	Disabled     bool
	// Locale is the language Haven writes to the person in: en or es.
	Locale string
}

// Can reports whether the user holds role, or one that includes it: an
// admin can do what a curator or a screener can, and a records supervisor
// what a screener can. No other role includes the records supervisor's:
// running the site does not entitle anyone to read what victims said (see
// ScreeningRecord.MayOpen for the one exception an organization may allow).
func (u *User) Can(role string) bool {
	if u == nil || u.Disabled {
		return false
	}
	switch {
	case u.Role == role:
		return true
	case role == RoleRecordsSupervisor, role == RoleProvider:
		// Speaking for an organization is a tie, not a power: staff do
		// not hold it.
		return false
	case u.Role == RoleRecordsSupervisor:
		return role == RoleScreener
	}
	return u.Role == RoleAdmin
}

// Landing is where the user goes after signing in, when no page was asked
// for: the place their role works from.
func (u *User) Landing() string {
	if u.Can(RoleCurator) {
		return "/admin"
	}
	if u.Can(RoleScreener) {
		return "/screening/records"
	}
	if u.Can(RoleProvider) {
		return "/provider"
	}
	return "/account"
}

// NormalizeEmail lower-cases and checks an e-mail address.
func NormalizeEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > 254 {
		return "", Errorf(EINVALID, "%q is not an e-mail address.", s)
	}
	return s, nil
}

// ValidRole reports whether r is a role.
func ValidRole(r string) bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// Session is one signed-in browser.
type Session struct {
	TokenHash  string
	UserID     string
	CreatedAt  time.Time
	LastSeenAt time.Time
	UserAgent  string
}

// AuditEntry is one line of the audit trail: who changed what, when, from
// what to what.
type AuditEntry struct {
	ID         int64
	At         time.Time
	Actor      string
	Action     string
	RecordType string
	RecordID   string
	Field      string
	Before     string
	After      string
	// SuggestionID is the suggestion whose acceptance made the change.
	SuggestionID string
	// Undoes is the line this change undid, or 0.
	Undoes int64
}

// Suggestion is what a member of the public reports or proposes, waiting
// for a curator.
type Suggestion struct {
	ID         string
	CreatedAt  time.Time
	RecordType string // resource, service, organization; "" for a new listing
	RecordID   string
	Kind       string // phone, address, hours, website, closed, other, new; upstream from a feed
	// Field is the service field an upstream suggestion would change.
	Field      string
	Body       string
	NewValue   string
	Contact    string // only when the visitor offered it
	Status     string // pending, accepted, rejected
	ResolvedBy string
	// Changes are a provider's edit (kind SuggestionProvider): the fields
	// it changes, in the text forms of package listing; SubmittedBy is
	// the provider's e-mail.
	Changes     map[string]string
	SubmittedBy string
}

// SuggestionProvider is the kind of a provider's edit waiting for a
// curator. Visitors cannot send it: it is not among SuggestionKinds.
const SuggestionProvider = "provider"

// SuggestionKinds are what a suggestion can be about.
var SuggestionKinds = []string{"phone", "address", "hours", "website", "closed", "other", "new"}
