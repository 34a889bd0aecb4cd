package intake

import (
	"archive/zip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnzipStaysInside: entries named outside the package ("../x", "/x")
// are not written, anywhere; tables in two folders are refused.
func TestUnzipStaysInside(t *testing.T) {
	write := func(t *testing.T, names ...string) string {
		t.Helper()
		path := filepath.Join(t.TempDir(), "p.zip")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		zw := zip.NewWriter(f)
		for _, n := range names {
			w, err := zw.Create(n)
			if err != nil {
				t.Fatal(err)
			}
			w.Write([]byte("id,name\n1,x\n"))
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		f.Close()
		return path
	}
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	os.Mkdir(dir, 0o755)
	got, err := UnzipPackage(write(t, "../services.csv", "pkg/organizations.csv"), dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(parent, "services.csv")); err == nil {
		t.Error("an entry named ../services.csv was written outside the folder")
	}
	if got != filepath.Join(dir, "pkg") {
		t.Errorf("package folder %s, want %s", got, filepath.Join(dir, "pkg"))
	}
	if _, err := UnzipPackage(write(t, "a/services.csv", "b/organizations.csv"), t.TempDir(), 0); err == nil || !strings.Contains(err.Error(), "two folders") {
		t.Errorf("tables in two folders: %v", err)
	}
}
