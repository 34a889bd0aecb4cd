package referral

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"haven/internal/testenv"
)

func spanishLabels() Labels {
	return Labels{
		Address:     "Dirección",
		Phone:       "Teléfono",
		Email:       "Correo electrónico",
		Website:     "Sitio web",
		Hours:       "Horario",
		Languages:   "Idiomas",
		Eligibility: "Requisitos",
		HowToApply:  "Cómo solicitar",
		Fees:        "Costo",
		Documents:   "Documentos",
		Sample:      "DATOS DE EJEMPLO — no es un proveedor real",
	}
}

// testEntry returns a realistic entry whose length varies with i, so that
// page breaks fall in different places.
func testEntry(i int) Entry {
	return Entry{
		Name:         fmt.Sprintf("Service %02d: Asesoría legal y acompañamiento", i),
		Organization: "Fundación “Niños del Sol”, Inc.",
		Address:      fmt.Sprintf("%d Calle Peña Nieto, Suite 2\nHouston, TX 77002", 100+i),
		Phones:       []string{"+1 (713) 555-0142 (voice)", "+1 (713) 555-0143 (text)"},
		Email:        "ayuda@example.org",
		Website:      "https://example.org/servicios",
		Hours:        []string{"Mon–Fri 09:00–17:00", "Sat 10:00–14:00"},
		Languages:    []string{"English", "Español", "Português"},
		Eligibility:  strings.Repeat("Sobrevivientes de trata de personas de cualquier edad; ¿no sabe si califica? ¡Llame! ", 1+i%5),
		HowToApply:   "Llame o escriba; una intérprete le devolverá la llamada en 24 h.",
		Fees:         "Gratis",
		Documents:    strings.Repeat("No se requiere identificación. ", i%3),
		Sample:       i%7 == 3,
		LastVerified: fmt.Sprintf("Verificado el 3 de marzo de 2026 #%02d", i),
	}
}

func testSheet(n int) Sheet {
	s := Sheet{
		Lang:      "es",
		Title:     "Hoja de derivación",
		Generated: "Preparada el 24 de noviembre de 2026",
		Intro:     "Estos servicios pueden ayudarle; todos son confidenciales y la mayoría son gratuitos.",
		Hotline: Hotline{
			Name:  "Línea Nacional contra la Trata de Personas",
			Phone: "1-888-373-7888",
			Text:  "Mensaje de texto: 233733",
			Note:  "24/7, inglés y español, intérpretes para otros idiomas",
		},
		Footer: "Haven · información registrada el 24 de noviembre de 2026; llame antes de ir para confirmar.",
		Labels: spanishLabels(),
	}
	for i := range n {
		s.Entries = append(s.Entries, testEntry(i))
	}
	return s
}

func render(t testing.TB, s Sheet) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := PDF(&buf, s); err != nil {
		t.Fatalf("PDF: %v", err)
	}
	return buf.Bytes()
}

// uncompressed turns stream compression off for the rest of the test.
func uncompressed(t *testing.T) {
	t.Helper()
	compress = false
	t.Cleanup(func() { compress = true })
}

var pageRE = regexp.MustCompile(`/Type /Page\b[^s]`)

func pageCount(pdf []byte) int { return len(pageRE.FindAllIndex(pdf, -1)) }

// pageContents splits uncompressed output into the part belonging to each
// page: fpdf writes every page object followed by its content stream.
func pageContents(pdf []byte) [][]byte {
	idx := pageRE.FindAllIndex(pdf, -1)
	var out [][]byte
	for i, m := range idx {
		end := len(pdf)
		if i+1 < len(idx) {
			end = idx[i+1][0]
		}
		out = append(out, pdf[m[0]:end])
	}
	return out
}

func checkWellFormed(t *testing.T, pdf []byte) {
	t.Helper()
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Errorf("output does not start with %%PDF-: %q", pdf[:min(len(pdf), 16)])
	}
	if !bytes.HasSuffix(bytes.TrimRight(pdf, " \t\r\n"), []byte("%%EOF")) {
		t.Errorf("output does not end with %%%%EOF")
	}
}

func TestPDFWellFormed(t *testing.T) {
	for _, n := range []int{0, 1, 5, 40} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			checkWellFormed(t, render(t, testSheet(n)))
		})
	}
}

func TestDeterministic(t *testing.T) {
	a, b := render(t, testSheet(12)), render(t, testSheet(12))
	if !bytes.Equal(a, b) {
		t.Fatal("two renderings of the same sheet differ")
	}
}

func TestPageCountGrows(t *testing.T) {
	p0 := pageCount(render(t, testSheet(0)))
	p3 := pageCount(render(t, testSheet(3)))
	p40 := pageCount(render(t, testSheet(40)))
	t.Logf("pages: 0 entries=%d, 3 entries=%d, 40 entries=%d", p0, p3, p40)
	if p0 != 1 {
		t.Errorf("0 entries: %d pages, want 1", p0)
	}
	if p3 < p0 || p40 <= p3 || p40 < 5 {
		t.Errorf("page count does not grow with entries: %d, %d, %d", p0, p3, p40)
	}
}

