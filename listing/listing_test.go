package listing_test

import (
	"strings"
	"testing"

	"haven"
	"haven/hsds"
	"haven/listing"
)

// TestServiceFields sets each text form and reads it back as the form
// shows it, and refuses values not in their form with EINVALID.
func TestServiceFields(t *testing.T) {
	lookup := func(code string) (string, error) {
		if code == "shelter" {
			return "term-shelter", nil
		}
		return "", haven.Errorf(haven.EINVALID, "%q is not a category.", code)
	}
	for _, c := range []struct {
		field, value, want, err string
	}{
		{field: "hours", value: "mo,tu 09:00-17:00\n\nSA 10:00 - 12:00", want: "MO,TU 09:00-17:00\nSA 10:00-12:00"},
		{field: "hours", value: "weekdays 9-5", err: "Hours line 1"},
		{field: "languages", value: "EN, es, es", want: "en, es"},
		{field: "languages", value: "eng", err: "ISO 639-1"},
		{field: "phone", value: "(979) 555-0100 x7", want: "+19795550100 ext. 7"},
		{field: "phone", value: "555-0100", err: "not a phone number"},
		{field: "categories", value: "shelter", want: ""}, // no term loaded: shown only once stored
		{field: "categories", value: "castles", err: "not a category"},
		{field: "nickname", value: "x", err: "Unknown field"},
	} {
		s := &hsds.Service{ID: "s1"}
		err := listing.SetServiceField(s, c.field, c.value, lookup)
		if c.err != "" {
			if haven.ErrorCode(err) != haven.EINVALID || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s=%q: %v, want EINVALID naming %q", c.field, c.value, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s=%q: %v", c.field, c.value, err)
			continue
		}
		if got, ok := listing.ServiceField(s, c.field); !ok || got != c.want {
			t.Errorf("%s=%q reads back %q, want %q", c.field, c.value, got, c.want)
		}
	}
}

// TestLocationText gives a U.S. location without coordinates its ZIP
// code's centroid, and refuses a coordinate that is not a number.
func TestLocationText(t *testing.T) {
	l := &hsds.Location{ID: "l1"}
	v := map[string]string{"name": "Office", "address_1": "1 Main St", "city": "Houston", "state_province": "tx", "postal_code": "77002", "country": "us"}
	if err := listing.ApplyLocationText(l, v); err != nil {
		t.Fatal(err)
	}
	got := listing.LocationText(l)
	if got["state_province"] != "TX" || got["country"] != "US" || got["latitude"] == "" || got["longitude"] == "" {
		t.Errorf("location text %v, want upper-case codes and the ZIP's centroid", got)
	}
	v = map[string]string{"latitude": "north", "longitude": "1", "country": "MX"}
	if err := listing.ApplyLocationText(l, v); haven.ErrorCode(err) != haven.EINVALID {
		t.Errorf("latitude %q: %v, want EINVALID", v["latitude"], err)
	}
}

// TestLocationConfidential: the form's checkbox sends "true" or "", which
// marks or unmarks the location; without the value the mark stays; any
// other value is refused, naming the field.
func TestLocationConfidential(t *testing.T) {
	yes := true
	for _, c := range []struct {
		name    string
		before  *bool
		values  map[string]string
		want    bool
		invalid bool
	}{
		{"marks", nil, map[string]string{listing.ConfidentialField: "true"}, true, false},
		{"unmarks", &yes, map[string]string{listing.ConfidentialField: ""}, false, false},
		{"keeps when absent", &yes, map[string]string{}, true, false},
		{"refuses other values", nil, map[string]string{listing.ConfidentialField: "on"}, false, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			l := &hsds.Location{ID: "l1", XConfidential: c.before}
			err := listing.ApplyLocationText(l, c.values)
			if c.invalid {
				if haven.ErrorCode(err) != haven.EINVALID || !strings.Contains(haven.ErrorMessage(err), listing.ConfidentialField) {
					t.Errorf("%v, want EINVALID naming %s", err, listing.ConfidentialField)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if l.Confidential() != c.want {
				t.Errorf("confidential %v, want %v", l.Confidential(), c.want)
			}
			if got := listing.LocationText(l)[listing.ConfidentialField]; (got == "true") != c.want {
				t.Errorf("text %q, want confidential %v", got, c.want)
			}
		})
	}
}
