package main

import (
	"encoding/json"
	"testing"

	"haven/hsds"
	"haven/listing"
)

// importedLines are the lines of an NDJSON file of services as Haven
// stores them: import writes the phone numbers that read in E.164, the
// extension apart (listing.NormalizePhones), and keeps the rest as given.
func importedLines(t *testing.T, path string) []string {
	t.Helper()
	var out []string
	for _, l := range lines(t, path) {
		var s hsds.Service
		if err := json.Unmarshal([]byte(l), &s); err != nil {
			t.Fatal(err)
		}
		listing.NormalizePhones(&s)
		b, err := json.Marshal(&s)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
	return out
}
