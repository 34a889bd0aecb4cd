// Package referral renders referral sheets: the printable page (or few pages)
// a case worker hands to a client, listing the services chosen for them with
// everything needed to reach each one, and the national hotline.
//
// Sheets are written as PDF with the standard Helvetica core fonts, so no font
// files are read and nothing is fetched. Text is encoded as Windows-1252,
// which covers English and Spanish (accents, "ñ", "¿", "¡", en dash, curly
// quotes); any character it cannot represent is printed as "?".
// The output is deterministic: the same Sheet always yields the same bytes.
package referral

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// Sheet is what a referral sheet shows. All text is already in the reader's
// language.
type Sheet struct {
	Lang      string  // "en" or "es": the PDF's language metadata (default "en")
	Title     string  // e.g. "Referral sheet" / "Hoja de derivación"
	Generated string  // e.g. "Prepared on 24 November 2026"
	Intro     string  // one sentence
	Hotline   Hotline // shown in a box near the top; omitted if all empty
	Entries   []Entry // the services, in the order given
	Footer    string  // e.g. "Haven · information as recorded on DATE; call ahead to confirm."
	Labels    Labels  // field labels in the reader's language
}

// Hotline is the national hotline shown in a box at the top of the sheet, for
// example "National Human Trafficking Hotline", "1-888-373-7888",
// "Text 233733", "24/7, English and Spanish, interpreters for other
// languages".
type Hotline struct{ Name, Phone, Text, Note string }

// Entry is one service on the sheet. Empty fields are not printed.
type Entry struct {
	Name, Organization string
	Address            string   // one line or several joined by "\n"
	Phones             []string // e.g. "+1 (713) 555-0142 (voice)"
	Email, Website     string
	Hours              []string // e.g. "Mon–Fri 09:00–17:00"
	Languages          []string
	Capacity           []string // e.g. "Bed: 3 of 12 available, updated 2 hours ago"
	Eligibility        string
	HowToApply         string
	Fees               string
	Documents          string
	Sample             bool   // true: the entry is marked as sample data, not a real provider
	LastVerified       string // e.g. "Last verified on 3 March 2026", or ""
	// LangNote says the entry is shown, in whole or in part, in another
	// language than the sheet's, for want of a translation; "" when not.
	LangNote string
}

// Labels are the field labels in the reader's language. An empty label falls
// back to its English default (see DefaultLabels); Sample is the text of the
// marker printed on sample entries.
type Labels struct {
	Address, Phone, Email, Website, Hours, Languages, Eligibility, HowToApply, Fees, Documents, Sample string
	Capacity                                                                                           string
	// TextLanguage labels an entry's LangNote.
	TextLanguage string
}

// DefaultLabels are the English labels used for any field left empty in
// Sheet.Labels.
var DefaultLabels = Labels{
	Address:     "Address",
	Phone:       "Phone",
	Email:       "Email",
	Website:     "Website",
	Hours:       "Hours",
	Languages:   "Languages",
	Eligibility: "Eligibility",
	Capacity:    "Room now",
	HowToApply:  "How to apply",
	Fees:        "Fees",
	Documents:   "Documents",
	Sample:      "SAMPLE DATA — not a real provider",
	// The note says the rest: "Shown in English; …".
	TextLanguage: "Language of this entry",
}

// compress controls PDF stream compression; tests turn it off to search
// the page content for text.
var compress = true

// fixedDate is written as the PDF's creation and modification date, so that
// output depends only on the Sheet.
var fixedDate = time.Date(2000, time.January, 1, 0, 0, 0, 0, time.UTC)

// Page geometry, in millimetres (U.S. Letter, portrait).
const (
	margin       = 15.0 // left, right and top
	bottomMargin = 24.0 // room for the footer below the text area
	footerLineH  = 3.6
	pageNumW     = 22.0
)

