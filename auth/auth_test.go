package auth

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// cheap are fast parameters for tests; production uses DefaultParams.
var cheap = Params{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestHashVerifyRoundTrip(t *testing.T) {
	for _, pw := range []string{
		"correct horse battery staple",
		"x",
		"ñandú über straße 🦀 密码",
		strings.Repeat("a", MaxPasswordBytes),
		"with\x00nul and $dollars$",
	} {
		enc, err := HashPassword(pw, cheap)
		if err != nil {
			t.Fatalf("HashPassword(%q): %v", pw, err)
		}
		ok, rehash, err := VerifyPassword(pw, enc, cheap)
		if !ok || rehash || err != nil {
			t.Errorf("VerifyPassword(%q, own hash) = %v, %v, %v; want true, false, nil", pw, ok, rehash, err)
		}
		wrong := "!" + pw
		if len(wrong) > MaxPasswordBytes {
			wrong = pw[:len(pw)-1] + "b"
		}
		ok, rehash, err = VerifyPassword(wrong, enc, cheap)
		if ok || rehash || err != nil {
			t.Errorf("VerifyPassword(wrong password) = %v, %v, %v; want false, false, nil", ok, rehash, err)
		}
	}
}

func TestHashIsSalted(t *testing.T) {
	a, _ := HashPassword("same password twice", cheap)
	b, _ := HashPassword("same password twice", cheap)
	if a == b {
		t.Fatalf("two hashes of one password are equal: %s", a)
	}
}

func TestDefaultParams(t *testing.T) {
	start := time.Now()
	enc, err := HashPassword("a real passphrase, really", DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("HashPassword with DefaultParams took %v", time.Since(start))
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Errorf("hash %q does not start with the DefaultParams PHC prefix", enc)
	}
	ok, rehash, err := VerifyPassword("a real passphrase, really", enc, DefaultParams)
	if !ok || rehash || err != nil {
		t.Errorf("VerifyPassword = %v, %v, %v; want true, false, nil", ok, rehash, err)
	}
	if ok, _, _ := VerifyPassword("a real passphrase, realy", enc, DefaultParams); ok {
		t.Error("wrong password verified")
	}
}

func TestNeedsRehash(t *testing.T) {
	enc, err := HashPassword("some passphrase", cheap)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		p    Params
		want bool
	}{
		{"same", cheap, false},
		{"more memory", Params{Memory: 2048, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}, true},
		{"more time", Params{Memory: 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}, true},
		{"more threads", Params{Memory: 1024, Time: 1, Threads: 2, SaltLen: 16, KeyLen: 32}, true},
		{"longer salt", Params{Memory: 1024, Time: 1, Threads: 1, SaltLen: 32, KeyLen: 32}, true},
		{"longer key", Params{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 64}, true},
		{"defaults", DefaultParams, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, rehash, err := VerifyPassword("some passphrase", enc, tt.p)
			if !ok || err != nil || rehash != tt.want {
				t.Errorf("VerifyPassword = %v, %v, %v; want true, %v, nil", ok, rehash, err, tt.want)
			}
			// A wrong password never asks for a rehash.
			if _, rehash, _ := VerifyPassword("wrong passphrase", enc, tt.p); rehash {
				t.Error("needsRehash true for a wrong password")
			}
		})
	}
}

