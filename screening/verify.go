package screening

import (
	"errors"
	"fmt"
	"slices"
	"sort"

	"haven"
	"haven/vault"
)

// Chain is one saved record as the database holds it: its header row and
// its versions. Record is nil when versions exist without a header.
type Chain struct {
	Record   *haven.ScreeningRecord
	Versions []vault.Version
}

// Trail is what the append-only audit trail says of one record: the hash
// of every version it saw saved, and whether the record was purged.
type Trail struct {
	Saved  map[int]string // version number to hash
	Purged bool
}

// Problem is one fault Verify found in one record.
type Problem struct {
	RecordID string
	Version  int // 0 when the fault is the record's, not one version's
	Reason   string
}

func (p Problem) String() string {
	if p.Version == 0 {
		return fmt.Sprintf("record %s: %s", p.RecordID, p.Reason)
	}
	return fmt.Sprintf("record %s, version %d: %s", p.RecordID, p.Version, p.Reason)
}

// Verify checks every record's evidence and returns the faults, sorted by
// record and version, or nil when all is intact. It checks that:
//
//   - each chain of versions is whole: hashes match, numbers run from 1
//     without a gap, and each version names its predecessor's hash
//     (vault.VerifyChain);
//   - the header row names the chain's last version;
//   - every version the audit trail saw saved is still there, with the same
//     hash, so versions deleted from the end of a chain are found;
//   - no record the trail saw saved has vanished without a purge;
//   - note text kept beside a version (SealSplit) is the text the version
//     names, and is missing only where a later version says it erased it;
//   - with keys, every version's sealed content opens, so content or
//     metadata rewritten with recomputed hashes is found too.
//
// keys may be nil: the structural checks need no key.
func Verify(chains map[string]*Chain, trails map[string]Trail, keys *vault.Keyring) []Problem {
	var out []Problem
	add := func(id string, n int, format string, args ...any) {
		out = append(out, Problem{RecordID: id, Version: n, Reason: fmt.Sprintf(format, args...)})
	}
	for id, c := range chains {
		vs := slices.Clone(c.Versions)
		sort.Slice(vs, func(i, j int) bool { return vs[i].Number < vs[j].Number })
		if c.Record == nil {
			add(id, 0, "versions without a record row")
		}
		if len(vs) == 0 {
			add(id, 0, "the record has no versions")
			continue
		}
		for _, b := range vault.VerifyChain(vs) {
			add(id, b.Number, "%s", b.Reason)
		}
		for n, reason := range checkDetached(vs, keys) {
			add(id, n, "%s", reason)
		}
		last := vs[len(vs)-1]
		if c.Record != nil && (c.Record.Versions != last.Number || c.Record.HeadHash != last.Hash) {
			add(id, 0, "the record row names version %d, but the chain ends at version %d", c.Record.Versions, last.Number)
		}
		byNumber := make(map[int]vault.Version, len(vs))
		for _, v := range vs {
			byNumber[v.Number] = v
		}
		t := trails[id]
		numbers := make([]int, 0, len(t.Saved))
		for n := range t.Saved {
			numbers = append(numbers, n)
		}
		slices.Sort(numbers)
		for _, n := range numbers {
			v, ok := byNumber[n]
			switch {
			case !ok:
				add(id, n, "missing: the audit trail shows it saved")
			case v.Hash != t.Saved[n]:
				add(id, n, "differs from the version the audit trail saw saved")
			}
		}
		if keys != nil {
			for _, v := range vs {
				if _, err := keys.OpenVersion(v); err != nil {
					if errors.Is(err, vault.ErrUnknownKey) {
						add(id, v.Number, "sealed with a key this keyring lacks")
					} else {
						add(id, v.Number, "content does not open: it was changed or moved")
					}
				}
			}
		}
	}
	for id, t := range trails {
		if _, ok := chains[id]; !ok && !t.Purged && len(t.Saved) > 0 {
			add(id, 0, "missing: the audit trail shows it saved and never purged")
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].RecordID != out[j].RecordID {
			return out[i].RecordID < out[j].RecordID
		}
		return out[i].Version < out[j].Version
	})
	return out
}
