// Package catalog holds the resource library's starting content: every entry
// of the seed page "Serving Trafficking Victims", classified and described in
// English and Spanish, in the human-editable file resources.json.
package catalog

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"

	"haven"
)

//go:embed resources.json
var resourcesJSON []byte

// file is the shape of resources.json.
type file struct {
	Entries []*haven.Resource `json:"entries"`
}

// Resources returns the seed entries in the seed page's order, each with its
// Position set, or an error naming the first invalid entry.
func Resources() ([]*haven.Resource, error) {
	return Parse(resourcesJSON)
}

// Parse decodes and validates a catalog file. Unknown fields are refused so
// that a typo in a hand edit is caught rather than silently dropped.
func Parse(data []byte) ([]*haven.Resource, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f file
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("catalog resources.json: %w", err)
	}
	seen := map[string]bool{}
	pos := map[string]int{}
	for i, r := range f.Entries {
		if err := r.Validate(); err != nil {
			return nil, fmt.Errorf("catalog resources.json: entry %d: %w", i+1, err)
		}
		if seen[r.ID] {
			return nil, fmt.Errorf("catalog resources.json: entry %d: duplicate id %q", i+1, r.ID)
		}
		seen[r.ID] = true
		pos[r.Section]++
		r.Position = pos[r.Section]
	}
	return f.Entries, nil
}
