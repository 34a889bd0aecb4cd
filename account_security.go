package haven

import (
	"context"
	"time"
)

// AccountSecurityService protects accounts beyond a password: changing it,
// the TOTP second factor with its recovery codes, sign-ins waiting for a
// code, and the setting that requires a second factor. Secrets come to it
// sealed (see SecondFactor); it never sees them in the clear. Each change
// is audited under actor.
type AccountSecurityService interface {
	// ChangePassword stores a new password hash and ends the account's
	// sessions, all but keepSession (the token hash of the session that
	// made the change, or "" to end every one), and its waiting sign-ins.
	// ENOTFOUND for an unknown account.
	ChangePassword(ctx context.Context, actor, userID, hash, keepSession string) error

	// SecondFactor returns the account's second factor; one with nothing
	// set when the account has none.
	SecondFactor(ctx context.Context, userID string) (*SecondFactor, error)
	// SecondFactorUsers returns the ids of the accounts with a second
	// factor on.
	SecondFactorUsers(ctx context.Context) (map[string]bool, error)
	// SetPendingSecondFactor keeps a sealed secret being enrolled, replacing
	// any earlier one, until a code confirms it; an enabled factor stays
	// as it is meanwhile.
	SetPendingSecondFactor(ctx context.Context, userID, sealed string) error
	// EnableSecondFactor turns the pending secret on, with step as the
	// TOTP time step already used and recoveryHashes replacing any earlier
	// recovery codes. ECONFLICT when pending is no longer the pending
	// secret, as when two tabs confirm at once.
	EnableSecondFactor(ctx context.Context, actor, userID, pending string, step int64, recoveryHashes []string) error
	// UseTOTPStep records that the code of step was used, and reports
	// false when that step or a later one was used already: a code is
	// accepted once, even by two servers at the same moment.
	UseTOTPStep(ctx context.Context, userID string, step int64) (bool, error)
	// UseRecoveryCode spends one recovery code, by hash, and reports false
	// when it is not one of the account's or was spent already.
	UseRecoveryCode(ctx context.Context, actor, userID, hash string) (bool, error)
	// ResealSecondFactor replaces the sealed secret old with new (the same
	// secret under the current key); a secret changed meanwhile is left
	// alone.
	ResealSecondFactor(ctx context.Context, userID, old, new string) error
	// ResetSecondFactor removes the account's second factor, recovery
	// codes and waiting sign-ins; with endSessions, every session too.
	// ENOTFOUND for an unknown account.
	ResetSecondFactor(ctx context.Context, actor, userID string, endSessions bool) error

	// CreateSigninChallenge keeps a sign-in whose password was right, under
	// the hash of its token, until its code comes.
	CreateSigninChallenge(ctx context.Context, tokenHash, userID, next string) error
	// SigninChallenge returns the user and return address of a waiting
	// sign-in; ENOTFOUND when there is none, it is older than maxAge, it
	// failed maxFailures times, or its account is disabled.
	SigninChallenge(ctx context.Context, tokenHash string, maxAge time.Duration, maxFailures int) (*User, string, error)
	// FailSigninChallenge counts a wrong code against a waiting sign-in.
	FailSigninChallenge(ctx context.Context, tokenHash string) error
	// DeleteSigninChallenge ends a waiting sign-in.
	DeleteSigninChallenge(ctx context.Context, tokenHash string) error

	// SecondFactorRequired reports whether admins and screeners must have a
	// second factor (SettingSecondFactorRequired).
	SecondFactorRequired(ctx context.Context) (bool, error)
	// SetSecondFactorRequired turns that requirement on or off.
	SetSecondFactorRequired(ctx context.Context, actor string, on bool) error
}
