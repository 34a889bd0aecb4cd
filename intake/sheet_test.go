package intake_test

import (
	"bytes"
	"errors"

	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"haven/hsds"
	"haven/i18n"
	"haven/intake"
	"haven/sample"
)

// havenTerms are the terms of Haven's category taxonomy, as the store gives
// them to the reader.
func havenTerms() intake.SheetOptions {
	tax, terms := sample.Taxonomy()
	var codes []string
	for _, t := range terms {
		codes = append(codes, t.Code)
	}
	return intake.SheetOptions{Terms: terms, Taxonomy: &tax, TermNames: i18n.CategoryLabels(codes)}
}

// mustPreview reads a whole sheet, taking the valid rows, and returns its
// services by name.
func mustPreview(t *testing.T, s *intake.Sheet) map[string]*hsds.Service {
	t.Helper()
	svcs, err := s.Preview(true, 1000)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*hsds.Service{}
	for _, v := range svcs {
		out[v.Name] = v
	}
	return out
}

func categories(s *hsds.Service) []string {
	var out []string
	for _, a := range s.Attributes {
		out = append(out, a.TaxonomyTerm.Code)
	}
	slices.Sort(out)
	return out
}

func languages(s *hsds.Service) []string {
	var out []string
	for _, l := range s.Languages {
		out = append(out, l.Code+"/"+l.Name)
	}
	return out
}

func tallied(list []*intake.Tally, what string) int {
	for _, x := range list {
		if strings.HasPrefix(x.What, what) {
			return x.Count
		}
	}
	return 0
}

