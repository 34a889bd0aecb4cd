package http_test

import (
	"bytes"
	"compress/zlib"
	havenphone "haven/phone"
	"html"
	"io"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"haven/i18n"
)

// revealingWords are what a discreet sheet must not say, folded to lower
// case; listed here apart from referral.Revealing so that a change there
// cannot make this test pass by itself.
var revealingWords = []string{"traffick", "hotline", "human trafficking", "trata", "tráfico", "trafica",
	"línea directa", "línea de ayuda", "línea nacional"}

func revealed(text string) []string {
	text = strings.ToLower(text)
	var out []string
	for _, w := range revealingWords {
		if strings.Contains(text, w) {
			out = append(out, w)
		}
	}
	return out
}

var (
	noPrint = regexp.MustCompile(`(?s)<p class="[^"]*no-print[^"]*">.*?</p>`)
	tags    = regexp.MustCompile(`(?s)<[^>]*>`)
)

// printed is the text of a referral page's sheet as it prints: from the
// sheet's start to the end of main, less what is marked no-print.
func printed(t *testing.T, page string) string {
	t.Helper()
	i, j := strings.Index(page, `<div class="referral`), strings.Index(page, "</main>")
	if i < 0 || j < i {
		t.Fatalf("no sheet in the page")
	}
	return html.UnescapeString(tags.ReplaceAllString(noPrint.ReplaceAllString(page[i:j], ""), " "))
}

// pdfText is the text a PDF of the referral package shows: its content
// streams inflated and read as Windows-1252, and its title metadata, which
// fpdf writes in UTF-16.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	var out strings.Builder
	rest := pdf
	for {
		i := bytes.Index(rest, []byte("stream\n"))
		if i < 0 {
			break
		}
		rest = rest[i+len("stream\n"):]
		j := bytes.Index(rest, []byte("endstream"))
		if j < 0 {
			break
		}
		if zr, err := zlib.NewReader(bytes.NewReader(rest[:j])); err == nil {
			b, _ := io.ReadAll(zr)
			s, _ := charmap.Windows1252.NewDecoder().Bytes([]byte(pdfUnescape.Replace(string(b))))
			out.Write(s)
			out.WriteByte('\n')
		}
		rest = rest[j:]
	}
	if i := bytes.Index(pdf, []byte("/Title (")); i >= 0 {
		raw := pdfString(pdf[i+len("/Title ("):])
		s, _ := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder().Bytes(raw)
		out.WriteString("\nTitle: " + string(s) + "\n")
	}
	return out.String()
}

// pdfUnescape undoes a PDF string's escapes of parentheses and backslashes.
var pdfUnescape = strings.NewReplacer(`\(`, "(", `\)`, ")", `\\`, `\`)

// pdfString returns the bytes of a PDF literal string up to its closing
// parenthesis, unescaped; b starts after the opening one.
func pdfString(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c == '\\' && i+1 < len(b):
			i++
			out = append(out, b[i])
		case c == ')':
			return out
		default:
			out = append(out, c)
		}
	}
	return out
}

// TestDiscreetSheet: the discreet referral sheet, as printed from the page
// and as a PDF, in English and Spanish, is titled plainly and says nothing
// of trafficking or hotlines, while it still gives each service's phone;
// the full sheet does say them (so the checks can see them). PDFs open in
// the browser unless download=1 asks to save them.
func TestDiscreetSheet(t *testing.T) {
	s, svcs := MustDirectoryServer(t)
	ids := "id=" + svcs[0].ID + "&id=" + svcs[1].ID
	// Shown in national format, as stored numbers are for U.S. visitors.
	phone := havenphone.Display(svcs[0].Phones[0].Number, "US")
	for _, lang := range []string{"en", "es"} {
		l := i18n.New(lang)
		t.Run(lang, func(t *testing.T) {
			full := do(s, "GET", "/referral?lang="+lang+"&"+ids, nil).Body.String()
			if len(revealed(printed(t, full))) == 0 {
				t.Fatalf("the full sheet names neither trafficking nor the hotline: the check sees nothing")
			}
			if !strings.Contains(full, `href="/referral?discreet=1&amp;`+strings.ReplaceAll(ids, "&", "&amp;")+`"`) {
				t.Error("the full sheet does not link to the discreet one")
			}
			w := do(s, "GET", "/referral?discreet=1&lang="+lang+"&"+ids, nil)
			if w.Code != 200 {
				t.Fatalf("status %d", w.Code)
			}
			sheet := printed(t, w.Body.String())
			if got := revealed(sheet); len(got) > 0 {
				t.Errorf("the discreet sheet says %q:\n%s", got, sheet)
			}
			for _, want := range []string{l.T("referral.discreet.title"), phone} {
				if !strings.Contains(sheet, want) {
					t.Errorf("the discreet sheet lacks %q", want)
				}
			}
			if !strings.Contains(w.Body.String(), "<title>"+l.T("referral.discreet.title")+" · Haven</title>") {
				t.Error("the discreet page's title is not plain")
			}

			fullPDF := do(s, "GET", "/referral.pdf?lang="+lang+"&"+ids, nil)
			if len(revealed(pdfText(t, fullPDF.Body.Bytes()))) == 0 {
				t.Fatal("the full PDF names neither trafficking nor the hotline: the PDF reading sees nothing")
			}
			pdf := do(s, "GET", "/referral.pdf?discreet=1&lang="+lang+"&"+ids, nil)
			text := pdfText(t, pdf.Body.Bytes())
			if got := revealed(text); len(got) > 0 {
				t.Errorf("the discreet PDF says %q:\n%s", got, text)
			}
			for _, want := range []string{"Title: " + l.T("referral.discreet.title"), phone} {
				if !strings.Contains(text, want) {
					t.Errorf("the discreet PDF lacks %q:\n%s", want, text)
				}
			}
			// pdftotext, when installed, reads the PDF as a viewer would.
			if path, err := exec.LookPath("pdftotext"); err == nil {
				cmd := exec.Command(path, "-", "-")
				cmd.Stdin = bytes.NewReader(pdf.Body.Bytes())
				out, err := cmd.Output()
				if err != nil {
					t.Fatalf("pdftotext: %v", err)
				}
				if got := revealed(string(out)); len(got) > 0 || !strings.Contains(string(out), phone) {
					t.Errorf("pdftotext of the discreet PDF: says %q, phone shown %v:\n%s", got, strings.Contains(string(out), phone), out)
				}
			} else {
				t.Log("pdftotext is not installed: the PDF was read only by this test's own reader")
			}
		})
	}
	for _, tt := range []struct{ url, disposition string }{
		{"/referral.pdf?" + ids, `inline; filename="referral-sheet.pdf"`},
		{"/referral.pdf?download=1&" + ids, `attachment; filename="referral-sheet.pdf"`},
		{"/referral.pdf?discreet=1&" + ids, `inline; filename="contacts.pdf"`},
		{"/referral.pdf?discreet=1&download=1&" + ids, `attachment; filename="contacts.pdf"`},
	} {
		w := do(s, "GET", tt.url, nil)
		if got := w.Header().Get("Content-Disposition"); w.Code != 200 || got != tt.disposition {
			t.Errorf("%s: %d, Content-Disposition %q, want %q", tt.url, w.Code, got, tt.disposition)
		}
	}
}
