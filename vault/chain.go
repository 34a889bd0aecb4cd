package vault

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Version is one saved version of a record. The versions of a record form a
// hash chain: each names the hash of the one before it, so changing,
// removing or reordering a version breaks the chain (see VerifyChain).
type Version struct {
	RecordID string
	Number   int    // 1, 2, 3, ...
	PrevHash string // hex hash of version Number-1; "" for version 1
	Sealed   string // the encoded sealed content (Sealed.Encode)
	Meta     string // non-secret metadata in canonical form (CanonicalMeta); stored in the clear
	Hash     string // ComputeHash of the fields above
	// Detached is sealed content kept beside the version but outside its
	// hash, so that it can be erased without breaking the chain. The
	// caller binds it by putting its digest in Meta (which the hash and the
	// sealed content's associated data cover): see screening.SealSplit.
	Detached string
}

// ComputeHash returns the hex SHA-256 of v's RecordID, Number, PrevHash,
// Sealed and Meta, each length-prefixed after a domain-separation label so
// that no two different versions have the same hash input. v.Hash is not
// part of the input.
//
// The hash is unkeyed, so on its own it stops only an editor who does not
// recompute the rest of the chain. Versions sealed with VersionAD close that
// gap: their ciphertext is bound to the record ID, number, previous hash and
// metadata, so a recomputed chain no longer opens.
func ComputeHash(v Version) string {
	b := appendField(nil, "haven/vault/version/v1")
	b = appendField(b, v.RecordID)
	b = appendField(b, strconv.Itoa(v.Number))
	b = appendField(b, v.PrevHash)
	b = appendField(b, v.Sealed)
	b = appendField(b, v.Meta)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// NextVersion returns the version after prev (or version 1 when prev is nil)
// with Number, PrevHash and Hash filled in.
func NextVersion(prev *Version, recordID, sealed, meta string) Version {
	number, prevHash := nextPosition(prev)
	v := Version{RecordID: recordID, Number: number, PrevHash: prevHash, Sealed: sealed, Meta: meta}
	v.Hash = ComputeHash(v)
	return v
}

func nextPosition(prev *Version) (int, string) {
	if prev == nil {
		return 1, ""
	}
	return prev.Number + 1, prev.Hash
}

// VersionAD returns the associated data for the sealed content of a version:
// the record ID, version number, previous version's hash and metadata, each
// length-prefixed. Content sealed with it opens only at that position of
// that record's chain, with that metadata.
func VersionAD(recordID string, number int, prevHash, meta string) []byte {
	b := appendField(nil, "haven/vault/version-ad/v1")
	b = appendField(b, recordID)
	b = appendField(b, strconv.Itoa(number))
	b = appendField(b, prevHash)
	return appendField(b, meta)
}

// SealVersion seals plaintext with the current key, bound by VersionAD to its
// place after prev (nil for a new record), and returns the new version. prev
// must be the record's latest version.
func (k *Keyring) SealVersion(prev *Version, recordID string, plaintext []byte, meta string) (Version, error) {
	if prev != nil && prev.RecordID != recordID {
		return Version{}, errors.New("vault: SealVersion: previous version belongs to another record")
	}
	number, prevHash := nextPosition(prev)
	s, err := k.Seal(plaintext, VersionAD(recordID, number, prevHash, meta))
	if err != nil {
		return Version{}, err
	}
	return NextVersion(prev, recordID, s.Encode(), meta), nil
}

// OpenVersion checks v's hash and opens its content with the associated data
// VersionAD gives for v. Errors wrap ErrUnknownKey or ErrTampered. It does
// not check v's place in the chain; use VerifyChain for that.
func (k *Keyring) OpenVersion(v Version) ([]byte, error) {
	pt, _, err := k.openVersion(v)
	return pt, err
}

func (k *Keyring) openVersion(v Version) ([]byte, *ringKey, error) {
	if ComputeHash(v) != v.Hash {
		return nil, nil, fmt.Errorf("%w: hash mismatch in version %d", ErrTampered, v.Number)
	}
	s, err := DecodeSealed(v.Sealed)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrTampered, err)
	}
	return k.open(s, VersionAD(v.RecordID, v.Number, v.PrevHash, v.Meta))
}

// RotateVersion moves a record to the current key the recommended way: it
// opens head, which must be the record's latest version, and, if another key
// sealed it, seals the same content with the current key as a new version
// after head, whose Meta (for example CanonicalMeta of reason=key-rotation
// and a time) records why. The bool reports whether a new version was made;
// when false the returned version is head and nothing needs writing. Earlier
// versions stay under their old keys, so keep those keys in the keyring for
// as long as that history must stay readable.
func (k *Keyring) RotateVersion(head Version, meta string) (Version, bool, error) {
	pt, rk, err := k.openVersion(head)
	if err != nil {
		return Version{}, false, err
	}
	defer clear(pt)
	if rk == k.current {
		return head, false, nil
	}
	v, err := k.SealVersion(&head, head.RecordID, pt, meta)
	if err != nil {
		return Version{}, false, err
	}
	return v, true, nil
}