func TestEmptySheet(t *testing.T) {
	checkWellFormed(t, render(t, Sheet{}))
}

func TestMetadata(t *testing.T) {
	out := render(t, testSheet(1))
	for _, want := range []string{"/Lang (es)", "/Creator", "/Title", "/CreationDate (D:20000101000000)"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("output lacks %q", want)
		}
	}
	// Haven as UTF-16BE with BOM
	if !bytes.Contains(out, []byte("\xfe\xff\x00H\x00a\x00v\x00e\x00n")) {
		t.Error("creator Haven not found")
	}
	s := testSheet(0)
	s.Lang = "es) /Evil (x"
	if out := render(t, s); !bytes.Contains(out, []byte("/Lang (en)")) {
		t.Error("invalid Lang not replaced by en")
	}
}

func TestSampleMarker(t *testing.T) {
	uncompressed(t)
	s := testSheet(1)
	s.Entries[0].Sample = false
	if out := render(t, s); bytes.Contains(out, []byte("DATOS DE EJEMPLO")) {
		t.Error("marker printed on a non-sample entry")
	}
	s.Entries[0].Sample = true
	// cp1252: em dash is byte 0x97
	if out := render(t, s); !bytes.Contains(out, []byte("(DATOS DE EJEMPLO \x97 no es un proveedor real)")) {
		t.Error("sample marker not found in page content")
	}
	s.Labels.Sample = ""
	if out := render(t, s); !bytes.Contains(out, []byte("(SAMPLE DATA \x97 not a real provider)")) {
		t.Error("default sample marker not found in page content")
	}
}

func TestSpanishEncoding(t *testing.T) {
	uncompressed(t)
	out := render(t, testSheet(1))
	// cp1252 bytes: ó=F3 ñ=F1 ¿=BF ¡=A1 –=96 “=93 ”=94
	for _, want := range []string{
		"Hoja de derivaci\xf3n",
		"Fundaci\xf3n \x93Ni\xf1os del Sol\x94, Inc.",
		"Mon\x96Fri 09:00\x9617:00",
		"\xbfno sabe si califica? \xa1Llame!",
	} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("page content lacks %q", want)
		}
	}
}

func TestNonCP1252(t *testing.T) {
	uncompressed(t)
	s := testSheet(1)
	s.Title = "Referral 转介 📄"
	s.Entries[0].Name = "Centro 中文 😀 ok"
	s.Entries[0].Address = "北京\n\xff\xfe invalid"
	s.Hotline.Note = "👨‍👩‍👧 family"
	out := render(t, s)
	checkWellFormed(t, out)
	for _, want := range []string{"(Centro ?? ? ok)", "(??? family)", "(? invalid)"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("page content lacks %q", want)
		}
	}
}

func TestCP1252Safe(t *testing.T) {
	tests := []struct {
		in        string
		multiline bool
		want      string
	}{
		{"¿Año? ¡Sí! “quoted” ‘single’ – — € …", false, "¿Año? ¡Sí! “quoted” ‘single’ – — € …"},
		{"中文", false, "??"},
		{"emoji 😀!", false, "emoji ?!"},
		{"a❤️b", false, "a?b"},                     // variation selector dropped
		{"👨‍👩‍👧", false, "???"},                    // joiners dropped
		{"an\u0303o", false, "año"},                // NFD composed
		{"x\u0331y", false, "xy"},                  // uncomposable mark dropped
		{"bad \xff\xfe utf8", false, "bad ? utf8"}, // a run of invalid UTF-8 is one "?"
		{"nul\x00bell\x07", false, "nulbell"},
		{"tab\there", false, "tab here"},
		{"thin\u2009space\u202fnarrow", false, "thin space narrow"},
		{"non\u2011breaking \u2212minus", false, "non-breaking -minus"},
		{"zero\u200bwidth\ufeff", false, "zerowidth"},
		{"soft\u00adhyphen", false, "softhyphen"},
		{"  line1 \r\nline2\rline3\u2028line4\n\n", true, "line1\nline2\nline3\nline4"},
		{"line1\nline2", false, "line1 line2"},
		{"\n\n  \n", true, ""},
		{"", false, ""},
	}
	for _, tt := range tests {
		if got := cp1252Safe(tt.in, tt.multiline); got != tt.want {
			t.Errorf("cp1252Safe(%q, %v) = %q, want %q", tt.in, tt.multiline, got, tt.want)
		}
	}
	// Everything the sanitizer lets through must have a cp1252 byte.
	for r := rune(0); r < 0x30000; r++ {
		for _, c := range cp1252Safe(string(r), true) {
			if c != '\n' && !inCP1252(c) {
				t.Fatalf("cp1252Safe(%U) yields %U, not in cp1252", r, c)
			}
		}
	}
}

