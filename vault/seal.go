package vault

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
)

const (
	nonceSize = 12 // the standard GCM nonce: 96 bits
	tagSize   = 16 // the standard GCM tag: 128 bits

	// sealedPrefix starts every encoded sealed value, so the format can
	// change later without guessing what an old row holds.
	sealedPrefix = "v1"
)

// b64 is the alphabet of encoded sealed values: URL-safe, so it never
// contains the "." separator, unpadded, and strict, so each value has exactly
// one encoding.
var b64 = base64.RawURLEncoding.Strict()

var (
	// ErrUnknownKey means the value was sealed with a key that is not in the
	// keyring: the key file lacks an old key, or the ID was altered.
	ErrUnknownKey = errors.New("vault: sealed with a key that is not in the keyring")

	// ErrTampered means authentication failed: the ciphertext, nonce or key
	// ID was modified, the value was moved to another record or version, or
	// the associated data given to Open differs from the one given to Seal.
	ErrTampered = errors.New("vault: sealed data failed authentication (modified, moved, or opened with the wrong associated data)")

	// ErrMalformed is wrapped by DecodeSealed errors.
	ErrMalformed = errors.New("vault: malformed sealed value")
)

// Sealed is one value encrypted with AES-256-GCM under the key named KeyID.
// Ciphertext includes the 16-byte authentication tag.
type Sealed struct {
	KeyID      string
	Nonce      []byte
	Ciphertext []byte
}

// appendField appends f to b, preceded by its length as 8 big-endian bytes.
// Length-prefixing every field makes the encoding injective: the fields "ab",
// "c" and "a", "bc" encode differently.
func appendField[T string | []byte](b []byte, f T) []byte {
	b = binary.BigEndian.AppendUint64(b, uint64(len(f)))
	return append(b, f...)
}

// gcmAD is the associated data actually given to GCM: a domain-separation
// label, the key ID and the caller's associated data, each length-prefixed.
func gcmAD(keyID string, ad []byte) []byte {
	b := appendField(nil, "haven/vault/seal/v1")
	b = appendField(b, keyID)
	return appendField(b, ad)
}

// Seal encrypts plaintext with the current key and a fresh random nonce.
// associatedData is authenticated but not encrypted or stored: Open must be
// given the same bytes, so it should identify where the value belongs (see
// VersionAD), which stops a ciphertext from being moved elsewhere.
func (k *Keyring) Seal(plaintext, associatedData []byte) (Sealed, error) {
	if k == nil || k.current == nil {
		return Sealed{}, errors.New("vault: Seal with an empty keyring")
	}
	nonce := make([]byte, nonceSize)
	_, _ = rand.Read(nonce) // crypto/rand.Read never fails; it crashes the program instead
	return k.current.seal(nonce, plaintext, associatedData), nil
}

func (r *ringKey) seal(nonce, plaintext, ad []byte) Sealed {
	return Sealed{
		KeyID:      r.id,
		Nonce:      nonce,
		Ciphertext: r.aead.Seal(nil, nonce, plaintext, gcmAD(r.id, ad)),
	}
}

// Open decrypts s, returning an error wrapping ErrUnknownKey if no key in the
// ring has s.KeyID, or ErrTampered if authentication fails.
func (k *Keyring) Open(s Sealed, associatedData []byte) ([]byte, error) {
	pt, _, err := k.open(s, associatedData)
	return pt, err
}

// open also returns the key that opened s.
func (k *Keyring) open(s Sealed, ad []byte) ([]byte, *ringKey, error) {
	if k == nil {
		return nil, nil, errors.New("vault: Open with an empty keyring")
	}
	keys := k.byID[s.KeyID]
	if len(keys) == 0 {
		return nil, nil, fmt.Errorf("%w (key ID %q)", ErrUnknownKey, s.KeyID)
	}
	if len(s.Nonce) != nonceSize || len(s.Ciphertext) < tagSize {
		return nil, nil, ErrTampered // and cipher.AEAD.Open panics on a bad nonce size
	}
	// Almost always one key; two only if distinct keys share a 32-bit ID.
	for _, rk := range keys {
		if pt, err := rk.aead.Open(nil, s.Nonce, s.Ciphertext, gcmAD(rk.id, ad)); err == nil {
			return pt, rk, nil
		}
	}
	return nil, nil, ErrTampered
}

