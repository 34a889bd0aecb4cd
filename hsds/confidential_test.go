package hsds

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// confidentialServices are fixture services whose first location is
// marked x_confidential (true on one, false on another).
func confidentialServices() []*Service {
	svcs := someServices(3)
	yes, no := true, false
	// Services share locations: mark every copy alike.
	mark := func(id string, v *bool) {
		for _, s := range svcs {
			for i := range s.ServiceAtLocations {
				if l := s.ServiceAtLocations[i].Location; l != nil && l.ID == id {
					l.XConfidential = v
				}
			}
			if o := s.Organization; o != nil {
				for i := range o.Locations {
					if o.Locations[i].ID == id {
						o.Locations[i].XConfidential = v
					}
				}
			}
		}
	}
	mark(svcs[0].ServiceAtLocations[0].LocationID, &yes)
	if id := svcs[1].ServiceAtLocations[0].LocationID; id != svcs[0].ServiceAtLocations[0].LocationID {
		mark(id, &no)
	}
	return svcs
}

// x_confidential round-trips through JSON, NDJSON and the tabular form,
// and is the column of locations.csv of that name.
func TestConfidentialRoundTrip(t *testing.T) {
	want := confidentialServices()
	var buf bytes.Buffer
	if err := WriteJSON(&buf, want, false); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(buf.Bytes(), []byte(`"x_confidential":true`)) {
		t.Fatal("JSON lacks x_confidential")
	}
	if got := readAll[Service](t, buf.Bytes(), "out.json"); !reflect.DeepEqual(got, want) {
		t.Fatalf("JSON round trip differs: %s", firstDiff(got, want))
	}
	buf.Reset()
	nw := NewNDJSONWriter(&buf)
	for _, s := range want {
		nw.Write(s)
	}
	nw.Close()
	if got := readAll[Service](t, buf.Bytes(), "out.ndjson"); !reflect.DeepEqual(got, want) {
		t.Fatalf("NDJSON round trip differs: %s", firstDiff(got, want))
	}
	slices.SortFunc(want, func(a, b *Service) int { return strings.Compare(a.ID, b.ID) })
	dir := t.TempDir()
	if err := WritePackage(dir, want); err != nil {
		t.Fatal(err)
	}
	csv := readFile(t, dir, "locations.csv")
	if header, _, _ := strings.Cut(string(csv), "\n"); !strings.HasSuffix(strings.TrimSpace(header), ",x_confidential") {
		t.Fatalf("locations.csv header: %s", header)
	}
	p, err := ReadPackageAll(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p.Services, want) {
		t.Fatalf("package round trip differs: %s", firstDiff(p.Services, want))
	}
	dp, _ := os.ReadFile(dir + "/datapackage.json")
	if !bytes.Contains(dp, []byte(`"x_confidential"`)) {
		t.Error("datapackage.json does not describe x_confidential")
	}
}

// An import never guesses: a location is confidential only when it says so.
func TestConfidentialNeverGuessed(t *testing.T) {
	s := someServices(1)[0]
	s.Name = "Safe house shelter (refugio)"
	if l := s.ServiceAtLocations[0].Location; l.Confidential() {
		t.Fatal("a location without x_confidential is confidential")
	}
	var buf bytes.Buffer
	WriteJSON(&buf, []*Service{s}, false)
	if got := readAll[Service](t, buf.Bytes(), "in.json"); got[0].ServiceAtLocations[0].Location.Confidential() {
		t.Fatal("reading made a location confidential")
	}
}