// Font sizes in points.
const (
	titleSize   = 18.0
	dateSize    = 10.0
	introSize   = 11.0
	hlNameSize  = 12.0
	hlPhoneSize = 20.0
	hlTextSize  = 12.0
	hlNoteSize  = 10.0
	nameSize    = 12.5
	orgSize     = 10.5
	labelSize   = 9.5
	valueSize   = 10.0
	markerSize  = 9.0
	verifySize  = 8.5
	footerSize  = 8.0
)

// lineH is the line height, in millimetres, for a font size in points.
func lineH(pt float64) float64 { return pt * 25.4 / 72 * 1.25 }

// PDF writes the sheet as a PDF to w.
func PDF(w io.Writer, s Sheet) error {
	// First pass: lay out to learn the page count for the "n / N" footer.
	// (fpdf's AliasNbPages would also work, but it substitutes the alias in
	// user text too and right-aligns by the alias' width.)
	r := newRenderer(s, 0)
	r.render()
	if err := r.pdf.Error(); err != nil {
		return fmt.Errorf("referral: laying out PDF: %w", err)
	}
	r = newRenderer(s, r.pdf.PageCount())
	r.render()
	if err := r.pdf.Output(w); err != nil {
		return fmt.Errorf("referral: writing PDF: %w", err)
	}
	return nil
}

type renderer struct {
	pdf    *fpdf.Fpdf
	tr     func(string) string // UTF-8 → cp1252 bytes
	s      Sheet
	labels Labels
	total  int // page count, 0 if not yet known

	footerLines []string // converted and wrapped footer text, once known
	pageW       float64
	pageH       float64
	contentW    float64
}

func newRenderer(s Sheet, total int) *renderer {
	pdf := fpdf.New("P", "mm", "Letter", "")
	pdf.SetCompression(compress)
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(fixedDate)
	pdf.SetModificationDate(fixedDate)
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, bottomMargin)
	// Metadata strings go through cp1252Safe too: fpdf's UTF-16 conversion
	// mishandles invalid UTF-8 and characters outside the BMP.
	if t := cp1252Safe(s.Title, false); t != "" {
		pdf.SetTitle(t, true)
	}
	pdf.SetCreator("Haven", true)
	pdf.SetLang(pdfLang(s.Lang))
	pw, ph := pdf.GetPageSize()
	r := &renderer{
		pdf:      pdf,
		tr:       pdf.UnicodeTranslatorFromDescriptor(""),
		s:        s,
		labels:   withDefaults(s.Labels),
		total:    total,
		pageW:    pw,
		pageH:    ph,
		contentW: pw - 2*margin,
	}
	pdf.SetFooterFunc(r.footer)
	return r
}

var langRE = regexp.MustCompile(`^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$`)

// pdfLang returns lang if it is a plausible BCP 47 tag, else "en". (fpdf
// writes the value into the PDF unescaped.)
func pdfLang(lang string) string {
	if langRE.MatchString(lang) {
		return lang
	}
	return "en"
}

func withDefaults(l Labels) Labels {
	d := DefaultLabels
	pick := func(v, def string) string {
		if strings.TrimSpace(v) == "" {
			return def
		}
		return v
	}
	return Labels{
		Address:      pick(l.Address, d.Address),
		Phone:        pick(l.Phone, d.Phone),
		Email:        pick(l.Email, d.Email),
		Website:      pick(l.Website, d.Website),
		Hours:        pick(l.Hours, d.Hours),
		Languages:    pick(l.Languages, d.Languages),
		Eligibility:  pick(l.Eligibility, d.Eligibility),
		Capacity:     pick(l.Capacity, d.Capacity),
		HowToApply:   pick(l.HowToApply, d.HowToApply),
		Fees:         pick(l.Fees, d.Fees),
		Documents:    pick(l.Documents, d.Documents),
		Sample:       pick(l.Sample, d.Sample),
		TextLanguage: pick(l.TextLanguage, d.TextLanguage),
	}
}

