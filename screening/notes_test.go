package screening_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"haven"
	"haven/screening"
	"haven/vault"
)

// splitChain saves three versions of one record with notes sealed apart:
// the third with erase (the minimal-notes setting), erasing the notes of
// the first two as the store does.
func splitChain(t *testing.T, keys *vault.Keyring, erase bool) []vault.Version {
	t.Helper()
	const id = "00000000-0000-4000-8000-000000000003"
	var vs []vault.Version
	var prev *vault.Version
	for i, note := range []string{"first note", "second note", "third note"} {
		pt, _ := json.Marshal(map[string]any{"format": 1, "reference": "SAMPLE-3 (fictional test data)", "notes": map[string]string{"doc-taken": note}})
		reason := screening.ReasonAmend
		v, err := screening.SealSplit(keys, pt, reason, time.Now(), erase && i == 2)(prev, id)
		if err != nil {
			t.Fatal(err)
		}
		if v.Detached == "" || strings.Contains(v.Sealed+v.Detached+v.Meta, note) {
			t.Fatalf("version %d: notes not sealed apart, or in the clear", v.Number)
		}
		if erase && i == 2 {
			for j := range vs {
				vs[j].Detached = ""
			}
		}
		vs = append(vs, v)
		prev = &vs[len(vs)-1]
	}
	return vs
}

func chains(vs []vault.Version) (map[string]*screening.Chain, map[string]screening.Trail) {
	id := vs[0].RecordID
	head := vs[len(vs)-1]
	saved := map[int]string{}
	for _, v := range vs {
		saved[v.Number] = v.Hash
	}
	return map[string]*screening.Chain{id: {Record: &haven.ScreeningRecord{ID: id, Versions: head.Number, HeadHash: head.Hash}, Versions: vs}},
		map[string]screening.Trail{id: {Saved: saved}}
}

// TestMinimalNotes: erasing earlier note text under the setting leaves a
// chain that verifies and a head that opens whole; the same erasure
// without the setting, a changed or swapped note, or the head's notes
// removed are faults.
func TestMinimalNotes(t *testing.T) {
	keys := mustKeyring(t, testKey)
	other, _ := vault.NewKey()

	vs := splitChain(t, keys, true)
	c, tr := chains(vs)
	if p := screening.Verify(c, tr, keys); p != nil {
		t.Fatalf("notes erased by the setting reported: %v", p)
	}
	head, err := screening.OpenPlaintext(keys, vs[2])
	if err != nil || !strings.Contains(string(head), "third note") {
		t.Fatalf("the head does not open with its notes: %s %v", head, err)
	}
	first, err := screening.OpenPlaintext(keys, vs[0])
	if err != nil || strings.Contains(string(first), "first note") || !strings.Contains(string(first), "SAMPLE-3") {
		t.Fatalf("the first version after erasure: %s %v", first, err)
	}
	if !screening.NotesErased(vs[0]) || screening.NotesErased(vs[2]) || !screening.ErasesPriorNotes(vs[2]) {
		t.Error("NotesErased or ErasesPriorNotes wrong")
	}

	for _, tc := range []struct {
		name   string
		change func(vs []vault.Version)
		erase  bool
		keys   *vault.Keyring
		want   string
	}{
		{"erased without the setting", func(vs []vault.Version) { vs[0].Detached = "" }, false, keys, "no later version erased it"},
		{"the head's notes erased", func(vs []vault.Version) { vs[2].Detached = "" }, true, keys, "no later version erased it"},
		{"a note changed", func(vs []vault.Version) { vs[1].Detached = vs[1].Detached[:len(vs[1].Detached)-2] + "AA" }, false, keys, "not the ones it names"},
		{"notes swapped between versions", func(vs []vault.Version) { vs[0].Detached, vs[1].Detached = vs[1].Detached, vs[0].Detached }, false, keys, "not the ones it names"},
		{"notes with a byte added", func(vs []vault.Version) { vs[2].Detached = vs[2].Detached + "x" }, false, keys, "not the ones it names"},
		{"the key is another (structure still checked)", func(vs []vault.Version) { vs[0].Detached = "" }, false, vault.NewKeyring(other), "no later version erased it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vs := splitChain(t, keys, tc.erase)
			tc.change(vs)
			c, tr := chains(vs)
			p := screening.Verify(c, tr, tc.keys)
			found := false
			for _, x := range p {
				found = found || strings.Contains(x.Reason, tc.want)
			}
			if !found {
				t.Errorf("problems %v, want one saying %q", p, tc.want)
			}
		})
	}
	// Opening a version whose notes were changed fails as tampering.
	vs = splitChain(t, keys, false)
	vs[1].Detached = vs[0].Detached
	if _, err := screening.OpenPlaintext(keys, vs[1]); err == nil {
		t.Error("notes moved from another version opened")
	}
	// A record without notes keeps nothing apart.
	v, err := screening.SealSplit(keys, []byte(`{"format":1}`), screening.ReasonSave, time.Now(), false)(nil, "00000000-0000-4000-8000-000000000004")
	if err != nil || v.Detached != "" || strings.Contains(v.Meta, "notes") {
		t.Errorf("a record without notes: %+v %v", v, err)
	}
}
