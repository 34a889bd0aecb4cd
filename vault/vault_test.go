package vault

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// fixedBytes returns n deterministic, non-zero bytes that include values
// whose base64 uses '+' and '/' (so the std and URL forms differ).
func fixedBytes(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(0xfb + 37*i)
	}
	return b
}

func mustKey(t testing.TB, s string) Key {
	t.Helper()
	k, err := ParseKey(s)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestParseKeyAccepts(t *testing.T) {
	raw := fixedBytes(32)
	want := [KeySize]byte(raw)
	std := base64.StdEncoding.EncodeToString(raw)
	url := base64.URLEncoding.EncodeToString(raw)
	if std == url {
		t.Fatal("test key should use '+' or '/' so std and URL base64 differ")
	}
	for _, tc := range []struct{ name, in string }{
		{"base64 std padded", std},
		{"base64 std unpadded", strings.TrimRight(std, "=")},
		{"base64 url padded", url},
		{"base64 url unpadded", strings.TrimRight(url, "=")},
		{"hex lower", hex.EncodeToString(raw)},
		{"hex upper", strings.ToUpper(hex.EncodeToString(raw))},
		{"surrounding white space", "  " + std + "\n"},
		{"trailing CRLF", hex.EncodeToString(raw) + "\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k, err := ParseKey(tc.in)
			if err != nil {
				t.Fatalf("ParseKey: %v", err)
			}
			if k.bytes != want {
				t.Fatal("wrong key bytes")
			}
			if k.ID != keyID(want) || len(k.ID) != 8 || !isLowerHex(k.ID) {
				t.Fatalf("ID = %q", k.ID)
			}
		})
	}
}

func TestParseKeyRejects(t *testing.T) {
	for _, tc := range []struct{ name, in, detail string }{
		{"empty", "", "it is empty"},
		{"blank", " \n\t", "it is empty"},
		{"16 bytes base64", base64.StdEncoding.EncodeToString(fixedBytes(16)), "it decodes to 16 bytes"},
		{"31 bytes base64", base64.StdEncoding.EncodeToString(fixedBytes(31)), "it decodes to 31 bytes"},
		{"33 bytes base64", base64.StdEncoding.EncodeToString(fixedBytes(33)), "it decodes to 33 bytes"},
		{"16 bytes hex", hex.EncodeToString(fixedBytes(16)), "it decodes to 16 bytes"},
		{"31 bytes hex", hex.EncodeToString(fixedBytes(31)), "it decodes to 31 bytes"},
		{"33 bytes hex", hex.EncodeToString(fixedBytes(33)), "it decodes to 33 bytes"},
		{"garbage", "this is not a key!", "it is neither base64 nor hex"},
		{"a passphrase", "correct horse battery staple", "it is neither base64 nor hex"},
		{"hex with a typo", strings.Repeat("ab", 31) + "zz", "it is 64 characters long like a hex key, but not valid hex"},
		{"48 bytes base64", base64.StdEncoding.EncodeToString(fixedBytes(48)), "it decodes to 48 bytes"},
		{"all zero", base64.StdEncoding.EncodeToString(make([]byte, 32)), "it is all zero bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseKey(tc.in)
			if err == nil {
				t.Fatal("accepted")
			}
			if !errors.Is(err, ErrInvalidKey) {
				t.Errorf("error %v does not wrap ErrInvalidKey", err)
			}
			want := "invalid secret key: " + tc.detail + "; " + keyHelp
			if err.Error() != want {
				t.Errorf("error\n got %q\nwant %q", err, want)
			}
			if s := strings.TrimSpace(tc.in); len(s) > 4 && strings.Contains(err.Error(), s) {
				t.Error("error message contains the input")
			}
		})
	}
	if !strings.Contains(keyHelp, "the key must be 32 bytes, base64 or hex; generate one with: head -c 32 /dev/urandom | base64") {
		t.Error("help text changed")
	}
}

func TestNewKey(t *testing.T) {
	k1, s1 := NewKey()
	k2, s2 := NewKey()
	if s1 == s2 || k1.ID == k2.ID {
		t.Fatal("two new keys are equal")
	}
	p, err := ParseKey(s1)
	if err != nil {
		t.Fatal(err)
	}
	if p.bytes != k1.bytes || p.ID != k1.ID {
		t.Fatal("the printed form does not parse back to the key")
	}
}

func TestKeyNeverPrintsMaterial(t *testing.T) {
	raw := fixedBytes(32)
	k := mustKey(t, hex.EncodeToString(raw))
	out := fmt.Sprintf("%v %+v %#v %s %x %X %d %q", k, k, k, k, k, k, k, k) +
		fmt.Sprint(k) + fmt.Sprintf("%v", []Key{k}) + fmt.Sprintf("%+v", struct{ K Key }{k})
	for _, leak := range []string{
		hex.EncodeToString(raw), strings.ToUpper(hex.EncodeToString(raw)),
		base64.StdEncoding.EncodeToString(raw), fmt.Sprint(raw[:4]), fmt.Sprint([KeySize]byte(raw)),
		hex.EncodeToString(raw[:4]),
	} {
		if strings.Contains(out, leak) {
			t.Fatalf("formatted key leaks %q in %q", leak, out)
		}
	}
	if !strings.Contains(out, "vault.Key("+k.ID+")") {
		t.Fatalf("formatted key %q lacks its ID", out)
	}
}

