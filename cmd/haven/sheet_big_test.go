package main

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// bigSheetRow writes row i of a generated coalition list: sample data, as
// messy as the small one (trailing spaces, www. addresses, extensions,
// confidential addresses, hours in both languages and as text).
func bigSheetRow(i int) []string {
	agency := fmt.Sprintf("Sample Agency %d (sample) ", i/5)
	states := []string{"TX", "Florida", "CA", "NY", "IL", "GA", "WA", "MA"}
	cities := []string{"Houston", "Miami", "Los Angeles", "New York", "Chicago", "Atlanta", "Seattle", "Boston"}
	zips := []string{"77002", "33101", "90012", "10001", "60601", "30303", "98101", "2134"}
	hours := []string{"Mon-Fri 9am-5pm", "Tue & Thu 10:00-16:00", "24/7", "Lunes a viernes 9-17", "By appointment"}
	cats := []string{"Shelter; Case management", "Legal aid, Immigration", "Salud mental", "Workers' rights / Food", "Youth, Pet care"}
	street := fmt.Sprintf("%d Example St ", 100+i%900)
	if i%17 == 0 {
		street = "Confidential"
	}
	k := i % len(states)
	return []string{agency, fmt.Sprintf("Program %d", i%5), street, cities[k], states[k], zips[k],
		fmt.Sprintf("(713) 555-01%02d ext. %d", i%100, i%50), fmt.Sprintf("www.example.org/a%d", i/5), "intake@example.org",
		cats[i%len(cats)], "English, Spanish, Vietnamese", hours[i%len(hours)], "Adults and families; sample data, not a real provider. " + strings.Repeat("Detail. ", i%20),
		"Sample data, not a real provider.", "yes", "(713) 555-0199"}
}

var bigSheetHeader = []string{"Agency Name", "Programa", "Dirección", "City", "Estado", "ZIP", "Teléfono", "Website", "E-mail",
	"Servicios", "Idiomas", "Horario", "Description", "Notas", "Sample", "Fax"}

// writeBigCSV writes a generated list of at least size bytes and returns
// its rows.
func writeBigCSV(t testing.TB, path string, size int64) int {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	cw := csv.NewWriter(bw)
	cw.Write(bigSheetHeader)
	n := 0
	for ; ; n++ {
		if n%1000 == 0 {
			cw.Flush()
			if fi, _ := f.Stat(); fi.Size()+int64(bw.Buffered()) >= size {
				break
			}
		}
		cw.Write(bigSheetRow(n))
	}
	cw.Flush()
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	return n
}

// peakHeap samples the heap in use until stop is called.
func peakHeap() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}()
	return func() uint64 { close(done); return peak.Load() }
}

// TestBigSpreadsheet imports a generated 50 MB CSV list (and reads the same
// rows as an .xlsx workbook) and reports time and peak heap: run by hand,
// HAVEN_BIG_SHEET=1 go test ./cmd/haven -run TestBigSpreadsheet -v (or
// HAVEN_BIG_SHEET=dry for the dry runs alone); the figures are in
// BENCHMARKS.md.
func TestBigSpreadsheet(t *testing.T) {
	if os.Getenv("HAVEN_BIG_SHEET") == "" {
		t.Skip("SKIPPED: set HAVEN_BIG_SHEET=1 to import a generated 50 MB spreadsheet (about two minutes)")
	}
	size := int64(50 << 20)
	if v, err := strconv.ParseInt(os.Getenv("HAVEN_BIG_SHEET_MB"), 10, 64); err == nil {
		size = v << 20
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "big.csv")
	rows := writeBigCSV(t, path, size)
	fi, _ := os.Stat(path)
	t.Logf("generated %s: %d rows, %.1f MB", filepath.Base(path), rows, float64(fi.Size())/(1<<20))

	runs := [][]string{{"import", "--dry-run", "--skip-invalid", path}, {"import", "--skip-invalid", path}}
	if os.Getenv("HAVEN_BIG_SHEET") == "dry" {
		runs = runs[:1] // the reading alone, a few minutes shorter
	}
	for _, args := range runs {
		runtime.GC()
		stop := peakHeap()
		start := time.Now()
		out := MustRunMain(t, filepath.Join(dir, "h.db"), args...)
		secs := time.Since(start).Seconds()
		peak := stop()
		last := out[strings.LastIndex(strings.TrimSpace(out), "\n")+1:]
		t.Logf("%s: %.1f s, %.0f rows/s, %.1f MB/s, peak heap %.0f MB\n  %s", strings.Join(args[:len(args)-1], " "), secs,
			float64(rows)/secs, float64(fi.Size())/(1<<20)/secs, float64(peak)/(1<<20), strings.TrimSpace(last))
	}

	// The same rows as a workbook, streamed with excelize's StreamWriter
	// and read back row by row.
	xpath := filepath.Join(dir, "big.xlsx")
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	put := func(i int, cells []string) {
		vals := make([]any, len(cells))
		for j, c := range cells {
			vals[j] = c
		}
		cell, _ := excelize.CoordinatesToCellName(1, i)
		sw.SetRow(cell, vals)
	}
	put(1, bigSheetHeader)
	for i := range rows {
		put(i+2, bigSheetRow(i))
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(xpath); err != nil {
		t.Fatal(err)
	}
	f.Close()
	xi, _ := os.Stat(xpath)
	runtime.GC()
	stop := peakHeap()
	start := time.Now()
	out := MustRunMain(t, filepath.Join(dir, "x.db"), "import", "--dry-run", "--skip-invalid", xpath)
	secs := time.Since(start).Seconds()
	t.Logf("xlsx %.1f MB, dry run: %.1f s, %.0f rows/s, peak heap %.0f MB\n  %s", float64(xi.Size())/(1<<20), secs, float64(rows)/secs,
		float64(stop())/(1<<20), strings.TrimSpace(out[strings.LastIndex(strings.TrimSpace(out), "\n")+1:]))
}