// TestCoalitionCSV reads the messy sample list: a title above the header,
// Spanish and English headers, trailing spaces, www. addresses, an
// extension, a confidential address, a ZIP that lost its zero, hours that
// do not parse, an unknown category and language, a repeated row and a
// row with a bad e-mail.
func TestCoalitionCSV(t *testing.T) {
	s, err := intake.OpenSheet("testdata/coalition.csv", havenTerms())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got := mustPreview(t, s)
	if c := s.Counts(); c != (intake.SheetCounts{Organizations: 3, Services: 5, Locations: 4, Confidential: 1}) {
		t.Errorf("counts = %+v", c)
	}
	tab := s.Table()
	if tab.Read != 7 || tab.Imported != 5 || tab.Skipped != 1 {
		t.Errorf("read %d, imported %d, skipped %d; want 7, 5, 1", tab.Read, tab.Imported, tab.Skipped)
	}
	if !slices.Equal(tab.Unmapped, []string{"Fax", "Contact Person"}) {
		t.Errorf("unmapped = %v", tab.Unmapped)
	}
	if len(tab.SkipReasons) != 1 || tab.SkipReasons[0].What != "E-mail: … is not an e-mail address" || tab.SkipReasons[0].Examples[0] != `row 10: "call us" is not an e-mail address` {
		t.Errorf("skip reasons = %+v", tab.SkipReasons[0])
	}
	for what, n := range map[string]int{"category not in Haven's taxonomy": 1, "language without an ISO 639 code": 1} {
		if tallied(tab.Unrecognized, what) != n {
			t.Errorf("%q: %d, want %d (%+v)", what, tallied(tab.Unrecognized, what), n, tab.Unrecognized)
		}
	}
	for what, n := range map[string]int{"row repeats an earlier row": 1, "hours kept as text": 1, "ZIP code stored as a number": 1,
		"address written as confidential": 1, "rows above the header": 1} {
		if tallied(tab.Fixes, what) != n {
			t.Errorf("fix %q: %d, want %d", what, tallied(tab.Fixes, what), n)
		}
	}

	shelter, legal, workers, counsel, youth := got["Emergency Shelter"], got["Legal Clinic"], got["Workers' Rights Clinic"], got["Consejería"], got["Youth Drop-in"]
	if shelter == nil || legal == nil || workers == nil || counsel == nil || youth == nil {
		t.Fatalf("services = %v", slices.Collect(func(yield func(string) bool) {
			for k := range got {
				yield(k)
			}
		}))
	}
	// Two rows of one agency, written differently: one organization.
	if shelter.OrganizationID != legal.OrganizationID || shelter.Organization.Name != "Casa Esperanza Sample Shelter (sample)" {
		t.Errorf("one agency made two organizations: %s, %s", shelter.OrganizationID, legal.OrganizationID)
	}
	loc := shelter.ServiceAtLocations[0].Location
	if !loc.Confidential() || loc.Addresses[0].Address1 != "" || loc.Addresses[0].City != "Houston" || loc.Name != "" {
		t.Errorf("confidential location = %+v", loc)
	}
	if p := legal.Phones[0]; p.Number != "+17135550102" || p.Extension == nil || *p.Extension != 12 {
		t.Errorf("phone with extension = %+v", p)
	}
	if legal.URL != "https://www.example.org/casa" || legal.ServiceAtLocations[0].Location.Addresses[0].StateProvince != "TX" {
		t.Errorf("url %q, state %q", legal.URL, legal.ServiceAtLocations[0].Location.Addresses[0].StateProvince)
	}
	if l := languages(legal); !slices.Equal(l, []string{"en/English", "es/Spanish", "vi/Vietnamese"}) {
		t.Errorf("languages = %v", l)
	}
	if l := languages(workers); !slices.Equal(l, []string{"pt/Portuguese", "ht/Haitian Creole", "/Klingon"}) {
		t.Errorf("languages = %v", l)
	}
	if a := workers.ServiceAtLocations[0].Location.Addresses[0]; a.PostalCode != "02134" || a.StateProvince != "MA" || a.Country != "US" {
		t.Errorf("address = %+v", a)
	}
	if l := workers.ServiceAtLocations[0].Location; l.Latitude == nil || *l.Latitude != 42.3601 || *l.Longitude != -71.0589 {
		t.Errorf("coordinates = %v, %v", l.Latitude, l.Longitude)
	}
	for svc, want := range map[*hsds.Service][]string{shelter: {"case-management", "shelter"}, legal: {"immigration-legal", "legal-services"},
		workers: {"labor-rights"}, counsel: {"medical-care", "mental-health"}, youth: {"youth-services"}} {
		if c := categories(svc); !slices.Equal(c, want) {
			t.Errorf("%s: categories %v, want %v", svc.Name, c, want)
		}
	}
	for svc, want := range map[*hsds.Service]string{shelter: "MO,TU,WE,TH,FR,SA,SU 00:00-23:59", legal: "MO,TU,WE,TH,FR 09:00-17:00",
		workers: "TU,TH 10:00-16:00", counsel: "MO,TU,WE,TH,FR 09:00-17:00", youth: "By appointment, call first"} {
		sc := svc.Schedules[0]
		text := sc.ByDay + " " + sc.OpensAt + "-" + sc.ClosesAt
		if sc.Description != "" {
			text = sc.Description
		}
		if text != want {
			t.Errorf("%s: hours %q, want %q", svc.Name, text, want)
		}
	}
	if counsel.ServiceAtLocations[0].LocationID != youth.ServiceAtLocations[0].LocationID {
		t.Error("two programs at one address got two locations")
	}
	if shelter.XSample == nil || !*shelter.XSample || shelter.Organization.XSample == nil {
		t.Error("the sample column did not mark the data as sample")
	}
	for _, svc := range got {
		if errs := svc.Validate(); errs != nil {
			t.Errorf("%s: %v", svc.Name, hsds.Errors(errs))
		}
	}

	// Read again: the same ids, so that importing again updates.
	again, err := intake.OpenSheet("testdata/coalition.csv", havenTerms())
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	for name, svc := range mustPreview(t, again) {
		if got[name].ID != svc.ID || got[name].ServiceAtLocations[0].Location.ID != svc.ServiceAtLocations[0].Location.ID {
			t.Errorf("%s: ids changed between two readings", name)
		}
	}
}

// TestSheetStrict: without --skip-invalid, the first bad row stops the
// reading with an error naming the file, the row and the column.
func TestSheetStrict(t *testing.T) {
	s, err := intake.OpenSheet("testdata/coalition.csv", havenTerms())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = s.Preview(false, 0)
	var bad hsds.Errors
	if !errors.As(err, &bad) || err.Error() != `coalition.csv: row 10: E-mail: "call us" is not an e-mail address` {
		t.Errorf("error = %v", err)
	}
}