func TestNewKeyringRejectsHandMadeKeys(t *testing.T) {
	for _, k := range []Key{{}, {ID: "deadbeef"}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("NewKeyring(%v) did not panic", k)
				}
			}()
			NewKeyring(k)
		}()
	}
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "keys")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestKeyringFromEnv(t *testing.T) {
	a, as := NewKey()
	b, bs := NewKey()
	c, cs := NewKey()
	short := base64.StdEncoding.EncodeToString(fixedBytes(31))

	for _, tc := range []struct {
		name      string
		env, file string // file is content; "" means no file
		path      string // overrides the file path
		wantIDs   []string
		wantErr   string // exact message, or prefix when ending in "…"
	}{
		{name: "env", env: as, wantIDs: []string{a.ID}},
		{name: "env with newline", env: as + "\n", wantIDs: []string{a.ID}},
		{name: "file, one key", file: bs + "\n", wantIDs: []string{b.ID}},
		{
			name: "file with comments and old keys",
			file: "# Haven secret keys; the first is current.\n\n" +
				bs + "   # rotated in 2026-03\n" +
				"# older keys, kept to open old records:\n" +
				"  " + as + "\r\n" +
				"\n" + hex.EncodeToString(c.bytes[:]) + "\n# end\n",
			wantIDs: []string{b.ID, a.ID, c.ID},
		},
		{name: "both", env: as, file: bs, wantErr: "give either HAVEN_SECRET_KEY or --secret-key-file, not both"},
		{name: "neither", wantErr: "no secret key: set HAVEN_SECRET_KEY or pass --secret-key-file (generate one with: haven keys generate)"},
		{name: "blank env", env: "  ", wantErr: ErrNoKey.Error()},
		{name: "bad env", env: short, wantErr: "HAVEN_SECRET_KEY: invalid secret key: it decodes to 31 bytes; " + keyHelp},
		{name: "file without keys", file: "# nothing yet\n\n", wantErr: "secret key file …"},
		{name: "bad line", file: bs + "\n" + short + "\n", wantErr: "secret key file …"},
		{name: "repeated key", file: bs + "\n# old\n" + bs + "\n", wantErr: "secret key file …"},
		{name: "missing file", path: filepath.Join(t.TempDir(), "nope"), wantErr: "secret key file: …"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.path
			if tc.file != "" {
				path = writeFile(t, tc.file)
			}
			ring, err := KeyringFromEnv(tc.env, path)
			if tc.wantErr != "" {
				if err == nil {
					t.Fatal("no error")
				}
				if p, ok := strings.CutSuffix(tc.wantErr, "…"); ok {
					if !strings.HasPrefix(err.Error(), p) {
						t.Fatalf("error %q, want prefix %q", err, p)
					}
				} else if err.Error() != tc.wantErr {
					t.Fatalf("error\n got %q\nwant %q", err, tc.wantErr)
				}
				for _, secret := range []string{as, bs, cs, short} {
					if strings.Contains(err.Error(), secret) {
						t.Fatal("error message contains key material")
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := ring.IDs(); !reflect.DeepEqual(got, tc.wantIDs) {
				t.Fatalf("IDs = %v, want %v", got, tc.wantIDs)
			}
			if ring.CurrentID() != tc.wantIDs[0] {
				t.Fatalf("current = %s, want %s", ring.CurrentID(), tc.wantIDs[0])
			}
		})
	}

	t.Run("error details", func(t *testing.T) {
		_, err := KeyringFromEnv("", writeFile(t, "# current\n"+bs+"\n\n"+short+"\n"))
		if err == nil || !strings.Contains(err.Error(), "line 4") || !strings.Contains(err.Error(), "31 bytes") {
			t.Fatalf("error %v should name line 4 and the size", err)
		}
		_, err = KeyringFromEnv("", writeFile(t, bs+"\n"+as+"\n"+bs+"\n"))
		if err == nil || !strings.Contains(err.Error(), "line 3: the same key as line 1") {
			t.Fatalf("error %v should name both lines", err)
		}
		if !errors.Is(mustErr(KeyringFromEnv(as, "x")), ErrTwoKeySources) || !errors.Is(mustErr(KeyringFromEnv("", "")), ErrNoKey) {
			t.Fatal("sentinel errors not returned")
		}
	})

	t.Run("old keys open, current seals", func(t *testing.T) {
		old, err := KeyringFromEnv(as, "")
		if err != nil {
			t.Fatal(err)
		}
		s, _ := old.Seal([]byte("x"), nil)
		ring, err := KeyringFromEnv("", writeFile(t, bs+"\n"+as+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ring.Open(s, nil); err != nil {
			t.Fatalf("old key does not open: %v", err)
		}
		if s2, _ := ring.Seal([]byte("x"), nil); s2.KeyID != b.ID {
			t.Fatalf("sealed with %s, want current %s", s2.KeyID, b.ID)
		}
	})
}

func mustErr(_ *Keyring, err error) error { return err }

func testRing(t testing.TB) *Keyring {
	t.Helper()
	k, _ := NewKey()
	return NewKeyring(k)
}

func TestSealOpenRoundTrip(t *testing.T) {
	ring := testRing(t)
	big := bytes.Repeat([]byte("interview "), 100_000)
	for _, tc := range []struct {
		name   string
		pt, ad []byte
	}{
		{"empty", nil, nil},
		{"text", []byte("She was promised a job in a restaurant."), []byte("record 1")},
		{"binary", []byte{0, 1, 2, 0xff, 0}, []byte{0}},
		{"utf-8", []byte("Ella dijo: «me quitaron el pasaporte» 护照"), nil},
		{"1 MB", big, []byte("r")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ring.Seal(tc.pt, tc.ad)
			if err != nil {
				t.Fatal(err)
			}
			if s.KeyID != ring.CurrentID() || len(s.Nonce) != 12 || len(s.Ciphertext) != len(tc.pt)+16 {
				t.Fatalf("sealed = key %s, nonce %d bytes, ciphertext %d bytes", s.KeyID, len(s.Nonce), len(s.Ciphertext))
			}
			d, err := DecodeSealed(s.Encode())
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(d, s) {
				t.Fatal("Encode/DecodeSealed does not round-trip")
			}
			pt, err := ring.Open(d, tc.ad)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(pt, tc.pt) {
				t.Fatal("wrong plaintext")
			}
		})
	}
}

func TestEncodeHidesPlaintext(t *testing.T) {
	ring := testRing(t)
	pt := []byte("ZEBRA-7731 testified: the recruiter took her passport at the Greyhound station")
	s, err := ring.Seal(pt, []byte("rec"))
	if err != nil {
		t.Fatal(err)
	}
	enc := s.Encode()
	if !strings.HasPrefix(enc, "v1."+ring.CurrentID()+".") {
		t.Fatalf("encoded form %q", enc)
	}
	var forms []string
	for _, p := range []string{string(pt), "ZEBRA-7731 testified"} {
		forms = append(forms, p, strings.ToLower(p), hex.EncodeToString([]byte(p)), strings.ToUpper(hex.EncodeToString([]byte(p))))
		// Base64 of the text at each of the three byte alignments, minus the
		// last (alignment-dependent) characters.
		for off := 0; off < 3 && off < len(p); off++ {
			for _, e := range []*base64.Encoding{base64.StdEncoding, base64.RawURLEncoding} {
				b := e.EncodeToString([]byte(p[off:]))
				forms = append(forms, b[:len(b)-4])
			}
		}
	}
	for _, f := range forms {
		if strings.Contains(enc, f) {
			t.Fatalf("encoded sealed value contains %q", f)
		}
	}
}

func TestOpenRejects(t *testing.T) {
	ring := testRing(t)
	a, _ := NewKey()
	o, _ := NewKey()
	other := NewKeyring(o)
	withOther := NewKeyring(a, o)
	ad := VersionAD("rec-1", 1, "", "lang=en")
	s, err := ring.Seal([]byte("the interview"), ad)
	if err != nil {
		t.Fatal(err)
	}
	flip := func(b []byte, i int) []byte { c := bytes.Clone(b); c[i] ^= 1; return c }

	for _, tc := range []struct {
		name string
		ring *Keyring
		s    Sealed
		ad   []byte
		want error
	}{
		{"wrong record", ring, s, VersionAD("rec-2", 1, "", "lang=en"), ErrTampered},
		{"wrong version", ring, s, VersionAD("rec-1", 2, "", "lang=en"), ErrTampered},
		{"changed meta", ring, s, VersionAD("rec-1", 1, "", "lang=es"), ErrTampered},
		{"no associated data", ring, s, nil, ErrTampered},
		{"ciphertext first bit", ring, Sealed{s.KeyID, s.Nonce, flip(s.Ciphertext, 0)}, ad, ErrTampered},
		{"ciphertext middle bit", ring, Sealed{s.KeyID, s.Nonce, flip(s.Ciphertext, 6)}, ad, ErrTampered},
		{"tag bit", ring, Sealed{s.KeyID, s.Nonce, flip(s.Ciphertext, len(s.Ciphertext)-1)}, ad, ErrTampered},
		{"nonce bit", ring, Sealed{s.KeyID, flip(s.Nonce, 11), s.Ciphertext}, ad, ErrTampered},
		{"truncated", ring, Sealed{s.KeyID, s.Nonce, s.Ciphertext[:len(s.Ciphertext)-1]}, ad, ErrTampered},
		{"shorter than a tag", ring, Sealed{s.KeyID, s.Nonce, s.Ciphertext[:15]}, ad, ErrTampered},
		{"short nonce", ring, Sealed{s.KeyID, s.Nonce[:8], s.Ciphertext}, ad, ErrTampered},
		{"no nonce", ring, Sealed{s.KeyID, nil, s.Ciphertext}, ad, ErrTampered},
		{"key ID of another key in the ring", withOther, Sealed{other.CurrentID(), s.Nonce, s.Ciphertext}, ad, ErrTampered},
		{"unknown key ID", ring, Sealed{"0badc0de", s.Nonce, s.Ciphertext}, ad, ErrUnknownKey},
		{"empty key ID", ring, Sealed{"", s.Nonce, s.Ciphertext}, ad, ErrUnknownKey},
		{"another keyring", other, s, ad, ErrUnknownKey},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pt, err := tc.ring.Open(tc.s, tc.ad)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if pt != nil {
				t.Fatal("returned plaintext with an error")
			}
		})
	}
	if _, err := ring.Open(s, ad); err != nil {
		t.Fatalf("the original no longer opens: %v", err)
	}
}

func TestNoncesDiffer(t *testing.T) {
	ring := testRing(t)
	pt := []byte("same plaintext every time")
	nonces := make(map[string]bool)
	cts := make(map[string]bool)
	for range 1000 {
		s, err := ring.Seal(pt, []byte("same ad"))
		if err != nil {
			t.Fatal(err)
		}
		nonces[string(s.Nonce)] = true
		cts[string(s.Ciphertext)] = true
	}
	if len(nonces) != 1000 || len(cts) != 1000 {
		t.Fatalf("%d distinct nonces, %d distinct ciphertexts in 1000 seals", len(nonces), len(cts))
	}
}

func TestRotation(t *testing.T) {
	a, _ := NewKey()
	b, _ := NewKey()
	ad := []byte("rec-9/v1")
	pt := []byte("rotated content")

	sA, err := NewKeyring(a).Seal(pt, ad)
	if err != nil {
		t.Fatal(err)
	}
	ringBA := NewKeyring(b, a)
	if got, err := ringBA.Open(sA, ad); err != nil || !bytes.Equal(got, pt) {
		t.Fatalf("ring {B, A} does not open an A value: %v", err)
	}
	sB, changed, err := ringBA.Reseal(sA, ad)
	if err != nil || !changed {
		t.Fatalf("Reseal = changed %v, err %v", changed, err)
	}
	if sB.KeyID != b.ID {
		t.Fatalf("resealed with %s, want %s", sB.KeyID, b.ID)
	}
	ringB := NewKeyring(b)
	if got, err := ringB.Open(sB, ad); err != nil || !bytes.Equal(got, pt) {
		t.Fatalf("ring {B} does not open the resealed value: %v", err)
	}
	if _, err := ringB.Open(sA, ad); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("ring {B} opening an A value: %v, want ErrUnknownKey", err)
	}
	same, changed, err := ringBA.Reseal(sB, ad)
	if err != nil || changed || !reflect.DeepEqual(same, sB) {
		t.Fatalf("Reseal of a current value: changed %v, err %v", changed, err)
	}
	if _, _, err := ringBA.Reseal(sA, []byte("other")); !errors.Is(err, ErrTampered) {
		t.Fatalf("Reseal with wrong associated data: %v", err)
	}
	if _, _, err := ringB.Reseal(sA, ad); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("Reseal without the old key: %v", err)
	}
}

