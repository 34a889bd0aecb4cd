package haven

import "time"

// SecondFactor is a user's TOTP second factor. The secrets are sealed with
// the server's secret key before they reach the database.
type SecondFactor struct {
	UserID       string
	Secret       string // sealed; "" until enabled
	Pending      string // sealed secret being enrolled; "" when none
	EnabledAt    time.Time
	LastStep     int64 // the TOTP time step last used, never accepted again
	RecoveryLeft int   // unused recovery codes
}

// Enabled reports whether sign-in asks for a code.
func (f *SecondFactor) Enabled() bool { return f != nil && f.Secret != "" }

// SettingSecondFactorRequired is the site setting ("yes" or "") that makes
// admins and screeners enrol a second factor before they reach any staff
// page.
const SettingSecondFactorRequired = "second_factor_required"

// SecondFactorRequiredFor reports whether the setting applies to role:
// admins manage accounts and screeners read interviews, the two roles
// whose stolen password would do most harm.
func SecondFactorRequiredFor(role string) bool { return role == RoleAdmin || role == RoleScreener }
