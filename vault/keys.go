package vault

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
)

// KeySize is the size of a secret key in bytes (AES-256).
const KeySize = 32

// keyIDLen is the number of hex digits of SHA-256(key) used as a key ID.
const keyIDLen = 8

const keyHelp = "the key must be 32 bytes, base64 or hex; generate one with: head -c 32 /dev/urandom | base64"

// ErrInvalidKey is wrapped by every ParseKey error.
var ErrInvalidKey = errors.New("invalid secret key")

// ErrNoKey is returned by KeyringFromEnv when no key source is given.
var ErrNoKey = errors.New("no secret key: set HAVEN_SECRET_KEY or pass --secret-key-file (generate one with: haven keys generate)")

// ErrTwoKeySources is returned by KeyringFromEnv when both sources are given.
// Silently preferring one would leave the operator unsure which key seals new
// records.
var ErrTwoKeySources = errors.New("give either HAVEN_SECRET_KEY or --secret-key-file, not both")

// Key is a 256-bit secret key. ID is the first 8 hex digits of the SHA-256 of
// the key; it is stored next to each sealed value so the database never holds
// key material (see the package documentation for why it is short).
//
// Create keys with ParseKey or NewKey. A Key prints only its ID with the fmt
// package, whatever the verb, so logging one by mistake does not leak it.
type Key struct {
	ID    string
	bytes [KeySize]byte
}

// String returns "vault.Key(<id>)", never the key material.
func (k Key) String() string { return "vault.Key(" + k.ID + ")" }

// Format prints k as String does for every verb, including %x, %d and %#v,
// which would otherwise print the unexported key bytes.
func (k Key) Format(f fmt.State, verb rune) { _, _ = f.Write([]byte(k.String())) }

// keyID returns the ID of the key b.
func keyID(b [KeySize]byte) string {
	sum := sha256.Sum256(b[:])
	return hex.EncodeToString(sum[:])[:keyIDLen]
}

func newKey(b [KeySize]byte) Key { return Key{ID: keyID(b), bytes: b} }

// valid reports whether k was built by this package from non-zero bytes.
func (k Key) valid() bool {
	return k.bytes != [KeySize]byte{} && k.ID == keyID(k.bytes)
}

// NewKey returns a new random key and its standard base64 form, for
// "haven keys generate".
func NewKey() (Key, string) {
	var b [KeySize]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails; it crashes the program instead
	return newKey(b), base64.StdEncoding.EncodeToString(b[:])
}

// ParseKey parses a 32-byte key written as base64 (standard or URL alphabet,
// padded or not) or as 64 hex digits. Surrounding white space is ignored. The
// errors wrap ErrInvalidKey, say what was wrong and how to generate a key, and
// never contain the input.
func ParseKey(s string) (Key, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Key{}, keyError("it is empty")
	}
	var raw []byte
	if len(s) == 2*KeySize && !isHex(s) && countHex(s) >= len(s)-4 {
		// Almost certainly a hex key with a typo (random base64 is about one
		// third hex digits); reporting it as 48 bytes of base64 would confuse.
		return Key{}, keyError("it is 64 characters long like a hex key, but not valid hex")
	}
	if len(s)%2 == 0 && isHex(s) {
		// A 32-byte key in base64 is 43 or 44 characters, the latter ending
		// in "=", so it is never an even-length run of hex digits.
		raw, _ = hex.DecodeString(s)
	} else {
		var err error
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
			if raw, err = enc.DecodeString(s); err == nil {
				break
			}
		}
		if err != nil {
			return Key{}, keyError("it is neither base64 nor hex")
		}
	}
	if len(raw) != KeySize {
		return Key{}, keyError(fmt.Sprintf("it decodes to %d bytes", len(raw)))
	}
	var b [KeySize]byte
	copy(b[:], raw)
	if b == [KeySize]byte{} {
		return Key{}, keyError("it is all zero bytes")
	}
	return newKey(b), nil
}

