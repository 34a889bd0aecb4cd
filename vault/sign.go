package vault

import (
	"crypto/ed25519"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// Signing exports. A signed export lets anyone check, without the database
// or the secret key, that a copy of a record is what Haven exported. The
// Ed25519 key that signs is derived from the current secret key with HKDF
// (SHA-256, info "haven/vault/export-signing/v1"), so it is kept, backed up
// and rotated with the keys Haven already has, and no second secret needs
// a home. The derivation is one-way: the public key, printed on every
// export and published by the server, reveals nothing of the secret key.
// Rotating the secret key rotates the signing key; the public keys of the
// older keys in the ring stay listed (SigningPublicKeys), so exports signed
// before a rotation still check against a published key.

const signingInfo = "haven/vault/export-signing/v1"

func deriveSigningKey(key [KeySize]byte) ed25519.PrivateKey {
	seed, err := hkdf.Key(sha256.New, key[:], nil, signingInfo, ed25519.SeedSize)
	if err != nil {
		panic("vault: " + err.Error()) // unreachable: 32 bytes of SHA-256 output
	}
	return ed25519.NewKeyFromSeed(seed)
}

// Sign signs message with the signing key derived from the current secret
// key and returns the signature and that key's public half.
func (k *Keyring) Sign(message []byte) (sig []byte, pub ed25519.PublicKey) {
	return ed25519.Sign(k.current.sign, message), k.current.sign.Public().(ed25519.PublicKey)
}

// SigningPublicKeys returns the public signing key of every key in the
// ring, the current one first.
func (k *Keyring) SigningPublicKeys() []ed25519.PublicKey {
	var out []ed25519.PublicKey
	seen := map[string]bool{}
	add := func(rk *ringKey) {
		pub := rk.sign.Public().(ed25519.PublicKey)
		if !seen[string(pub)] {
			seen[string(pub)] = true
			out = append(out, pub)
		}
	}
	add(k.current)
	for _, id := range k.ids {
		for _, rk := range k.byID[id] {
			add(rk)
		}
	}
	return out
}

// PublicKeyText is how Haven prints a public signing key: "ed25519:" and
// the key in standard base64.
func PublicKeyText(pub ed25519.PublicKey) string {
	return "ed25519:" + base64.StdEncoding.EncodeToString(pub)
}

// PublicKeyFingerprint is a short name for a public key, to read aloud or
// compare by eye: the first 16 hex digits of its SHA-256, in groups of 4.
func PublicKeyFingerprint(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	h := hex.EncodeToString(sum[:8])
	return h[0:4] + " " + h[4:8] + " " + h[8:12] + " " + h[12:16]
}