func TestRotateVersion(t *testing.T) {
	a, _ := NewKey()
	b, _ := NewKey()
	chain := buildChain(t, NewKeyring(a), "rec-R", 3)
	ring := NewKeyring(b, a)
	meta := CanonicalMeta(map[string]string{"reason": "key rotation", "created": "2026-05-01T00:00:00Z"})

	v4, changed, err := ring.RotateVersion(chain[2], meta)
	if err != nil || !changed {
		t.Fatalf("RotateVersion: changed %v, err %v", changed, err)
	}
	if v4.Number != 4 || v4.PrevHash != chain[2].Hash || v4.Meta != meta || !strings.HasPrefix(v4.Sealed, "v1."+b.ID+".") {
		t.Fatalf("new version = %+v", v4)
	}
	chain = append(chain, v4)
	if br := VerifyChain(chain); br != nil {
		t.Fatalf("rotated chain breaks: %v", br)
	}
	if got, err := NewKeyring(b).OpenVersion(v4); err != nil || string(got) != "content of version 3" {
		t.Fatalf("ring {B} opens %q, %v", got, err)
	}
	if same, changed, err := ring.RotateVersion(v4, meta); err != nil || changed || !reflect.DeepEqual(same, v4) {
		t.Fatalf("second rotation: changed %v, err %v", changed, err)
	}
	bad := chain[2]
	bad.Meta = "tampered=1"
	if _, _, err := ring.RotateVersion(bad, meta); !errors.Is(err, ErrTampered) {
		t.Fatalf("rotating a tampered head: %v", err)
	}
}

