// Package ziptest zips a folder for the importer's tests, as people's zip
// tools do, so that the package tests and the engine tests read the same
// zips.
package ziptest

import (
	"archive/zip"
	"os"
	"path/filepath"
	"testing"
)

// Dir zips dir into a file, under a folder of its name, as zipping a
// folder does, and returns the file's path.
func Dir(tb testing.TB, dir string) string {
	tb.Helper()
	out := filepath.Join(tb.TempDir(), filepath.Base(dir)+".zip")
	f, err := os.Create(out)
	if err != nil {
		tb.Fatal(err)
	}
	zw := zip.NewWriter(f)
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		// As zip tools do, the files keep their modification times.
		fi, _ := e.Info()
		h, _ := zip.FileInfoHeader(fi)
		h.Name, h.Method = filepath.Base(dir)+"/"+e.Name(), zip.Deflate
		w, _ := zw.CreateHeader(h)
		b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	f.Close()
	return out
}
