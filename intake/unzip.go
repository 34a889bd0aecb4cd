package intake

import (
	"archive/zip"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// UnzipPackage extracts the CSV files and datapackage.json of a zipped
// HSDS 3.0 package into dir and returns the folder that holds them.
func UnzipPackage(path, dir string) (string, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return "", err
	}
	defer zr.Close()
	root := ""
	for _, f := range zr.File {
		base := filepath.Base(f.Name)
		if f.FileInfo().IsDir() || strings.Contains(f.Name, "__MACOSX") ||
			!(strings.HasSuffix(strings.ToLower(base), ".csv") || base == "datapackage.json") {
			continue
		}
		if d := filepath.Dir(filepath.FromSlash(f.Name)); d != "." {
			if strings.Count(f.Name, "/") > 1 {
				continue // deeper than the package's folder
			}
			root = d
		}
		// Only the base name is used, so no entry can write outside dir.
		target := filepath.Join(dir, filepath.Base(root), base)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return "", err
		}
		rc, err := f.Open()
		if err != nil {
			return "", err
		}
		out, err := os.Create(target)
		if err == nil {
			_, err = io.Copy(out, io.LimitReader(rc, 4<<30))
			if cerr := out.Close(); err == nil {
				err = cerr
			}
		}
		rc.Close()
		if err != nil {
			return "", err
		}
	}
	return filepath.Join(dir, filepath.Base(root)), nil
}