func TestKeyIDCollision(t *testing.T) {
	// Two distinct keys whose IDs are both 308670da, found by search.
	k1 := mustKey(t, "264da55b2d910a64c996ae7a34c6fad3a94a0cdfc9f05fdc71ae777db0fef247")
	k2 := mustKey(t, "0c056f97a7e6cb77d986ef6db4f244248c87f6eec069d6d16629651a771d4f1a")
	if k1.ID != k2.ID || k1.bytes == k2.bytes {
		t.Fatal("not a collision")
	}
	s1, _ := NewKeyring(k1).Seal([]byte("one"), nil)
	s2, _ := NewKeyring(k2).Seal([]byte("two"), nil)
	ring := NewKeyring(k2, k1)
	for _, tc := range []struct {
		s    Sealed
		want string
	}{{s1, "one"}, {s2, "two"}} {
		if got, err := ring.Open(tc.s, nil); err != nil || string(got) != tc.want {
			t.Fatalf("Open = %q, %v", got, err)
		}
	}
	// Reseal must notice that s1 was opened by the old key, not the current
	// one, even though the IDs are equal.
	if r, changed, err := ring.Reseal(s1, nil); err != nil || !changed {
		t.Fatalf("Reseal: changed %v, err %v", changed, err)
	} else if got, err := NewKeyring(k2).Open(r, nil); err != nil || string(got) != "one" {
		t.Fatalf("resealed value: %q, %v", got, err)
	}
	if _, changed, err := ring.Reseal(s2, nil); err != nil || changed {
		t.Fatalf("Reseal of current: changed %v, err %v", changed, err)
	}
}

