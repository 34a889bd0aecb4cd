// Package auth holds Haven's account-security primitives: argon2id password
// hashing in the PHC string format, a password policy, session tokens that
// are stored only as hashes, an in-memory rate limiter, the sign-in
// throttle, and TOTP and recovery codes for a second factor.
//
// The package does no I/O and keeps no global state beyond read-only tables,
// so it can be used from HTTP handlers, the command line and tests alike.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are the argon2id cost parameters, as stored in every hash string.
type Params struct {
	Memory  uint32 // memory in KiB (the PHC "m" parameter)
	Time    uint32 // number of passes over memory (the PHC "t" parameter)
	Threads uint8  // degree of parallelism (the PHC "p" parameter)
	SaltLen uint32 // salt length in bytes
	KeyLen  uint32 // derived key (hash) length in bytes
}

// DefaultParams are the parameters for new hashes: 64 MiB, 3 passes, 2 lanes.
//
// Why: argon2id with at least 19 MiB and 2 passes is the OWASP Password
// Storage Cheat Sheet minimum; 64 MiB / 3 passes is the RFC 9106 "second
// recommended option" scaled to 2 lanes, costing roughly 0.1-0.2 s on a
// server core, which is affordable for sign-ins and expensive for an
// attacker who steals the database. A 16-byte salt and 32-byte key are the
// RFC 9106 recommendations.
var DefaultParams = Params{Memory: 64 * 1024, Time: 3, Threads: 2, SaltLen: 16, KeyLen: 32}

// Limits on hashes and passwords. The upper bounds are there so that a
// tampered or corrupt hash string cannot make the server allocate or compute
// without bound; the lower bounds reject hashes too weak to be meaningful.
const (
	// MaxPasswordBytes bounds the password length, because argon2 hashes the
	// whole password and an unbounded input is a cheap denial of service.
	MaxPasswordBytes = 1024

	maxMemoryKiB   = 4 * 1024 * 1024 // 4 GiB
	maxTime        = 100
	minSaltLen     = 8 // the argon2 specification's minimum
	maxSaltLen     = 256
	minKeyLen      = 16
	maxKeyLen      = 256
	maxEncodedLen  = 1024
	argon2idPrefix = "argon2id"
	argon2Version  = 19 // argon2.Version (0x13)
)

// Errors returned by HashPassword and VerifyPassword. Errors about a malformed
// hash string wrap ErrInvalidHash, so callers can test with errors.Is.
var (
	ErrEmptyPassword   = errors.New("password is empty")
	ErrPasswordTooLong = errors.New("password too long")
	ErrInvalidHash     = errors.New("invalid password hash")
	ErrInvalidParams   = errors.New("invalid argon2id parameters")
)

