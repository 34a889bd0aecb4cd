package intake

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// UnzipPackage extracts the CSV files and datapackage.json of a zipped
// HSDS 3.0 package into dir and returns the folder that holds them. max,
// when above 0, bounds the bytes extracted in all: a zip from the web may
// unpack to far more than it weighs.
func UnzipPackage(path, dir string, max int64) (string, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return "", err
	}
	defer zr.Close()
	root := ""
	left := max
	for _, f := range zr.File {
		base := filepath.Base(f.Name)
		if f.FileInfo().IsDir() || strings.Contains(f.Name, "__MACOSX") ||
			!(strings.HasSuffix(strings.ToLower(base), ".csv") || base == "datapackage.json") {
			continue
		}
		if !filepath.IsLocal(filepath.FromSlash(f.Name)) {
			continue // "../x" or "/x": outside the package, and outside dir
		}
		if d := filepath.Dir(filepath.FromSlash(f.Name)); d != "." {
			if strings.Count(f.Name, "/") > 1 {
				continue // deeper than the package's folder
			}
			if root != "" && root != d {
				return "", fmt.Errorf("the zip holds tables in two folders, %s and %s: zip one package", root, d)
			}
			root = d
		}
		// Only the folder's and the file's base names are used, and neither
		// is "..", so no entry can write outside dir.
		target := filepath.Join(dir, filepath.Base(root), base)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return "", err
		}
		rc, err := f.Open()
		if err != nil {
			return "", err
		}
		limit := int64(4 << 30)
		if max > 0 {
			limit = left + 1
		}
		out, err := os.Create(target)
		if err == nil {
			var n int64
			n, err = io.Copy(out, io.LimitReader(rc, limit))
			if cerr := out.Close(); err == nil {
				err = cerr
			}
			if left -= n; max > 0 && left < 0 && err == nil {
				err = fmt.Errorf("the package unpacks to more than %d bytes", max)
			}
		}
		rc.Close()
		if err != nil {
			return "", err
		}
	}
	return filepath.Join(dir, filepath.Base(root)), nil
}
