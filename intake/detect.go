package intake

import (
	"archive/zip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// Kind is what a path holds, as far as choosing a reader goes.
type Kind int

// The kinds of input Detect tells apart.
const (
	KindUnknown     Kind = iota
	KindJSON             // an HSDS 3.0 JSON or NDJSON file, or standard input
	KindPackage30        // an HSDS 3.0 tabular package (folder)
	KindPackageOld       // an HSDS 1.1 or 2.0 package (folder or .zip)
	KindSpreadsheet      // a .csv or .xlsx file that is not a package
	KindZip30            // a .zip of an HSDS 3.0 tabular package
)

// Detection says what an input is and how that was decided.
type Detection struct {
	Kind       Kind
	Format     string // a Format constant
	DetectedBy string // "descriptor", "table names", "column names", "file extension"
}

// Detect looks at path and says which reader takes it: a folder or a .zip
// holding a data package (whose version comes from datapackage.json, or,
// without one, from its table and column names), a spreadsheet by its
// extension, or otherwise an HSDS 3.0 JSON file. It reads only names and
// headers, never whole tables.
func Detect(p string) (Detection, error) {
	if p == "-" {
		return Detection{Kind: KindJSON, Format: FormatHSDS30}, nil
	}
	fi, err := os.Stat(p)
	if err != nil {
		return Detection{}, err
	}
	ext := strings.ToLower(filepath.Ext(p))
	switch {
	case fi.IsDir():
		return DetectFS(os.DirFS(p), filepath.Base(p))
	case ext == ".zip":
		zr, err := zip.OpenReader(p)
		if err != nil {
			return Detection{}, fmt.Errorf("%s: not a readable zip file: %w", filepath.Base(p), err)
		}
		defer zr.Close()
		fsys, err := packageRoot(zr)
		if err != nil {
			return Detection{}, fmt.Errorf("%s: %w", filepath.Base(p), err)
		}
		d, err := DetectFS(fsys, filepath.Base(p))
		if d.Kind == KindPackage30 {
			d.Kind = KindZip30
		}
		return d, err
	case ext == ".csv":
		return Detection{Kind: KindSpreadsheet, Format: FormatCSV, DetectedBy: "file extension"}, nil
	case ext == ".xlsx":
		return Detection{Kind: KindSpreadsheet, Format: FormatXLSX, DetectedBy: "file extension"}, nil
	}
	return Detection{Kind: KindJSON, Format: FormatHSDS30}, nil
}

// packageRoot returns the folder of a zip that holds the package: the zip
// itself, or the one folder everything sits in (zipping a folder puts it
// there).
func packageRoot(fsys fs.FS) (fs.FS, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var dirs []string
	for _, e := range entries {
		n := e.Name()
		if strings.HasPrefix(n, "__MACOSX") || strings.HasPrefix(n, ".") {
			continue
		}
		if !e.IsDir() && (strings.HasSuffix(strings.ToLower(n), ".csv") || n == "datapackage.json") {
			return fsys, nil
		}
		if e.IsDir() {
			dirs = append(dirs, n)
		}
	}
	if len(dirs) == 1 {
		return fs.Sub(fsys, dirs[0])
	}
	return nil, errors.New("holds no datapackage.json and no CSV files at its top or in one folder")
}

// The tables only one version has, and the columns that tell 1.1 from 2.0
// when the file names are shared.
var (
	only11 = []string{"regular_schedule", "holiday_schedule", "service_taxonomy", "taxonomy"}
	only20 = []string{"schedule", "service_attribute", "other_attribute", "taxonomy_term"}
	only30 = []string{"address", "attribute", "organization_identifier", "cost_option", "url", "service_capacity"}
)

// DetectFS tells the version of the package in fsys; name is for errors.
func DetectFS(fsys fs.FS, name string) (Detection, error) {
	if b, err := fs.ReadFile(fsys, "datapackage.json"); err == nil {
		var d struct {
			Version   string `json:"version"`
			Resources []struct {
				Name string `json:"name"`
				Path string `json:"path"`
			} `json:"resources"`
		}
		if err := json.Unmarshal(b, &d); err != nil {
			return Detection{}, fmt.Errorf("%s/datapackage.json: %w", name, err)
		}
		var names []string
		for _, r := range d.Resources {
			names = append(names, r.Name)
		}
		if f := formatOfTables(names); f != "" {
			return detection(f, "descriptor"), nil
		}
		// A descriptor that lists none of the telling tables: the files
		// decide.
	}
	tables, err := tablesIn(fsys)
	if err != nil {
		return Detection{}, fmt.Errorf("%s: %w", name, err)
	}
	if len(tables) == 0 {
		return Detection{}, fmt.Errorf("%s: no datapackage.json and no CSV files: not a data package", name)
	}
	var names []string
	for t := range tables {
		names = append(names, t)
	}
	slices.Sort(names)
	if f := formatOfTables(names); f != "" {
		return detection(f, "table names"), nil
	}
	// Tables both versions share: columns tell them apart (1.1 services
	// have taxonomy_ids, 1.1 eligibility has an eligibility column, 2.0
	// metadata has resource_type).
	// In this order, so that a package showing both versions' marks is
	// always read the same way.
	for _, c := range []struct{ table, column, format string }{
		{"service", "taxonomy_ids", FormatHSDS11},
		{"eligibility", "eligibility", FormatHSDS11},
		{"metadata", "resource_type", FormatHSDS20},
	} {
		if file, ok := tables[c.table]; ok {
			if h, err := headerOf(fsys, file); err == nil && slices.Contains(h, c.column) {
				return detection(c.format, "column names"), nil
			}
		}
	}
	if file, ok := tables["physical_address"]; ok {
		if _, err := headerOf(fsys, file); err == nil {
			// Without anything more telling, 1.1 is what most published
			// packages are.
			return detection(FormatHSDS11, "table names"), nil
		}
	}
	return Detection{}, fmt.Errorf("%s: the tables (%s) do not tell an HSDS version: add a datapackage.json", name, strings.Join(names, ", "))
}

func detection(f, by string) Detection {
	k := KindPackageOld
	if f == FormatHSDS30 {
		k = KindPackage30
	}
	return Detection{Kind: k, Format: f, DetectedBy: by}
}

func formatOfTables(names []string) string {
	has := func(list []string) bool {
		for _, n := range names {
			if slices.Contains(list, canonicalTable(n)) {
				return true
			}
		}
		return false
	}
	switch {
	case has(only30):
		return FormatHSDS30
	case has(only20):
		return FormatHSDS20
	case has(only11):
		return FormatHSDS11
	}
	return ""
}

// tableFiles maps the file names packages use (plural as the descriptors
// have them, singular as many exports write them) to table names.
var tableFiles = map[string]string{
	"organizations": "organization", "programs": "program", "services": "service",
	"services_taxonomy": "service_taxonomy", "service_taxonomies": "service_taxonomy",
	"services_at_location": "service_at_location", "services_at_locations": "service_at_location", "service_at_locations": "service_at_location",
	"locations": "location", "phones": "phone", "contacts": "contact",
	"physical_addresses": "physical_address", "postal_addresses": "postal_address",
	"regular_schedules": "regular_schedule", "holiday_schedules": "holiday_schedule", "schedules": "schedule",
	"eligibilities": "eligibility", "service_areas": "service_area",
	"required_documents": "required_document", "payments_accepted": "payment_accepted", "payment_accepteds": "payment_accepted",
	"languages": "language", "accessibility_for_disabilities": "accessibility_for_disabilities",
	"taxonomies": "taxonomy", "taxonomy_terms": "taxonomy_term", "service_attributes": "service_attribute",
	"other_attributes": "other_attribute", "meta_table_descriptions": "meta_table_description",
	"addresses": "address", "attributes": "attribute", "organization_identifiers": "organization_identifier",
	"cost_options": "cost_option", "urls": "url",
}

func canonicalTable(s string) string {
	s = strings.ToLower(strings.TrimSuffix(path.Base(s), ".csv"))
	if t, ok := tableFiles[s]; ok {
		return t
	}
	return s
}

// tablesIn lists the CSV files of fsys's top folder by table name.
func tablesIn(fsys fs.FS) (map[string]string, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, e := range entries {
		if e.IsDir() || !strings.EqualFold(path.Ext(e.Name()), ".csv") {
			continue
		}
		out[canonicalTable(e.Name())] = e.Name()
	}
	return out, nil
}

// headerOf reads the header row of a CSV file.
func headerOf(fsys fs.FS, file string) ([]string, error) {
	f, err := fsys.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := newCSV(io.LimitReader(f, 1<<20))
	h, err := r.Read()
	if err != nil {
		return nil, err
	}
	for i := range h {
		h[i] = strings.ToLower(Clean(h[i]))
	}
	return h, nil
}
