package geo

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/csv"
	"strings"
	"sync"
)

// subdivisionsGz is "code,name" for every top-level ISO 3166-2 subdivision
// (states, provinces, regions), from Debian's iso-codes. See SOURCE.md.
//
//go:embed subdivisions.csv.gz
var subdivisionsGz []byte

var (
	subOnce   sync.Once
	subNames  map[string]string   // "MX-JAL" → "Jalisco"
	subByName map[string][]string // folded name → codes
)

func subdivisionTable() {
	subOnce.Do(func() {
		rows := mustReadGzCSV(subdivisionsGz, "subdivisions.csv.gz", "code,name")
		subNames = make(map[string]string, len(rows))
		subByName = make(map[string][]string, len(rows))
		for _, r := range rows {
			subNames[r[0]] = r[1]
			k := Fold(r[1])
			subByName[k] = append(subByName[k], r[0])
		}
	})
}

// SubdivisionName names a state or province as Haven stores it: a USPS
// code in the U.S. ("TX", in lang "en" or "es"), an ISO 3166-2 code
// elsewhere ("CA-BC" is "British Columbia", "MX-JAL" "Jalisco"; ISO gives
// the names in the country's own language). An unknown code comes back as
// it is.
func SubdivisionName(code, lang string) string {
	if st, ok := StateByCode(code); ok {
		if lang == "es" {
			return st.NameES
		}
		return st.Name
	}
	subdivisionTable()
	if n, ok := subNames[strings.ToUpper(code)]; ok {
		return n
	}
	return code
}

// ParseSubdivision reads a state or province as people write it, within a
// country when one is given ("" for any): "TX", "Texas", "Tejas", "US-TX",
// "CA-BC", "BC" with country CA, "British Columbia", "Jalisco". It returns
// Haven's form (USPS code in the U.S., ISO 3166-2 elsewhere); false when
// it knows no such subdivision, or when a bare name matches in several
// countries and none is given.
func ParseSubdivision(s, country string) (string, bool) {
	s = strings.TrimSpace(s)
	country = normCountry(country)
	if s == "" {
		return "", false
	}
	up := strings.ToUpper(s)
	if c, rest, ok := strings.Cut(up, "-"); ok && len(c) == 2 {
		if c == "US" {
			if _, ok := StateByCode(rest); ok {
				return rest, true
			}
			return "", false
		}
		subdivisionTable()
		if _, ok := subNames[up]; ok && (country == "" || country == c) {
			return up, true
		}
		return "", false
	}
	if country == "" || country == "US" {
		if _, ok := StateByCode(up); ok {
			return up, true
		}
		if st, ok := stateByName(Fold(s)); ok {
			return st.Code, true
		}
	}
	subdivisionTable()
	if country != "" && country != "US" {
		if _, ok := subNames[country+"-"+up]; ok {
			return country + "-" + up, true
		}
	}
	var found string
	for _, code := range subByName[Fold(s)] {
		if country != "" && !strings.HasPrefix(code, country+"-") {
			continue
		}
		if found != "" {
			return "", false // the same name in several countries
		}
		found = code
	}
	if strings.HasPrefix(found, "US-") {
		found = found[3:]
	}
	return found, found != ""
}

// stateByName finds a U.S. state by its folded English or Spanish name.
func stateByName(folded string) (State, bool) {
	stateNamesOnce.Do(func() {
		stateNames = make(map[string]State, 2*len(States))
		for _, st := range States {
			stateNames[Fold(st.Name)] = st
			stateNames[Fold(st.NameES)] = st
		}
	})
	st, ok := stateNames[folded]
	return st, ok
}

var (
	stateNamesOnce sync.Once
	stateNames     map[string]State // folded English and Spanish names
)

// mustReadGzCSV decodes an embedded, generated gzip'd CSV, checking its
// header; a corrupt one is a broken build, which the tests catch.
func mustReadGzCSV(gz []byte, name, header string) [][]string {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		panic("geo: embedded " + name + " is corrupt: " + err.Error())
	}
	r := csv.NewReader(zr)
	r.ReuseRecord = false
	rows, err := r.ReadAll()
	if err != nil || len(rows) < 2 || strings.Join(rows[0], ",") != header {
		panic("geo: embedded " + name + " is corrupt")
	}
	return rows[1:]
}
