package countries

import (
	"fmt"
	"strings"
	"testing"

	"haven"
)

func TestEmbeddedTables(t *testing.T) {
	tiers := Tiers()
	if len(tiers) != 188 {
		t.Fatalf("tiers: %d rows, want the report's 188", len(tiers))
	}
	count := map[string]int{}
	for _, tr := range tiers {
		count[tr.Tier]++
		if tr.Year != 2025 {
			t.Errorf("%s: year %d", tr.Country, tr.Year)
		}
		if RegionOf(tr.Country) == "" {
			t.Errorf("%s has no region: the world map would leave it out", tr.Country)
		}
	}
	want := map[string]int{haven.Tier1: 33, haven.Tier2: 106, haven.Tier2Watch: 25, haven.Tier3: 20, haven.TierSpecial: 4}
	if fmt.Sprint(count) != fmt.Sprint(want) {
		t.Errorf("tiers counted %v, want %v", count, want)
	}
	hot := Hotlines()
	if len(hot) < 30 {
		t.Errorf("hotlines: %d rows", len(hot))
	}
	for _, h := range hot {
		if h.Checked != "2026-12-06" || h.Note == "" || h.NoteES == "" {
			t.Errorf("hotline %s %q: checked %q, notes %q / %q", h.Country, h.Name, h.Checked, h.Note, h.NoteES)
		}
	}
}

func TestLayoutHasNoOverlap(t *testing.T) {
	var codes []string
	for _, tr := range Tiers() {
		codes = append(codes, tr.Country)
	}
	tiles, cols, rows := Layout(codes)
	if len(tiles) != len(codes) {
		t.Fatalf("%d tiles for %d countries", len(tiles), len(codes))
	}
	at := map[[2]int]string{}
	for _, tl := range tiles {
		k := [2]int{tl.Col, tl.Row}
		if other, ok := at[k]; ok {
			t.Errorf("%s and %s share the tile %v", tl.Code, other, k)
		}
		at[k] = tl.Code
		// A block's label sits in the row above it: no tile may be there.
		for _, r := range Regions {
			if tl.Row == r.Row-1 && tl.Col >= r.Col && tl.Col < r.Col+r.Cols {
				t.Errorf("%s covers the label of region %s", tl.Code, r.Key)
			}
		}
	}
	if cols > 30 || rows > 20 {
		t.Errorf("map of %d×%d tiles", cols, rows)
	}
}

func TestParseTiersErrors(t *testing.T) {
	const head = "country\tiso2\ttier\treport_year\tsource\n"
	for _, c := range []struct{ name, in, want string }{
		{"empty", "", "empty file"},
		{"header only", head, "no rows"},
		{"no tier column", "iso2\treport_year\tsource\nFR\t2025\tx\n", `row 1: no column "tier"`},
		{"bad code", head + "France\tFX\t1\t2025\tx\n", "row 2, field iso2"},
		{"lower-case code", head + "France\tfr\t1\t2025\tx\n", "row 2, field iso2"},
		{"duplicate", head + "France\tFR\t1\t2025\tx\nFrance\tFR\t2\t2025\tx\n", "row 3, field iso2: FR is listed again (first on row 2)"},
		{"bad tier", head + "France\tFR\t4\t2025\tx\n", `row 2, field tier: "4" is not a tier`},
		{"bad year", head + "France\tFR\t1\t25\tx\n", "row 2, field report_year"},
		{"no source", head + "France\tFR\t1\t2025\t\n", "row 2, field source"},
		{"short row", head + "France\tFR\t1\n", "row 2, field report_year"},
		{"not utf-8", head + "Fr\xffance\tFR\t1\t2025\tx\n", "row 2: not UTF-8"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseTiers("new.tsv", strings.NewReader(c.in))
			if err == nil || haven.ErrorCode(err) != haven.EINVALID || !strings.Contains(err.Error(), "new.tsv: "+c.want) && !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want EINVALID with %q", err, c.want)
			}
			if !strings.HasPrefix(haven.ErrorMessage(err), "new.tsv: ") {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
}

func TestParseTiersAccepts(t *testing.T) {
	in := "iso2\ttier\treport_year\tsource\r\nXK\tTier 2 Watch List\t2026\thttps://example.org/\r\n\r\nHT\tSpecial Case\t2026\tx\r\n"
	got, err := ParseTiers("t.tsv", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []haven.CountryTier{{Country: "XK", Tier: haven.Tier2Watch, Year: 2026, Source: "https://example.org/"}, {Country: "HT", Tier: haven.TierSpecial, Year: 2026, Source: "x"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func FuzzParseTiers(f *testing.F) {
	f.Add(tiersTSV[:2000])
	f.Add("iso2\ttier\treport_year\tsource\nFR\t1\t2025\tx\n")
	f.Fuzz(func(t *testing.T, in string) {
		tiers, err := ParseTiers("f.tsv", strings.NewReader(in))
		if err != nil {
			if haven.ErrorCode(err) != haven.EINVALID {
				t.Fatalf("error code %s: %v", haven.ErrorCode(err), err)
			}
			return
		}
		if len(tiers) == 0 {
			t.Fatal("accepted an empty table")
		}
		for _, tr := range tiers {
			if !Known(tr.Country) || tr.Source == "" || tierNames[strings.ToLower(tr.Tier)] == "" {
				t.Fatalf("accepted %+v", tr)
			}
		}
	})
}

func FuzzParseHotlines(f *testing.F) {
	f.Add(hotlinesTSV[:1500])
	f.Fuzz(func(t *testing.T, in string) {
		hs, err := ParseHotlines("f.tsv", strings.NewReader(in))
		if err != nil {
			if haven.ErrorCode(err) != haven.EINVALID || !strings.HasPrefix(haven.ErrorMessage(err), "f.tsv: ") {
				t.Fatalf("error %v", err)
			}
			return
		}
		for _, h := range hs {
			if !Known(h.Country) || h.Name == "" || !strings.ContainsAny(h.Phone, "0123456789") || !dateRE.MatchString(h.Checked) {
				t.Fatalf("accepted %+v", h)
			}
		}
	})
}