// Reseal opens s with whichever key sealed it and, unless that is already
// the current key, seals the plaintext again with the current key and the
// same associated data. The bool reports whether the value changed. Values
// already under the current key are still opened, so a rotation pass over
// all records doubles as an integrity check.
//
// Storing the result: prefer writing it as a new version of the record's
// chain, with the reason ("key rotation") in Meta, so the rotation is itself
// tamper-evident history; since a version's associated data includes its
// number and previous hash, use RotateVersion for that. Updating a value in
// place is possible where the associated data does not change, but it
// rewrites history, so record the reason somewhere the database cannot edit.
func (k *Keyring) Reseal(s Sealed, ad []byte) (Sealed, bool, error) {
	return k.reseal(s, ad, ad)
}

func (k *Keyring) reseal(s Sealed, oldAD, newAD []byte) (Sealed, bool, error) {
	pt, rk, err := k.open(s, oldAD)
	if err != nil {
		return Sealed{}, false, err
	}
	defer clear(pt)
	if rk == k.current {
		return s, false, nil
	}
	ns, err := k.Seal(pt, newAD)
	if err != nil {
		return Sealed{}, false, err
	}
	return ns, true, nil
}

// Encode returns s in the compact text form "v1.<key id>.<nonce>.<ciphertext>",
// with nonce and ciphertext in unpadded URL-safe base64, for a TEXT column.
func (s Sealed) Encode() string {
	var b strings.Builder
	b.Grow(len(sealedPrefix) + len(s.KeyID) + 3 + b64.EncodedLen(len(s.Nonce)) + b64.EncodedLen(len(s.Ciphertext)))
	b.WriteString(sealedPrefix)
	b.WriteByte('.')
	b.WriteString(s.KeyID)
	b.WriteByte('.')
	b.WriteString(b64.EncodeToString(s.Nonce))
	b.WriteByte('.')
	b.WriteString(b64.EncodeToString(s.Ciphertext))
	return b.String()
}

// DecodeSealed parses the form written by Encode. It accepts only the exact
// output of Encode (one encoding per value), a 12-byte nonce and a
// ciphertext at least as long as the tag; errors wrap ErrMalformed and never
// quote the input, which might be plaintext stored by mistake.
func DecodeSealed(text string) (Sealed, error) {
	parts := strings.Split(text, ".")
	if len(parts) != 4 {
		return Sealed{}, fmt.Errorf("%w: want 4 dot-separated parts, got %d", ErrMalformed, len(parts))
	}
	if parts[0] != sealedPrefix {
		return Sealed{}, fmt.Errorf("%w: unsupported format (want %s)", ErrMalformed, sealedPrefix)
	}
	if len(parts[1]) != keyIDLen || !isLowerHex(parts[1]) {
		return Sealed{}, fmt.Errorf("%w: bad key ID", ErrMalformed)
	}
	nonce, err := b64.DecodeString(parts[2])
	if err != nil || len(nonce) != nonceSize {
		return Sealed{}, fmt.Errorf("%w: bad nonce", ErrMalformed)
	}
	ct, err := b64.DecodeString(parts[3])
	if err != nil || len(ct) < tagSize {
		return Sealed{}, fmt.Errorf("%w: bad ciphertext", ErrMalformed)
	}
	s := Sealed{KeyID: parts[1], Nonce: nonce, Ciphertext: ct}
	if s.Encode() != text { // e.g. line breaks, which base64 decoding skips
		return Sealed{}, fmt.Errorf("%w: not in canonical form", ErrMalformed)
	}
	return s, nil
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
