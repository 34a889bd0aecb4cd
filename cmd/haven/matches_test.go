package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"haven/internal/testpg"
)

// TestMatchesTwoSources imports one package from two sources, as two
// coalitions might list the same services, and checks on both engines that
// `haven matches` pairs each service with its twin, that `haven merge`
// folds one into the other keeping both sources' ids in the export, and
// that `haven unmerge` brings it back.
func TestMatchesTwoSources(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) {
		db := e.Fresh(t)
		pkg := filepath.Join("..", "..", "intake", "testdata", "county211-sample")
		MustRunMain(t, db, "import", "--source", "county211", pkg)
		MustRunMain(t, db, "import", "--source", "statewide", pkg)

		var got struct {
			Total int         `json:"total"`
			Pairs []matchJSON `json:"pairs"`
		}
		out := MustRunMain(t, db, "matches", "--json")
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("matches --json: %v\n%s", err, out)
		}
		twins := 0
		for _, p := range got.Pairs {
			if p.A.Name == p.B.Name && p.A.Organization == p.B.Organization {
				twins++
			}
		}
		if twins != 4 || got.Total != len(got.Pairs) {
			t.Fatalf("%d twins of 4 among %d pairs (total %d):\n%s", twins, len(got.Pairs), got.Total, out)
		}
		first := got.Pairs[0]
		if text := MustRunMain(t, db, "matches", "--min-score", "0.9", "--limit", "1"); !strings.Contains(text, first.A.ID) ||
			!strings.Contains(text, "because ") || !strings.Contains(text, "(1 shown)") {
			t.Errorf("matches as text:\n%s", text)
		}

		out = MustRunMain(t, db, "merge", first.A.ID, first.B.ID, "--take", "description")
		head := strings.Fields(strings.SplitN(out, "\n", 2)[0]) // merged B into A (merge ID)
		mergeID := strings.TrimSuffix(head[len(head)-1], ")")
		if !strings.HasPrefix(out, "merged "+first.B.ID+" into "+first.A.ID) {
			t.Fatalf("merge: %s", out)
		}
		export := MustRunMain(t, db, "export", "--format", "ndjson", "--out", "-")
		if strings.Contains(export, `"id":"`+first.B.ID+`"`) {
			t.Error("the export still lists the merged-away service")
		}
		for _, line := range strings.Split(export, "\n") {
			if strings.Contains(line, `"id":"`+first.A.ID+`"`) {
				for _, want := range []string{"source county211", "source statewide", `"last_action_type":"merge"`} {
					if !strings.Contains(line, want) {
						t.Errorf("the survivor's record lacks %q", want)
					}
				}
			}
		}
		if again := MustRunMain(t, db, "matches", "--json"); strings.Contains(again, first.B.ID) {
			t.Error("the merged-away service is still paired")
		}
		if _, err := runMain(db, "merge", first.A.ID, first.B.ID); err == nil || !strings.Contains(err.Error(), "already merged") {
			t.Errorf("merging twice: %v", err)
		}

		if out := MustRunMain(t, db, "unmerge", mergeID); !strings.Contains(out, "undid merge "+mergeID) {
			t.Errorf("unmerge: %s", out)
		}
		if after := MustRunMain(t, db, "export", "--format", "ndjson", "--out", "-"); !strings.Contains(after, `"id":"`+first.B.ID+`"`) {
			t.Error("the merged-away service is not back after unmerge")
		}
		for _, bad := range [][]string{{"matches", "--min-score", "2"}, {"merge", first.A.ID}, {"unmerge", "nope"}} {
			if _, err := runMain(db, bad...); err == nil {
				t.Errorf("haven %v succeeded", bad)
			}
		}
	})
}