// TestOpenFixedVector pins the sealing format: this value was sealed once
// (key bytes 1..32, nonce "fixed-nonce!", checked against Python's
// cryptography AESGCM) and must open for as long as records sealed in this
// format exist.
func TestOpenFixedVector(t *testing.T) {
	var raw [KeySize]byte
	for i := range raw {
		raw[i] = byte(i + 1)
	}
	k := mustKey(t, hex.EncodeToString(raw[:]))
	if k.ID != "ae216c2e" {
		t.Fatalf("key ID = %s", k.ID)
	}
	const enc = "v1.ae216c2e.Zml4ZWQtbm9uY2Uh.GmUtljpen-gUQ01GjsqZ6LpnwOmVnH5ji2DRmFl0mioHxNVGdak"
	ring := NewKeyring(k)
	ad := VersionAD("rec-1", 1, "", "lang=en")
	s, err := DecodeSealed(enc)
	if err != nil {
		t.Fatal(err)
	}
	pt, err := ring.Open(s, ad)
	if err != nil || string(pt) != "fixed vector plaintext" {
		t.Fatalf("Open = %q, %v", pt, err)
	}
	if got := ring.current.seal([]byte("fixed-nonce!"), pt, ad).Encode(); got != enc {
		t.Fatalf("seal with the fixed nonce = %s", got)
	}
}

func TestDecodeSealedRejects(t *testing.T) {
	// A fixed value, so that the key ID has letters to upper-case and the
	// base64 has '-' or '_' to swap.
	const good = "v1.ae216c2e.Zml4ZWQtbm9uY2Uh.GmUtljpen-gUQ01GjsqZ6LpnwOmVnH5ji2DRmFl0mioHxNVGdak"
	parts := strings.Split(good, ".")
	join := func(p ...string) string { return strings.Join(p, ".") }
	for _, in := range []string{
		"",
		"v1",
		"v1...",
		join("v2", parts[1], parts[2], parts[3]),
		join("V1", parts[1], parts[2], parts[3]),
		join(parts[0], parts[1], parts[2]),
		good + ".",
		join(parts[0], strings.ToUpper(parts[1]), parts[2], parts[3]),
		join(parts[0], parts[1][:7], parts[2], parts[3]),
		join(parts[0], "0123456z", parts[2], parts[3]),
		join(parts[0], parts[1], parts[2][:14], parts[3]),
		join(parts[0], parts[1], parts[2]+"AAAA", parts[3]),
		join(parts[0], parts[1], parts[2], ""),
		join(parts[0], parts[1], parts[2], parts[3][:20]),
		join(parts[0], parts[1], parts[2], parts[3]+"="),
		join(parts[0], parts[1], parts[2], parts[3][:10]+"\n"+parts[3][10:]),
		join(parts[0], parts[1], parts[2], strings.ReplaceAll(strings.ReplaceAll(parts[3], "-", "+"), "_", "/")+"+/"),
		" " + good,
		good + "\n",
	} {
		if _, err := DecodeSealed(in); !errors.Is(err, ErrMalformed) {
			t.Errorf("DecodeSealed(%q) err = %v, want ErrMalformed", in, err)
		}
	}
	if _, err := DecodeSealed(good); err != nil {
		t.Fatal(err)
	}
}