// text converts user text to the cp1252 bytes the core fonts expect.
func (r *renderer) text(s string, multiline bool) string {
	return r.tr(cp1252Safe(s, multiline))
}

// setFont selects Helvetica in style ("", "B", "I") and size pt.
func (r *renderer) setFont(style string, pt float64) {
	r.pdf.SetFont("Helvetica", style, pt)
}

// lines returns how many lines MultiCell will use for txt (already
// converted) in width w with the current font.
func (r *renderer) lines(txt string, w float64) int {
	if txt == "" {
		return 1
	}
	return max(1, len(r.pdf.SplitLines([]byte(txt), w)))
}

// block is a piece of the layout that is never split across pages (unless
// it is taller than a page).
type block struct {
	h    float64
	draw func()
}

func (r *renderer) usableH() float64 { return r.pageH - margin - bottomMargin }

func (r *renderer) remaining() float64 {
	return r.pageH - bottomMargin - r.pdf.GetY()
}

func (r *renderer) atPageTop() bool { return r.pdf.GetY() <= margin+0.01 }

// place starts a new page if h does not fit in what is left of this one
// but would fit on an empty page.
func (r *renderer) place(h float64) {
	if h > r.remaining() && !r.atPageTop() {
		r.pdf.AddPage()
	}
}

// drawBlocks draws blocks as one unit when they fit on a page; otherwise it
// breaks between blocks.
func (r *renderer) drawBlocks(bs []block) {
	total := 0.0
	for _, b := range bs {
		total += b.h
	}
	if total <= r.usableH() {
		r.place(total)
	}
	for _, b := range bs {
		r.place(b.h)
		b.draw()
	}
}

func (r *renderer) render() {
	r.pdf.AddPage()
	r.header()
	r.hotline()
	for i, e := range r.s.Entries {
		r.entry(e, i > 0)
	}
}

func (r *renderer) header() {
	p := r.pdf
	if t := r.text(r.s.Title, false); t != "" {
		r.setFont("B", titleSize)
		p.SetTextColor(0, 0, 0)
		p.MultiCell(0, lineH(titleSize), t, "", "L", false)
	}
	if g := r.text(r.s.Generated, false); g != "" {
		r.setFont("", dateSize)
		p.SetTextColor(80, 80, 80)
		p.MultiCell(0, lineH(dateSize), g, "", "L", false)
	}
	if in := r.text(r.s.Intro, true); in != "" {
		p.Ln(2)
		r.setFont("", introSize)
		p.SetTextColor(0, 0, 0)
		p.MultiCell(0, lineH(introSize), in, "", "L", false)
	}
	p.Ln(4)
}

func (r *renderer) hotline() {
	p := r.pdf
	h := r.s.Hotline
	type line struct {
		style string
		pt    float64
		txt   string
	}
	var ls []line
	add := func(style string, pt float64, s string, multiline bool) {
		if t := r.text(s, multiline); t != "" {
			ls = append(ls, line{style, pt, t})
		}
	}
	add("B", hlNameSize, h.Name, false)
	add("B", hlPhoneSize, h.Phone, false)
	add("B", hlTextSize, h.Text, false)
	add("", hlNoteSize, h.Note, true)
	if len(ls) == 0 {
		return
	}
	const pad = 4.0
	innerW := r.contentW - 2*pad
	boxH := 2 * pad
	for _, l := range ls {
		r.setFont(l.style, l.pt)
		boxH += float64(r.lines(l.txt, innerW)) * lineH(l.pt)
	}
	r.drawBlocks([]block{{h: boxH + 6, draw: func() {
		x, y := margin, p.GetY()
		p.SetDrawColor(0, 0, 0)
		p.SetFillColor(242, 242, 242)
		p.SetLineWidth(0.6)
		p.Rect(x, y, r.contentW, boxH, "FD")
		p.SetXY(x+pad, y+pad)
		p.SetTextColor(0, 0, 0)
		for _, l := range ls {
			r.setFont(l.style, l.pt)
			p.SetX(x + pad)
			p.MultiCell(innerW, lineH(l.pt), l.txt, "", "L", false)
		}
		p.SetXY(x, y+boxH+6)
	}}})
}

