package screening

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"haven/vault"
)

// Note text kept apart. A record's note text is what a court, or someone
// who should never read it, would most want from it; an organization may
// choose to keep notes minimal ("haven serve --screening-minimal-notes"),
// so that amending a record keeps the current notes only and erases the
// note text of earlier versions.
//
// Erasing part of a sealed, hash-chained version would break the chain, so
// SealSplit seals the note text apart, in the version's Detached part,
// which the hash does not cover, and puts the Detached part's SHA-256 in
// the version's metadata, which the hash and the main content's associated
// data do cover. A version that erased the note text of those before it
// says so in its own metadata (prior_notes=erased). Verify then accepts a
// missing Detached part only where a later version of the chain says it
// erased it; a Detached part that was changed, moved or removed otherwise
// is a fault. Since an edit to any metadata fails the hash and, with the
// key, the sealed content, no one without the key can erase notes and
// make it look like policy.
//
// The note text is the record's top-level "notes" member (see Record),
// whatever the record's format; a format that keeps notes elsewhere keeps
// them in the main content, where nothing erases them.

// Metadata keys of the detached notes.
const (
	metaNotes      = "notes"       // hex SHA-256 of Version.Detached
	metaPriorNotes = "prior_notes" // "erased" when this version erased the notes before it
)

// notesMember is the record member kept apart.
const notesMember = "notes"

// notesAD binds the detached notes to their record and place in the chain.
func notesAD(recordID string, number int, prevHash string) []byte {
	return vault.VersionAD(recordID, number, prevHash, "haven/screening/detached-notes/v1")
}

func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// splitNotes takes the notes member out of the JSON object pt. notes is
// nil when there is none (or it is null or empty).
func splitNotes(pt []byte) (main, notes []byte, err error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(pt, &m); err != nil {
		return nil, nil, fmt.Errorf("screening record: %w", err)
	}
	n, ok := m[notesMember]
	if !ok {
		return pt, nil, nil
	}
	delete(m, notesMember)
	if main, err = json.Marshal(m); err != nil {
		return nil, nil, err
	}
	if t := bytes.TrimSpace(n); bytes.Equal(t, []byte("null")) || bytes.Equal(t, []byte("{}")) {
		return main, nil, nil
	}
	return main, n, nil
}

// mergeNotes puts notes back into the JSON object main.
func mergeNotes(main, notes []byte) ([]byte, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(main, &m); err != nil {
		return nil, fmt.Errorf("screening record: %w", err)
	}
	if _, dup := m[notesMember]; dup {
		return nil, errors.New("screening record: notes both in the version and beside it")
	}
	m[notesMember] = notes
	return json.Marshal(m)
}

// SealSplit returns the function that seals the record plaintext pt (a
// JSON object, such as Record.Encode gives) as the version after prev of
// record id, with its notes apart (see the top of this file). With
// erasePrior, the version says that it erased the note text of the
// versions before it, and the store erases them as it saves it.
func SealSplit(keys *vault.Keyring, pt []byte, reason string, at time.Time, erasePrior bool) func(prev *vault.Version, id string) (vault.Version, error) {
	return func(prev *vault.Version, id string) (vault.Version, error) {
		if prev == nil {
			reason, erasePrior = ReasonSave, false
		}
		main, notes, err := splitNotes(pt)
		if err != nil {
			return vault.Version{}, err
		}
		defer clear(main)
		number, prevHash := 1, ""
		if prev != nil {
			number, prevHash = prev.Number+1, prev.Hash
		}
		meta := map[string]string{"reason": reason, "at": at.UTC().Format(time.RFC3339)}
		var detached string
		if notes != nil {
			s, err := keys.Seal(notes, notesAD(id, number, prevHash))
			if err != nil {
				return vault.Version{}, err
			}
			detached = s.Encode()
			meta[metaNotes] = digest(detached)
		}
		if erasePrior {
			meta[metaPriorNotes] = "erased"
		}
		v, err := keys.SealVersion(prev, id, main, vault.CanonicalMeta(meta))
		v.Detached = detached
		return v, err
	}
}

// ErasesPriorNotes reports whether v erased the note text of the versions
// before it.
func ErasesPriorNotes(v vault.Version) bool {
	m, err := vault.ParseMeta(v.Meta)
	return err == nil && m[metaPriorNotes] == "erased"
}

// NotesErased reports whether v had note text that has since been erased.
func NotesErased(v vault.Version) bool {
	m, err := vault.ParseMeta(v.Meta)
	return err == nil && m[metaNotes] != "" && v.Detached == ""
}

// OpenPlaintext opens version v with its notes, when they were kept apart
// and not erased, and returns the record's plaintext. Errors wrap
// vault.ErrUnknownKey or vault.ErrTampered.
func OpenPlaintext(keys *vault.Keyring, v vault.Version) ([]byte, error) {
	main, err := keys.OpenVersion(v)
	if err != nil {
		return nil, err
	}
	want := ""
	if m, err := vault.ParseMeta(v.Meta); err == nil {
		want = m[metaNotes]
	}
	switch {
	case want == "" && v.Detached == "":
		return main, nil
	case want == "":
		return nil, fmt.Errorf("%w: notes beside version %d, which names none", vault.ErrTampered, v.Number)
	case v.Detached == "":
		return main, nil // erased: Verify checks that a later version says so
	case digest(v.Detached) != want:
		return nil, fmt.Errorf("%w: the notes beside version %d are not the ones it names", vault.ErrTampered, v.Number)
	}
	defer clear(main)
	notes, err := openDetached(keys, v)
	if err != nil {
		return nil, err
	}
	defer clear(notes)
	return mergeNotes(main, notes)
}

func openDetached(keys *vault.Keyring, v vault.Version) ([]byte, error) {
	s, err := vault.DecodeSealed(v.Detached)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", vault.ErrTampered, err)
	}
	return keys.Open(s, notesAD(v.RecordID, v.Number, v.PrevHash))
}

// checkDetached reports what is wrong with the detached notes of vs (one
// record's versions, in order), as (version number, reason) pairs.
func checkDetached(vs []vault.Version, keys *vault.Keyring) map[int]string {
	out := map[int]string{}
	erasedBefore := 0 // every version below this number had its notes erased by policy
	for _, v := range vs {
		if ErasesPriorNotes(v) {
			erasedBefore = v.Number
		}
	}
	for _, v := range vs {
		m, err := vault.ParseMeta(v.Meta)
		if err != nil {
			continue // VerifyChain and OpenVersion report bad metadata
		}
		want := m[metaNotes]
		switch {
		case want == "" && v.Detached != "":
			out[v.Number] = "notes stored beside a version that names none"
		case want != "" && v.Detached == "" && v.Number >= erasedBefore:
			out[v.Number] = "note text missing, and no later version erased it"
		case want != "" && v.Detached != "" && digest(v.Detached) != want:
			out[v.Number] = "the notes beside the version are not the ones it names"
		case want != "" && v.Detached != "" && keys != nil:
			if _, err := openDetached(keys, v); err != nil && !errors.Is(err, vault.ErrUnknownKey) {
				out[v.Number] = "the notes beside the version do not open: they were changed or moved"
			}
		}
	}
	return out
}
