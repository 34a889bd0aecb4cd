package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/hex"
	"image"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	"github.com/pquerna/otp/totp"
)

// TOTP (RFC 6238) second factor: 6 digits, 30-second steps, SHA-1, the
// settings every authenticator app understands.
const (
	totpPeriod = 30
	// totpSkew is how many steps either side of now are accepted, for
	// phones whose clocks drift and people who type slowly.
	totpSkew = 1
)

// NewTOTPKey returns a new random secret (160 bits, as RFC 4226
// recommends) for account at issuer, with its otpauth:// URI for
// authenticator apps.
func NewTOTPKey(issuer, account string) (secret, uri string, err error) {
	k, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, Period: totpPeriod,
		Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return "", "", err
	}
	return k.Secret(), k.URL(), nil
}

// TOTPURI returns the otpauth:// URI of a secret made by NewTOTPKey.
func TOTPURI(issuer, account, secret string) string {
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
	if err != nil {
		return ""
	}
	k, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, Period: totpPeriod,
		Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1, Secret: raw})
	if err != nil {
		return ""
	}
	return k.URL()
}

// TOTPImage returns a QR code of uri, size pixels square, drawn here: no
// other site ever sees the secret.
func TOTPImage(uri string, size int) (image.Image, error) {
	k, err := otp.NewKeyFromURL(uri)
	if err != nil {
		return nil, err
	}
	return k.Image(size, size)
}

// TOTPStep returns the time step t falls in.
func TOTPStep(t time.Time) int64 { return t.Unix() / totpPeriod }

// TOTPCode returns the code of secret for the step t falls in.
func TOTPCode(secret string, t time.Time) (string, error) {
	return hotp.GenerateCodeCustom(secret, uint64(TOTPStep(t)), hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
}

// VerifyTOTP reports whether code is secret's code for a step within
// totpSkew of now and later than lastStep, and which step it matched. The
// caller stores that step and passes it as lastStep next time, so a code
// seen by someone looking over a shoulder cannot be used again.
func VerifyTOTP(secret, code string, now time.Time, lastStep int64) (step int64, ok bool) {
	code = strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, strings.TrimSpace(code))
	if len(code) != 6 {
		return 0, false
	}
	cur := TOTPStep(now)
	for s := cur - totpSkew; s <= cur+totpSkew; s++ {
		if s <= lastStep || s < 0 {
			continue
		}
		want, err := hotp.GenerateCodeCustom(secret, uint64(s), hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}

// RecoveryCodeCount is how many recovery codes a person gets.
const RecoveryCodeCount = 10

// recoveryAlphabet leaves out 0/O and 1/I/L, which are easy to misread.
const recoveryAlphabet = "23456789abcdefghjkmnpqrstuvwxyz"

// NewRecoveryCodes returns RecoveryCodeCount one-time codes, each 16
// characters from a 31-letter alphabet (79 bits) written in groups of four.
//
// Why 79 bits: the database keeps only their SHA-256 (RecoveryCodeHash),
// unsalted like session tokens, which is safe only because nobody can try
// 2^79 guesses against a stolen copy.
func NewRecoveryCodes() []string {
	codes := make([]string, RecoveryCodeCount)
	for i := range codes {
		var b strings.Builder
		for j := range 16 {
			if j > 0 && j%4 == 0 {
				b.WriteByte('-')
			}
			b.WriteByte(recoveryAlphabet[randIndex(len(recoveryAlphabet))])
		}
		codes[i] = b.String()
	}
	return codes
}

// randIndex returns a uniform random number in [0, n), n < 256.
func randIndex(n int) int {
	limit := 256 - 256%n // reject the top values, or the low letters come up more often
	var b [1]byte
	for {
		_, _ = rand.Read(b[:]) // never fails; see HashPassword
		if int(b[0]) < limit {
			return int(b[0]) % n
		}
	}
}

// RecoveryCodeHash returns the hash the database keeps of a recovery code,
// after ignoring case, spaces and dashes, so the code may be typed as
// printed or not. It returns "" for what cannot be a code.
func RecoveryCodeHash(code string) string {
	c := strings.Map(func(r rune) rune {
		switch {
		case r == ' ' || r == '-':
			return -1
		case 'A' <= r && r <= 'Z':
			return r + 'a' - 'A'
		}
		return r
	}, code)
	if len(c) != 16 {
		return ""
	}
	for i := 0; i < len(c); i++ {
		if !strings.ContainsRune(recoveryAlphabet, rune(c[i])) {
			return ""
		}
	}
	sum := sha256.Sum256([]byte("haven/recovery/v1\x00" + c))
	return hex.EncodeToString(sum[:])
}