// buildChain seals n versions of recordID, with content "content of version i".
func buildChain(t testing.TB, ring *Keyring, recordID string, n int) []Version {
	t.Helper()
	var vs []Version
	var prev *Version
	for i := 1; i <= n; i++ {
		meta := CanonicalMeta(map[string]string{"author": "worker-" + fmt.Sprint(i%2), "created": fmt.Sprintf("2026-01-%02dT10:00:00Z", i), "lang": "en"})
		v, err := ring.SealVersion(prev, recordID, []byte(fmt.Sprintf("content of version %d", i)), meta)
		if err != nil {
			t.Fatal(err)
		}
		vs = append(vs, v)
		prev = &vs[len(vs)-1]
	}
	return vs
}

func TestChainVerifiesAndOpens(t *testing.T) {
	ring := testRing(t)
	vs := buildChain(t, ring, "rec-A", 5)
	for i, v := range vs {
		if v.Number != i+1 || v.RecordID != "rec-A" || v.Hash != ComputeHash(v) || len(v.Hash) != 64 {
			t.Fatalf("version %d = %+v", i+1, v)
		}
		if i == 0 && v.PrevHash != "" || i > 0 && v.PrevHash != vs[i-1].Hash {
			t.Fatalf("version %d has PrevHash %q", i+1, v.PrevHash)
		}
		pt, err := ring.OpenVersion(v)
		if err != nil || string(pt) != fmt.Sprintf("content of version %d", i+1) {
			t.Fatalf("OpenVersion(%d) = %q, %v", i+1, pt, err)
		}
	}
	if br := VerifyChain(vs); br != nil {
		t.Fatalf("intact chain: %v", br)
	}
	if VerifyChain(nil) != nil {
		t.Fatal("empty chain has breaks")
	}
	if _, err := ring.SealVersion(&vs[4], "rec-B", []byte("x"), ""); err == nil {
		t.Fatal("SealVersion continued another record's chain")
	}
}

func TestVerifyChainFindsTampering(t *testing.T) {
	ring := testRing(t)
	A := buildChain(t, ring, "rec-A", 5)
	B := buildChain(t, ring, "rec-B", 5)
	other, _ := ring.Seal([]byte("forged"), nil)
	br := func(id string, n int, reason string) Break { return Break{id, n, reason} }

	for _, tc := range []struct {
		name   string
		tamper func(vs []Version) []Version
		want   []Break
	}{
		{"intact, shuffled input", func(vs []Version) []Version {
			return []Version{vs[3], vs[0], vs[4], vs[2], vs[1]}
		}, nil},
		{"sealed content changed", func(vs []Version) []Version {
			vs[2].Sealed = other.Encode()
			return vs
		}, []Break{br("rec-A", 3, ReasonHashMismatch)}},
		{"meta changed", func(vs []Version) []Version {
			vs[2].Meta = strings.Replace(vs[2].Meta, "worker-1", "worker-0", 1)
			return vs
		}, []Break{br("rec-A", 3, ReasonHashMismatch)}},
		{"meta changed in the last version", func(vs []Version) []Version {
			vs[4].Meta = ""
			return vs
		}, []Break{br("rec-A", 5, ReasonHashMismatch)}},
		{"prev hash changed", func(vs []Version) []Version {
			vs[2].PrevHash = vs[0].Hash
			return vs
		}, []Break{br("rec-A", 3, ReasonHashMismatch), br("rec-A", 3, "broken link to version 2")}},
		{"prev hash added to version 1", func(vs []Version) []Version {
			vs[0].PrevHash = B[4].Hash
			return vs
		}, []Break{br("rec-A", 1, ReasonHashMismatch), br("rec-A", 1, ReasonFirstHasPrev)}},
		{"stored hash changed", func(vs []Version) []Version {
			vs[2].Hash = B[2].Hash
			return vs
		}, []Break{br("rec-A", 3, ReasonHashMismatch), br("rec-A", 4, "broken link to version 3")}},
		{"number changed in the middle", func(vs []Version) []Version {
			vs[2].Number = 6
			return vs
		}, []Break{br("rec-A", 4, ReasonNotConsecutive), br("rec-A", 6, ReasonHashMismatch), br("rec-A", 6, "broken link to version 5")}},
		{"number changed at the end", func(vs []Version) []Version {
			vs[4].Number = 7
			return vs
		}, []Break{br("rec-A", 7, ReasonHashMismatch), br("rec-A", 7, ReasonNotConsecutive)}},
		{"middle version deleted", func(vs []Version) []Version {
			return append(vs[:2], vs[3:]...)
		}, []Break{br("rec-A", 4, ReasonNotConsecutive)}},
		{"first version deleted", func(vs []Version) []Version {
			return vs[1:]
		}, []Break{br("rec-A", 2, ReasonNotConsecutive)}},
		{"version duplicated", func(vs []Version) []Version {
			return append(vs, vs[2])
		}, []Break{br("rec-A", 3, ReasonNotConsecutive)}},
		{"versions 2 and 3 reordered", func(vs []Version) []Version {
			vs[1].Number, vs[2].Number = vs[2].Number, vs[1].Number
			return vs
		}, []Break{
			br("rec-A", 2, ReasonHashMismatch), br("rec-A", 2, "broken link to version 1"),
			br("rec-A", 3, ReasonHashMismatch), br("rec-A", 3, "broken link to version 2"),
			br("rec-A", 4, "broken link to version 3"),
		}},
		{"version 3 swapped with record B's", func(vs []Version) []Version {
			vs[2] = B[2]
			return vs
		}, []Break{br("rec-B", 3, ReasonOtherRecord), br("rec-B", 3, "broken link to version 2"), br("rec-A", 4, "broken link to version 3")}},
		{"version 3 swapped with record B's, record ID rewritten", func(vs []Version) []Version {
			vs[2] = B[2]
			vs[2].RecordID = "rec-A"
			return vs
		}, []Break{br("rec-A", 3, ReasonHashMismatch), br("rec-A", 3, "broken link to version 2"), br("rec-A", 4, "broken link to version 3")}},
		{"newest version deleted (undetectable without an external head)", func(vs []Version) []Version {
			return vs[:4]
		}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vs := tc.tamper(clone(A))
			in := clone(vs)
			got := VerifyChain(vs)
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("breaks\n got %v\nwant %v", got, tc.want)
			}
			if !reflect.DeepEqual(vs, in) {
				t.Fatal("VerifyChain modified its argument")
			}
		})
	}
}

