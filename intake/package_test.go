package intake

import (
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"haven/hsds"
	"haven/intake/internal/ziptest"
	"haven/internal/testenv"
)

const (
	pkg11 = "testdata/county211-sample"   // HSDS 1.1 with its descriptor
	pkg20 = "testdata/coalition20-sample" // HSDS 2.0 without one
)

// readAll reads a package to the end; problems the reader could read past
// come back apart.
func readAll(tb testing.TB, path string, opt Options) ([]*hsds.Service, []error, *Report) {
	tb.Helper()
	d, err := Detect(path)
	if err != nil {
		tb.Fatal(err)
	}
	p, err := OpenPackage(path, d, opt)
	if err != nil {
		tb.Fatal(err)
	}
	defer p.Close()
	var svcs []*hsds.Service
	var bad []error
	for {
		s, err := p.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var list hsds.Errors
		if errors.As(err, &list) {
			bad = append(bad, err)
			continue
		}
		if err != nil {
			tb.Fatal(err)
		}
		svcs = append(svcs, s)
	}
	return svcs, bad, p.Report
}

// zipOf zips dir as zipping a folder does (see ziptest).
var zipOf = ziptest.Dir

func TestDetect(t *testing.T) {
	tmp := t.TempDir()
	csvFile := filepath.Join(tmp, "list.csv")
	os.WriteFile(csvFile, []byte("Agency,Phone\n"), 0o644)
	jsonFile := filepath.Join(tmp, "services.ndjson")
	os.WriteFile(jsonFile, []byte("{}\n"), 0o644)
	pkg30 := filepath.Join("..", "hsds", "testdata", "csv_fixed")
	for _, tc := range []struct {
		path   string
		kind   Kind
		format string
		by     string
	}{
		{pkg11, KindPackageOld, FormatHSDS11, "descriptor"},
		{pkg20, KindPackageOld, FormatHSDS20, "table names"},
		{zipOf(t, pkg20), KindPackageOld, FormatHSDS20, "table names"},
		{zipOf(t, pkg11), KindPackageOld, FormatHSDS11, "descriptor"},
		{pkg30, KindPackage30, FormatHSDS30, "descriptor"},
		{zipOf(t, pkg30), KindZip30, FormatHSDS30, "descriptor"},
		{csvFile, KindSpreadsheet, FormatCSV, "file extension"},
		{jsonFile, KindJSON, FormatHSDS30, ""},
		{"-", KindJSON, FormatHSDS30, ""},
	} {
		d, err := Detect(tc.path)
		if err != nil || d.Kind != tc.kind || d.Format != tc.format || d.DetectedBy != tc.by {
			t.Errorf("Detect(%s) = %+v, %v; want %v %s by %q", tc.path, d, err, tc.kind, tc.format, tc.by)
		}
	}
	// Without the descriptor, 1.1 is told by its tables.
	bare := t.TempDir()
	copyDir(t, pkg11, bare)
	os.Remove(filepath.Join(bare, "datapackage.json"))
	if d, err := Detect(bare); err != nil || d.Format != FormatHSDS11 || d.DetectedBy != "table names" {
		t.Errorf("1.1 without its descriptor: %+v, %v", d, err)
	}
	// Only tables both versions share: the columns tell.
	shared := t.TempDir()
	for _, f := range []string{"organizations.csv", "services.csv", "locations.csv"} {
		b, _ := os.ReadFile(filepath.Join(pkg11, f))
		os.WriteFile(filepath.Join(shared, f), b, 0o644)
	}
	if d, err := Detect(shared); err != nil || d.Format != FormatHSDS11 || d.DetectedBy != "column names" {
		t.Errorf("1.1 told by its columns: %+v, %v", d, err)
	}
	for name, files := range map[string]map[string]string{
		"empty folder":   {},
		"unknown tables": {"clients.csv": "id,name\n"},
	} {
		dir := t.TempDir()
		for f, body := range files {
			os.WriteFile(filepath.Join(dir, f), []byte(body), 0o644)
		}
		if _, err := Detect(dir); err == nil || !strings.Contains(err.Error(), filepath.Base(dir)) {
			t.Errorf("%s: %v; want an error naming the folder", name, err)
		}
	}
}