// TestSheetProblems: each kind of bad row or file is refused with a clear
// error naming where.
func TestSheetProblems(t *testing.T) {
	for _, tc := range []struct {
		name, csv, want string
		opt             intake.SheetOptions
	}{
		{"no header", "a,b\n1,2\n", "none of the first 10 rows is a header", intake.SheetOptions{}},
		{"no agency column", "City,Phone\nAustin,512-555-0100\n", "no column names the agency or the program", intake.SheetOptions{}},
		{"no street", "Agency,City,State,ZIP\nA (sample),Austin,TX,78701\n", "row 2: address: no street address", intake.SheetOptions{}},
		{"no zip", "Agency,Address,City,State\nA (sample),1 Main St,Austin,TX\n", "row 2: postal_code: the address has no ZIP", intake.SheetOptions{}},
		{"no state", "Agency,Address,City,State,ZIP,Country\nA (sample),1 Main St,Austin,,78701,US\n", "row 2: State: the address has no state", intake.SheetOptions{}},
		{"no country", "Agency,Address,City,State,ZIP\nA (sample),1 Calle,Monterrey,NL,64000\n", "row 2: country: the address has no country", intake.SheetOptions{}},
		{"bad country", "Agency,Address,City,ZIP,Country\nA (sample),1 Calle,Monterrey,64000,Atlantis\n", `row 2: Country: "Atlantis" is not a country`, intake.SheetOptions{}},
		{"bad website", "Agency,Website\nA (sample),see our facebook\n", `row 2: Website: "see our facebook" is not a web address`, intake.SheetOptions{}},
		{"bad date", "Agency,Last verified\nA (sample),soon\n", `row 2: Last verified: "soon" is not a date`, intake.SheetOptions{}},
		{"half a point", "Agency,Address,City,State,ZIP,Lat\nA (sample),1 Main St,Austin,TX,78701,30.27\n", "row 2: Lat: give both the latitude and the longitude", intake.SheetOptions{}},
		{"bad latitude", "Agency,Address,City,State,ZIP,Lat,Lng\nA (sample),1 Main St,Austin,TX,78701,130,-97.7\n", `row 2: Lat: "130" is not a latitude`, intake.SheetOptions{}},
		{"no names", "Agency,Program,Phone\n,,512-555-0100\n", "row 2: Agency: neither an agency nor a program name", intake.SheetOptions{}},
		{"conflicting repeat", "Agency,Program,Phone\nA (sample),P,512-555-0100\nA (sample),P,512-555-0199\n", "row 3: Program: the same agency and program as row 2", intake.SheetOptions{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := intake.ReadSheet("list.csv", intake.FormatCSV, strings.NewReader(tc.csv), tc.opt)
			if err == nil {
				_, err = s.Preview(false, 0)
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "list.csv") {
				t.Errorf("error = %v; want %q", err, tc.want)
			}
		})
	}
}

// TestSheetMapAndCountry: --map names columns Haven does not know, and
// --default-country fills a country.
func TestSheetMapAndCountry(t *testing.T) {
	m := map[string]string{}
	if err := intake.ReadMapFile(m, "map.txt", strings.NewReader("# our columns\nNombre comercial = organization\nBarrio=ignore\n")); err != nil {
		t.Fatal(err)
	}
	if err := intake.ParseMap(m, "Línea directa=phone"); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"Column", "=phone", "Column=fax"} {
		if err := intake.ParseMap(m, bad); err == nil {
			t.Errorf("--map %q was accepted", bad)
		}
	}
	csv := "Nombre comercial,Barrio,LINEA DIRECTA,Dirección,Ciudad,Estado,Código postal\nRefugio Muestra (sample),Centro,+52 81 5555 0101,Calle 1,Monterrey,NL,64000\n"
	s, err := intake.ReadSheet("mx.csv", intake.FormatCSV, strings.NewReader(csv), intake.SheetOptions{Map: m, DefaultCountry: "mx"})
	if err != nil {
		t.Fatal(err)
	}
	got := mustPreview(t, s)
	svc := got["Refugio Muestra (sample)"]
	if svc == nil || svc.Phones[0].Number != "+528155550101" || svc.ServiceAtLocations[0].Location.Addresses[0].Country != "MX" {
		t.Fatalf("services = %+v", got)
	}
	if len(s.Table().Unmapped) != 0 {
		t.Errorf("an ignored column was reported: %v", s.Table().Unmapped)
	}
}