func clone(vs []Version) []Version { return append([]Version(nil), vs...) }

// TestRecomputedChainFailsToOpen: hashes are unkeyed, so an attacker can
// rewrite a chain that VerifyChain accepts, but the associated data of each
// sealed value pins it to its place, so OpenVersion catches the rewrite.
func TestRecomputedChainFailsToOpen(t *testing.T) {
	ring := testRing(t)
	A := buildChain(t, ring, "rec-A", 5)
	B := buildChain(t, ring, "rec-B", 5)

	rechain := func(recordID string, contents []Version) []Version {
		var out []Version
		var prev *Version
		for _, v := range contents {
			out = append(out, NextVersion(prev, recordID, v.Sealed, v.Meta))
			prev = &out[len(out)-1]
		}
		return out
	}
	for _, tc := range []struct {
		name     string
		chain    []Version
		openable []bool
	}{
		{"versions 2 and 3 reordered", rechain("rec-A", []Version{A[0], A[2], A[1], A[3], A[4]}), []bool{true, false, false, false, false}},
		{"version 3 deleted", rechain("rec-A", []Version{A[0], A[1], A[3], A[4]}), []bool{true, true, false, false}},
		{"version 2 taken from record B", rechain("rec-A", []Version{A[0], B[1], A[2], A[3], A[4]}), []bool{true, false, false, false, false}},
		{"meta of version 5 edited", func() []Version {
			c := clone(A)
			c[4].Meta = "author=someone-else"
			return rechain("rec-A", c)
		}(), []bool{true, true, true, true, false}},
		{"record B relabelled as A", rechain("rec-A", B), []bool{false, false, false, false, false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if br := VerifyChain(tc.chain); br != nil {
				t.Fatalf("recomputed chain has breaks: %v", br)
			}
			for i, v := range tc.chain {
				_, err := ring.OpenVersion(v)
				if tc.openable[i] && err != nil {
					t.Errorf("version %d: %v", v.Number, err)
				}
				if !tc.openable[i] && !errors.Is(err, ErrTampered) {
					t.Errorf("version %d opened (err %v), want ErrTampered", v.Number, err)
				}
			}
		})
	}

	t.Run("hash or encoding damaged", func(t *testing.T) {
		v := A[1]
		v.Meta = "lang=es"
		if _, err := ring.OpenVersion(v); !errors.Is(err, ErrTampered) {
			t.Fatalf("stale hash: %v", err)
		}
		v = A[1]
		v.Sealed = "not sealed"
		v.Hash = ComputeHash(v)
		if _, err := ring.OpenVersion(v); !errors.Is(err, ErrTampered) || !errors.Is(err, ErrMalformed) {
			t.Fatalf("bad encoding: %v", err)
		}
	})
}

// TestComputeHashFixedVector pins the hash encoding: it was computed once
// (and checked against an independent Python implementation) and must never
// change, or every stored chain would stop verifying.
func TestComputeHashFixedVector(t *testing.T) {
	v := Version{RecordID: "rec-1", Number: 2, PrevHash: "00ff", Sealed: "v1.x.y.z", Meta: "author=a;lang=en", Hash: "ignored"}
	const want = "f8c98f95198de8e36fb214a5d11869b6a09a7b0669d1eb2e8deb11ee21c2658c"
	if got := ComputeHash(v); got != want {
		t.Fatalf("ComputeHash = %s, want %s", got, want)
	}
}

