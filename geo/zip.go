package geo

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// zipsGz is the generated ZIP centroid table: gzip'd CSV "zip,lat,lon",
// sorted by ZIP. See SOURCE.md.
//
//go:embed zips.csv.gz
var zipsGz []byte

// zipTable is the decoded ZIP table, as three parallel slices rather than a
// map or a slice of structs: 12 bytes per ZIP (~400 KB for 34k ZIPs) and no
// per-entry pointers for the garbage collector to scan. Coordinates are
// fixed-point in units of 1e-4 degrees, the precision of the file, so
// LookupZIP returns exactly the stored decimals (a float32 would be as
// small but turn 40.7507 into 40.750701904296875).
type zipTable struct {
	zips     []uint32 // ZIP as a number ("00901" is 901), ascending
	lat, lon []int32  // degrees × 1e4
}

// zipScale is the fixed-point scale of zipTable coordinates.
const zipScale = 1e4

var (
	zipOnce sync.Once
	zipData zipTable
)

// zipsLoaded returns the ZIP table, decoding it on first use.
func zipsLoaded() *zipTable {
	zipOnce.Do(func() {
		t, err := decodeZIPs(zipsGz)
		if err != nil {
			// The file is generated and checked by the tests; failing
			// loudly beats answering "unknown ZIP" for every query.
			panic("geo: embedded zips.csv.gz is corrupt: " + err.Error())
		}
		zipData = t
	})
	return &zipData
}

// decodeZIPs parses the gzip'd CSV written by internal/zipgen.
func decodeZIPs(gz []byte) (zipTable, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return zipTable{}, err
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return zipTable{}, err
	}
	header, rows, ok := bytes.Cut(raw, []byte("\n"))
	if !ok || string(header) != "zip,lat,lon" {
		return zipTable{}, fmt.Errorf("missing header %q", "zip,lat,lon")
	}
	// Size the slices exactly up front: append's growth would leave up to
	// 25% slack in memory for the life of the process.
	n := bytes.Count(rows, []byte("\n"))
	t := zipTable{
		zips: make([]uint32, 0, n),
		lat:  make([]int32, 0, n),
		lon:  make([]int32, 0, n),
	}
	for line := range strings.Lines(string(rows)) {
		line = strings.TrimSuffix(line, "\n")
		zipStr, rest, ok1 := strings.Cut(line, ",")
		latStr, lonStr, ok2 := strings.Cut(rest, ",")
		zip, okZIP := parseZIP5(zipStr)
		if !ok1 || !ok2 || !okZIP {
			return zipTable{}, fmt.Errorf("bad row %q", line)
		}
		lat, err1 := strconv.ParseFloat(latStr, 64)
		lon, err2 := strconv.ParseFloat(lonStr, 64)
		if err1 != nil || err2 != nil || !(Point{lat, lon}).Valid() {
			return zipTable{}, fmt.Errorf("bad coordinates in row %q", line)
		}
		if len(t.zips) > 0 && zip <= t.zips[len(t.zips)-1] {
			return zipTable{}, fmt.Errorf("ZIP %s out of order", zipStr)
		}
		t.zips = append(t.zips, zip)
		t.lat = append(t.lat, int32(math.Round(lat*zipScale)))
		t.lon = append(t.lon, int32(math.Round(lon*zipScale)))
	}
	if len(t.zips) == 0 {
		return zipTable{}, fmt.Errorf("no rows")
	}
	return t, nil
}

// parseZIP5 parses exactly five ASCII digits.
func parseZIP5(s string) (uint32, bool) {
	if len(s) != 5 || !allDigits(s) {
		return 0, false
	}
	var n uint32
	for i := 0; i < 5; i++ {
		n = n*10 + uint32(s[i]-'0')
	}
	return n, true
}

// allDigits reports whether s is all ASCII digits. (unicode.IsDigit would
// also accept other scripts' digits, such as "١٢٣٤٥".)
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// LookupZIP returns the centroid of a U.S. ZIP code. It accepts "12345"
// and ZIP+4 "12345-6789" (the +4 part is checked for digits, then
// ignored), with surrounding spaces. It reports false for malformed input
// and for ZIPs not in the table.
//
// The table holds the Census Bureau's ZIP Code Tabulation Areas (ZCTAs),
// which cover the 50 states, DC, PR, VI, GU, MP and AS. ZIPs that serve
// only P.O. boxes or a single organisation (e.g. 20500, the White House)
// have no ZCTA and so are not found. The first call decodes the table
// (a few milliseconds); LookupZIP is safe for concurrent use.
func LookupZIP(code string) (Point, bool) {
	code = strings.TrimSpace(code)
	if len(code) == 10 {
		if code[5] != '-' {
			return Point{}, false
		}
		if !allDigits(code[6:]) {
			return Point{}, false
		}
		code = code[:5]
	}
	zip, ok := parseZIP5(code)
	if !ok {
		return Point{}, false
	}
	t := zipsLoaded()
	i, found := slices.BinarySearch(t.zips, zip)
	if !found {
		return Point{}, false
	}
	return Point{Lat: float64(t.lat[i]) / zipScale, Lon: float64(t.lon[i]) / zipScale}, true
}