// TestEntriesNotSplit checks that each entry's first and last lines land on
// the same page.
func TestEntriesNotSplit(t *testing.T) {
	uncompressed(t)
	const n = 40
	pages := pageContents(render(t, testSheet(n)))
	where := func(s string) int {
		for i, p := range pages {
			if bytes.Contains(p, []byte(s)) {
				return i + 1
			}
		}
		return 0
	}
	for i := range n {
		first, last := where(fmt.Sprintf("Service %02d:", i)), where(fmt.Sprintf("2026 #%02d", i))
		if first == 0 || last == 0 {
			t.Fatalf("entry %d not found (pages %d, %d)", i, first, last)
		}
		if first != last {
			t.Errorf("entry %d split across pages %d and %d", i, first, last)
		}
	}
	for i, p := range pages {
		if want := fmt.Sprintf("(%d / %d)", i+1, len(pages)); !bytes.Contains(p, []byte(want)) {
			t.Errorf("page %d lacks page number %q", i+1, want)
		}
	}
}

// TestOversizedEntry: an entry taller than a page must still render, across
// pages.
func TestOversizedEntry(t *testing.T) {
	s := testSheet(2)
	s.Entries[1].Eligibility = strings.Repeat("Texto muy largo sobre requisitos. ", 600)
	s.Entries[1].Documents = strings.Repeat("x", 5000) // no spaces at all
	out := render(t, s)
	checkWellFormed(t, out)
	if p := pageCount(out); p < 3 {
		t.Errorf("oversized entry: %d pages, want at least 3", p)
	}
}

func TestLongFooterAndLabels(t *testing.T) {
	uncompressed(t)
	s := testSheet(3)
	s.Footer = strings.Repeat("Un pie de página larguísimo. ", 40)
	s.Labels.HowToApply = "Una etiqueta excesivamente larga que no cabe en su columna"
	out := render(t, s)
	checkWellFormed(t, out)
	if !bytes.Contains(out, []byte("\x85)Tj")) {
		t.Error("long footer not truncated with an ellipsis")
	}
}

// TestPdftotext extracts the text with poppler's pdftotext and checks that
// Spanish characters survive the round trip.
func TestPdftotext(t *testing.T) {
	bin := testenv.PDFToText(t)
	path := filepath.Join(t.TempDir(), "sheet.pdf")
	if err := os.WriteFile(path, render(t, testSheet(10)), 0o600); err != nil {
		t.Fatal(err)
	}
	txt, err := exec.Command(bin, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	text := string(txt)
	for _, want := range []string{
		"Hoja de derivación",
		"Línea Nacional contra la Trata de Personas",
		"1-888-373-7888",
		"Fundación “Niños del Sol”, Inc.",
		"¿no sabe si califica? ¡Llame!",
		"Mon–Fri 09:00–17:00",
		"DATOS DE EJEMPLO — no es un proveedor real",
		"Cómo solicitar",
		"Haven · información registrada",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("extracted text lacks %q", want)
		}
	}
	// pdftotext may drop the spaces in "1 / 4".
	if !regexp.MustCompile(`1 ?/ ?\d`).MatchString(text) {
		t.Error("extracted text lacks the page number")
	}
	if t.Failed() {
		t.Logf("extracted text:\n%s", text)
	}
}

func FuzzPDF(f *testing.F) {
	f.Add("Centro de Ayuda", "123 Main St\nHouston, TX")
	f.Add("中文 😀", "\xff\xfe\x00")
	f.Add("", "")
	f.Add(strings.Repeat("W", 500), strings.Repeat("\n", 50))
	f.Add("(paren) \\ back", "{nb} %PDF %%EOF")
	f.Fuzz(func(t *testing.T, name, addr string) {
		s := testSheet(2)
		s.Title = name
		s.Hotline.Phone = name
		s.Footer = addr
		s.Entries[0].Name = name
		s.Entries[0].Address = addr
		s.Entries[1].Organization = addr
		s.Entries[1].Phones = []string{name, addr}
		s.Labels.Address = name
		var buf bytes.Buffer
		if err := PDF(&buf, s); err != nil {
			t.Fatalf("PDF: %v", err)
		}
		if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
			t.Fatal("output does not start with %PDF-")
		}
	})
}

// An entry's capacities are printed under their label, one a line, and an
// entry without any prints no label.
func TestCapacityPrinted(t *testing.T) {
	uncompressed(t)
	s := testSheet(1)
	if out := render(t, s); bytes.Contains(out, []byte("(Lugar disponible ahora)")) {
		t.Error("capacity label printed for an entry without capacities")
	}
	s.Labels.Capacity = "Lugar disponible ahora"
	s.Entries[0].Capacity = []string{"Cama (ejemplo): 3 de 12 disponibles, actualizado hace 2 horas", "Plaza: disponibilidad desconocida (sin actualizar en 24 horas)"}
	out := render(t, s)
	for _, want := range []string{"(Lugar disponible ahora)", "(Cama \\(ejemplo\\): 3 de 12 disponibles, actualizado hace 2 horas)", "(Plaza: disponibilidad desconocida \\(sin actualizar en 24 horas\\))"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("page content lacks %q", want)
		}
	}
}
