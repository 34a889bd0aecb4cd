package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"haven/hsds"
	"haven/internal/testpg"
)

// A shelter's service, its location marked confidential.
func confidentialShelter() *hsds.Service {
	yes := true
	lat, lon := 30.28173, -97.72161
	return &hsds.Service{ID: "0f3a7d2e-5b1c-4e8a-9d6f-1a2b3c4d5e01", OrganizationID: "0f3a7d2e-5b1c-4e8a-9d6f-1a2b3c4d5e02",
		Name: "Lumen Refuge", Status: "active",
		Phones:       []hsds.Phone{{ID: "0f3a7d2e-5b1c-4e8a-9d6f-1a2b3c4d5e05", Number: "512-555-0100"}},
		Organization: &hsds.Organization{ID: "0f3a7d2e-5b1c-4e8a-9d6f-1a2b3c4d5e02", Name: "Lumen Alliance", Description: "Shelter."},
		ServiceAtLocations: []hsds.ServiceAtLocation{{ID: "0f3a7d2e-5b1c-4e8a-9d6f-1a2b3c4d5e04", LocationID: "0f3a7d2e-5b1c-4e8a-9d6f-1a2b3c4d5e03",
			Location: &hsds.Location{ID: "0f3a7d2e-5b1c-4e8a-9d6f-1a2b3c4d5e03", LocationType: "physical", Name: "Lumen House Austin",
				Latitude: &lat, Longitude: &lon, XConfidential: &yes,
				Addresses: []hsds.Address{{ID: "0f3a7d2e-5b1c-4e8a-9d6f-1a2b3c4d5e06", Address1: "4821 Quarry Ridge Lane",
					City: "Austin", StateProvince: "TX", PostalCode: "78705", Country: "US", AddressType: "physical"}}}}},
	}
}

var shelterSecrets = []string{"4821 Quarry Ridge Lane", "Lumen House Austin", "30.28173", "-97.72161"}

func filesHold(t *testing.T, path string, secret string) bool {
	t.Helper()
	paths := []string{path}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		paths, _ = filepath.Glob(filepath.Join(path, "*"))
	}
	for _, p := range paths {
		if bytes.Contains(mustRead(t, p), []byte(secret)) {
			return true
		}
	}
	return false
}

// The default export holds nothing of a confidential location but its
// area; --include-confidential holds it whole and round-trips.
func TestExportConfidential(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) {
		dir := t.TempDir()
		db := e.Fresh(t)
		in := filepath.Join(dir, "in.ndjson")
		b, _ := json.Marshal(confidentialShelter())
		os.WriteFile(in, append(b, '\n'), 0o644)
		MustRunMain(t, db, "import", in)
		for _, format := range []string{"ndjson", "json", "csv"} {
			out := filepath.Join(dir, "public."+format)
			MustRunMain(t, db, "export", "--format", format, "--out", out)
			for _, secret := range shelterSecrets {
				if filesHold(t, out, secret) {
					t.Errorf("the default %s export holds %q", format, secret)
				}
			}
			// The service's phone, stored in E.164 by the import.
			for _, want := range []string{"Austin", "78705", "+15125550100"} {
				if !filesHold(t, out, want) {
					t.Errorf("the default %s export lacks %q", format, want)
				}
			}
			whole := filepath.Join(dir, "whole."+format)
			MustRunMain(t, db, "export", "--format", format, "--out", whole, "--include-confidential")
			for _, secret := range shelterSecrets {
				if !filesHold(t, whole, secret) {
					t.Errorf("the %s export --include-confidential lacks %q", format, secret)
				}
			}
		}
		// The whole export round-trips, flag included.
		db2 := e.Fresh(t)
		MustRunMain(t, db2, "import", filepath.Join(dir, "whole.ndjson"))
		again := filepath.Join(dir, "again.ndjson")
		MustRunMain(t, db2, "export", "--format", "ndjson", "--out", again, "--include-confidential")
		if !bytes.Equal(mustRead(t, again), mustRead(t, filepath.Join(dir, "whole.ndjson"))) {
			t.Error("the export --include-confidential does not round-trip")
		}
		if !bytes.Contains(mustRead(t, again), []byte(`"x_confidential":true`)) {
			t.Error("the flag was lost")
		}
	})
}

