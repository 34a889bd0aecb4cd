package auth

import (
	_ "embed"
	"errors"
	"strings"
	"unicode/utf8"
)

// MinPasswordRunes is the minimum password length, in characters (runes,
// not bytes, so that a password in any script is judged by what was typed).
//
// Why 12 and no composition rules (digits, symbols, …): NIST SP 800-63B
// finds length and a blocklist of common passwords do far more than
// composition rules, which mostly produce "Password1!".
const MinPasswordRunes = 12

// Errors returned by CheckPasswordPolicy. Their messages are English
// sentences meant to be shown to the person choosing the password.
var (
	ErrPolicyEmpty      = errors.New("Please choose a password.")
	ErrPolicyEncoding   = errors.New("The password contains characters that could not be read. Please type it again.")
	ErrPolicyTooLong    = errors.New("This password is too long. Please choose a shorter one.")
	ErrPolicyTooShort   = errors.New("Please use at least 12 characters. A few unrelated words make a strong password that is easy to remember.")
	ErrPolicyOneChar    = errors.New("Please do not use the same character over and over.")
	ErrPolicyRepetitive = errors.New("Please do not repeat a short pattern over and over.")
	ErrPolicyCommon     = errors.New("This password is one of the most common ones and would be guessed quickly. Please choose another.")
)

//go:embed common_passwords.txt
var commonPasswordsText string

// commonPasswords holds the lower-cased entries of common_passwords.txt.
var commonPasswords = parseCommonPasswords(commonPasswordsText)

func parseCommonPasswords(text string) map[string]struct{} {
	m := make(map[string]struct{})
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		m[strings.ToLower(line)] = struct{}{}
	}
	return m
}

// CheckPasswordPolicy reports whether pw is acceptable as a new password,
// returning nil or one of the ErrPolicy… errors, whose message can be shown
// as is. It requires at least 12 characters and at most MaxPasswordBytes
// bytes, rejects a character or short pattern (up to 4 characters) repeated
// throughout, and rejects passwords from a built-in list of the most common
// ones (compared case-insensitively).
//
// Call it when a password is set or changed, never at sign-in: an account
// whose password predates a stricter policy must still be able to sign in.
func CheckPasswordPolicy(pw string) error {
	switch {
	case pw == "":
		return ErrPolicyEmpty
	case !utf8.ValidString(pw):
		return ErrPolicyEncoding
	case len(pw) > MaxPasswordBytes:
		return ErrPolicyTooLong
	case utf8.RuneCountInString(pw) < MinPasswordRunes:
		return ErrPolicyTooShort
	}
	lower := strings.ToLower(pw)
	runes := []rune(lower)
	if repeatsUnit(runes, 1) {
		return ErrPolicyOneChar
	}
	for unit := 2; unit <= 4; unit++ {
		if repeatsUnit(runes, unit) {
			return ErrPolicyRepetitive
		}
	}
	if _, ok := commonPasswords[strings.TrimSpace(lower)]; ok {
		return ErrPolicyCommon
	}
	return nil
}

// repeatsUnit reports whether r is its first n runes repeated (a partial
// repetition at the end counts, so "abcabcabcabca" is repetitive too).
func repeatsUnit(r []rune, n int) bool {
	if len(r) <= n {
		return false
	}
	for i := n; i < len(r); i++ {
		if r[i] != r[i-n] {
			return false
		}
	}
	return true
}