func copyDir(tb testing.TB, from, to string) {
	tb.Helper()
	entries, err := os.ReadDir(from)
	if err != nil {
		tb.Fatal(err)
	}
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(from, e.Name()))
		os.WriteFile(filepath.Join(to, e.Name()), b, 0o644)
	}
}

// find returns the service named name.
func find(tb testing.TB, svcs []*hsds.Service, name string) *hsds.Service {
	tb.Helper()
	for _, s := range svcs {
		if s.Name == name {
			return s
		}
	}
	tb.Fatalf("no service %q", name)
	return nil
}

func TestHSDS11Package(t *testing.T) {
	svcs, bad, rep := readAll(t, pkg11, Options{})
	if len(bad) > 0 {
		t.Fatalf("strict read of the 1.1 sample: %v", bad)
	}
	if len(svcs) != 4 || rep.Services != 4 || rep.Format != FormatHSDS11 || rep.DetectedBy != "descriptor" {
		t.Fatalf("%d services, report %+v", len(svcs), rep)
	}
	// Counts per table: read, imported, skipped.
	for name, want := range map[string][3]int{
		"organization": {3, 2, 1}, "service": {4, 4, 0}, "location": {4, 3, 1}, "phone": {5, 5, 0},
		"taxonomy": {5, 4, 1}, "meta_table_description": {1, 0, 1}, "language": {5, 5, 0},
		"regular_schedule": {4, 4, 0}, "holiday_schedule": {1, 1, 0}, "physical_address": {3, 3, 0},
	} {
		tb := rep.Table(name)
		if got := [3]int{tb.Read, tb.Imported, tb.Skipped}; got != want {
			t.Errorf("%s: read, imported, skipped = %v; want %v", name, got, want)
		}
	}
	text := reportText(t, rep)
	for _, want := range []string{
		"country US filled in for 2 addresses",
		"columns with no place in HSDS 3.0, not imported: intake_notes",
		"columns with no place in HSDS 3.0, not imported: department",
		`"Texas" → TX`, `"9:00 AM" → 09:00`, `"12/26/2026" → 2026-12-26`,
		`"(979) 555-0101 ext. 12" → +19795550101`,
		`phone number kept as written: it does not read as a number (e.g. phone 4 (line 5) "call the front desk")`,
		`language kept by name: no single ISO 639 code for it (e.g. language LG3 (line 4) "Creole")`,
		"delivers no service in the package",
		`spaces trimmed (e.g. line 5 organization_id " 2 ")`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q:\n%s", want, text)
		}
	}
	shelter := find(t, svcs, "Emergency Shelter for Survivors (SAMPLE)")
	if shelter.ID != StableID("county211-sample", "service", "101") || shelter.Status != "active" {
		t.Errorf("shelter id %s, status %q", shelter.ID, shelter.Status)
	}
	// The date of the id record is the package's, from its descriptor.
	if m := shelter.Metadata; len(m) != 2 || m[0].PreviousValue != "101" || m[0].ReplacementValue != shelter.ID || m[0].LastActionDate != "2026-11-30" || m[1].FieldName != "description" {
		t.Errorf("the original id and the package's metadata: %+v", m)
	}
	org := shelter.Organization
	if org.Name != "Gulf Coast Freedom Network (SAMPLE)" || org.Website != "https://www.example.org" ||
		len(org.OrganizationIdentifiers) != 1 || org.OrganizationIdentifiers[0].Identifier != "1" || len(org.Phones) != 1 || len(org.Funding) != 1 {
		t.Errorf("organization: %+v", org)
	}
	if p := shelter.Phones; len(p) != 1 || p[0].Number != "+19795550101" || p[0].Extension == nil || *p[0].Extension != 12 ||
		p[0].Type != "voice" || len(p[0].Languages) != 2 || p[0].Languages[1].Code != "es" {
		t.Errorf("phones: %+v", p)
	}
	var codes []string
	for _, l := range shelter.Languages {
		codes = append(codes, l.Code)
	}
	if strings.Join(codes, ",") != "es,en,vi" {
		t.Errorf("languages %v", codes)
	}
	if shelter.EligibilityDescription != "adult; female" || len(shelter.Attributes) != 1 || shelter.Attributes[0].TaxonomyTerm.Code != "BH-1800.8500" ||
		len(shelter.ServiceAreas) != 1 || len(shelter.Funding) != 1 {
		t.Errorf("shelter: eligibility %q, attributes %+v", shelter.EligibilityDescription, shelter.Attributes)
	}
	loc := shelter.ServiceAtLocations[0].Location
	if loc.ExternalIdentifier != "L1" || len(loc.Addresses) != 2 || loc.Addresses[0].AddressType != "physical" || loc.Addresses[1].AddressType != "postal" ||
		loc.Addresses[0].Country != "US" || loc.Addresses[0].StateProvince != "TX" || loc.Addresses[0].Address2 != "Suite 2, Building B" || len(loc.Accessibility) != 1 {
		t.Errorf("location: %+v", loc)
	}
	cm := find(t, svcs, "Case Management (SAMPLE)")
	if len(cm.Schedules) != 3 || cm.Schedules[0].ByDay != "MO" || cm.Schedules[0].OpensAt != "09:00" || cm.Schedules[0].ClosesAt != "17:00" ||
		cm.Schedules[2].ValidTo != "2026-12-26" || cm.URL != "https://example.org/case" || len(cm.Attributes) != 2 {
		t.Errorf("case management: schedules %+v", cm.Schedules)
	}
	if sal := cm.ServiceAtLocations; len(sal) != 2 || len(sal[1].Schedules) != 1 || sal[1].Schedules[0].ByDay != "TU" ||
		len(sal[1].Location.Languages) != 1 || sal[1].Location.Languages[0].Code != "ht" {
		t.Errorf("case management at the Miami center: %+v", sal)
	}
	legal := find(t, svcs, "Immigration Legal Help (SAMPLE)")
	if len(legal.Attributes) != 2 || legal.Attributes[1].Value != "Survivors of trafficking" || len(legal.Contacts) != 1 ||
		len(legal.Contacts[0].Phones) != 1 || len(legal.Phones) != 1 || legal.Phones[0].Number != "call the front desk" ||
		legal.Languages[0].Code != "" || legal.Languages[0].Name != "Creole" || len(legal.RequiredDocuments) != 1 {
		t.Errorf("legal help: %+v", legal)
	}
	if w := find(t, svcs, "Know Your Rights Workshops (SAMPLE)"); w.FeesDescription != "Payment accepted: Free" || w.Status != "inactive" {
		t.Errorf("workshops: %+v", w)
	}
	for _, s := range svcs {
		if errs := s.Validate(); errs != nil {
			t.Errorf("%s: %v", s.Name, hsds.Errors(errs))
		}
	}
	// The same package read again gives the same ids; another source
	// gives others.
	again, _, _ := readAll(t, pkg11, Options{})
	other, _, _ := readAll(t, pkg11, Options{Source: "another-211"})
	for i := range svcs {
		if again[i].ID != svcs[i].ID || other[i].ID == svcs[i].ID {
			t.Errorf("service %d: ids %s, %s, %s", i, svcs[i].ID, again[i].ID, other[i].ID)
		}
	}
	// The zip reads as the folder does.
	zipped, _, zrep := readAll(t, zipOf(t, pkg11), Options{})
	if len(zipped) != 4 || zipped[0].ID != svcs[0].ID || len(zrep.Tables) != len(rep.Tables) {
		t.Errorf("zip: %d services, first %s", len(zipped), zipped[0].ID)
	}
}

