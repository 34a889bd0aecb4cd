package haven

import "time"

// ScreeningRecord describes a saved screening interview without its
// content: who saved it, when, and the head of its version chain. The
// content (answers, notes, place, names of languages) is sealed, and only
// the author and admins may open it.
type ScreeningRecord struct {
	ID          string
	AuthorID    string
	AuthorEmail string
	CreatedAt   time.Time
	UpdatedAt   time.Time // when the latest version was saved
	Versions    int       // the head version's number
	HeadHash    string    // the head version's hash, hex SHA-256
}

// MayOpen reports whether u may open the record: its author, or an admin.
func (r *ScreeningRecord) MayOpen(u *User) bool {
	return u != nil && !u.Disabled && (u.ID == r.AuthorID || u.Role == RoleAdmin)
}

// MayAmend reports whether u may save a new version: only the author, so
// that every version of an interview is the interviewer's own account.
func (r *ScreeningRecord) MayAmend(u *User) bool {
	return u != nil && !u.Disabled && u.ID == r.AuthorID && u.Can(RoleScreener)
}
