package hsds

import (
	"bytes"
	"io"
	"testing"
)

// BenchmarkJSONReader reads NDJSON of 1,000 realistic services (every HSDS
// object, organizations shared by ten services), with every check on.
func BenchmarkJSONReader(b *testing.B) {
	var buf bytes.Buffer
	w := NewNDJSONWriter(&buf)
	for i := range 1000 {
		w.Write(fullService(i))
	}
	w.Close()
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r := NewJSONReader(bytes.NewReader(data), "bench.ndjson")
		n := 0
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 1000 {
			b.Fatal(n)
		}
	}
}

// BenchmarkValidate validates one realistic service.
func BenchmarkValidate(b *testing.B) {
	s := fullService(0)
	b.ReportAllocs()
	for b.Loop() {
		if errs := s.Validate(); errs != nil {
			b.Fatal(errs)
		}
	}
}

// BenchmarkPackageRoundTrip writes and reads a package of 1,000 services.
func BenchmarkPackageRoundTrip(b *testing.B) {
	services := someServices(1000)
	b.ReportAllocs()
	for b.Loop() {
		dir := b.TempDir()
		if err := WritePackage(dir, services); err != nil {
			b.Fatal(err)
		}
		if _, err := ReadPackage(dir); err != nil {
			b.Fatal(err)
		}
	}
}
