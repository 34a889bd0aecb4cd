// Package hsdsschema compiles the official HSDS 3.1 JSON Schemas for tests
// that check Haven's output against them.
//
// HSDS 3.0 ships bundled API schemas (schema/compiled); 3.1 (v3.1-dev in
// shared/) ships only the object schemas, which refer to each other by
// file name. The API documents are built here the way 3.0 bundled them:
// an organization may carry its services, a service_at_location its
// service.
package hsdsschema

import (
	"fmt"
	"net/url"
	"path/filepath"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Compile31 compiles the HSDS 3.1 API documents from dir, the folder
// holding service.json, organization.json and the other object schemas.
// Schemas are read as draft 2020-12 with formats (uuid, email, uri,
// date-time) asserted, as the 3.0 checks do.
func Compile31(dir string) (map[string]*jsonschema.Schema, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	file := func(name string) string {
		return (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(abs, name))}).String()
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	// The API's organization nests its services; its service_at_location
	// nests its service. The object schemas leave both open, so these
	// documents add them.
	const base = "urn:haven:hsds31:"
	docs := map[string]any{
		"organization": map[string]any{
			"allOf": []any{map[string]any{"$ref": file("organization.json")}},
			"properties": map[string]any{
				"services": map[string]any{"type": "array", "items": map[string]any{"$ref": file("service.json")}},
			},
		},
		"service_at_location": map[string]any{
			"allOf": []any{map[string]any{"$ref": file("service_at_location.json")}},
			"properties": map[string]any{
				"service": map[string]any{"$ref": file("service.json")},
			},
		},
	}
	for name, doc := range docs {
		if err := c.AddResource(base+name, doc); err != nil {
			return nil, fmt.Errorf("hsdsschema: %s: %w", name, err)
		}
	}
	out := map[string]*jsonschema.Schema{}
	for _, name := range []string{"service", "organization", "service_at_location"} {
		loc := file(name + ".json")
		if _, ok := docs[name]; ok {
			loc = base + name
		}
		s, err := c.Compile(loc)
		if err != nil {
			return nil, fmt.Errorf("hsdsschema: compile %s: %w", name, err)
		}
		out[name], out[name+"_list"] = s, s
	}
	return out, nil
}
