package intake

import (
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"haven/hsds"
)

// fuzzPackage builds a package from a testdata folder with some of its
// tables replaced by the fuzzer's text, reads it to the end with and
// without SkipInvalid, and checks that nothing panics, that what comes
// out passes HSDS 3.0 validation, and that the report adds up.
func fuzzPackage(t *testing.T, base string, format string, files map[string]string) {
	fsys := fstest.MapFS{}
	for name, b := range baseFiles(t, base) {
		// The descriptor only dates the package (the format is given), and
		// decoding its 55 kB was half of every call.
		if name != "datapackage.json" {
			fsys[name] = &fstest.MapFile{Data: b}
		}
	}
	for name, body := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(body)}
	}
	for _, skip := range []bool{false, true} {
		p, err := ReadPackageFS(fsys, "fuzz", Detection{Kind: KindPackageOld, Format: format}, Options{SkipInvalid: skip})
		if err != nil {
			continue // refused whole, with a reason
		}
		n := 0
		for {
			s, err := p.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			var list hsds.Errors
			if errors.As(err, &list) {
				if len(list) == 0 {
					t.Fatal("an empty list of errors")
				}
				continue
			}
			if err != nil {
				break // the services table cannot be read on
			}
			n++
			if errs := s.Validate(); errs != nil {
				t.Fatalf("a service that does not validate: %v", hsds.Errors(errs))
			}
		}
		p.Close()
		for _, tb := range p.Report.Tables {
			if tb.Imported+tb.Skipped > tb.Read && tb.Name != "service" {
				t.Fatalf("%s: %d imported and %d skipped of %d read", tb.Name, tb.Imported, tb.Skipped, tb.Read)
			}
		}
		if p.Report.Services != n {
			t.Fatalf("report says %d services; %d came out", p.Report.Services, n)
		}
	}
}

// baseFiles are the files of a testdata package, read once: a fuzzer calls
// its target thousands of times a second, and minimizes an input by calling
// it again and again, so every millisecond of the target counts.
var baseFiles = func() func(t *testing.T, dir string) map[string][]byte {
	var mu sync.Mutex
	cache := map[string]map[string][]byte{}
	return func(t *testing.T, dir string) map[string][]byte {
		mu.Lock()
		defer mu.Unlock()
		if m, ok := cache[dir]; ok {
			return m
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string][]byte{}
		for _, e := range entries {
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			m[e.Name()] = b
		}
		cache[dir] = m
		return m
	}
}()

// seedTables seeds a fuzzer with the named tables of a testdata package,
// each cut to its header and first two rows: the fuzzer minimizes every
// input that finds new code, one call per byte or so, and a short input is
// minimized in seconds where the whole tables took minutes.
func seedTables(f *testing.F, base string, names ...string) {
	var row []any
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(base, n))
		if err != nil {
			f.Fatal(err)
		}
		lines := strings.SplitAfter(string(b), "\n")
		row = append(row, strings.Join(lines[:min(3, len(lines))], ""))
	}
	f.Add(row...)
}

func FuzzHSDS11(f *testing.F) {
	seedTables(f, pkg11, "services.csv", "phones.csv", "physical_addresses.csv", "regular_schedules.csv")
	f.Add("id,organization_id,name\n1,1,x\n1,1,y\n", "id,service_id,number\n1,1,\n", "id,location_id\n", "id,service_id,weekday,opens_at\n1,1,8,25:00\n")
	f.Fuzz(func(t *testing.T, services, phones, addresses, schedules string) {
		fuzzPackage(t, pkg11, FormatHSDS11, map[string]string{"services.csv": services, "phones.csv": phones,
			"physical_addresses.csv": addresses, "regular_schedules.csv": schedules})
	})
}

func FuzzHSDS20(f *testing.F) {
	seedTables(f, pkg20, "services.csv", "schedules.csv", "taxonomy_terms.csv", "other_attributes.csv")
	f.Add("id,organization_id,name,status\nS-1,ORG-2,x,active\n", "id,service_id,freq,byday,count\nA,S-1,YEARLY,XX,-1\n", "id,term\n", "id,link_id,link_type,taxonomy_term_id\nz,S-1,service,nope\n")
	f.Fuzz(func(t *testing.T, services, schedules, terms, other string) {
		fuzzPackage(t, pkg20, FormatHSDS20, map[string]string{"services.csv": services, "schedules.csv": schedules,
			"taxonomy_terms.csv": terms, "other_attributes.csv": other})
	})
}

// FuzzDetect gives the detector arbitrary file names, headers and
// descriptors: it answers or refuses, and never panics.
func FuzzDetect(f *testing.F) {
	d11, _ := os.ReadFile(filepath.Join(pkg11, "datapackage.json"))
	f.Add("services.csv", "id,name,taxonomy_ids\n", string(d11))
	f.Add("schedules.csv", "id,service_id\n", "")
	f.Add("eligibility.csv", "id,service_id,eligibility\n", `{"resources":[{"name":"attribute"}]}`)
	f.Add("x.csv", "", "{")
	f.Fuzz(func(t *testing.T, name, header, descriptor string) {
		if name == "" || name == "." || filepath.Base(name) != name {
			return
		}
		fsys := fstest.MapFS{name: &fstest.MapFile{Data: []byte(header)}}
		if descriptor != "" {
			fsys["datapackage.json"] = &fstest.MapFile{Data: []byte(descriptor)}
		}
		d, err := DetectFS(fsys, "fuzz")
		if err == nil && d.Format == "" {
			t.Fatalf("detected %+v without a format", d)
		}
	})
}

// TestMutatedPackages runs the fuzz targets' checks on a few hundred
// packages mutated at random (a fixed seed, so a failure repeats): cut,
// doubled and stray bytes, quotes and line breaks in the tables the
// targets fuzz. It covers the readers where the fuzzing engine cannot run.
func TestMutatedPackages(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 1))
	for _, tc := range []struct {
		base, format string
		names        []string
	}{
		{pkg11, FormatHSDS11, []string{"services.csv", "phones.csv", "physical_addresses.csv", "regular_schedules.csv", "services_taxonomy.csv"}},
		{pkg20, FormatHSDS20, []string{"services.csv", "schedules.csv", "taxonomy_terms.csv", "other_attributes.csv", "services_at_location.csv"}},
	} {
		var seeds [][]byte
		for _, n := range tc.names {
			b, err := os.ReadFile(filepath.Join(tc.base, n))
			if err != nil {
				t.Fatal(err)
			}
			seeds = append(seeds, b)
		}
		for range 300 {
			m := map[string]string{}
			for i, n := range tc.names {
				s := append([]byte(nil), seeds[i]...)
				for range r.IntN(4) {
					if len(s) == 0 {
						break
					}
					p := r.IntN(len(s))
					switch r.IntN(4) {
					case 0:
						s[p] = byte(r.IntN(256))
					case 1:
						s = s[:p]
					case 2:
						s = append(s[:p], append([]byte{"\",\n\r"[r.IntN(4)]}, s[p:]...)...)
					case 3:
						s = append(s[:p], s[r.IntN(len(s)):]...)
					}
				}
				m[n] = string(s)
			}
			fuzzPackage(t, tc.base, tc.format, m)
		}
	}
}
