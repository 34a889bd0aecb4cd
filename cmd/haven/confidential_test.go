package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
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
// area; --include-confidential holds it whole and round-trips; and the
// default export cannot be imported back over the whole record.
func TestExportConfidential(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			dir := t.TempDir()
			db := filepath.Join(dir, "a.db")
			if engine == "postgres" {
				db = testpg.Fresh(t)
			}
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
				for _, want := range []string{"Austin", "78705", "512-555-0100"} {
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
			db2 := filepath.Join(dir, "b.db")
			MustRunMain(t, db2, "import", filepath.Join(dir, "whole.ndjson"))
			again := filepath.Join(dir, "again.ndjson")
			MustRunMain(t, db2, "export", "--format", "ndjson", "--out", again, "--include-confidential")
			if !bytes.Equal(mustRead(t, again), mustRead(t, filepath.Join(dir, "whole.ndjson"))) {
				t.Error("the export --include-confidential does not round-trip")
			}
			if !bytes.Contains(mustRead(t, again), []byte(`"x_confidential":true`)) {
				t.Error("the flag was lost")
			}
			// A default export is refused on import, so it cannot wipe the
			// details it left out.
			if out, err := runMain(db, "import", filepath.Join(dir, "public.ndjson")); err == nil {
				t.Errorf("importing the redacted export succeeded: %s", out)
			}
			check := filepath.Join(dir, "check.ndjson")
			MustRunMain(t, db, "export", "--format", "ndjson", "--out", check, "--include-confidential")
			if !filesHold(t, check, shelterSecrets[0]) {
				t.Error("the refused import changed the record")
			}
		})
	}
}
