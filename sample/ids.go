package sample

import (
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"math/bits"
	"strings"
)

// key is 128 bits from which an id and a random stream derive.
type key struct{ hi, lo uint64 }

// Kinds of entity that get a key of their own from (seed, index).
const (
	kindService   = 's'
	kindOrg       = 'o'
	kindCatDeck   = 'c'
	kindPlaceDeck = 'p'
)

// Roles of the objects derived from a service's or organization's key.
const (
	roleSAL = iota + 1
	roleLocation
	roleAddress
	roleAccessibility
	rolePhone
	roleSchedule
	roleLanguage
	roleAttribute
	roleCostOption
	roleDocument
	roleServiceArea
	roleContact
)

// namespace is the name-space UUID of the sample's name-based ids.
var namespace = uuidBytes("b8f4a1d2-3c5e-4f60-9a7b-1d2e3f4a5b6c")

func uuidBytes(s string) (b [16]byte) {
	raw, err := hex.DecodeString(strings.ReplaceAll(s, "-", ""))
	if err != nil || len(raw) != 16 {
		panic("sample: bad UUID " + s)
	}
	copy(b[:], raw)
	return b
}

// v5 returns the name-based (SHA-1, version 5) key of name in ns, as in
// RFC 9562.
func v5(ns [16]byte, name []byte) key {
	h := sha1.New()
	h.Write(ns[:])
	h.Write(name)
	var sum [sha1.Size]byte
	h.Sum(sum[:0])
	return key{binary.BigEndian.Uint64(sum[0:8]), binary.BigEndian.Uint64(sum[8:16])}
}

// newKey is the key of entity number index of a kind: the SHA-1 of the
// namespace, the kind, the seed and the index, so its uuid is a version 5
// UUID.
func newKey(seed int64, kind byte, index uint64) key {
	var b [16 + 1 + 8 + 8]byte
	copy(b[:], namespace[:])
	b[16] = kind
	binary.BigEndian.PutUint64(b[17:], uint64(seed))
	binary.BigEndian.PutUint64(b[25:], index)
	sum := sha1.Sum(b[:])
	return key{binary.BigEndian.Uint64(sum[0:8]), binary.BigEndian.Uint64(sum[8:16])}
}

// mix64 is the SplitMix64 finalizer, a bijection of 64-bit integers.
func mix64(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// child derives the key of the n-th object of a role from k. For one k,
// different (role, n) give different hi halves, since every step is a
// bijection; a SHA-1 per nested object would cost more than everything
// else together.
func (k key) child(role, n uint64) key {
	x := role<<32 | n
	hi := mix64(k.hi + x*0x9e3779b97f4a7c15)
	lo := mix64(k.lo ^ hi + (x+1)*0xc2b2ae3d27d4eb4f)
	return key{hi, lo}
}

const hexDigits = "0123456789abcdef"

// uuid formats k as a UUID with the version 5 and RFC 9562 variant bits.
func (k key) uuid() string {
	var b [36]byte
	return string(k.appendUUID(b[:0]))
}

// appendUUID appends k formatted as by uuid.
func (k key) appendUUID(dst []byte) []byte {
	hi := k.hi&^0xf000 | 0x5000
	lo := k.lo&^(0xc<<60) | 0x8<<60
	n := len(dst)
	dst = append(dst, make([]byte, 36)...)
	b := dst[n:]
	putHex(b[0:8], hi>>32)
	b[8] = '-'
	putHex(b[9:13], hi>>16)
	b[13] = '-'
	putHex(b[14:18], hi)
	b[18] = '-'
	putHex(b[19:23], lo>>48)
	b[23] = '-'
	putHex(b[24:36], lo)
	return dst
}

// putHex writes the low 4·len(dst) bits of v as hex digits.
func putHex(dst []byte, v uint64) {
	for i := len(dst) - 1; i >= 0; i-- {
		dst[i] = hexDigits[v&0xf]
		v >>= 4
	}
}

// rng is a SplitMix64 stream: fast, allocation-free and the same on every
// platform and Go version.
type rng struct{ s uint64 }

func (k key) rng() rng { return rng{k.hi ^ bits.RotateLeft64(k.lo, 29)} }

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	return mix64(r.s)
}

// intn returns a number in [0, n); n must be above 0.
func (r *rng) intn(n int) int {
	hi, _ := bits.Mul64(r.next(), uint64(n))
	return int(hi)
}

// float returns a number in [0, 1).
func (r *rng) float() float64 { return float64(r.next()>>11) * 0x1p-53 }

// chance reports true with probability p.
func (r *rng) chance(p float64) bool { return r.float() < p }

func pick[T any](r *rng, xs []T) T { return xs[r.intn(len(xs))] }
