// Package countries holds the facts behind Haven's country pages, embedded
// in the binary: each country's tier in the U.S. Department of State's
// Trafficking in Persons Report 2025, national hotlines with the date they
// were checked, and a region for the world tile map. See SOURCE.md for
// where each file comes from.
package countries

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"haven"
	"haven/geo"
)

//go:embed tiers-2025.tsv
var tiersTSV string

//go:embed hotlines.tsv
var hotlinesTSV string

// CountryHotline is a hotline of the embedded table, with its country.
type CountryHotline struct {
	Country string
	haven.CountryHotline
}

// Tiers returns the embedded table of tiers (TIP Report 2025).
func Tiers() []haven.CountryTier {
	t, err := ParseTiers("tiers-2025.tsv", strings.NewReader(tiersTSV))
	if err != nil {
		panic(err) // embedded and tested: a broken table is a build mistake
	}
	return t
}

// Hotlines returns the embedded table of national hotlines.
func Hotlines() []CountryHotline {
	h, err := ParseHotlines("hotlines.tsv", strings.NewReader(hotlinesTSV))
	if err != nil {
		panic(err)
	}
	return h
}

// Known reports whether Haven has a page for code: an ISO 3166-1 country,
// or Kosovo's user-assigned code XK, which the report ranks.
func Known(code string) bool {
	return code == "XK" || geo.ValidCountry(code) && strings.ToUpper(code) == code
}

// Name is a country's short name in lang ("en" or "es").
func Name(code, lang string) string {
	if code == "XK" {
		return "Kosovo" // the same in English and Spanish
	}
	return geo.CountryName(code, lang)
}

// ReportURL is the address of the Trafficking in Persons Report of a year,
// on the State Department's site.
func ReportURL(year int) string {
	return fmt.Sprintf("https://www.state.gov/reports/%d-trafficking-in-persons-report/", year)
}

// maxRows bounds a tier table: the report ranks fewer than 200 countries.
const maxRows = 1000

var codeRE = regexp.MustCompile(`^[A-Z]{2}$`)

// tierNames maps the ways a tier is written in the report's tables to
// Haven's codes.
var tierNames = map[string]string{
	"1": haven.Tier1, "tier 1": haven.Tier1,
	"2": haven.Tier2, "tier 2": haven.Tier2,
	"2wl": haven.Tier2Watch, "tier 2wl": haven.Tier2Watch, "2 watch list": haven.Tier2Watch, "tier 2 watch list": haven.Tier2Watch,
	"3": haven.Tier3, "tier 3": haven.Tier3,
	"special case": haven.TierSpecial, "special": haven.TierSpecial,
}

// ParseTiers reads a tier table: tab-separated, with a header naming at
// least the columns iso2, tier, report_year and source (the columns of the
// project's tip-tiers TSV; others are ignored). Every row must name a
// known country once, a tier (1, 2, 2WL, 3 or "special case"), a year and a
// source. The first bad row is an EINVALID error naming file, row and
// field.
func ParseTiers(name string, r io.Reader) ([]haven.CountryTier, error) {
	rows, err := readTSV(name, r)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, haven.Errorf(haven.EINVALID, "%s: empty file: expected a header and one row per country", name)
	}
	col, err := columns(name, rows[0], "iso2", "tier", "report_year", "source")
	if err != nil {
		return nil, err
	}
	if len(rows) == 1 {
		return nil, haven.Errorf(haven.EINVALID, "%s: no rows after the header: the table would be empty", name)
	}
	if len(rows)-1 > maxRows {
		return nil, haven.Errorf(haven.EINVALID, "%s: %d rows: more than %d", name, len(rows)-1, maxRows)
	}
	seen := map[string]int{}
	out := make([]haven.CountryTier, 0, len(rows)-1)
	for i, row := range rows[1:] {
		n := i + 2 // the header is row 1
		bad := func(field, format string, a ...any) error {
			return haven.Errorf(haven.EINVALID, "%s: row %d, field %s: %s", name, n, field, fmt.Sprintf(format, a...))
		}
		get := func(c string) string {
			if j := col[c]; j < len(row) {
				return strings.TrimSpace(row[j])
			}
			return ""
		}
		t := haven.CountryTier{Country: get("iso2"), Source: get("source")}
		if !codeRE.MatchString(t.Country) || !Known(t.Country) {
			return nil, bad("iso2", "%q is not an ISO 3166-1 alpha-2 country code", t.Country)
		}
		if prev, dup := seen[t.Country]; dup {
			return nil, bad("iso2", "%s is listed again (first on row %d)", t.Country, prev)
		}
		seen[t.Country] = n
		tier, ok := tierNames[strings.ToLower(get("tier"))]
		if !ok {
			return nil, bad("tier", "%q is not a tier: expected 1, 2, 2WL, 3 or special case", get("tier"))
		}
		t.Tier = tier
		y, err := strconv.Atoi(get("report_year"))
		if err != nil || y < 2001 || y > time.Now().Year()+1 {
			return nil, bad("report_year", "%q is not a report year (the first report is of 2001)", get("report_year"))
		}
		t.Year = y
		if t.Source == "" {
			return nil, bad("source", "missing: say where the tier was read")
		}
		if len(t.Source) > 2000 {
			return nil, bad("source", "longer than 2000 characters")
		}
		out = append(out, t)
	}
	return out, nil
}

var dateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// ParseHotlines reads the hotline table: tab-separated with the header
// iso2, name, phone, note_en, note_es, checked, source.
func ParseHotlines(name string, r io.Reader) ([]CountryHotline, error) {
	rows, err := readTSV(name, r)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, haven.Errorf(haven.EINVALID, "%s: empty file", name)
	}
	col, err := columns(name, rows[0], "iso2", "name", "phone", "note_en", "note_es", "checked", "source")
	if err != nil {
		return nil, err
	}
	var out []CountryHotline
	for i, row := range rows[1:] {
		n := i + 2
		get := func(c string) string {
			if j := col[c]; j < len(row) {
				return strings.TrimSpace(row[j])
			}
			return ""
		}
		h := CountryHotline{Country: get("iso2"), CountryHotline: haven.CountryHotline{Name: get("name"), Phone: get("phone"),
			Note: get("note_en"), NoteES: get("note_es"), Checked: get("checked")}}
		var field string
		switch {
		case !Known(h.Country):
			field = "iso2"
		case h.Name == "":
			field = "name"
		case !strings.ContainsAny(h.Phone, "0123456789"):
			field = "phone"
		case (h.Note == "") != (h.NoteES == ""):
			field = "note_es"
		case !dateRE.MatchString(h.Checked):
			field = "checked"
		case get("source") == "":
			field = "source"
		}
		if field != "" {
			return nil, haven.Errorf(haven.EINVALID, "%s: row %d, field %s: missing or malformed", name, n, field)
		}
		out = append(out, h)
	}
	return out, nil
}

// readTSV splits tab-separated lines. The files are plain TSV with no
// quoting: a quote mark is text.
func readTSV(name string, r io.Reader) ([][]string, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 64<<10)
	var rows [][]string
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if n == 1 {
			line = strings.TrimPrefix(line, "\ufeff")
		}
		if !utf8.ValidString(line) {
			return nil, haven.Errorf(haven.EINVALID, "%s: row %d: not UTF-8 text", name, n)
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		rows = append(rows, strings.Split(line, "\t"))
		if len(rows) > maxRows+1 {
			return nil, haven.Errorf(haven.EINVALID, "%s: more than %d rows", name, maxRows)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, haven.Errorf(haven.EINVALID, "%s: %v (is it a tab-separated text file?)", name, err)
	}
	return rows, nil
}

func columns(name string, header []string, want ...string) (map[string]int, error) {
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, w := range want {
		if _, ok := col[w]; !ok {
			return nil, haven.Errorf(haven.EINVALID, "%s: row 1: no column %q (the header needs %s)", name, w, strings.Join(want, ", "))
		}
	}
	return col, nil
}
