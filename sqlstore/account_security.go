package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"haven"
)

// This file keeps what protects accounts beyond a password: changing it,
// the TOTP second factor with its recovery codes, sign-ins waiting for a
// code, and the setting that requires a second factor.

// findUserTx returns a user inside tx, or ENOTFOUND.
func findUserTx(ctx context.Context, tx *Tx, id string) (*haven.User, error) {
	u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, haven.Errorf(haven.ENOTFOUND, "No such account.")
	}
	return u, err
}

// ChangePassword stores a new password hash for the account and ends its
// sessions, all but keepSession (the token hash of the session that made
// the change, or "" to end every one), audited under actor. Why end them:
// a password is changed when it may be known to someone else, and their
// sessions must not outlive it.
func (a *AccountService) ChangePassword(ctx context.Context, actor, userID, hash, keepSession string) error {
	tx, err := a.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := findUserTx(ctx, tx, userID); err != nil {
		return err
	}
	if err := setPassword(ctx, tx, actor, userID, hash, keepSession, "changed"); err != nil {
		return err
	}
	return tx.Commit()
}

// setPassword stores a new password hash and ends the account's sessions
// but keepSession, and its sign-ins half done with the old password (a
// second factor still to give), audited under actor with how: every way a
// password is set goes through here.
func setPassword(ctx context.Context, tx *Tx, actor, userID, hash, keepSession, how string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $2 WHERE id = $1`, userID, hash); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2`, userID, keepSession); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM signin_challenges WHERE user_id = $1`, userID); err != nil {
		return err
	}
	return audit(ctx, tx, actor, "update", "user", userID, "password", "", how)
}

// SecondFactor returns the account's second factor; one with nothing set
// when the account has none.
func (a *AccountService) SecondFactor(ctx context.Context, userID string) (*haven.SecondFactor, error) {
	f := &haven.SecondFactor{UserID: userID}
	var enabled string
	err := a.db.write.QueryRowContext(ctx, `SELECT secret, pending, enabled_at, last_step FROM user_totp WHERE user_id = $1`, userID).
		Scan(&f.Secret, &f.Pending, &enabled, &f.LastStep)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	f.EnabledAt = parseTime(enabled)
	if err := a.db.write.QueryRowContext(ctx, `SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at = ''`, userID).
		Scan(&f.RecoveryLeft); err != nil {
		return nil, err
	}
	return f, nil
}

// SetPendingSecondFactor keeps a sealed secret being enrolled, replacing
// any earlier one, until a code confirms it. An enabled factor stays as it
// is meanwhile.
func (a *AccountService) SetPendingSecondFactor(ctx context.Context, userID, sealed string) error {
	_, err := a.db.write.ExecContext(ctx, `INSERT INTO user_totp (user_id, pending) VALUES ($1, $2)
		ON CONFLICT (user_id) DO UPDATE SET pending = excluded.pending`, userID, sealed)
	return err
}

// EnableSecondFactor turns the pending secret on, with step as the step
// already used (the code that confirmed it) and recoveryHashes replacing
// any earlier recovery codes, audited. It is ECONFLICT when the pending
// secret is no longer pending, as when two tabs confirm at once.
func (a *AccountService) EnableSecondFactor(ctx context.Context, actor, userID, pending string, step int64, recoveryHashes []string) error {
	tx, err := a.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE user_totp SET secret = pending, pending = '', enabled_at = $3, last_step = $4
		WHERE user_id = $1 AND pending = $2 AND pending <> ''`, userID, pending, formatTime(tx.now), step)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return haven.Errorf(haven.ECONFLICT, "This set-up has expired. Please start again.")
	}
	if err := replaceRecoveryCodes(ctx, tx, userID, recoveryHashes); err != nil {
		return err
	}
	if err := audit(ctx, tx, actor, "update", "user", userID, "second factor", "off", "on"); err != nil {
		return err
	}
	return tx.Commit()
}

func replaceRecoveryCodes(ctx context.Context, tx *Tx, userID string, hashes []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, userID); err != nil {
		return err
	}
	for _, h := range hashes {
		if _, err := tx.ExecContext(ctx, `INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)`, userID, h); err != nil {
			return err
		}
	}
	return nil
}