// row is one "label: value" line of an entry.
type row struct {
	label, value string // converted
	bold         bool   // value in bold (phone numbers)
}

func (r *renderer) rows(e Entry) []row {
	var rs []row
	add := func(label, value string, multiline, bold bool) {
		if v := r.text(value, multiline); v != "" {
			rs = append(rs, row{r.text(label, false), v, bold})
		}
	}
	l := r.labels
	add(l.TextLanguage, e.LangNote, true, false)
	add(l.Address, e.Address, true, false)
	add(l.Phone, joinNonEmpty(e.Phones, "\n"), true, true)
	add(l.Email, e.Email, false, false)
	add(l.Website, e.Website, false, false)
	add(l.Hours, joinNonEmpty(e.Hours, "\n"), true, false)
	add(l.Languages, joinNonEmpty(e.Languages, ", "), false, false)
	add(l.Capacity, joinNonEmpty(e.Capacity, "\n"), true, false)
	add(l.Eligibility, e.Eligibility, true, false)
	add(l.HowToApply, e.HowToApply, true, false)
	add(l.Fees, e.Fees, true, false)
	add(l.Documents, e.Documents, true, false)
	return rs
}

func joinNonEmpty(ss []string, sep string) string {
	var out []string
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, sep)
}

// labelWidth returns the width of the label column: wide enough for the
// longest label in use, within limits (longer labels wrap).
func (r *renderer) labelWidth(rs []row) float64 {
	r.setFont("B", labelSize)
	w := 0.0
	for _, rw := range rs {
		w = max(w, r.pdf.GetStringWidth(rw.label))
	}
	return min(max(w+2*r.pdf.GetCellMargin()+4, 24), 50)
}

