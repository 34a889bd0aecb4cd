package hsds

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"haven/internal/testenv"
)

func FuzzJSONReader(f *testing.F) {
	// Seeds of the repository's own, always: the corrected official CSV
	// example of testdata, as JSON.
	p, err := ReadPackageAll("testdata/csv_fixed")
	if err != nil {
		f.Fatal(err)
	}
	for _, x := range []any{p.Services, p.Services[0].Attributes[0].TaxonomyTerm} {
		b, err := json.Marshal(x)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	// The official examples too, when shared/ is beside the clone. Small
	// seeds only: the fuzzing engine slows to a crawl mutating the 22 KB
	// service_full.json (which the ordinary tests read anyway).
	if dir, ok := testenv.MaybeShared(f, "hsds/v3.0/examples"); ok {
		for _, name := range []string{"service_list.json", "taxonomy_term.json"} {
			f.Add(readFile(f, dir, name))
		}
	}
	f.Add([]byte(svc(sid1, `"phones": [{"id": "`+sid2+`", "number": "1", "extension": 2, "languages": [{"id": "`+lid1+`", "code": "en"}]}], "x_sample": true, "minimum_age": 1.5e1`)))
	f.Add([]byte("\uFEFF[" + svc(sid1, "") + ",\r\n" + svc(sid2, `"status": "open"`) + "]"))
	f.Add([]byte(`{"total_items": 1, "contents": [` + svc(sid1, `"alert": "\ud800"`) + `], "empty": false}`))
	f.Add([]byte(svc(sid1, "") + "\n\n" + svc(sid1, `"phones": [{"id": "`+sid2+`", "number": "1"}]`)))
	f.Add([]byte(strings.Repeat("[", 70)))
	// HSDS 3.1's objects.
	f.Add([]byte(svc(sid1, `"capacities": [{"id": "`+sid2+`", "unit": {"id": "`+lid1+`", "name": "Bed"}, "available": 2, "maximum": 1e1, "updated": "2025-01-01T00:00:00.5+01:00"}], "additional_urls": [{"id": "`+oid1+`", "label": "Form", "url": "https://example.org"}], "attributes": []`)))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := NewJSONReader(bytes.NewReader(data), "fuzz.json")
		r.MaxRecordBytes = 1 << 20
		for i := 0; ; i++ {
			if i > len(data)+2 {
				t.Fatal("reader does not advance")
			}
			s, err := r.Next()
			if err == io.EOF {
				return
			}
			var es Errors
			if err != nil && !errors.As(err, &es) {
				if s != nil {
					t.Fatal("record returned with a fatal error")
				}
				if _, again := r.Next(); again != err {
					t.Fatal("fatal error not sticky")
				}
				return
			}
			if err != nil {
				for _, e := range es {
					if e.File != "fuzz.json" || e.Record == "" {
						t.Fatalf("error does not locate itself: %#v", e)
					}
				}
				continue
			}
			// A clean record survives writing and reading back.
			out, merr := json.Marshal(s)
			if merr != nil {
				t.Fatal(merr)
			}
			back, berr := NewJSONReader(bytes.NewReader(out), "again.json").Next()
			if berr != nil {
				t.Fatalf("clean record fails when read back: %v\n%s", berr, out)
			}
			if !reflect.DeepEqual(back, s) {
				t.Fatalf("round trip differs: %s", firstDiff(back, s))
			}
		}
	})
}

func FuzzReadCSV(f *testing.F) {
	// Every table of the repository's own corrected example, always; the
	// official example's too when shared/ is beside the clone.
	official, ok := testenv.MaybeShared(f, "hsds/v3.0/examples/csv")
	official31, ok31 := testenv.MaybeShared(f, "hsds/v3.1-dev/examples/csv")
	for i, tb := range tables {
		if ok31 {
			if b, err := os.ReadFile(filepath.Join(official31, tb.path)); err == nil {
				f.Add(uint8(i), b)
			} else if !os.IsNotExist(err) {
				f.Fatal(err)
			}
		}
		if b, err := os.ReadFile(filepath.Join("testdata/csv_fixed", tb.path)); err == nil {
			f.Add(uint8(i), b)
		} else if !os.IsNotExist(err) {
			f.Fatal(err)
		}
		if !ok {
			continue
		}
		if b, err := os.ReadFile(filepath.Join(official, tb.path)); err == nil {
			f.Add(uint8(i), b)
		} else if !os.IsNotExist(err) {
			f.Fatal(err)
		}
	}
	f.Add(uint8(2), []byte("\uFEFFid,name,status,organization_id,description\r\n"+sid1+",\"a, \"\"b\"\"\",active,"+oid1+",\"x\r\ny\"\r\n"))
	f.Add(uint8(5), []byte("id,location_type,latitude,longitude\n"+lid1+",physical,95,1e3\n"))
	f.Add(uint8(0), []byte("id,name\n"+oid1+"\n"))
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		tb := tables[int(which)%len(tables)]
		rows, errs, fatal := readTable(bytes.NewReader(data), tb.path, tb)
		if fatal != nil {
			if fatal.File != tb.path || rows != nil {
				t.Fatalf("bad fatal error %#v", fatal)
			}
			return
		}
		for _, e := range errs {
			if e.File != tb.path || e.Record == "" {
				t.Fatalf("error does not locate itself: %#v", e)
			}
		}
		for _, r := range rows {
			if r.v.Elem().Type() != tb.goType || r.line < 2 {
				t.Fatalf("bad row %+v", r)
			}
			// Every row renders back to cells that parse to the same value.
			c := cells(tb, r.v.Elem())
			if c[0] == "" {
				t.Fatal("row without id kept")
			}
		}
	})
}
