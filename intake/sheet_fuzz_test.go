package intake_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"haven/hsds"
	"haven/intake"
)

// readAll reads a sheet to its end, taking the valid rows, and checks what
// every reader must promise: each service it gives validates, and a bad
// row names the file and the row.
func readAll(t *testing.T, s *intake.Sheet) {
	for range 10_000 {
		svc, err := s.Next()
		if errors.Is(err, io.EOF) {
			return
		}
		var bad hsds.Errors
		if errors.As(err, &bad) {
			if !strings.HasPrefix(err.Error(), "f.") {
				t.Fatalf("an error that does not name the file: %v", err)
			}
			continue
		}
		if err != nil {
			return
		}
		if errs := svc.Validate(); errs != nil {
			t.Fatalf("a service that does not validate: %v", hsds.Errors(errs))
		}
	}
}

// FuzzSheetCSV reads arbitrary bytes as a coalition's CSV list.
func FuzzSheetCSV(f *testing.F) {
	seed, err := os.ReadFile("testdata/coalition.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte("Agencia;Programa;Dirección;Ciudad;Estado;CP\nA;B;Confidencial;Austin;TX;787\n"))
	f.Add([]byte("Agency,Hours,Languages,Services\nA,\"Mon-Fri 9-5, 1-5\",\"English and Spanish\",Legal / Shelter\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		opt := havenTerms()
		s, err := intake.ReadSheet("f.csv", intake.FormatCSV, bytes.NewReader(data), opt)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.csv") {
				t.Fatalf("an error that does not name the file: %v", err)
			}
			return
		}
		defer s.Close()
		readAll(t, s)
	})
}

// FuzzSheetXLSX reads arbitrary bytes as a workbook: excelize's errors
// (and any panic of it) come back as errors naming the file.
func FuzzSheetXLSX(f *testing.F) {
	path := filepath.Join(f.TempDir(), "seed.xlsx")
	writeWorkbook(f, path)
	seed, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed, "Lista")
	f.Add(seed[:len(seed)/2], "")
	f.Fuzz(func(t *testing.T, data []byte, sheet string) {
		opt := havenTerms()
		opt.Sheet = sheet
		s, err := intake.ReadSheet("f.xlsx", intake.FormatXLSX, bytes.NewReader(data), opt)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.xlsx") {
				t.Fatalf("an error that does not name the file: %v", err)
			}
			return
		}
		defer s.Close()
		readAll(t, s)
	})
}
