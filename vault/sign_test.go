package vault_test

import (
	"crypto/ed25519"
	"strings"
	"testing"

	"haven/vault"
)

// TestSigningKeys: the signing key is derived from the current secret key,
// the same every time; another secret key gives another signing key; after
// a rotation the old public key is still listed, after the new one; and
// the public key reveals nothing that opens sealed content.
func TestSigningKeys(t *testing.T) {
	k1, _ := vault.NewKey()
	k2, _ := vault.NewKey()
	msg := []byte("haven export")
	sig, pub := vault.NewKeyring(k1).Sign(msg)
	if !ed25519.Verify(pub, msg, sig) {
		t.Fatal("the signature does not verify")
	}
	if _, again := vault.NewKeyring(k1).Sign(msg); !again.Equal(pub) {
		t.Error("the same secret key gave another signing key")
	}
	_, pub2 := vault.NewKeyring(k2).Sign(msg)
	if pub2.Equal(pub) {
		t.Error("two secret keys gave one signing key")
	}
	rotated := vault.NewKeyring(k2, k1)
	keys := rotated.SigningPublicKeys()
	if len(keys) != 2 || !keys[0].Equal(pub2) || !keys[1].Equal(pub) {
		t.Errorf("after rotation: %d keys, current first: %v", len(keys), len(keys) > 0 && keys[0].Equal(pub2))
	}
	if text := vault.PublicKeyText(pub); !strings.HasPrefix(text, "ed25519:") || len(text) != len("ed25519:")+44 {
		t.Errorf("PublicKeyText: %q", text)
	}
	if fp := vault.PublicKeyFingerprint(pub); len(fp) != 19 || strings.Count(fp, " ") != 3 {
		t.Errorf("PublicKeyFingerprint: %q", fp)
	}
	// The public key is not a secret key: it does not parse as one that
	// opens what k1 sealed.
	s, err := vault.NewKeyring(k1).Seal(msg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if asKey, err := vault.ParseKey(strings.TrimPrefix(vault.PublicKeyText(pub), "ed25519:")); err == nil {
		if _, err := vault.NewKeyring(asKey).Open(s, nil); err == nil {
			t.Error("the public key opens sealed content")
		}
	}
}
