package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"haven/hsds"
	"haven/internal/testpg"
)

// sample31 writes n sample services as NDJSON, every third with the
// objects HSDS 3.1 added: capacities (two of them sharing a unit, update
// times with an offset and a fraction), additional URLs and organization
// websites, attribute labels and service areas of a service_at_location.
func sample31(t *testing.T, dir string, n int) string {
	t.Helper()
	raw := filepath.Join(dir, "sample.ndjson")
	MustRunMain(t, "", "sample", "--services", fmt.Sprint(n), "--out", raw)
	ns := uuid.MustParse("9e3c2f10-7a4b-4c5d-8e6f-1a2b3c4d5e6f")
	id := func(f string, a ...any) string { return uuid.NewSHA1(ns, fmt.Appendf(nil, f, a...)).String() }
	var out bytes.Buffer
	for i, l := range lines(t, raw) {
		var s hsds.Service
		if err := json.Unmarshal([]byte(l), &s); err != nil {
			t.Fatal(err)
		}
		if i%3 == 0 {
			avail, max := float64(i%4), 10.0
			s.Capacities = []hsds.ServiceCapacity{
				{ID: id("cap %d", i), ServiceID: s.ID, UnitID: id("bed"), Unit: &hsds.Unit{ID: id("bed"), Name: "Bed (sample)", Scheme: "Haven", Identifier: "bed"},
					Available: &avail, Maximum: &max, Description: "Beds, tonight (sample)", Updated: "2025-06-01T23:59:59.125+02:00"},
				{ID: id("cap %d b", i), ServiceID: s.ID, UnitID: id("hour"), Unit: &hsds.Unit{ID: id("hour"), Name: "Counselling hour (sample)"},
					Available: &max, Updated: "2025-06-02T09:00:00Z"},
			}
			s.AdditionalURLs = []hsds.URL{{ID: id("url %d", i), Label: "Referral form", URL: "https://haven.example/r", ServiceID: s.ID}}
			s.Attributes[0].Label = "Main category"
			sal := &s.ServiceAtLocations[0]
			sal.ServiceAreas = []hsds.ServiceArea{{ID: id("area %d", i), ServiceAtLocationID: sal.ID, Name: "Old town", ExtentType: "text"}}
		}
		// Every copy of an organization must be the same: all get it.
		o := s.Organization
		o.AdditionalWebsites = []hsds.URL{{ID: id("org url %s", o.ID), Label: "Volunteer", URL: "https://haven.example/v", OrganizationID: o.ID}}
		b, err := json.Marshal(&s)
		if err != nil {
			t.Fatal(err)
		}
		out.Write(append(b, '\n'))
	}
	in := filepath.Join(dir, "sample31.ndjson")
	if err := os.WriteFile(in, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return in
}

// HSDS 3.1 data goes through import and every export format and back, on
// both engines: NDJSON and JSON give back exactly what came in, a CSV
// package its own canonical form byte for byte, with capacities' update
// times as written.
func TestHSDS31ImportExport(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) {
		dir := t.TempDir()
		in := sample31(t, dir, 45)
		db := e.Fresh(t)
		MustRunMain(t, db, "import", in)
		first := filepath.Join(dir, "first.ndjson")
		MustRunMain(t, db, "export", "--format", "ndjson", "--out", first)
		if a, b := importedLines(t, in), lines(t, first); !equalSets(a, b) {
			for _, l := range a {
				if !slices.Contains(b, l) {
					t.Logf("imported, not exported: %.2000s", l)
					break
				}
			}
			t.Fatalf("the export differs from the 3.1 data imported (%d vs %d lines)", len(a), len(b))
		}
		if !strings.Contains(string(mustRead(t, first)), `"updated":"2025-06-01T23:59:59.125+02:00"`) {
			t.Error("capacity update time not exported as written")
		}
		js := filepath.Join(dir, "export.json")
		MustRunMain(t, db, "export", "--format", "json", "--out", js)
		checkExportedServices(t, js, 45)
		db2 := e.Fresh(t)
		MustRunMain(t, db2, "import", js)
		back := filepath.Join(dir, "json-back.ndjson")
		MustRunMain(t, db2, "export", "--format", "ndjson", "--out", back)
		if !bytes.Equal(mustRead(t, first), mustRead(t, back)) {
			t.Error("json round trip changed the 3.1 data")
		}
		csv1, csv2 := filepath.Join(dir, "csv1"), filepath.Join(dir, "csv2")
		MustRunMain(t, db, "export", "--format", "csv", "--out", csv1)
		for file, want := range map[string]string{
			"service_capacity.csv": "2025-06-01T23:59:59.125+02:00", "units.csv": "Counselling hour (sample)",
			"url.csv": "Referral form", "attributes.csv": "Main category", "service_areas.csv": "Old town",
		} {
			if !strings.Contains(string(mustRead(t, filepath.Join(csv1, file))), want) {
				t.Errorf("%s lacks %q", file, want)
			}
		}
		db3 := e.Fresh(t)
		MustRunMain(t, db3, "import", csv1)
		MustRunMain(t, db3, "export", "--format", "csv", "--out", csv2)
		files, _ := filepath.Glob(filepath.Join(csv1, "*"))
		for _, f := range files {
			if !bytes.Equal(mustRead(t, f), mustRead(t, filepath.Join(csv2, filepath.Base(f)))) {
				t.Errorf("csv round trip changed %s", filepath.Base(f))
			}
		}
		// What came back from CSV is the 3.1 data, links filled in.
		fromCSV := filepath.Join(dir, "csv-back.ndjson")
		MustRunMain(t, db3, "export", "--format", "ndjson", "--out", fromCSV)
		if got := string(mustRead(t, fromCSV)); strings.Count(got, `"capacities":[`) != 15 || strings.Count(got, `"additional_websites":[`) == 0 {
			t.Errorf("the CSV import lost 3.1 objects: %d services with capacities", strings.Count(got, `"capacities":[`))
		}
	})
}