// A default (public) export imports into a fresh database, in every format:
// the confidential location's address without a street is taken because
// the location is marked x_confidential, and it stays confidential, with
// no street and no coordinates, even in what staff see.
func TestPublicExportImports(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) {
		dir, db := shelterAmongSamples(t, e, 5)
		for _, format := range []string{"ndjson", "json", "csv"} {
			public := filepath.Join(dir, "public."+format)
			MustRunMain(t, db, "export", "--format", format, "--out", public)
			fresh := e.Fresh(t)
			MustRunMain(t, fresh, "import", public)
			back := filepath.Join(dir, "back-"+format+".ndjson")
			MustRunMain(t, fresh, "export", "--format", "ndjson", "--out", back, "--include-confidential")
			var found bool
			for _, line := range bytes.Split(bytes.TrimSpace(mustRead(t, back)), []byte("\n")) {
				var s hsds.Service
				if err := json.Unmarshal(line, &s); err != nil {
					t.Fatal(err)
				}
				if s.ID != confidentialShelter().ID {
					continue
				}
				found = true
				l := s.ServiceAtLocations[0].Location
				if l == nil || !l.Confidential() || len(l.Addresses) != 1 || l.Addresses[0].Address1 != "" ||
					l.Addresses[0].City != "Austin" || l.Latitude != nil || l.Longitude != nil {
					t.Errorf("%s: the re-imported location is %+v", format, l)
				}
			}
			if n := bytes.Count(mustRead(t, back), []byte("\n")); !found || n != 6 {
				t.Errorf("%s: %d services imported back, the shelter among them: %v", format, n, found)
			}
			for _, secret := range shelterSecrets {
				if filesHold(t, back, secret) {
					t.Errorf("%s: the re-imported database holds %q", format, secret)
				}
			}
		}
	})
}

// TestPublicExportRefusedOverItsSource checks, on both engines, that a
// public export imported back over the database it came from is refused,
// naming the location, and changes nothing: the shelter keeps the street,
// name and coordinates that exist nowhere else. With --skip-invalid the
// shelter's record is left out and the others are taken; the full export
// (--include-confidential) imports back over it.
func TestPublicExportRefusedOverItsSource(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) {
		dir, db := shelterAmongSamples(t, e, 3)

		full := filepath.Join(dir, "full.ndjson")
		public := filepath.Join(dir, "public.ndjson")
		MustRunMain(t, db, "export", "--format", "ndjson", "--out", full, "--include-confidential")
		MustRunMain(t, db, "export", "--format", "ndjson", "--out", public)

		_, err := runMain(db, "import", public)
		if err == nil || !strings.Contains(err.Error(), "public copy of a confidential location") ||
			!strings.Contains(err.Error(), confidentialShelter().ID) {
			t.Fatalf("importing the public export over its source: %v", err)
		}
		after := filepath.Join(dir, "after.ndjson")
		MustRunMain(t, db, "export", "--format", "ndjson", "--out", after, "--include-confidential")
		if !bytes.Equal(mustRead(t, full), mustRead(t, after)) {
			t.Error("the refused import changed the database")
		}

		out := MustRunMain(t, db, "import", "--skip-invalid", public)
		if !strings.Contains(out, "imported 3 services; skipped 1") {
			t.Errorf("--skip-invalid: %s", out)
		}
		MustRunMain(t, db, "export", "--format", "ndjson", "--out", after, "--include-confidential")
		for _, secret := range shelterSecrets {
			if !filesHold(t, after, secret) {
				t.Errorf("after --skip-invalid the shelter lost %q", secret)
			}
		}
		MustRunMain(t, db, "import", full)
	})
}

// shelterAmongSamples makes a database on engine e holding the
// confidential shelter and n sample services, and a folder for the test's
// files.
func shelterAmongSamples(t *testing.T, e testpg.Engine, n int) (dir, db string) {
	t.Helper()
	dir, db = t.TempDir(), e.Fresh(t)
	in := filepath.Join(dir, "in.ndjson")
	b, _ := json.Marshal(confidentialShelter())
	if err := os.WriteFile(in, append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	MustRunMain(t, db, "import", in)
	sample := filepath.Join(dir, "sample.ndjson")
	MustRunMain(t, "", "sample", "--services", strconv.Itoa(n), "--out", sample)
	MustRunMain(t, db, "import", sample)
	return dir, db
}
