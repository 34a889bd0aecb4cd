package intake

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// writeBigPackage writes an HSDS 1.1 package of n services (FICTIONAL
// SAMPLE records, as the names say): one organization for ten services,
// and for each service a location with an address, two phones, five
// schedule rows, two languages and a taxonomy term. It returns the size
// in bytes.
func writeBigPackage(tb testing.TB, dir string, n int) int64 {
	tb.Helper()
	files := map[string]*bufio.Writer{}
	var closers []*os.File
	w := func(name, header string) *bufio.Writer {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			tb.Fatal(err)
		}
		closers = append(closers, f)
		bw := bufio.NewWriterSize(f, 1<<20)
		bw.WriteString(header + "\n")
		files[name] = bw
		return bw
	}
	org := w("organizations.csv", "id,name,alternate_name,description,email,url,tax_status,tax_id,year_incorporated,legal_status")
	svc := w("services.csv", "id,organization_id,program_id,name,alternate_name,description,url,email,status,interpretation_services,application_process,wait_time,fees,accreditations,licenses,taxonomy_ids")
	loc := w("locations.csv", "id,organization_id,name,alternate_name,description,transportation,latitude,longitude")
	sal := w("services_at_location.csv", "id,service_id,location_id,description")
	addr := w("physical_addresses.csv", "id,location_id,attention,address_1,address_2,address_3,address_4,city,region,state_province,postal_code,country")
	ph := w("phones.csv", "id,location_id,service_id,organization_id,contact_id,service_at_location_id,number,extension,type,language,description,department")
	sch := w("regular_schedules.csv", "id,service_id,location_id,service_at_location_id,weekday,opens_at,closes_at")
	lang := w("languages.csv", "id,service_id,location_id,language")
	tax := w("taxonomy.csv", "id,name,parent_id,parent_name,vocabulary")
	for t := range 50 {
		fmt.Fprintf(tax, "T-%d,Sample term %d,,,SAMPLE\n", t, t)
	}
	for i := range n {
		if i%10 == 0 {
			fmt.Fprintf(org, "%d,Sample Organization %d (FICTIONAL),,FICTIONAL SAMPLE organization number %d for a load test.,org%d@example.org,www.example.org,,,2001,\n", i/10, i/10, i/10, i/10)
		}
		fmt.Fprintf(svc, "%d,%d,,Sample Service %d (FICTIONAL),,\"FICTIONAL SAMPLE service number %d for a load test: help with shelter, legal questions, case management and interpretation, described at the length real descriptions have.\",,,Active,,Call or walk in.,,,,,T-%d\n", i, i/10, i, i, i%50)
		fmt.Fprintf(loc, "L%d,%d,Sample Office %d,,,,%.4f,%.4f\n", i, i/10, i, 30+float64(i%1000)/1000, -96+float64(i%1000)/1000)
		fmt.Fprintf(sal, "SL%d,%d,L%d,\n", i, i, i)
		fmt.Fprintf(addr, "A%d,L%d,,%d Sample St,,,,Bryan,,TX,77803,\n", i, i, i)
		fmt.Fprintf(ph, "P%d,,%d,,,,(979) 555-%04d ext. 12,,voice,\"English, Spanish\",,\n", i, i, i%10000)
		fmt.Fprintf(ph, "Q%d,L%d,,,,,979.555.%04d,,fax,,,\n", i, i, (i+1)%10000)
		for d := 1; d <= 5; d++ {
			fmt.Fprintf(sch, "R%d-%d,%d,,,%d,9:00 AM,5:00 PM\n", i, d, i, d)
		}
		fmt.Fprintf(lang, "G%d,%d,,Spanish\nH%d,%d,,Vietnamese\n", i, i, i, i)
	}
	var size int64
	for _, bw := range files {
		if err := bw.Flush(); err != nil {
			tb.Fatal(err)
		}
	}
	for _, f := range closers {
		fi, _ := f.Stat()
		size += fi.Size()
		f.Close()
	}
	return size
}

// TestWriteBigPackage writes a large package for a run by hand, when
// HAVEN_BIG_PACKAGE names a folder to write it in (see BENCHMARKS.md):
//
//	HAVEN_BIG_PACKAGE=/tmp/big go test ./intake -run TestWriteBigPackage
//	/usr/bin/time -v haven import --db /tmp/big.db /tmp/big
func TestWriteBigPackage(t *testing.T) {
	dir := os.Getenv("HAVEN_BIG_PACKAGE")
	if dir == "" {
		t.Skip("SKIPPED: set HAVEN_BIG_PACKAGE to a folder to write a 50 MB package in")
	}
	os.MkdirAll(dir, 0o755)
	size := writeBigPackage(t, dir, 70000)
	t.Logf("wrote %.1f MB in %s", float64(size)/1e6, dir)
}

// BenchmarkHSDS11Package reads a package of 5,000 services (about 4 MB)
// into HSDS 3.0, and reports the heap in use at the end of the read: the
// services stream, the other tables stay in memory.
func BenchmarkHSDS11Package(b *testing.B) {
	dir := b.TempDir()
	size := writeBigPackage(b, dir, 5000)
	b.SetBytes(size)
	b.ReportAllocs()
	var heap uint64
	for b.Loop() {
		p, err := OpenPackage(dir, Detection{Kind: KindPackageOld, Format: FormatHSDS11}, Options{})
		if err != nil {
			b.Fatal(err)
		}
		for {
			_, err := p.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		heap = max(heap, ms.HeapInuse)
		p.Close()
	}
	b.ReportMetric(float64(heap)/1e6, "heap-MB")
}

// TestReadBigPackage reads the package TestWriteBigPackage wrote, when
// HAVEN_BIG_PACKAGE names it, and logs the time and the Go heap: what the
// reader itself holds, apart from the database's writing.
func TestReadBigPackage(t *testing.T) {
	dir := os.Getenv("HAVEN_BIG_PACKAGE")
	if dir == "" {
		t.Skip("SKIPPED: set HAVEN_BIG_PACKAGE to the folder TestWriteBigPackage wrote")
	}
	start := time.Now()
	p, err := OpenPackage(dir, Detection{Kind: KindPackageOld, Format: FormatHSDS11}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	heapAfterGC := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapInuse
	}
	opened := heapAfterGC()
	var peak uint64
	n := 0
	for {
		_, err := p.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if n++; n%5000 == 0 {
			peak = max(peak, heapAfterGC())
		}
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.Logf("%d services in %.1fs; heap after opening (small tables in memory, large ones in temporary files) %.0f MB, at most %.0f MB while streaming; Sys %.0f MB",
		n, time.Since(start).Seconds(), float64(opened)/1e6, float64(peak)/1e6, float64(ms.Sys)/1e6)
}
