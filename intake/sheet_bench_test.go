package intake_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"haven/intake"
)

// benchCSV is a generated list of n rows, as messy as the sample one.
func benchCSV(n int) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"Agency Name", "Programa", "Dirección", "City", "Estado", "ZIP", "Teléfono", "Website", "E-mail",
		"Servicios", "Idiomas", "Horario", "Description", "Notas", "Sample", "Fax"})
	hours := []string{"Mon-Fri 9am-5pm", "Tue & Thu 10:00-16:00", "24/7", "Lunes a viernes 9-17", "By appointment"}
	for i := range n {
		street := fmt.Sprintf("%d Example St ", 100+i%900)
		if i%17 == 0 {
			street = "Confidential"
		}
		w.Write([]string{fmt.Sprintf("Sample Agency %d (sample) ", i/5), fmt.Sprintf("Program %d", i%5), street, "Houston", "Texas", "77002",
			fmt.Sprintf("(713) 555-01%02d ext. %d", i%100, i%50), fmt.Sprintf("www.example.org/a%d", i/5), "intake@example.org",
			"Shelter; Legal aid, Pet care", "English, Spanish, Vietnamese", hours[i%len(hours)], "Adults and families. " + strings.Repeat("Detail. ", i%20),
			"Sample data, not a real provider.", "yes", "(713) 555-0199"})
	}
	w.Flush()
	return b.Bytes()
}

// BenchmarkSheetCSV reads a 5,000-row list into services, as the dry run
// does: the cost of the reader without the database.
func BenchmarkSheetCSV(b *testing.B) {
	data := benchCSV(5000)
	opt := havenTerms()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		s, err := intake.ReadSheet("bench.csv", intake.FormatCSV, bytes.NewReader(data), opt)
		if err != nil {
			b.Fatal(err)
		}
		for {
			_, err := s.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(5000*b.N)/b.Elapsed().Seconds(), "rows/s")
}