// Break is a fault VerifyChain found at version Number of record RecordID.
type Break struct {
	RecordID string
	Number   int
	Reason   string
}

// Reasons reported in Break.Reason. A broken link reads
// "broken link to version N-1" with N-1 as a number.
const (
	ReasonHashMismatch   = "hash mismatch"
	ReasonNotConsecutive = "version numbers not consecutive"
	ReasonFirstHasPrev   = "first version has a previous hash"
	ReasonOtherRecord    = "version belongs to another record"
)

func reasonBrokenLink(n int) string { return fmt.Sprintf("broken link to version %d", n) }

// VerifyChain checks the versions of one record, given in any order (they
// are sorted by Number; the slice is not modified), and returns every fault
// found, in version order, or nil if the chain is intact:
//
//   - "hash mismatch": the stored Hash is not ComputeHash of the version, so
//     one of its fields was changed;
//   - "version numbers not consecutive": a version is missing (including
//     version 1) or repeated, or a number was changed;
//   - "broken link to version N-1": PrevHash is not the Hash of version N-1;
//   - "first version has a previous hash": version 1 has a PrevHash;
//   - "version belongs to another record": the version's RecordID differs
//     from that of most versions in the slice.
//
// VerifyChain cannot see that the newest versions were deleted; compare the
// head with one recorded elsewhere. Nor does it open sealed content: a chain
// rewritten with recomputed hashes passes VerifyChain, and only OpenVersion
// detects it.
func VerifyChain(versions []Version) []Break {
	if len(versions) == 0 {
		return nil
	}
	vs := slices.Clone(versions)
	sort.SliceStable(vs, func(i, j int) bool { return vs[i].Number < vs[j].Number })
	owner := majorityRecordID(vs)

	var breaks []Break
	add := func(v Version, reason string) {
		breaks = append(breaks, Break{RecordID: v.RecordID, Number: v.Number, Reason: reason})
	}
	for i, v := range vs {
		if v.RecordID != owner {
			add(v, ReasonOtherRecord)
		}
		if ComputeHash(v) != v.Hash {
			add(v, ReasonHashMismatch)
		}
		if i == 0 {
			switch {
			case v.Number != 1:
				add(v, ReasonNotConsecutive)
			case v.PrevHash != "":
				add(v, ReasonFirstHasPrev)
			}
			continue
		}
		prev := vs[i-1]
		switch {
		case v.Number != prev.Number+1:
			add(v, ReasonNotConsecutive)
		case v.PrevHash != prev.Hash:
			add(v, reasonBrokenLink(prev.Number))
		}
	}
	return breaks
}

// majorityRecordID returns the most common RecordID in vs (sorted by
// Number); on a tie, the one of the lowest-numbered version.
func majorityRecordID(vs []Version) string {
	count := make(map[string]int)
	for _, v := range vs {
		count[v.RecordID]++
	}
	best := vs[0].RecordID
	for _, v := range vs {
		if count[v.RecordID] > count[best] {
			best = v.RecordID
		}
	}
	return best
}

// CanonicalMeta returns m in the canonical form stored in Version.Meta:
// "key=value" pairs sorted by key and joined by ";", with keys and values
// query-escaped, so "=" and ";" inside them cannot be confused with the
// separators and equal maps always give equal strings (and hashes).
// An empty or nil map gives "".
func CanonicalMeta(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(url.QueryEscape(k))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(m[k]))
	}
	return b.String()
}

// ParseMeta parses metadata written by CanonicalMeta. It rejects anything not
// in canonical form, so one map has exactly one stored form.
func ParseMeta(s string) (map[string]string, error) {
	m := make(map[string]string)
	if s == "" {
		return m, nil
	}
	for _, pair := range strings.Split(s, ";") {
		ek, ev, ok := strings.Cut(pair, "=")
		if !ok {
			return nil, errors.New("vault: metadata: a pair has no '='")
		}
		k, err1 := url.QueryUnescape(ek)
		v, err2 := url.QueryUnescape(ev)
		if err1 != nil || err2 != nil {
			return nil, errors.New("vault: metadata: bad escape")
		}
		if _, dup := m[k]; dup {
			return nil, fmt.Errorf("vault: metadata: repeated key %q", k)
		}
		m[k] = v
	}
	if CanonicalMeta(m) != s {
		return nil, errors.New("vault: metadata: not in canonical form")
	}
	return m, nil
}