func reportText(tb testing.TB, r *Report) string {
	var b strings.Builder
	if err := r.WriteText(&b); err != nil {
		tb.Fatal(err)
	}
	return b.String()
}

func TestHSDS20Folder(t *testing.T) {
	// Strict: the first bad row stops the import, named by file, row and
	// field.
	d, _ := Detect(pkg20)
	p, err := OpenPackage(pkg20, d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Next()
	p.Close()
	if err == nil || err.Error() != `phones.csv: phone PH-9 (line 4): service_id: service "S-999" is not in the package` {
		t.Errorf("strict: %v", err)
	}
	svcs, bad, rep := readAll(t, pkg20, Options{SkipInvalid: true})
	if len(svcs) != 3 || len(bad) != 2 || rep.SkippedRows() != 4 {
		t.Fatalf("%d services, %d refused records (%v), %d rows skipped", len(svcs), len(bad), bad, rep.SkippedRows())
	}
	if !strings.Contains(bad[1].Error(), `services.csv: service S-4 (line 5): status: "paused" is not one of`) {
		t.Errorf("the bad service: %v", bad[1])
	}
	text := reportText(t, rep)
	for _, want := range []string{
		"coalition20-sample: hsds-2.0 (recognized by its table names), 3 services",
		"volunteers (volunteers.csv): 1 read, 0 imported, 1 skipped",
		"no such table in HSDS 2.0",
		"service_at_location (services_at_location.csv): 3 read, 2 imported, 1 skipped",
		"skipped 1: service_id names a service not in the package (e.g. phone PH-9 (line 4))",
		`"5:30 PM" → 17:30`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q:\n%s", want, text)
		}
	}
	drop := find(t, svcs, "Survivor Drop-in Hours (SAMPLE)")
	// A UUID id stays as it is, and needs no identifier.
	if drop.OrganizationID != "6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b" || len(drop.Organization.OrganizationIdentifiers) != 0 {
		t.Errorf("organization %s %+v", drop.OrganizationID, drop.Organization.OrganizationIdentifiers)
	}
	if sc := drop.ServiceAtLocations[0].Schedules; len(sc) != 1 || sc[0].Freq != "WEEKLY" || sc[0].ByDay != "MO,WE,FR" {
		t.Errorf("drop-in schedule: %+v", sc)
	}
	crisis := find(t, svcs, "Crisis Line (SAMPLE)")
	if ph := crisis.Phones; len(ph) != 1 || ph[0].Number != "+18135550142" || len(ph[0].Languages) != 3 || ph[0].Languages[2].Code != "ht" {
		t.Errorf("crisis phones: %+v", ph)
	}
	clinic := find(t, svcs, "Wage Theft Clinic (SAMPLE)")
	if clinic.EligibilityDescription != "Adults 18 and over" || clinic.Attributes[0].TaxonomyTerm.Code != "labor-rights" ||
		clinic.Languages[1].Code != "mam" || len(clinic.ServiceAtLocations[0].Location.Attributes) != 1 ||
		clinic.ServiceAtLocations[0].Location.Phones[0].Extension == nil || clinic.Schedules[0].OpensAt != "17:30" {
		t.Errorf("clinic: %+v", clinic)
	}
	if clinic.Organization.Contacts[0].Email != "desk@example.net" {
		t.Errorf("the workers center's contact: %+v", clinic.Organization.Contacts)
	}
}