func keyError(detail string) error {
	return fmt.Errorf("%w: %s; %s", ErrInvalidKey, detail, keyHelp)
}

func isHex(s string) bool { return countHex(s) == len(s) }

func countHex(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' {
			n++
		}
	}
	return n
}

// Keyring holds the current key, which seals, and older keys, which only
// open values sealed before a rotation. A Keyring is immutable and safe for
// concurrent use.
type Keyring struct {
	current *ringKey
	byID    map[string][]*ringKey
	ids     []string
}

type ringKey struct {
	id   string
	aead cipher.AEAD
	sign ed25519.PrivateKey // derived from the key: see sign.go
}

// NewKeyring returns a keyring that seals with current and opens with current
// and old. Repeated keys are ignored. It panics if a key was not created by
// ParseKey or NewKey (a Key literal has no key material), since sealing
// interviews with an all-zero key must never happen silently.
func NewKeyring(current Key, old ...Key) *Keyring {
	k := &Keyring{byID: make(map[string][]*ringKey)}
	seen := make(map[[KeySize]byte]bool)
	for i, key := range append([]Key{current}, old...) {
		if !key.valid() {
			panic("vault: NewKeyring: invalid Key; create keys with ParseKey or NewKey")
		}
		if seen[key.bytes] {
			continue
		}
		seen[key.bytes] = true
		block, err := aes.NewCipher(key.bytes[:])
		if err != nil {
			panic("vault: " + err.Error()) // unreachable: the key is 32 bytes
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			panic("vault: " + err.Error()) // unreachable: standard nonce and tag sizes
		}
		rk := &ringKey{id: key.ID, aead: aead, sign: deriveSigningKey(key.bytes)}
		if i == 0 {
			k.current = rk
		}
		if len(k.byID[key.ID]) == 0 {
			k.ids = append(k.ids, key.ID)
		}
		k.byID[key.ID] = append(k.byID[key.ID], rk)
	}
	return k
}

// CurrentID returns the ID of the key that seals.
func (k *Keyring) CurrentID() string { return k.current.id }

// IDs returns the IDs of all keys in the ring, the current one first.
func (k *Keyring) IDs() []string { return append([]string(nil), k.ids...) }

// KeyringFromEnv builds the keyring from the HAVEN_SECRET_KEY value envValue
// (a single key) or from the file at filePath, which holds one key per line:
// the first is current, the rest are old keys kept to open older records.
// Blank lines and comments starting with # are ignored. It returns ErrNoKey
// if neither is given and ErrTwoKeySources if both are. Errors name the file
// and line but never include key material.
func KeyringFromEnv(envValue, filePath string) (*Keyring, error) {
	envValue = strings.TrimSpace(envValue)
	switch {
	case envValue != "" && filePath != "":
		return nil, ErrTwoKeySources
	case envValue != "":
		key, err := ParseKey(envValue)
		if err != nil {
			return nil, fmt.Errorf("HAVEN_SECRET_KEY: %w", err)
		}
		return NewKeyring(key), nil
	case filePath != "":
		return keyringFromFile(filePath)
	default:
		return nil, ErrNoKey
	}
}

func keyringFromFile(path string) (*Keyring, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("secret key file: %w", err)
	}
	var keys []Key
	firstLine := make(map[[KeySize]byte]int)
	for i, line := range strings.Split(string(data), "\n") {
		if j := strings.IndexByte(line, '#'); j >= 0 {
			line = line[:j] // '#' is in neither the base64 nor the hex alphabet
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		key, err := ParseKey(line)
		if err != nil {
			return nil, fmt.Errorf("secret key file %s, line %d: %w", path, i+1, err)
		}
		if n, ok := firstLine[key.bytes]; ok {
			return nil, fmt.Errorf("secret key file %s, line %d: the same key as line %d", path, i+1, n)
		}
		firstLine[key.bytes] = i + 1
		keys = append(keys, key)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("secret key file %s: no keys in the file; %s", path, keyHelp)
	}
	return NewKeyring(keys[0], keys[1:]...), nil
}
