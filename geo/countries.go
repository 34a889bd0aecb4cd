package geo

import (
	_ "embed"
	"encoding/csv"
	"strings"
	"sync"
)

// countriesCSV is "code,en,es" for every ISO 3166-1 alpha-2 code. The names
// are the short, everyday ones (CLDR style: "Bolivia", "South Korea"), not
// ISO's formal ones ("Bolivia (Plurinational State of)").
//
//go:embed countries.csv
var countriesCSV string

type countryNames struct{ en, es string }

var (
	countriesOnce sync.Once
	countries     map[string]countryNames
)

func countryTable() map[string]countryNames {
	countriesOnce.Do(func() {
		rows, err := csv.NewReader(strings.NewReader(countriesCSV)).ReadAll()
		if err != nil || len(rows) < 2 {
			// countries.csv is part of the source tree and the tests
			// read it; reaching this means a broken build.
			panic("geo: embedded countries.csv is corrupt")
		}
		m := make(map[string]countryNames, len(rows)-1)
		for _, r := range rows[1:] {
			m[r[0]] = countryNames{en: r[1], es: r[2]}
		}
		countries = m
	})
	return countries
}

// normCountry upper-cases an ASCII two-letter code, or returns "" if code
// is not two ASCII letters after trimming spaces.
func normCountry(code string) string {
	code = strings.TrimSpace(code)
	if len(code) != 2 {
		return ""
	}
	var b [2]byte
	for i := 0; i < 2; i++ {
		c := code[i]
		switch {
		case 'A' <= c && c <= 'Z':
		case 'a' <= c && c <= 'z':
			c -= 'a' - 'A'
		default:
			return ""
		}
		b[i] = c
	}
	return string(b[:])
}

// ValidCountry reports whether code is an assigned ISO 3166-1 alpha-2
// country code, matched case-insensitively ("mx" is valid).
func ValidCountry(code string) bool {
	_, ok := countryTable()[normCountry(code)]
	return ok
}

// CountryName returns the short name of the country with ISO 3166-1
// alpha-2 code, in Spanish if lang is "es" or an "es-" variant (e.g.
// "es-MX", "es_US"), otherwise in English. The code is matched
// case-insensitively; an unknown code is returned upper-cased (and
// trimmed) as is, so a page can always show something.
func CountryName(code, lang string) string {
	norm := normCountry(code)
	names, ok := countryTable()[norm]
	if !ok {
		return strings.ToUpper(strings.TrimSpace(code))
	}
	if isSpanish(lang) {
		return names.es
	}
	return names.en
}

// isSpanish reports whether the language tag lang is Spanish.
func isSpanish(lang string) bool {
	lang = strings.TrimSpace(lang)
	if len(lang) < 2 || !strings.EqualFold(lang[:2], "es") {
		return false
	}
	return len(lang) == 2 || lang[2] == '-' || lang[2] == '_'
}