func TestRedactService(t *testing.T) {
	s := confidentialServices()[0]
	sal := &s.ServiceAtLocations[0]
	loc := sal.Location
	loc.Phones = []Phone{{ID: "p1", LocationID: loc.ID, Number: "555-0177"}}
	s.Phones = append(s.Phones, Phone{ID: "p2", LocationID: loc.ID, Number: "555-0178"}, Phone{ID: "p3", Number: "555-0100"})
	other := Location{ID: "other", LocationType: "physical", Name: "Open office"}
	later := Location{ID: "later", LocationType: "physical", Name: "Marked since", Description: "Stale copy"}
	s.Organization.Locations = []Location{*loc, other, later}
	s.Metadata = append(s.Metadata, Metadata{ID: "m1", ResourceID: loc.ID, ResourceType: "location", FieldName: "address_1",
		PreviousValue: "77 Former Street", ReplacementValue: loc.Addresses[0].Address1, LastActionDate: "2025-01-01", LastActionType: "update"})
	a := loc.Addresses[0]
	if !RedactService(s, func(id string) bool { return id == "later" }) {
		t.Fatal("nothing redacted")
	}
	r := s.ServiceAtLocations[0].Location
	if !r.Confidential() || r.Name != "" || r.Latitude != nil || r.Longitude != nil || r.Description != "" ||
		r.Transportation != "" || r.Accessibility != nil || r.Phones != nil || r.Schedules != nil || r.Contacts != nil {
		t.Errorf("redacted location keeps details: %+v", r)
	}
	ra := r.Addresses[0]
	if ra.Address1 != "" || ra.Address2 != "" || ra.Attention != "" || ra.City != a.City || ra.StateProvince != a.StateProvince ||
		ra.PostalCode != a.PostalCode || ra.Country != a.Country {
		t.Errorf("redacted address: %+v", ra)
	}
	if sal := s.ServiceAtLocations[0]; sal.Description != "" || sal.Phones != nil || sal.Contacts != nil || sal.Schedules != nil {
		t.Errorf("service_at_location keeps details: %+v", sal)
	}
	for _, p := range s.Phones {
		if p.LocationID == loc.ID {
			t.Errorf("the service keeps the location's phone %s", p.Number)
		}
	}
	if !slices.ContainsFunc(s.Phones, func(p Phone) bool { return p.Number == "555-0100" }) {
		t.Error("the service lost its intake phone")
	}
	ol := s.Organization.Locations
	if !ol[0].Confidential() || ol[0].Name != "" || ol[1].Name != "Open office" || !ol[2].Confidential() || ol[2].Description != "" {
		t.Errorf("organization locations: %+v", ol)
	}
	b, _ := json.Marshal(s)
	for _, secret := range []string{a.Address1, "555-0177", "555-0178", "Stale copy", "77 Former Street"} {
		if secret != "" && bytes.Contains(b, []byte(secret)) {
			t.Errorf("redacted service holds %q", secret)
		}
	}
	// address_1 is left empty, which Haven's validation takes from a
	// confidential location (and only there, TestStreetOnlyConfidential),
	// so that a public export imports back. (The HTTP tests check that it
	// still validates against the HSDS schema, which requires the
	// property, not a value.)
	if errs := s.Validate(); strings.Contains(Errors(errs).Error(), "address_1") {
		t.Errorf("a redacted service does not validate: %v", errs)
	}
}

// A confidential location's address may leave out its street, as a public
// export writes it, so that the export imports back; any other address
// must have address_1, and the error names it. In JSON and in the tabular
// form.
func TestStreetOnlyConfidential(t *testing.T) {
	yes, no := true, false
	for _, tc := range []struct {
		name   string
		flag   *bool
		wantOK bool
	}{
		{"confidential", &yes, true},
		{"not confidential", &no, false},
		{"unmarked", nil, false},
	} {
		// streetless returns a service whose first location has no
		// street in any copy of it, marked as tc says.
		streetless := func() *Service {
			s := someServices(1)[0]
			id := s.ServiceAtLocations[0].LocationID
			fix := func(l *Location) {
				if l.ID != id {
					return
				}
				l.XConfidential = tc.flag
				for i := range l.Addresses {
					l.Addresses[i].Address1, l.Addresses[i].Address2 = "", ""
				}
			}
			for i := range s.ServiceAtLocations {
				if l := s.ServiceAtLocations[i].Location; l != nil {
					fix(l)
				}
			}
			if o := s.Organization; o != nil {
				for i := range o.Locations {
					fix(&o.Locations[i])
				}
			}
			return s
		}
		check := func(t *testing.T, form string, err error, wantFile string) {
			t.Helper()
			if tc.wantOK {
				if err != nil {
					t.Errorf("%s: %v", form, err)
				}
				return
			}
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("%s: want an error naming address_1, got %v", form, err)
			}
			for _, e := range errs {
				if strings.HasSuffix(e.Field, "address_1") && e.File == wantFile && strings.Contains(e.Reason, "x_confidential") {
					return
				}
			}
			t.Errorf("%s: no error names address_1 in %s: %v", form, wantFile, err)
		}
		t.Run(tc.name, func(t *testing.T) {
			s := streetless()
			if errs := s.Validate(); (len(errs) == 0) != tc.wantOK {
				t.Errorf("Validate: %v", errs)
			}
			var buf bytes.Buffer
			if err := WriteJSON(&buf, []*Service{s}, false); err != nil {
				t.Fatal(err)
			}
			_, err := NewJSONReader(bytes.NewReader(buf.Bytes()), "in.json").Next()
			check(t, "JSON", err, "in.json")
			dir := t.TempDir()
			if err := WritePackage(dir, []*Service{s}); err != nil {
				t.Fatal(err)
			}
			p, err := ReadPackageAll(dir)
			check(t, "CSV", err, "addresses.csv")
			if tc.wantOK && (len(p.Services) != 1 || !p.Services[0].ServiceAtLocations[0].Location.Confidential()) {
				t.Errorf("CSV: the location is not read back confidential: %+v", p.Services)
			}
		})
	}
}