var phcPattern = regexp.MustCompile(`^\$argon2id\$v=19\$m=1024,t=1,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)

// TestPHCLayout checks HashPassword's output field by field and recomputes
// the key independently with argon2.IDKey.
func TestPHCLayout(t *testing.T) {
	enc, err := HashPassword("layout check", cheap)
	if err != nil {
		t.Fatal(err)
	}
	if !phcPattern.MatchString(enc) {
		t.Fatalf("hash %q does not match %s", enc, phcPattern)
	}
	parts := strings.Split(enc, "$")
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) != 16 {
		t.Fatalf("salt %q: %v (len %d)", parts[4], err, len(salt))
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil {
		t.Fatal(err)
	}
	want := argon2.IDKey([]byte("layout check"), salt, 1, 1024, 1, 32)
	if !bytes.Equal(key, want) {
		t.Errorf("key = %x, argon2.IDKey gives %x", key, want)
	}

	// A vector built by hand: fixed salt, key from argon2.IDKey, encoded
	// with the standard library's unpadded base64.
	fixedSalt := []byte("0123456789abcdef")
	handKey := argon2.IDKey([]byte("hand made"), fixedSalt, 2, 512, 2, 16)
	hand := "$argon2id$v=19$m=512,t=2,p=2$MDEyMzQ1Njc4OWFiY2RlZg$" + strings.TrimRight(stdB64(handKey), "=")
	if got := encodeHash(Params{Memory: 512, Time: 2, Threads: 2}, fixedSalt, handKey); got != hand {
		t.Errorf("encodeHash = %q, want %q", got, hand)
	}
	p := Params{Memory: 512, Time: 2, Threads: 2, SaltLen: 16, KeyLen: 16}
	if ok, rehash, err := VerifyPassword("hand made", hand, p); !ok || rehash || err != nil {
		t.Errorf("VerifyPassword(hand-made vector) = %v, %v, %v", ok, rehash, err)
	}
}

// stdB64 is padded standard base64, written out independently of the
// package's encoder.
func stdB64(b []byte) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	var sb strings.Builder
	for i := 0; i < len(b); i += 3 {
		var n uint32
		k := min(3, len(b)-i)
		for j := 0; j < 3; j++ {
			n <<= 8
			if j < k {
				n |= uint32(b[i+j])
			}
		}
		for j := 0; j < 4; j++ {
			if j <= k {
				sb.WriteByte(alphabet[(n>>(18-6*j))&63])
			} else {
				sb.WriteByte('=')
			}
		}
	}
	return sb.String()
}

// TestReferenceVectors verifies hash strings produced by the argon2 reference
// implementation (github.com/P-H-C/phc-winner-argon2, src/test.c, argon2id
// v=19, salt "somesalt" or "diffsalt", 32-byte keys).
func TestReferenceVectors(t *testing.T) {
	vectors := []struct {
		password, encoded string
		expensive         bool
	}{
		{"password", "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4", false},
		{"password", "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc", false},
		{"password", "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc", false},
		{"password", "$argon2id$v=19$m=65536,t=1,p=1$c29tZXNhbHQ$9qWtwbpyPd3vm1rB1GThgPzZ3/ydHL92zKL+15XZypg", true},
		{"password", "$argon2id$v=19$m=65536,t=4,p=1$c29tZXNhbHQ$kCXUjmjvc5XMqQedpMTsOv+zyJEf5PhtGiUghW9jFyw", true},
		{"differentpassword", "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$C4TWUs9rDEvq7w3+J4umqA32aWKB1+DSiRuBfYxFj94", true},
		{"password", "$argon2id$v=19$m=65536,t=2,p=1$ZGlmZnNhbHQ$vfMrBczELrFdWP0ZsfhWsRPaHppYdP3MVEMIVlqoFBw", true},
	}
	for _, v := range vectors {
		if v.expensive && testing.Short() {
			continue
		}
		ok, _, err := VerifyPassword(v.password, v.encoded, DefaultParams)
		if !ok || err != nil {
			t.Errorf("VerifyPassword(%q, %q) = %v, %v; want true, nil", v.password, v.encoded, ok, err)
		}
		if ok, _, _ := VerifyPassword(v.password+"x", v.encoded, DefaultParams); ok {
			t.Errorf("wrong password verified against %q", v.encoded)
		}
	}

	// The reference's raw output for the m=65536,t=2,p=1 vector, in hex:
	// our encoding of it must give the reference's string exactly.
	raw, _ := hex.DecodeString("09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7")
	got := encodeHash(Params{Memory: 65536, Time: 2, Threads: 1}, []byte("somesalt"), raw)
	if want := vectors[2].encoded; got != want {
		t.Errorf("encodeHash = %q, want %q", got, want)
	}
}

// TestXCryptoVectors re-encodes the 24-byte argon2id vectors of
// golang.org/x/crypto/argon2 (generated with the reference CLI, password
// "password", salt "somesalt") as PHC strings and verifies them.
func TestXCryptoVectors(t *testing.T) {
	vectors := []struct {
		time, memory uint32
		threads      uint8
		hash         string
	}{
		{1, 64, 1, "655ad15eac652dc59f7170a7332bf49b8469be1fdb9c28bb"},
		{2, 64, 1, "068d62b26455936aa6ebe60060b0a65870dbfa3ddf8d41f7"},
		{2, 64, 2, "350ac37222f436ccb5c0972f1ebd3bf6b958bf2071841362"},
		{3, 256, 2, "4668d30ac4187e6878eedeacf0fd83c5a0a30db2cc16ef0b"},
		{4, 4096, 4, "145db9733a9f4ee43edf33c509be96b934d505a4efb33c5a"},
		{4, 1024, 8, "8dafa8e004f8ea96bf7c0f93eecf67a6047476143d15577f"},
		{2, 64, 3, "4a15b31aec7c2590b87d1f520be7d96f56658172deaa3079"},
		{3, 1024, 6, "1640b932f4b60e272f5d2207b9a9c626ffa1bd88d2349016"},
	}
	for _, v := range vectors {
		key, _ := hex.DecodeString(v.hash)
		p := Params{Memory: v.memory, Time: v.time, Threads: v.threads, SaltLen: 8, KeyLen: 24}
		enc := encodeHash(p, []byte("somesalt"), key)
		ok, rehash, err := VerifyPassword("password", enc, p)
		if !ok || rehash || err != nil {
			t.Errorf("VerifyPassword(%q) = %v, %v, %v; want true, false, nil", enc, ok, rehash, err)
		}
	}
}

func TestMalformedHashes(t *testing.T) {
	good, err := HashPassword("pw", cheap)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, "$")
	salt, key := parts[4], parts[5]
	with := func(params string) string { return "$argon2id$v=19$" + params + "$" + salt + "$" + key }
	shortSalt := b64.EncodeToString([]byte("1234567"))
	shortKey := b64.EncodeToString(make([]byte, 15))

	tests := []struct{ name, encoded string }{
		{"empty", ""},
		{"garbage", "not a hash"},
		{"just dollars", "$$$$$"},
		{"bcrypt", "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"},
		{"argon2i", strings.Replace(good, "argon2id", "argon2i", 1)},
		{"argon2d", strings.Replace(good, "argon2id", "argon2d", 1)},
		{"upper case", strings.Replace(good, "argon2id", "ARGON2ID", 1)},
		{"no leading dollar", strings.TrimPrefix(good, "$")},
		{"trailing dollar", good + "$"},
		{"extra field", good + "$AAAA"},
		{"missing hash", "$argon2id$v=19$m=1024,t=1,p=1$" + salt},
		{"missing version", "$argon2id$m=1024,t=1,p=1$" + salt + "$" + key},
		{"version 16", strings.Replace(good, "v=19", "v=16", 1)},
		{"version 0x13", strings.Replace(good, "v=19", "v=0x13", 1)},
		{"version 019", strings.Replace(good, "v=19", "v=019", 1)},
		{"version empty", strings.Replace(good, "v=19", "v=", 1)},
		{"version huge", strings.Replace(good, "v=19", "v=99999999999999999999", 1)},
		{"params reordered", with("t=1,m=1024,p=1")},
		{"param missing", with("m=1024,t=1")},
		{"param extra", with("m=1024,t=1,p=1,keyid=abc")},
		{"param repeated", with("m=1024,t=1,p=1,p=1")},
		{"param trailing comma", with("m=1024,t=1,p=1,")},
		{"param spaces", with("m=1024, t=1, p=1")},
		{"param negative", with("m=-1024,t=1,p=1")},
		{"param plus", with("m=+1024,t=1,p=1")},
		{"param leading zero", with("m=01024,t=1,p=1")},
		{"param hex", with("m=0x400,t=1,p=1")},
		{"param empty", with("m=,t=1,p=1")},
		{"param overflow", with("m=18446744073709551616,t=1,p=1")},
		{"memory above 4 GiB", with("m=4194305,t=1,p=1")},
		{"memory 2^32", with("m=4294967296,t=1,p=1")},
		{"memory below 8 per lane", with("m=15,t=1,p=2")},
		{"memory zero", with("m=0,t=1,p=1")},
		{"time zero", with("m=1024,t=0,p=1")},
		{"time above 100", with("m=1024,t=101,p=1")},
		{"time huge", with("m=1024,t=4294967295,p=1")},
		{"threads zero", with("m=1024,t=1,p=0")},
		{"threads 256", with("m=4096,t=1,p=256")},
		{"salt empty", "$argon2id$v=19$m=1024,t=1,p=1$$" + key},
		{"salt short", "$argon2id$v=19$m=1024,t=1,p=1$" + shortSalt + "$" + key},
		{"salt padded", "$argon2id$v=19$m=1024,t=1,p=1$" + salt + "==$" + key},
		{"salt url alphabet", "$argon2id$v=19$m=1024,t=1,p=1$" + "ab-_ab-_ab-_ab-_ab-_aa" + "$" + key},
		{"salt bad char", "$argon2id$v=19$m=1024,t=1,p=1$" + salt[:21] + "*$" + key},
		{"salt bad length", "$argon2id$v=19$m=1024,t=1,p=1$" + salt + "AAA$" + key},
		{"salt nonzero trailing bits", "$argon2id$v=19$m=1024,t=1,p=1$AAAAAAAAAAB$" + key},
		{"hash empty", "$argon2id$v=19$m=1024,t=1,p=1$" + salt + "$"},
		{"hash short", "$argon2id$v=19$m=1024,t=1,p=1$" + salt + "$" + shortKey},
		{"hash padded", good + "="},
		{"hash newline", good + "\n"},
		{"hash inner newline", good[:len(good)-10] + "\r\n" + good[len(good)-10:]},
		{"salt space", "$argon2id$v=19$m=1024,t=1,p=1$" + salt[:11] + " " + salt[11:] + "$" + key},
		{"hash too long", "$argon2id$v=19$m=1024,t=1,p=1$" + salt + "$" + b64.EncodeToString(make([]byte, 257))},
		{"string too long", good + strings.Repeat("A", 2000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, rehash, err := VerifyPassword("pw", tt.encoded, cheap)
			if ok || rehash || err == nil {
				t.Fatalf("VerifyPassword(%q) = %v, %v, %v; want an error", tt.encoded, ok, rehash, err)
			}
			if !errors.Is(err, ErrInvalidHash) {
				t.Errorf("error %v does not wrap ErrInvalidHash", err)
			}
		})
	}
}

func TestPasswordLengthLimits(t *testing.T) {
	good, _ := HashPassword("pw", cheap)
	tests := []struct {
		name string
		pw   string
		want error
	}{
		{"empty", "", ErrEmptyPassword},
		{"too long", strings.Repeat("a", MaxPasswordBytes+1), ErrPasswordTooLong},
		{"too long multibyte", strings.Repeat("é", MaxPasswordBytes/2+1), ErrPasswordTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := HashPassword(tt.pw, cheap); !errors.Is(err, tt.want) {
				t.Errorf("HashPassword error = %v, want %v", err, tt.want)
			}
			if ok, _, err := VerifyPassword(tt.pw, good, cheap); ok || !errors.Is(err, tt.want) {
				t.Errorf("VerifyPassword = %v, %v; want false, %v", ok, err, tt.want)
			}
			DummyVerify(tt.pw, cheap) // must not panic
		})
	}
	if ErrPasswordTooLong.Error() != "password too long" {
		t.Errorf("ErrPasswordTooLong = %q", ErrPasswordTooLong)
	}
}

func TestHashPasswordInvalidParams(t *testing.T) {
	for _, p := range []Params{
		{},
		{Memory: 1024, Time: 0, Threads: 1, SaltLen: 16, KeyLen: 32},
		{Memory: 1024, Time: 1, Threads: 0, SaltLen: 16, KeyLen: 32},
		{Memory: 4, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32},
		{Memory: 1024, Time: 101, Threads: 1, SaltLen: 16, KeyLen: 32},
		{Memory: 1024, Time: 1, Threads: 1, SaltLen: 4, KeyLen: 32},
		{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 8},
		{Memory: 1<<22 + 1, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32},
	} {
		if enc, err := HashPassword("pw", p); !errors.Is(err, ErrInvalidParams) {
			t.Errorf("HashPassword(%+v) = %q, %v; want ErrInvalidParams", p, enc, err)
		}
	}
	DummyVerify("pw", Params{Memory: 8, Time: 0}) // falls back to DefaultParams, must not panic
}

// TestDummyVerifyTiming checks DummyVerify costs about what a real
// verification does. Each is timed as the minimum of several runs, which
// is robust to a busy machine, and the bound is loose.
// TestDummyVerifyWork checks that an unknown account costs the same as a
// wrong password: DummyVerify asks argon2id for exactly the work
// VerifyPassword does (one derivation, same time, memory, threads and key
// length), for valid parameters and for the invalid ones it replaces. It
// counts the work instead of timing it, so a loaded machine cannot fail
// it; BenchmarkVerify shows the times.
func TestDummyVerifyWork(t *testing.T) {
	type call struct {
		time, memory uint32
		threads      uint8
		keyLen       uint32
	}
	var calls []call
	deriveKey = func(password string, salt []byte, time, memory uint32, threads uint8, keyLen uint32) []byte {
		calls = append(calls, call{time, memory, threads, keyLen})
		return argon2idKey(password, salt, time, memory, threads, keyLen)
	}
	t.Cleanup(func() { deriveKey = argon2idKey })
	for _, p := range []Params{
		{Memory: 8 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32},
		{Memory: 16 * 1024, Time: 1, Threads: 2, SaltLen: 16, KeyLen: 32},
	} {
		enc, err := HashPassword("timing password", p)
		if err != nil {
			t.Fatal(err)
		}
		calls = nil
		_, _, _ = VerifyPassword("wrong password", enc, p)
		real := calls
		calls = nil
		DummyVerify("wrong password", p)
		if len(real) != 1 || len(calls) != 1 || real[0] != calls[0] {
			t.Errorf("params %+v: VerifyPassword derived %+v, DummyVerify %+v; want one alike", p, real, calls)
		}
	}
	// Invalid parameters: DummyVerify does DefaultParams' work, as a
	// stored default hash would cost.
	calls = nil
	DummyVerify("wrong password", Params{})
	want := call{DefaultParams.Time, DefaultParams.Memory, DefaultParams.Threads, DefaultParams.KeyLen}
	if len(calls) != 1 || calls[0] != want {
		t.Errorf("invalid params: DummyVerify derived %+v, want %+v", calls, want)
	}
	// A password refused before hashing costs nothing on either path.
	calls = nil
	DummyVerify("", DefaultParams)
	if len(calls) != 0 {
		t.Errorf("an empty password was hashed: %+v", calls)
	}
}

// BenchmarkVerify times a wrong password against a stored hash and the
// dummy verification of an unknown account, which should take alike.
func BenchmarkVerify(b *testing.B) {
	p := Params{Memory: 8 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}
	enc, err := HashPassword("timing password", p)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("wrong-password", func(b *testing.B) {
		for b.Loop() {
			_, _, _ = VerifyPassword("wrong password", enc, p)
		}
	})
	b.Run("unknown-account", func(b *testing.B) {
		for b.Loop() {
			DummyVerify("wrong password", p)
		}
	})
}

func TestCheckPasswordPolicy(t *testing.T) {
	tests := []struct {
		pw   string
		want error
	}{
		{"", ErrPolicyEmpty},
		{"short", ErrPolicyTooShort},
		{"elevenchars", ErrPolicyTooShort},
		{"ñandúñandúñ", ErrPolicyTooShort}, // 11 runes, 16 bytes
		{"密码密码密码密码密码密", ErrPolicyTooShort}, // 11 runes, 33 bytes
		{"\xff\xfe invalid utf-8 here", ErrPolicyEncoding},
		{strings.Repeat("long pass ", 103), ErrPolicyTooLong},
		{"aaaaaaaaaaaa", ErrPolicyOneChar},
		{"AAAAAAAAAAAAAAAAAAAA", ErrPolicyOneChar},
		{"            ", ErrPolicyOneChar},
		{"🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀🦀", ErrPolicyOneChar},
		{"abababababab", ErrPolicyRepetitive},
		{"123123123123", ErrPolicyRepetitive},
		{"abcdabcdabcdab", ErrPolicyRepetitive},
		{"password123456", ErrPolicyCommon},
		{"PassWord123456", ErrPolicyCommon},
		{"123456789012", ErrPolicyCommon},
		{"qwertyuiopas", ErrPolicyCommon},
		{"Administrator", ErrPolicyCommon},
		{" password1234 ", ErrPolicyCommon},
		{"correct horse battery staple", nil},
		{"twelve chars", nil},
		{"ñandúñandúña", nil},    // 12 runes
		{"我的密码是一个很长的句子", nil},    // 12 runes
		{"abcdeabcdeabcde", nil}, // a 5-character unit is let through
		{strings.Repeat("x", 511) + "y", nil},
	}
	for _, tt := range tests {
		name := tt.pw
		if len(name) > 20 {
			name = name[:20]
		}
		t.Run(name, func(t *testing.T) {
			if err := CheckPasswordPolicy(tt.pw); err != tt.want {
				t.Errorf("CheckPasswordPolicy(%q) = %v, want %v", tt.pw, err, tt.want)
			}
		})
	}
}

func TestPolicyMessagesAreSentences(t *testing.T) {
	for _, err := range []error{ErrPolicyEmpty, ErrPolicyEncoding, ErrPolicyTooLong, ErrPolicyTooShort,
		ErrPolicyOneChar, ErrPolicyRepetitive, ErrPolicyCommon} {
		msg := err.Error()
		if msg == "" || !strings.HasSuffix(msg, ".") || strings.ToUpper(msg[:1]) != msg[:1] {
			t.Errorf("message %q is not a sentence", msg)
		}
	}
}

func TestCommonPasswordList(t *testing.T) {
	if n := len(commonPasswords); n < 90 {
		t.Errorf("only %d common passwords", n)
	}
	for pw := range commonPasswords {
		// Shorter entries would be dead weight: length already rejects them.
		if utf8.RuneCountInString(pw) < MinPasswordRunes {
			t.Errorf("entry %q is shorter than %d characters", pw, MinPasswordRunes)
		}
		if pw != strings.ToLower(pw) || pw != strings.TrimSpace(pw) {
			t.Errorf("entry %q is not lower-case and trimmed", pw)
		}
		if err := CheckPasswordPolicy(pw); err == nil {
			t.Errorf("common password %q accepted", pw)
		}
	}
}

func TestTokens(t *testing.T) {
	seen := make(map[string]bool)
	tokenPattern := regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)
	hashPattern := regexp.MustCompile(`^[0-9a-f]{64}$`)
	for range 1000 {
		tok, hash := NewToken()
		if !tokenPattern.MatchString(tok) {
			t.Fatalf("token %q is not 43 characters of base64url", tok)
		}
		if !hashPattern.MatchString(hash) {
			t.Fatalf("hash %q is not 64 hex digits", hash)
		}
		if seen[tok] || seen[hash] {
			t.Fatalf("duplicate token %q", tok)
		}
		seen[tok], seen[hash] = true, true
		if HashToken(tok) != hash || HashToken(tok) != HashToken(tok) {
			t.Fatalf("HashToken(%q) is not the hash NewToken returned", tok)
		}
	}
}

func TestHashToken(t *testing.T) {
	tests := []struct{ token, want string }{
		// SHA-256("abc"), FIPS 180-2 appendix B.1.
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{"", ""},
		{strings.Repeat("a", 129), ""},
	}
	for _, tt := range tests {
		if got := HashToken(tt.token); got != tt.want {
			t.Errorf("HashToken(%.20q) = %q, want %q", tt.token, got, tt.want)
		}
	}
	if HashToken(strings.Repeat("a", 128)) == "" {
		t.Error("HashToken of 128 characters is empty")
	}
}

func TestKeyedHash(t *testing.T) {
	// RFC 4231 test case 2: HMAC-SHA-256 with key "Jefe".
	got := KeyedHash([]byte("Jefe"), "what do ya want for nothing?")
	if want := "5bdcc146bf60754e6a042426089575c7"; got != want {
		t.Errorf("KeyedHash = %q, want %q", got, want)
	}
	s1, s2 := NewSecret(), NewSecret()
	if len(s1) != 32 || bytes.Equal(s1, s2) {
		t.Fatalf("NewSecret gave %x and %x", s1, s2)
	}
	if KeyedHash(s1, "192.0.2.1") != KeyedHash(s1, "192.0.2.1") {
		t.Error("KeyedHash is not deterministic")
	}
	if KeyedHash(s1, "192.0.2.1") == KeyedHash(s2, "192.0.2.1") {
		t.Error("KeyedHash ignores the secret")
	}
}

// fakeClock is a settable clock for Limiter tests.
type fakeClock struct{ now time.Time }

func (c *fakeClock) Now() time.Time          { return c.now }
func (c *fakeClock) Advance(d time.Duration) { c.now = c.now.Add(d) }

func newTestLimiter(rate float64, burst, maxKeys int) (*Limiter, *fakeClock) {
	c := &fakeClock{now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := NewLimiter(rate, burst, maxKeys)
	l.Now = c.Now
	return l, c
}

func TestLimiterBurstAndRefill(t *testing.T) {
	// 5 attempts, then one every 3 minutes.
	l, clock := newTestLimiter(5.0/900, 5, 100)
	for i := range 5 {
		if ok, _ := l.Allow("alice"); !ok {
			t.Fatalf("attempt %d refused within the burst", i+1)
		}
	}
	ok, retry := l.Allow("alice")
	if ok {
		t.Fatal("attempt 6 allowed")
	}
	if retry < 179*time.Second || retry > 180*time.Second {
		t.Errorf("retryAfter = %v, want 3m", retry)
	}
	// Other keys are unaffected.
	if ok, _ := l.Allow("bob"); !ok {
		t.Error("bob refused")
	}
	// Refused attempts are not counted, and time brings retryAfter down.
	clock.Advance(60 * time.Second)
	if ok, retry := l.Allow("alice"); ok || retry < 119*time.Second || retry > 120*time.Second {
		t.Errorf("after 1m: Allow = %v, %v; want false, 2m", ok, retry)
	}
	clock.Advance(retry)
	if ok, retry := l.Allow("alice"); !ok {
		t.Errorf("after waiting retryAfter: refused, retryAfter %v", retry)
	}
	if ok, _ := l.Allow("alice"); ok {
		t.Error("second attempt after one refill allowed")
	}
	// A long wait refills only up to the burst.
	clock.Advance(24 * time.Hour)
	for i := range 5 {
		if ok, _ := l.Allow("alice"); !ok {
			t.Fatalf("after a day, attempt %d refused", i+1)
		}
	}
	if ok, _ := l.Allow("alice"); ok {
		t.Error("bucket refilled beyond burst")
	}
	// A clock going backwards neither refills nor panics.
	clock.Advance(-time.Hour)
	if ok, _ := l.Allow("alice"); ok {
		t.Error("clock going backwards refilled the bucket")
	}
}

func TestLimiterExactRefill(t *testing.T) {
	// Waiting exactly 1/rate must always suffice, despite float rounding.
	for _, rate := range []float64{5.0 / 900, 1.0 / 3, 0.1, 7, 1e-3} {
		l, clock := newTestLimiter(rate, 1, 10)
		l.Allow("k")
		for i := range 50 {
			ok, retry := l.Allow("k")
			if ok {
				t.Fatalf("rate %v, round %d: allowed with an empty bucket", rate, i)
			}
			clock.Advance(retry)
			if ok, retry := l.Allow("k"); !ok {
				t.Fatalf("rate %v, round %d: refused after waiting retryAfter, now %v", rate, i, retry)
			}
		}
	}
}

func TestLimiterReset(t *testing.T) {
	l, _ := newTestLimiter(1.0/60, 3, 100)
	for range 3 {
		l.Allow("alice")
	}
	if ok, _ := l.Allow("alice"); ok {
		t.Fatal("allowed beyond burst")
	}
	l.Reset("alice")
	l.Reset("nobody") // no-op
	for i := range 3 {
		if ok, _ := l.Allow("alice"); !ok {
			t.Fatalf("after Reset, attempt %d refused", i+1)
		}
	}
	if l.Len() != 1 {
		t.Errorf("Len = %d, want 1", l.Len())
	}
}

func TestLimiterMaxKeys(t *testing.T) {
	const maxKeys = 100
	l, clock := newTestLimiter(1, 2, maxKeys)
	for i := range 10000 {
		l.Allow(fmt.Sprint("key", i))
		if n := l.Len(); n > maxKeys {
			t.Fatalf("after %d keys, Len = %d > %d", i+1, n, maxKeys)
		}
		if i%1000 == 0 {
			clock.Advance(time.Millisecond)
		}
	}
	if n := l.Len(); n != maxKeys {
		t.Errorf("Len = %d, want %d", n, maxKeys)
	}
	if len(l.keys) != maxKeys {
		t.Errorf("map holds %d keys, want %d", len(l.keys), maxKeys)
	}

	// Least recently used goes first: touch "keep", then add maxKeys-1 new
	// keys; "keep" must survive with its spent bucket, the others not.
	l2, _ := newTestLimiter(1e-6, 1, 3)
	l2.Allow("keep")
	l2.Allow("old")
	l2.Allow("keep") // refused, but marks "keep" as recently used
	l2.Allow("new1")
	l2.Allow("new2") // evicts "old"
	if ok, _ := l2.Allow("keep"); ok {
		t.Error(`"keep" was evicted although recently used`)
	}
	if ok, _ := l2.Allow("old"); !ok {
		t.Error(`"old" was not evicted`)
	}
}

func TestLimiterConcurrent(t *testing.T) {
	const burst = 10
	l, _ := newTestLimiter(1e-6, burst, 50) // frozen clock: no refills
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		allowed int
	)
	for g := range 32 {
		wg.Go(func() {
			for i := range 500 {
				if ok, _ := l.Allow("shared"); ok {
					mu.Lock()
					allowed++
					mu.Unlock()
				}
				l.Allow(fmt.Sprint(g, "-", i%80))
				if i%50 == 0 {
					l.Reset(fmt.Sprint(g, "-", i%80))
				}
				if n := l.Len(); n > 50 {
					t.Errorf("Len = %d > 50", n)
				}
			}
		})
	}
	wg.Wait()
	// "shared" may have been evicted (and so refilled) by the churn of other
	// keys, but never more often than once per key it saw.
	if allowed < burst {
		t.Errorf("shared key allowed %d times, want at least %d", allowed, burst)
	}

	// With no churn, exactly burst events get through however many race.
	l2, _ := newTestLimiter(1e-6, burst, 10)
	allowed = 0
	for range 32 {
		wg.Go(func() {
			for range 100 {
				if ok, _ := l2.Allow("shared"); ok {
					mu.Lock()
					allowed++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	if allowed != burst {
		t.Errorf("shared key allowed %d times, want exactly %d", allowed, burst)
	}
}

func TestNewLimiterPanicsOnBadConfig(t *testing.T) {
	for _, c := range []struct {
		rate           float64
		burst, maxKeys int
	}{{0, 1, 1}, {-1, 1, 1}, {1, 0, 1}, {1, 1, 0}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("NewLimiter(%v, %d, %d) did not panic", c.rate, c.burst, c.maxKeys)
				}
			}()
			NewLimiter(c.rate, c.burst, c.maxKeys)
		}()
	}
}

func FuzzVerifyPassword(f *testing.F) {
	good, _ := HashPassword("password", cheap)
	for _, s := range []string{
		good,
		"",
		"$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
		"$argon2id$v=19$m=4194305,t=1,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
		"$argon2id$v=19$m=8,t=1,p=0$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
		"$argon2i$v=19$m=256,t=2,p=1$c29tZXNhbHQ$x",
		"$$$$$",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, encoded string) {
		// Well-formed hashes with a high cost are valid but would make the
		// fuzzer crawl (or allocate gigabytes); parsing them is covered.
		if h, err := decodeHash(encoded); err == nil && (h.params.Memory > 1<<14 || h.params.Time > 4) {
			t.Skip()
		}
		ok, rehash, err := VerifyPassword("password", encoded, cheap)
		if err != nil && (ok || rehash) {
			t.Errorf("VerifyPassword(%q) = %v, %v, %v", encoded, ok, rehash, err)
		}
		if err == nil {
			// Whatever parses must re-encode to itself: one spelling per hash.
			h, _ := decodeHash(encoded)
			if re := encodeHash(h.params, h.salt, h.key); re != encoded {
				t.Errorf("%q re-encodes as %q", encoded, re)
			}
		}
	})
}
