package haven

import "context"

// Confidential locations (a shelter's street address, kept secret so that
// traffickers cannot find the survivors in it) are shown in full only to
// staff. The directory's reads redact them unless the context says the
// reader is staff: a new route, a new export or a forgotten caller gets the
// redacted view by default, never the secret one.

type staffViewKey struct{}

// WithStaffView returns a context under which the directory's reads return
// confidential locations in full. Give it only to requests of curators and
// admins, and to operators' commands that ask for it.
func WithStaffView(ctx context.Context) context.Context {
	return context.WithValue(ctx, staffViewKey{}, true)
}

// StaffView reports whether ctx came from WithStaffView.
func StaffView(ctx context.Context) bool {
	v, _ := ctx.Value(staffViewKey{}).(bool)
	return v
}

// WithoutStaffView returns a context under which the directory's reads
// redact confidential locations even for staff: for what is handed to
// others, such as a referral sheet.
func WithoutStaffView(ctx context.Context) context.Context {
	return context.WithValue(ctx, staffViewKey{}, false)
}

// ExposedService is a service that looks like a shelter or another place
// whose address may need to stay secret (by its category or its name), at
// a location not marked confidential: a curator reviews each one, since
// Haven never guesses.
type ExposedService struct {
	ID, Name, LocationID, LocationName string
}