func TestHashInputIsLengthPrefixed(t *testing.T) {
	pairs := [][2]Version{
		{{RecordID: "ab", PrevHash: "c"}, {RecordID: "a", PrevHash: "bc"}},
		{{PrevHash: "ab", Sealed: "c"}, {PrevHash: "a", Sealed: "bc"}},
		{{Sealed: "ab", Meta: "c"}, {Sealed: "a", Meta: "bc"}},
		{{RecordID: "r1", Number: 2}, {RecordID: "r", Number: 12}},
		{{Number: 1, Meta: ""}, {Number: 0, Meta: "1"}},
	}
	for _, p := range pairs {
		if ComputeHash(p[0]) == ComputeHash(p[1]) {
			t.Errorf("%+v and %+v hash equal", p[0], p[1])
		}
	}
	if bytes.Equal(VersionAD("ab", 1, "c", ""), VersionAD("a", 1, "bc", "")) ||
		bytes.Equal(VersionAD("r1", 2, "", ""), VersionAD("r", 12, "", "")) {
		t.Error("VersionAD is ambiguous")
	}
	if bytes.Equal(gcmAD("ab", []byte("c")), gcmAD("a", []byte("bc"))) {
		t.Error("gcmAD is ambiguous")
	}
}

func TestMeta(t *testing.T) {
	m := map[string]string{"lang": "es", "author": "u-17", "created": "2026-05-01T10:00:00Z", "note": "a=b; c%d", "": "empty key"}
	s := CanonicalMeta(m)
	if want := "=empty+key;author=u-17;created=2026-05-01T10%3A00%3A00Z;lang=es;note=a%3Db%3B+c%25d"; s != want {
		t.Fatalf("CanonicalMeta = %q, want %q", s, want)
	}
	got, err := ParseMeta(s)
	if err != nil || !reflect.DeepEqual(got, m) {
		t.Fatalf("ParseMeta = %v, %v", got, err)
	}
	if CanonicalMeta(nil) != "" {
		t.Fatal("empty metadata is not \"\"")
	}
	if got, err := ParseMeta(""); err != nil || len(got) != 0 {
		t.Fatalf("ParseMeta(\"\") = %v, %v", got, err)
	}
	for _, bad := range []string{"lang=es;author=u", "a=1;a=1", "a", "a=%zz", "a=x y", "a=1;", ";a=1", "a=%41"} {
		if _, err := ParseMeta(bad); err == nil {
			t.Errorf("ParseMeta(%q) accepted", bad)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	a, _ := NewKey()
	b, _ := NewKey()
	old, _ := NewKeyring(a).Seal([]byte("old"), []byte("ad"))
	ring := NewKeyring(b, a)
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := range 16 {
		wg.Go(func() {
			for i := range 200 {
				pt := []byte(fmt.Sprintf("goroutine %d message %d", g, i))
				s, err := ring.Seal(pt, []byte("ad"))
				if err != nil {
					errs <- err
					return
				}
				got, err := ring.Open(s, []byte("ad"))
				if err != nil || !bytes.Equal(got, pt) {
					errs <- fmt.Errorf("round trip: %v", err)
					return
				}
				if _, _, err := ring.Reseal(old, []byte("ad")); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func FuzzDecodeSealed(f *testing.F) {
	k, _ := NewKey()
	ring := NewKeyring(k)
	s, _ := ring.Seal([]byte("seed"), nil)
	for _, seed := range []string{
		s.Encode(), "", ".", "...", "v1...", "v1.00000000..", "v1.ae216c2e.Zml4ZWQtbm9uY2Uh.GmUtljpen-gUQ01GjsqZ6LpnwOmVnH5ji2DRmFl0mioHxNVGdak",
		"v1.ae216c2e.Zml4ZWQtbm9uY2Uh.====", "v1.ae216c2e.Zml4ZWQt\nbm9uY2Uh.GmUtljpen-gUQ01GjsqZ6LpnwOmVnH5ji2DRmFl0mi",
		"v2.x.y.z", "v1.\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8.a.b",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		s, err := DecodeSealed(in)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		if got := s.Encode(); got != in {
			t.Fatalf("Encode(DecodeSealed(%q)) = %q", in, got)
		}
		if len(s.Nonce) != nonceSize || len(s.Ciphertext) < tagSize || len(s.KeyID) != keyIDLen {
			t.Fatalf("accepted %+v", s)
		}
		if _, err := ring.Open(s, nil); err != nil && !errors.Is(err, ErrTampered) && !errors.Is(err, ErrUnknownKey) {
			t.Fatalf("Open error %v", err)
		}
	})
}

func benchmarkRing(b *testing.B) (*Keyring, []byte, []byte) {
	k, _ := NewKey()
	pt := bytes.Repeat([]byte("x"), 4096)
	return NewKeyring(k), pt, VersionAD("rec-bench", 1, "", "lang=en")
}

func BenchmarkSeal4KiB(b *testing.B) {
	ring, pt, ad := benchmarkRing(b)
	b.SetBytes(int64(len(pt)))
	for b.Loop() {
		if _, err := ring.Seal(pt, ad); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpen4KiB(b *testing.B) {
	ring, pt, ad := benchmarkRing(b)
	s, err := ring.Seal(pt, ad)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(pt)))
	for b.Loop() {
		if _, err := ring.Open(s, ad); err != nil {
			b.Fatal(err)
		}
	}
}
