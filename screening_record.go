package haven

import (
	"context"
	"errors"
	"time"

	"haven/vault"
)

// ScreeningRecord describes a saved screening interview without its
// content: who saved it, when, and the head of its version chain. The
// content (answers, notes, place, names of languages) is sealed, and only
// the author and records supervisors may open it (see MayOpen).
type ScreeningRecord struct {
	ID          string
	AuthorID    string
	AuthorEmail string
	CreatedAt   time.Time
	UpdatedAt   time.Time // when the latest version was saved
	Versions    int       // the head version's number
	HeadHash    string    // the head version's hash, hex SHA-256
	// HeldAt is when a legal hold was placed, zero when the record is not
	// held; HeldBy and HoldReason say by whom and why. A held record can
	// be neither deleted nor purged.
	HeldAt     time.Time
	HeldBy     string
	HoldReason string
}

// Held reports whether the record is under a legal hold.
func (r *ScreeningRecord) Held() bool { return !r.HeldAt.IsZero() }

// MaxScreeningReason is the longest reason, in bytes, for a deletion or a
// legal hold.
const MaxScreeningReason = 500

// MayOpen reports whether u may open the record: its author or a records
// supervisor, and an admin only when the organization allows it
// (adminsRead, off by default: see "haven serve --admins-read-screenings").
func (r *ScreeningRecord) MayOpen(u *User, adminsRead bool) bool {
	return u != nil && !u.Disabled && (u.ID == r.AuthorID || u.Can(RoleRecordsSupervisor) || (adminsRead && u.Role == RoleAdmin))
}

// MaySupervise reports whether u may see every record, place legal holds
// and delete records: records supervisors, and admins only when the
// organization allows it.
func MaySupervise(u *User, adminsRead bool) bool {
	return u.Can(RoleRecordsSupervisor) || (adminsRead && u.Can(RoleAdmin))
}

// MayAmend reports whether u may save a new version: only the author, so
// that every version of an interview is the interviewer's own account.
func (r *ScreeningRecord) MayAmend(u *User) bool {
	return u != nil && !u.Disabled && u.ID == r.AuthorID && u.Can(RoleScreener)
}

// ScreeningSeal makes the version after prev (nil for a new record) of
// record id. It runs inside SaveScreening's transaction, so prev is the
// current head and no other save can slip in between.
type ScreeningSeal func(prev *vault.Version, id string) (vault.Version, error)

// ErrScreeningUnchanged, returned by a ScreeningSeal, makes SaveScreening
// write nothing and return the record as it is.
var ErrScreeningUnchanged = errors.New("screening record unchanged")

// ScreeningRecordService keeps sealed screening records. It sees only
// sealed versions; package vault seals and opens them.
type ScreeningRecordService interface {
	// SaveScreening stores a new version of record id, or a new record when
	// id is "", with the audit line (action, by actor). authorID must be
	// the record's author unless it is "" (key rotation). EINVALID for a
	// new record without an author; ENOTFOUND for an unknown record;
	// EFORBIDDEN when authorID is not the author.
	SaveScreening(ctx context.Context, actor, action, authorID, id string, seal ScreeningSeal) (*ScreeningRecord, error)
	// ListScreenings returns the records of authorID, or of everyone when
	// authorID is "", latest first, at most limit of them.
	ListScreenings(ctx context.Context, authorID string, limit int) ([]*ScreeningRecord, error)
	// FindScreening returns a record and its versions, oldest first, or
	// ENOTFOUND.
	FindScreening(ctx context.Context, id string) (*ScreeningRecord, []vault.Version, error)
	// ScreeningSavedAt returns when each version of record id was saved.
	ScreeningSavedAt(ctx context.Context, id string) (map[int]time.Time, error)
	// LogScreeningAccess writes an audit line for reading a record: action
	// is "view" or "export", field says how ("page", "print", "json",
	// "amend").
	LogScreeningAccess(ctx context.Context, actor, action, id, field string) error
	// ScreeningAccessLog returns who opened or exported record id, and
	// how, newest first: the "view" and "export" lines of the audit trail.
	ScreeningAccessLog(ctx context.Context, id string) ([]*AuditEntry, error)
	// HoldScreening places (hold true) or releases a legal hold on record
	// id, with the reason, and writes the audit line. EINVALID without a
	// reason or with one over MaxScreeningReason bytes; ENOTFOUND for an
	// unknown record; ECONFLICT when the record is already in that state.
	HoldScreening(ctx context.Context, actor, id string, hold bool, reason string) error
	// DeleteScreening deletes record id and every version of it, and
	// writes an audit line naming the record, the actor and the reason,
	// nothing of its content. EINVALID without a reason; ENOTFOUND for an
	// unknown record; ECONFLICT when the record is under a legal hold.
	DeleteScreening(ctx context.Context, actor, id, reason string) error
}
