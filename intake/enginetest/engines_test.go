package enginetest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"haven"
	"haven/hsds"
	"haven/intake"
	"haven/intake/internal/ziptest"
	"haven/internal/testenv"
	"haven/internal/testpg"
	"haven/sqlstore"
)

// importPackage imports a package through the DirectoryService, as
// "haven import" does.
func importPackage(tb testing.TB, dir *sqlstore.DirectoryService, path string, opt intake.Options, dry bool) (*sqlstore.ImportReport, *intake.Report) {
	tb.Helper()
	d, err := intake.Detect(path)
	if err != nil {
		tb.Fatal(err)
	}
	p, err := intake.OpenPackage(path, d, opt)
	if err != nil {
		tb.Fatal(err)
	}
	defer p.Close()
	rep, err := dir.Import(context.Background(), p.Next, sqlstore.ImportOptions{Name: path, SkipInvalid: opt.SkipInvalid, Validated: true, DryRun: dry})
	if err != nil {
		tb.Fatalf("import %s: %v", path, err)
	}
	return rep, p.Report
}

// exportAll returns the directory as one JSON document a service.
func exportAll(tb testing.TB, dir *sqlstore.DirectoryService) [][]byte {
	tb.Helper()
	var out [][]byte
	err := dir.EachService(context.Background(), func(s *hsds.Service) error {
		b, err := json.Marshal(s)
		out = append(out, b)
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// TestImportPackagesOnEachEngine imports the 1.1 package, the 2.0 folder
// and a zip of the 1.1 package into one directory, on SQLite and
// PostgreSQL: the counts are those expected, importing again changes
// nothing, a dry run writes nothing, search finds the services by place,
// language and category, and the export validates and imports back into a
// fresh database as the same directory.
func TestImportPackagesOnEachEngine(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) {
		ctx := context.Background()
		db, err := sqlstore.Open(ctx, e.Fresh(t))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		dir := sqlstore.NewDirectoryService(db)
		// A dry run writes nothing and says what it would.
		if rep, _ := importPackage(t, dir, "../testdata/county211-sample", intake.Options{}, true); rep.Imported != 4 {
			t.Errorf("dry run: %d services", rep.Imported)
		}
		if n, _, _ := dir.CountServices(ctx); n != 0 {
			t.Fatalf("a dry run wrote %d services", n)
		}
		rep, _ := importPackage(t, dir, "../testdata/county211-sample", intake.Options{}, false)
		rep2, report := importPackage(t, dir, "../testdata/coalition20-sample", intake.Options{SkipInvalid: true}, false)
		if rep.Imported != 4 || rep2.Imported != 3 || len(rep2.Skipped) != 2 || report.Services != 3 {
			t.Fatalf("imported %d and %d services (skipped %v)", rep.Imported, rep2.Imported, rep2.Skipped)
		}
		first := exportAll(t, dir)
		if len(first) != 7 {
			t.Fatalf("%d services in the directory", len(first))
		}
		// Again, and as a zip of the same folder: nothing changes.
		importPackage(t, dir, "../testdata/county211-sample", intake.Options{}, false)
		importPackage(t, dir, ziptest.Dir(t, "../testdata/county211-sample"), intake.Options{}, false)
		importPackage(t, dir, "../testdata/coalition20-sample", intake.Options{SkipInvalid: true}, false)
		if again := exportAll(t, dir); !slices.EqualFunc(first, again, bytes.Equal) {
			t.Errorf("importing the same packages again changed the directory (%d services, then %d)", len(first), len(again))
			for i := range min(len(first), len(again)) {
				if !bytes.Equal(first[i], again[i]) {
					t.Logf("before: %s\nafter:  %s", first[i], again[i])
				}
			}
		}
		// Search by place, language and category.
		zip77803, _ := haven.ParsePlace("", "77803")
		for _, tc := range []struct {
			name string
			f    haven.DirectoryFilter
			want []string
		}{
			{"Texas", haven.DirectoryFilter{State: "TX", AllStatuses: true}, []string{"Case Management (SAMPLE)", "Emergency Shelter for Survivors (SAMPLE)", "Immigration Legal Help (SAMPLE)", "Know Your Rights Workshops (SAMPLE)"}},
			{"Florida", haven.DirectoryFilter{State: "FL"}, []string{"Case Management (SAMPLE)", "Survivor Drop-in Hours (SAMPLE)", "Wage Theft Clinic (SAMPLE)"}},
			{"near Bryan", haven.DirectoryFilter{Near: zip77803, RadiusKm: 25}, []string{"Case Management (SAMPLE)", "Emergency Shelter for Survivors (SAMPLE)"}},
			{"Vietnamese", haven.DirectoryFilter{Language: "vi"}, []string{"Emergency Shelter for Survivors (SAMPLE)"}},
			{"Spanish", haven.DirectoryFilter{Language: "es"}, []string{"Case Management (SAMPLE)", "Emergency Shelter for Survivors (SAMPLE)", "Survivor Drop-in Hours (SAMPLE)", "Wage Theft Clinic (SAMPLE)"}},
			{"labor rights", haven.DirectoryFilter{Category: "labor-rights"}, []string{"Wage Theft Clinic (SAMPLE)"}},
			{"AIRS shelter code", haven.DirectoryFilter{Category: "BH-1800.8500"}, []string{"Case Management (SAMPLE)", "Emergency Shelter for Survivors (SAMPLE)"}},
			{"words", haven.DirectoryFilter{Query: "wages"}, []string{"Wage Theft Clinic (SAMPLE)"}},
		} {
			res, err := dir.SearchDirectory(ctx, tc.f)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			var got []string
			for _, h := range res.Hits {
				got = append(got, h.Name)
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("%s: found %q; want %q", tc.name, got, tc.want)
			}
		}
		// The export passes Haven's rules, and the HSDS 3.0 schema when
		// shared/ is there.
		var sch *jsonschema.Schema
		if p, ok := testenv.MaybeShared(t, "hsds/v3.0/schema/compiled/service.json"); ok {
			c := jsonschema.NewCompiler()
			c.DefaultDraft(jsonschema.Draft2020)
			c.AssertFormat()
			if sch, err = c.Compile(p); err != nil {
				t.Fatal(err)
			}
		}
		var buf bytes.Buffer
		for i, doc := range first {
			s, err := hsds.NewJSONReader(bytes.NewReader(doc), "export").Next()
			if err != nil {
				t.Fatalf("exported service %d does not pass Haven's rules: %v", i, err)
			}
			if errs := s.Validate(); errs != nil {
				t.Fatalf("exported service %d: %v", i, hsds.Errors(errs))
			}
			if sch != nil {
				v, _ := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
				if err := sch.Validate(v); err != nil {
					t.Errorf("exported service %d does not validate against HSDS 3.0: %v", i, err)
				}
			}
			buf.Write(doc)
			buf.WriteByte('\n')
		}
		// The export imported into a fresh database is the same directory.
		db2, err := sqlstore.Open(ctx, e.Fresh(t))
		if err != nil {
			t.Fatal(err)
		}
		defer db2.Close()
		dir2 := sqlstore.NewDirectoryService(db2)
		r := hsds.NewJSONReader(&buf, "export.ndjson")
		if _, err := dir2.Import(ctx, r.Next, sqlstore.ImportOptions{Name: "export.ndjson", Validated: true}); err != nil {
			t.Fatal(err)
		}
		if back := exportAll(t, dir2); !slices.EqualFunc(first, back, bytes.Equal) {
			t.Errorf("the export imported into a fresh database differs")
		}
	})
}

// TestStrictImportWritesNothing: the 2.0 folder has a dangling phone and
// an invalid service; strict, the import is refused whole.
func TestStrictImportWritesNothing(t *testing.T) {
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, testpg.Engines[0].Fresh(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	dir := sqlstore.NewDirectoryService(db)
	d, _ := intake.Detect("../testdata/coalition20-sample")
	p, _ := intake.OpenPackage("../testdata/coalition20-sample", d, intake.Options{})
	defer p.Close()
	_, err = dir.Import(ctx, p.Next, sqlstore.ImportOptions{Name: "coalition20-sample", Validated: true})
	var list hsds.Errors
	if !errors.As(err, &list) || list[0].File != "phones.csv" || list[0].Field != "service_id" {
		t.Errorf("strict import: %v", err)
	}
	if n, _, _ := dir.CountServices(ctx); n != 0 {
		t.Errorf("a refused import wrote %d services", n)
	}
}