func (r *renderer) entry(e Entry, rule bool) {
	p := r.pdf
	var bs []block
	const gap = 4.0

	// Name, organization and sample marker stay together as the entry head.
	var head []func()
	headH := 0.0
	if e.Sample {
		marker := r.text(r.labels.Sample, false)
		r.setFont("B", markerSize)
		mw := min(p.GetStringWidth(marker)+2*p.GetCellMargin()+2, r.contentW)
		mh := lineH(markerSize) + 1.5
		headH += mh + 1.5
		head = append(head, func() {
			r.setFont("B", markerSize)
			p.SetTextColor(176, 0, 0)
			p.SetDrawColor(176, 0, 0)
			p.SetLineWidth(0.4)
			p.SetX(margin)
			p.CellFormat(mw, mh, marker, "1", 1, "C", false, 0, "")
			p.Ln(1.5)
		})
	}
	if name := r.text(e.Name, false); name != "" {
		r.setFont("B", nameSize)
		headH += float64(r.lines(name, r.contentW)) * lineH(nameSize)
		head = append(head, func() {
			r.setFont("B", nameSize)
			p.SetTextColor(0, 0, 0)
			p.SetX(margin)
			p.MultiCell(r.contentW, lineH(nameSize), name, "", "L", false)
		})
	}
	if org := r.text(e.Organization, false); org != "" {
		r.setFont("", orgSize)
		headH += float64(r.lines(org, r.contentW)) * lineH(orgSize)
		head = append(head, func() {
			r.setFont("", orgSize)
			p.SetTextColor(70, 70, 70)
			p.SetX(margin)
			p.MultiCell(r.contentW, lineH(orgSize), org, "", "L", false)
		})
	}
	headH += 1.5
	bs = append(bs, block{h: headH, draw: func() {
		for _, f := range head {
			f()
		}
		p.Ln(1.5)
	}})

	rs := r.rows(e)
	lw := r.labelWidth(rs)
	vw := r.contentW - lw
	for _, rw := range rs {
		r.setFont("B", labelSize)
		lh := float64(r.lines(rw.label, lw)) * lineH(labelSize)
		r.setFont(valueStyle(rw.bold), valueSize)
		vh := float64(r.lines(rw.value, vw)) * lineH(valueSize)
		bs = append(bs, block{h: max(lh, vh) + 1, draw: func() {
			y, page := p.GetY(), p.PageNo()
			r.setFont("B", labelSize)
			p.SetTextColor(85, 85, 85)
			p.SetXY(margin, y+(lineH(valueSize)-lineH(labelSize))/2)
			p.MultiCell(lw, lineH(labelSize), rw.label, "", "L", false)
			labelEnd := p.GetY()
			r.setFont(valueStyle(rw.bold), valueSize)
			p.SetTextColor(0, 0, 0)
			p.SetXY(margin+lw, y)
			p.MultiCell(vw, lineH(valueSize), rw.value, "", "L", false)
			end := p.GetY()
			if p.PageNo() == page {
				end = max(end, labelEnd)
			}
			p.SetXY(margin, end+1)
		}})
	}
	if lv := r.text(e.LastVerified, false); lv != "" {
		r.setFont("I", verifySize)
		h := float64(r.lines(lv, r.contentW)) * lineH(verifySize)
		bs = append(bs, block{h: h + 1, draw: func() {
			p.Ln(1)
			r.setFont("I", verifySize)
			p.SetTextColor(100, 100, 100)
			p.SetX(margin)
			p.MultiCell(r.contentW, lineH(verifySize), lv, "", "L", false)
		}})
	}

	// The rule between entries goes with the entry only if both fit on
	// this page; an entry moved to a new page needs no rule above it.
	total := 0.0
	for _, b := range bs {
		total += b.h
	}
	if rule && !r.atPageTop() {
		if total+2*gap <= r.remaining() || total > r.usableH() {
			y := p.GetY() + gap
			p.SetDrawColor(170, 170, 170)
			p.SetLineWidth(0.2)
			p.Line(margin, y, margin+r.contentW, y)
			p.SetY(y + gap)
		} else {
			p.AddPage()
		}
	}
	r.drawBlocks(bs)
}

func valueStyle(bold bool) string {
	if bold {
		return "B"
	}
	return ""
}

// footer draws the footer text and "n / N" at the bottom of each page.
func (r *renderer) footer() {
	p := r.pdf
	y := r.pageH - bottomMargin + 4
	p.SetDrawColor(170, 170, 170)
	p.SetLineWidth(0.2)
	p.Line(margin, y, margin+r.contentW, y)
	r.setFont("", footerSize)
	p.SetTextColor(90, 90, 90)
	textW := r.contentW - pageNumW
	if r.footerLines == nil {
		r.footerLines = r.wrapFooter(textW)
	}
	for i, l := range r.footerLines {
		p.SetXY(margin, y+1.5+float64(i)*footerLineH)
		p.CellFormat(textW, footerLineH, l, "", 0, "L", false, 0, "")
	}
	n := fmt.Sprintf("%d / %d", p.PageNo(), max(r.total, p.PageNo()))
	p.SetXY(margin+textW, y+1.5)
	p.CellFormat(pageNumW, footerLineH, n, "", 0, "R", false, 0, "")
}

// wrapFooter returns the footer text as at most two lines of width w, the
// second ending in an ellipsis if the text is longer. The footer font must
// be selected.
func (r *renderer) wrapFooter(w float64) []string {
	p := r.pdf
	ls := []string{}
	for _, l := range p.SplitLines([]byte(r.text(r.s.Footer, false)), w) {
		ls = append(ls, string(l))
	}
	if len(ls) > 2 {
		ell := r.tr("…")
		last := ls[1]
		for last != "" && p.GetStringWidth(last+ell)+2*p.GetCellMargin() > w {
			last = last[:len(last)-1] // cp1252: one byte per character
		}
		ls = []string{ls[0], strings.TrimRight(last, " ") + ell}
	}
	return ls
}