func TestDefaultCountry(t *testing.T) {
	dir := t.TempDir()
	copyDir(t, pkg20, dir)
	// A state that is not a U.S. state: no country is assumed.
	b, _ := os.ReadFile(filepath.Join(dir, "physical_addresses.csv"))
	os.WriteFile(filepath.Join(dir, "physical_addresses.csv"), []byte(strings.Replace(string(b), "Florida ", "Ontario", 1)), 0o644)
	svcs, _, rep := readAll(t, dir, Options{SkipInvalid: true})
	if a := rep.Table("physical_address"); len(rep.Notes) != 0 || a.Skipped != 2 || !strings.Contains(a.SkipReasons[0].What, "give --default-country") {
		t.Errorf("a country was assumed: %v, %+v", rep.Notes, a)
	}
	if a := find(t, svcs, "Wage Theft Clinic (SAMPLE)").ServiceAtLocations[0].Location.Addresses; len(a) != 0 {
		t.Errorf("an address without a country was kept: %+v", a)
	}
	// Strict, the address refuses its service.
	d, _ := Detect(dir)
	p, _ := OpenPackage(dir, d, Options{})
	defer p.Close()
	p.pending = nil // past the dangling phone
	if _, err := p.Next(); err == nil || !strings.Contains(err.Error(), "physical_addresses.csv: physical_address ADDR-1 (line 2): country: country is empty") {
		t.Errorf("strict, no country: %v", err)
	}
	svcs, _, _ = readAll(t, dir, Options{SkipInvalid: true, DefaultCountry: "ca"})
	if c := find(t, svcs, "Wage Theft Clinic (SAMPLE)").ServiceAtLocations[0].Location.Addresses[0].Country; c != "CA" {
		t.Errorf("--default-country ca: %q", c)
	}
	if _, err := ReadPackageFS(os.DirFS(dir), "x", Detection{Format: FormatHSDS20}, Options{DefaultCountry: "Canada"}); err == nil {
		t.Error("--default-country Canada accepted")
	}
}