// UseTOTPStep records that the account's code for step was used, and
// reports false when that step (or a later one) was used already. It is
// one conditional UPDATE, so two servers given the same code at once
// accept it only once.
func (a *AccountService) UseTOTPStep(ctx context.Context, userID string, step int64) (bool, error) {
	res, err := a.db.write.ExecContext(ctx, `UPDATE user_totp SET last_step = $2 WHERE user_id = $1 AND secret <> '' AND last_step < $2`, userID, step)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ResealSecondFactor replaces the account's sealed secret old with new (the
// same secret under the current key, after a rotation); a secret changed
// meanwhile is left alone.
func (a *AccountService) ResealSecondFactor(ctx context.Context, userID, old, new string) error {
	_, err := a.db.write.ExecContext(ctx, `UPDATE user_totp SET secret = $3 WHERE user_id = $1 AND secret = $2`, userID, old, new)
	return err
}

// SecondFactorUsers returns the ids of the accounts with a second factor
// on, for the accounts page.
func (a *AccountService) SecondFactorUsers(ctx context.Context) (map[string]bool, error) {
	rows, err := a.db.read.QueryContext(ctx, `SELECT user_id FROM user_totp WHERE secret <> ''`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

// UseRecoveryCode spends one of the account's recovery codes, by hash, and
// reports false when it is not one or was spent already; audited.
func (a *AccountService) UseRecoveryCode(ctx context.Context, actor, userID, hash string) (bool, error) {
	if hash == "" {
		return false, nil
	}
	tx, err := a.db.BeginTx(ctx, false)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at = ''`,
		userID, hash, formatTime(tx.now))
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return false, err
	}
	if err := audit(ctx, tx, actor, "sign-in", "user", userID, "recovery code", "", "used"); err != nil {
		return false, err
	}
	return true, tx.Commit()
}

// ResetSecondFactor removes the account's second factor and recovery codes,
// audited; with endSessions it also ends every session, as when an admin
// reports a lost phone that may be in someone else's hands. ENOTFOUND when
// there is no such account.
func (a *AccountService) ResetSecondFactor(ctx context.Context, actor, userID string, endSessions bool) error {
	tx, err := a.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := findUserTx(ctx, tx, userID); err != nil {
		return err
	}
	var had int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM user_totp WHERE user_id = $1 AND secret <> ''`, userID).Scan(&had); err != nil {
		return err
	}
	for _, q := range []string{`DELETE FROM user_totp WHERE user_id = $1`, `DELETE FROM recovery_codes WHERE user_id = $1`,
		`DELETE FROM signin_challenges WHERE user_id = $1`} {
		if _, err := tx.ExecContext(ctx, q, userID); err != nil {
			return err
		}
	}
	if endSessions {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
			return err
		}
	}
	if err := audit(ctx, tx, actor, "update", "user", userID, "second factor", boolText(had > 0), "off"); err != nil {
		return err
	}
	return tx.Commit()
}

// CreateSigninChallenge keeps a sign-in whose password was right, under
// the hash of the token its browser holds, until its code comes.
func (a *AccountService) CreateSigninChallenge(ctx context.Context, tokenHash, userID, next string) error {
	now := a.db.Now()
	// Old challenges are cleared as new ones come: they are few.
	if _, err := a.db.write.ExecContext(ctx, `DELETE FROM signin_challenges WHERE created_at < $1`, formatTime(now.Add(-time.Hour))); err != nil {
		return err
	}
	_, err := a.db.write.ExecContext(ctx, `INSERT INTO signin_challenges (token_hash, user_id, created_at, next) VALUES ($1, $2, $3, $4)`,
		tokenHash, userID, formatTime(now), truncateText(next, 2000))
	return err
}

// SigninChallenge returns the user and next page of a waiting sign-in, or
// ENOTFOUND when there is none or it is older than maxAge or has failed
// maxFailures times.
func (a *AccountService) SigninChallenge(ctx context.Context, tokenHash string, maxAge time.Duration, maxFailures int) (*haven.User, string, error) {
	var userID, created, next string
	var failures int
	err := a.db.write.QueryRowContext(ctx, `SELECT user_id, created_at, next, failures FROM signin_challenges WHERE token_hash = $1`, tokenHash).
		Scan(&userID, &created, &next, &failures)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", haven.Errorf(haven.ENOTFOUND, "No such sign-in.")
	} else if err != nil {
		return nil, "", err
	}
	if a.db.Now().Sub(parseTime(created)) > maxAge || failures >= maxFailures {
		a.db.write.ExecContext(ctx, `DELETE FROM signin_challenges WHERE token_hash = $1`, tokenHash)
		return nil, "", haven.Errorf(haven.ENOTFOUND, "The sign-in has expired.")
	}
	u, err := scanUser(a.db.write.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, userID))
	if err != nil || u.Disabled {
		return nil, "", haven.Errorf(haven.ENOTFOUND, "No such sign-in.")
	}
	return u, next, nil
}

// FailSigninChallenge counts a wrong code against a waiting sign-in.
func (a *AccountService) FailSigninChallenge(ctx context.Context, tokenHash string) error {
	_, err := a.db.write.ExecContext(ctx, `UPDATE signin_challenges SET failures = failures + 1 WHERE token_hash = $1`, tokenHash)
	return err
}

// DeleteSigninChallenge ends a waiting sign-in.
func (a *AccountService) DeleteSigninChallenge(ctx context.Context, tokenHash string) error {
	_, err := a.db.write.ExecContext(ctx, `DELETE FROM signin_challenges WHERE token_hash = $1`, tokenHash)
	return err
}

// SecondFactorRequired reports whether admins and screeners must have a
// second factor.
func (a *AccountService) SecondFactorRequired(ctx context.Context) (bool, error) {
	v, err := a.db.Setting(ctx, haven.SettingSecondFactorRequired)
	return v == "yes", err
}

// SetSecondFactorRequired turns the requirement on or off, audited.
func (a *AccountService) SetSecondFactorRequired(ctx context.Context, actor string, on bool) error {
	tx, err := a.db.BeginTx(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var before string
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE((SELECT value FROM settings WHERE key = $1), '')`,
		haven.SettingSecondFactorRequired).Scan(&before); err != nil {
		return err
	}
	after := ""
	if on {
		after = "yes"
	}
	if before == after {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
		haven.SettingSecondFactorRequired, after); err != nil {
		return err
	}
	if err := audit(ctx, tx, actor, "update", "setting", haven.SettingSecondFactorRequired, "value", boolText(before == "yes"), boolText(on)); err != nil {
		return err
	}
	return tx.Commit()
}