// TestSheetWindows1252 reads a CSV as Excel saves it on Windows:
// semicolons and Windows-1252.
func TestSheetWindows1252(t *testing.T) {
	csv := []byte("Agencia;Programa;Teléfono\r\nClínica Muestra (sample);Asesoría;(210) 555-0100\r\n")
	csv = bytes.ReplaceAll(csv, []byte("é"), []byte{0xE9})
	csv = bytes.ReplaceAll(csv, []byte("í"), []byte{0xED})
	s, err := intake.ReadSheet("w.csv", intake.FormatCSV, bytes.NewReader(csv), intake.SheetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := mustPreview(t, s)
	if svc := got["Asesoría"]; svc == nil || svc.Organization.Name != "Clínica Muestra (sample)" || svc.Phones[0].Number != "+12105550100" {
		t.Errorf("services = %+v", got)
	}
	if len(s.Report().Notes) != 2 {
		t.Errorf("notes = %v", s.Report().Notes)
	}
}

// writeWorkbook writes the coalition list as a workbook the way Excel
// keeps it: a title row, numbers stored as numbers (a ZIP without its zero,
// a phone number), a date cell, and the list on the second sheet.
func writeWorkbook(t testing.TB, path string) {
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "Read me")
	f.SetCellValue("Read me", "A1", "SAMPLE DATA: the agencies in this workbook are fictional.")
	f.NewSheet("Lista")
	rows := [][]any{
		{"Lista de referencias (datos de muestra, ficticios)"},
		{"Organización", "Servicio", "Dirección", "Ciudad", "Estado", "ZIP", "Phone", "Sitio web", "Categorías", "Languages", "Hours", "Last verified", "Muestra"},
		{"Refugio Sample del Norte (sample)", "Albergue", "Confidencial", "Nashua", "NH", 3060, 6035550101, "www.example.org/norte", "Albergue; Vivienda", "Spanish, English", "24/7", nil, "sí"},
		{"Refugio Sample del Norte (sample)", "Ayuda legal", "12 Example Way", "Nashua", "NH", 3060, "(603) 555-0102 x 7", "www.example.org/norte", "Legal aid", "Spanish", "Tue & Thu 10:00-16:00", nil, "sí"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Lista", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 14}) // m/d/yy
	for _, c := range []string{"L3", "L4"} {
		f.SetCellValue("Lista", c, 46000.0)
		f.SetCellStyle("Lista", c, c, style)
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

func TestSheetXLSX(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lista.xlsx")
	writeWorkbook(t, path)
	opt := havenTerms()
	if _, err := intake.OpenSheet(path, opt); err == nil || !strings.Contains(err.Error(), "none of the first 10 rows") {
		t.Errorf("the first sheet (a note) read as a list: %v", err)
	}
	opt.Sheet = "Nope"
	if _, err := intake.OpenSheet(path, opt); err == nil || !strings.Contains(err.Error(), `no sheet named "Nope": the sheets are "Read me", "Lista"`) {
		t.Errorf("unknown sheet: %v", err)
	}
	opt.Sheet = "Lista"
	s, err := intake.OpenSheet(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got := mustPreview(t, s)
	shelter, legal := got["Albergue"], got["Ayuda legal"]
	if shelter == nil || legal == nil || s.Report().Format != intake.FormatXLSX || s.Table().Name != "Lista" {
		t.Fatalf("services = %v, report %+v", got, s.Report())
	}
	a := shelter.ServiceAtLocations[0].Location.Addresses[0]
	if a.PostalCode != "03060" || !shelter.ServiceAtLocations[0].Location.Confidential() {
		t.Errorf("address = %+v", a)
	}
	if shelter.Phones[0].Number != "+16035550101" || legal.Phones[0].Number != "+16035550102" || *legal.Phones[0].Extension != 7 {
		t.Errorf("phones = %+v, %+v", shelter.Phones, legal.Phones)
	}
	if shelter.XLastVerified != "2025-12-09" {
		t.Errorf("last verified = %q", shelter.XLastVerified)
	}
	if c := categories(shelter); !slices.Equal(c, []string{"housing", "shelter"}) {
		t.Errorf("categories = %v", c)
	}
	if c := s.Counts(); c != (intake.SheetCounts{Organizations: 1, Services: 2, Locations: 2, Confidential: 1}) {
		t.Errorf("counts = %+v", c)
	}
	done, total := s.Progress()
	// excelize writes no used range ("A1"), so the total is unknown here;
	// Excel writes it.
	if done != 4 || total != 0 {
		t.Errorf("progress %d of %d rows", done, total)
	}
}

// TestOpenSheetKinds: what is not a .csv or .xlsx is refused by name.
func TestOpenSheetKinds(t *testing.T) {
	dir := t.TempDir()
	for name, want := range map[string]string{"old.xls": "save the file", "list.pdf": "not a spreadsheet", "gone.csv": "gone.csv"} {
		p := filepath.Join(dir, name)
		if name != "gone.csv" {
			os.WriteFile(p, []byte("x"), 0o600)
		}
		if _, err := intake.OpenSheet(p, intake.SheetOptions{}); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v", name, err)
		}
	}
	p := filepath.Join(dir, "fake.xlsx")
	os.WriteFile(p, []byte("Agency,Program\nA,B\n"), 0o600)
	if _, err := intake.OpenSheet(p, intake.SheetOptions{}); err == nil || !strings.Contains(err.Error(), "fake.xlsx") {
		t.Errorf("a CSV named .xlsx: %v", err)
	}
}