func TestClockTime(t *testing.T) {
	for in, want := range map[string]string{
		"9:00 AM": "09:00", "9am": "09:00", "12 pm": "12:00", "12am": "00:00", "5:30 PM": "17:30", "17:00:00": "17:00:00",
		"1700": "17:00", "09:00Z": "09:00Z", "08:00-05:00": "08:00-05:00", "25:00": "", "13pm": "", "noon": "", "9:5": "",
	} {
		got, ok := clockTime(in)
		if got != want || ok != (want != "") {
			t.Errorf("clockTime(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

// TestSharedSample reads the 1.1 sample beside the clone, when it is
// there: the importer takes the official sample package.
func TestSharedSample(t *testing.T) {
	dir, ok := testenv.MaybeShared(t, "hsds/v1.1/sample")
	if !ok {
		return
	}
	svcs, bad, rep := readAll(t, dir, Options{SkipInvalid: true})
	if len(svcs) == 0 || rep.Format != FormatHSDS11 {
		t.Fatalf("%d services; refused %v", len(svcs), bad)
	}
	t.Logf("shared 1.1 sample: %d services, %d refused records", len(svcs), len(bad))
}

// TestRowsWithoutIDs: a table without an id column, and a row with an
// empty id, get ids made from their line numbers, and keep their cells.
func TestRowsWithoutIDs(t *testing.T) {
	dir := t.TempDir()
	copyDir(t, pkg11, dir)
	os.WriteFile(filepath.Join(dir, "languages.csv"), []byte("service_id,language\n101,Spanish\n102,\"Vietnamese\"\n"), 0o644)
	b, _ := os.ReadFile(filepath.Join(dir, "service_areas.csv"))
	os.WriteFile(filepath.Join(dir, "service_areas.csv"), []byte(strings.Replace(string(b), "SA1,", ",", 1)), 0o644)
	svcs, bad, rep := readAll(t, dir, Options{Source: "county211-sample"})
	if len(bad) > 0 || len(svcs) != 4 {
		t.Fatalf("%d services, %v", len(svcs), bad)
	}
	shelter := find(t, svcs, "Emergency Shelter for Survivors (SAMPLE)")
	if l := shelter.Languages; len(l) != 1 || l[0].Code != "es" || l[0].ID != StableID("county211-sample", "language", "line 2") {
		t.Errorf("languages: %+v", l)
	}
	if a := shelter.ServiceAreas; len(a) != 1 || a[0].Name != "Brazos County" || a[0].ID != StableID("county211-sample", "service_area", "line 2") {
		t.Errorf("service areas: %+v", a)
	}
	if f := rep.Table("language").Fixes; len(f) != 1 || f[0].Count != 2 || !strings.Contains(f[0].What, "line number") {
		t.Errorf("language fixes: %+v", f)
	}
}

// TestDescriptorsCovered checks, against the official 1.1 and 2.0
// descriptors beside the clone, that every table and field they define
// has a place in the reader (knownColumns), and that each descriptor is
// recognized as its version.
func TestDescriptorsCovered(t *testing.T) {
	for _, v := range []struct{ dir, format string }{{"hsds/v1.1", FormatHSDS11}, {"hsds/v2.0", FormatHSDS20}} {
		path, ok := testenv.MaybeShared(t, v.dir+"/datapackage.json")
		if !ok {
			continue
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var d struct {
			Resources []struct {
				Name   string `json:"name"`
				Path   string `json:"path"`
				Schema struct {
					Fields []struct{ Name string } `json:"fields"`
				} `json:"schema"`
			} `json:"resources"`
		}
		if err := json.Unmarshal(b, &d); err != nil {
			t.Fatal(err)
		}
		for _, r := range d.Resources {
			if canonicalTable(r.Path) != r.Name {
				t.Errorf("%s: file %s is not read as table %s", v.dir, r.Path, r.Name)
			}
			known, ok := knownColumns[r.Name]
			if !ok {
				t.Errorf("%s: table %s has no reader", v.dir, r.Name)
				continue
			}
			for _, f := range r.Schema.Fields {
				if !slices.Contains(known, f.Name) && !(r.Name == "phone" && f.Name == "department") {
					t.Errorf("%s: %s.%s has no place", v.dir, r.Name, f.Name)
				}
			}
		}
		fsys := fstest.MapFS{"datapackage.json": &fstest.MapFile{Data: b}}
		if got, err := DetectFS(fsys, v.dir); err != nil || got.Format != v.format || got.DetectedBy != "descriptor" {
			t.Errorf("%s: detected %+v, %v", v.dir, got, err)
		}
	}
}

// TestDetectStable: a package without a descriptor whose columns carry
// marks of both versions (1.1's taxonomy_ids, 2.0's resource_type) is read
// as the same version every time, not as the order of a map says.
func TestDetectStable(t *testing.T) {
	fsys := fstest.MapFS{
		"services.csv":      {Data: []byte("id,organization_id,name,taxonomy_ids\n")},
		"organizations.csv": {Data: []byte("id,name\n")},
		"metadata.csv":      {Data: []byte("id,resource_id,resource_type,last_action_date\n")},
	}
	for range 50 {
		d, err := DetectFS(fsys, "mixed")
		if err != nil || d.Format != FormatHSDS11 || d.DetectedBy != "column names" {
			t.Fatalf("DetectFS = %+v, %v; want HSDS 1.1 by its column names, every time", d, err)
		}
	}
}

// TestPackageReadsAsAsked: the services table is read on the caller's
// goroutine, one row per Next, so a reader stopped after one service has
// read one row (it used to read ahead on a goroutine of its own, which made
// the same input take different paths from one run to the next and kept
// reading after Close), and a closed reader says so.
func TestPackageReadsAsAsked(t *testing.T) {
	d, err := Detect(pkg11)
	if err != nil {
		t.Fatal(err)
	}
	p, err := OpenPackage(pkg11, d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Pos() != 0 {
		t.Errorf("opening read %d bytes of services ahead", p.Pos())
	}
	if _, err := p.Next(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(pkg11, "services.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	if first := int64(len(lines[1]) + 1); p.Pos() > first+8 {
		t.Errorf("after one service, %d bytes of services read; its row has %d", p.Pos(), first)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Next(); err == nil || errors.Is(err, io.EOF) {
		t.Errorf("Next after Close: %v, want an error", err)
	}
}

// TestSpilledTablesReadAlike reads packages with their tables in memory and
// with every table moved to a temporary file (as a large package's are):
// the services, the errors and the report are the same.
func TestSpilledTablesReadAlike(t *testing.T) {
	noIDs := t.TempDir()
	copyDir(t, pkg11, noIDs)
	os.WriteFile(filepath.Join(noIDs, "languages.csv"), []byte("service_id,language\n101,Spanish\n102,\"Vietnamese\"\n"), 0o644)
	dangling := t.TempDir()
	copyDir(t, pkg20, dangling)
	os.WriteFile(filepath.Join(dangling, "phones.csv"), []byte("id,service_id,number\nP1,nope,555-0100\nP2,,(979) 555-0101 ext. 12\n"), 0o644)
	read := func(dir string, at int) string {
		defer func(was int) { spillAt = was }(spillAt)
		spillAt = at
		svcs, bad, rep := readAll(t, dir, Options{Source: "spill", SkipInvalid: true})
		b, err := json.Marshal(struct {
			Services []*hsds.Service
			Bad      []string
			Report   *Report
		}{svcs, errorTexts(bad), rep})
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for _, dir := range []string{pkg11, pkg20, noIDs, dangling} {
		if mem, disk := read(dir, 4<<20), read(dir, 0); mem != disk {
			t.Errorf("%s: read differently with its tables on disk:\nmemory %s\ndisk   %s", dir, mem, disk)
		}
	}
	// And they were on disk.
	defer func(was int) { spillAt = was }(spillAt)
	spillAt = 0
	d, err := Detect(pkg11)
	if err != nil {
		t.Fatal(err)
	}
	p, err := OpenPackage(pkg11, d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if p.tables["phone"] == nil || p.tables["phone"].disk == nil || p.tables["phone"].rows != nil {
		t.Error("with spillAt 0, the phones table is still in memory")
	}
}

func errorTexts(errs []error) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Error())
	}
	return out
}