// HashPassword hashes password with argon2id and a fresh random salt, and
// returns it in the PHC string format used by the reference implementation
// and libsodium:
//
//	$argon2id$v=19$m=65536,t=3,p=2$<salt>$<hash>
//
// with salt and hash in standard base64 without padding. The parameters
// travel with the hash, so they can be raised later without invalidating
// existing accounts (see VerifyPassword's needsRehash).
func HashPassword(password string, p Params) (string, error) {
	if err := checkPasswordLength(password); err != nil {
		return "", err
	}
	if err := p.validate(); err != nil {
		return "", err
	}
	salt := make([]byte, p.SaltLen)
	// crypto/rand.Read never fails (since Go 1.24 it crashes the program
	// rather than return weak randomness), so the error needs no handling.
	_, _ = rand.Read(salt)
	key := deriveKey(password, salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return encodeHash(p, salt, key), nil
}

// VerifyPassword reports whether password matches the encoded hash.
//
// The derived keys are compared in constant time, so response timing reveals
// nothing about how much of a guess was right. needsRehash is true when the
// password matched but the stored hash used parameters other than p (memory,
// time, threads, salt or key length): the caller should then store a fresh
// HashPassword(password, p), upgrading the hash on this sign-in while the
// plain password is at hand. needsRehash is always false when ok is false.
//
// err is non-nil when the password is empty or too long, or the hash string
// is malformed or has absurd parameters; ok is then false. It never panics.
func VerifyPassword(password, encoded string, p Params) (ok bool, needsRehash bool, err error) {
	if err := checkPasswordLength(password); err != nil {
		return false, false, err
	}
	h, err := decodeHash(encoded)
	if err != nil {
		return false, false, err
	}
	key := deriveKey(password, h.salt, h.params.Time, h.params.Memory, h.params.Threads, h.params.KeyLen)
	if subtle.ConstantTimeCompare(key, h.key) != 1 {
		return false, false, nil
	}
	return true, h.params != p, nil
}

// dummyKey is what DummyVerify compares against, so that it does the same
// work as VerifyPassword, comparison included.
var dummyKey = make([]byte, maxKeyLen)

// DummyVerify spends the same time as a VerifyPassword of a hash made with p.
// Call it when a sign-in names an account that does not exist, so that the
// response time does not reveal which accounts exist (the e-mail address of
// a screener or curator is itself sensitive here).
//
// It mirrors VerifyPassword exactly, including returning at once for an
// empty or overlong password (which VerifyPassword rejects before hashing,
// for every account alike). If p is invalid, DefaultParams are used rather
// than panicking. Hashes stored with older, cheaper parameters verify faster
// than DummyVerify; upgrading them through needsRehash closes that gap.
func DummyVerify(password string, p Params) {
	if checkPasswordLength(password) != nil {
		return
	}
	if p.validate() != nil {
		p = DefaultParams
	}
	salt := make([]byte, p.SaltLen)
	key := deriveKey(password, salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	_ = subtle.ConstantTimeCompare(key, dummyKey[:p.KeyLen])
}

// deriveKey runs argon2id; a variable so that a test can see the work each
// caller asks for (DummyVerify must ask for exactly what VerifyPassword does).
var deriveKey = argon2idKey

// argon2idKey runs argon2id, wiping its private copy of the password after.
func argon2idKey(password string, salt []byte, time, memory uint32, threads uint8, keyLen uint32) []byte {
	pw := []byte(password)
	defer clear(pw)
	return argon2.IDKey(pw, salt, time, memory, threads, keyLen)
}

func checkPasswordLength(password string) error {
	if password == "" {
		return ErrEmptyPassword
	}
	if len(password) > MaxPasswordBytes {
		return ErrPasswordTooLong
	}
	return nil
}

// validate checks parameters against the same bounds decodeHash enforces,
// so that HashPassword never produces a hash VerifyPassword would refuse.
func (p Params) validate() error {
	return checkParams(uint64(p.Memory), uint64(p.Time), uint64(p.Threads), uint64(p.SaltLen), uint64(p.KeyLen))
}

func checkParams(memory, time, threads, saltLen, keyLen uint64) error {
	switch {
	case threads < 1 || threads > 255:
		return fmt.Errorf("%w: parallelism %d out of range 1-255", ErrInvalidParams, threads)
	case memory < 8*threads:
		// argon2 needs at least 8 KiB per lane; the reference implementation
		// rejects less rather than silently rounding up as x/crypto does.
		return fmt.Errorf("%w: memory %d KiB below 8 KiB per lane", ErrInvalidParams, memory)
	case memory > maxMemoryKiB:
		return fmt.Errorf("%w: memory %d KiB above 4 GiB", ErrInvalidParams, memory)
	case time < 1 || time > maxTime:
		return fmt.Errorf("%w: time %d out of range 1-%d", ErrInvalidParams, time, maxTime)
	case saltLen < minSaltLen || saltLen > maxSaltLen:
		return fmt.Errorf("%w: salt length %d out of range %d-%d", ErrInvalidParams, saltLen, minSaltLen, maxSaltLen)
	case keyLen < minKeyLen || keyLen > maxKeyLen:
		return fmt.Errorf("%w: key length %d out of range %d-%d", ErrInvalidParams, keyLen, minKeyLen, maxKeyLen)
	}
	return nil
}

// b64 is the PHC encoding: standard alphabet, no padding. Strict rejects
// non-zero trailing bits, so each hash has exactly one valid spelling.
var b64 = base64.RawStdEncoding.Strict()

func encodeHash(p Params, salt, key []byte) string {
	return fmt.Sprintf("$%s$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2idPrefix, argon2Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// decodeB64 decodes PHC base64. It first checks the alphabet itself, since
// encoding/base64 silently skips CR and LF even in Strict mode.
func decodeB64(s string) ([]byte, error) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/') {
			return nil, errors.New("not base64")
		}
	}
	return b64.DecodeString(s)
}

type decodedHash struct {
	params Params
	salt   []byte
	key    []byte
}

// decodeHash parses a PHC argon2id string strictly: exactly the fields
// $argon2id$v=19$m=M,t=T,p=P$salt$hash in that order, canonical decimal
// numbers, canonical unpadded base64, and parameters within bounds. Being
// strict means a corrupt or tampered hash fails loudly instead of being
// half-understood.
func decodeHash(encoded string) (decodedHash, error) {
	var h decodedHash
	if len(encoded) > maxEncodedLen {
		return h, fmt.Errorf("%w: longer than %d bytes", ErrInvalidHash, maxEncodedLen)
	}
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" {
		return h, fmt.Errorf("%w: not of the form $argon2id$v=19$m=,t=,p=$salt$hash", ErrInvalidHash)
	}
	if parts[1] != argon2idPrefix {
		return h, fmt.Errorf("%w: algorithm %q is not argon2id", ErrInvalidHash, parts[1])
	}
	v, ok := strings.CutPrefix(parts[2], "v=")
	if !ok {
		return h, fmt.Errorf("%w: missing version", ErrInvalidHash)
	}
	version, err := parseDecimal(v)
	if err != nil || version != argon2Version {
		return h, fmt.Errorf("%w: version %q is not 19", ErrInvalidHash, v)
	}
	fields := strings.Split(parts[3], ",")
	if len(fields) != 3 {
		return h, fmt.Errorf("%w: parameters must be m=,t=,p=", ErrInvalidHash)
	}
	var nums [3]uint64
	for i, name := range [3]string{"m=", "t=", "p="} {
		s, ok := strings.CutPrefix(fields[i], name)
		if !ok {
			return h, fmt.Errorf("%w: parameters must be m=,t=,p= in that order", ErrInvalidHash)
		}
		if nums[i], err = parseDecimal(s); err != nil {
			return h, fmt.Errorf("%w: parameter %s%q: %v", ErrInvalidHash, name, s, err)
		}
	}
	salt, err := decodeB64(parts[4])
	if err != nil {
		return h, fmt.Errorf("%w: salt is not unpadded base64", ErrInvalidHash)
	}
	key, err := decodeB64(parts[5])
	if err != nil {
		return h, fmt.Errorf("%w: hash is not unpadded base64", ErrInvalidHash)
	}
	if err := checkParams(nums[0], nums[1], nums[2], uint64(len(salt)), uint64(len(key))); err != nil {
		return h, fmt.Errorf("%w: %w", ErrInvalidHash, err)
	}
	h.params = Params{
		Memory:  uint32(nums[0]),
		Time:    uint32(nums[1]),
		Threads: uint8(nums[2]),
		SaltLen: uint32(len(salt)),
		KeyLen:  uint32(len(key)),
	}
	h.salt, h.key = salt, key
	return h, nil
}

// parseDecimal accepts only canonical unsigned decimals: digits, no sign, no
// leading zeros, at most 10 digits (so the value always fits in a uint64).
func parseDecimal(s string) (uint64, error) {
	if s == "" || len(s) > 10 {
		return 0, errors.New("not a decimal number of 1-10 digits")
	}
	if len(s) > 1 && s[0] == '0' {
		return 0, errors.New("leading zero")
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, errors.New("not a decimal number")
		}
	}
	return strconv.ParseUint(s, 10, 64)
}
