package feeds

import (
	"encoding/json"
	"testing"

	"haven"
)

// FuzzParsePage: any input either parses into a page whose counts are
// sane and whose records are an array, or is refused with an error; it
// never panics.
func FuzzParsePage(f *testing.F) {
	for _, s := range []string{
		`{"total_items":3,"total_pages":2,"page_number":1,"size":2,"first_page":true,"last_page":false,"empty":false,"contents":[{},{}]}`,
		`{"totalElements":1,"totalPages":1,"number":0,"size":1,"first":true,"last":true,"content":[{"id":"1"}]}`,
		`{"contents":null}`, `{"content":[]}`, `{"contents":{}}`, `[]`, `null`, `{"contents":[],"total_items":-1}`,
		`{"contents":[],"page_number":1.5}`, `{"contents":[],"last_page":"yes"}`, `{"contents":[]} {}`, "\xef\xbb\xbf{}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParsePage(b)
		if err != nil {
			return
		}
		var items []json.RawMessage
		if json.Unmarshal(p.Contents, &items) != nil || len(items) != p.Count {
			t.Fatalf("contents %q do not hold %d records", p.Contents, p.Count)
		}
		if p.TotalItems < -1 || p.TotalPages < -1 || p.Number < -1 {
			t.Fatalf("counts %+v", p)
		}
	})
}

// FuzzDecodeUK: Open Referral UK records either convert to services that
// validate, or are refused with an error; never a panic.
func FuzzDecodeUK(f *testing.F) {
	for _, s := range []string{
		`[{"id":"1","name":"Helpline (sample)","organization":{"id":"o1","name":"Trust (sample)"}}]`,
		`[{"id":2,"name":"x","organization":{"id":3,"name":"y"},"service_at_locations":[{"location":{"id":"l","physical_addresses":[{"address_1":"1 Road","city":"Leeds","state_province":"West Yorkshire","postal_code":"LS1 1AA","country":"UK"}]}}]}]`,
		`[{"id":"3","name":"","organization":{"id":"o"}}]`, `[{}]`, `[]`, `{}`, `[{"id":{"a":1}}]`,
	} {
		f.Add([]byte(s))
	}
	feed := &haven.Feed{Name: "fuzz", DefaultCountry: "GB"}
	f.Fuzz(func(t *testing.T, b []byte) {
		svcs, err := decodeUK(b, "fuzz", feed, map[string]string{})
		if err != nil {
			return
		}
		for _, s := range svcs {
			if errs := s.Validate(); len(errs) > 0 {
				t.Fatalf("a converted service does not validate: %v", errs)
			}
		}
	})
}
