package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// TokenBytes is the number of random bytes in a session token: 256 bits, far
// beyond guessing range however many sessions exist.
const TokenBytes = 32

// maxTokenLen bounds what HashToken will hash. A real token is 43 characters;
// anything much longer is not one of ours and is not worth hashing.
const maxTokenLen = 128

// NewToken returns a new session token and its hash.
//
// The token (32 bytes from crypto/rand, base64 URL encoding without padding,
// so it is cookie- and URL-safe) goes to the client and is never stored. The
// hash (hex SHA-256 of the token) is what the database keeps and looks up:
// why, a leaked database or backup then holds no usable session. A plain,
// unsalted hash suffices because the token has 256 bits of entropy, unlike a
// password.
func NewToken() (token string, hash string) {
	b := make([]byte, TokenBytes)
	_, _ = rand.Read(b) // never fails; see HashPassword
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken returns the hex SHA-256 of token, for looking up a session
// presented by a client. It returns "" for an empty token or one longer than
// 128 characters, which cannot be a token NewToken made; callers must treat
// "" as "no session" and never look it up.
func HashToken(token string) string {
	if token == "" || len(token) > maxTokenLen {
		return ""
	}
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// keyedHashHexLen is KeyedHash's output length: 32 hex digits, 128 bits.
const keyedHashHexLen = 32

// KeyedHash returns HMAC-SHA-256 of s under secret, in hex, truncated to 32
// hex digits (128 bits, plenty for a map key).
//
// Why: rate limiters and logs need a stable key per client address or
// e-mail, but Haven must not keep client addresses of people who may be
// victims. A keyed hash under a per-process secret (NewSecret) cannot be
// reversed by trying all IPv4 addresses, as a plain hash could, and becomes
// meaningless once the process exits.
func KeyedHash(secret []byte, s string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(s))
	return hex.EncodeToString(m.Sum(nil))[:keyedHashHexLen]
}

// NewSecret returns 32 random bytes, a key for KeyedHash. Make one per
// process at start-up and keep it only in memory.
func NewSecret() []byte {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails; see HashPassword
	return b
}
