package http

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"haven"
	"haven/hsds"
	"haven/i18n"
	"haven/referral"
)

// sheetEntry is one service on a referral sheet.
type sheetEntry struct {
	ID, Name, Organization, Address string
	Phones                          []phoneView
	Email                           string
	Hours, Languages                []string
	Capacity                        []string // as the card says (capacity.go)
	Eligibility, Apply, Documents   string
	LangNote                        string // see serviceCard.LangNote
	Verified                        string
	Sample                          bool
	Remove                          string
}

type referralData struct {
	Date     string
	Entries  []sheetEntry
	PDF      string // opens in the browser
	Download string // the same PDF, to save
	More     string
	Discreet bool   // the sheet for a person who may be searched
	Other    string // the discreet sheet from the full one, and back
	Compare  string // the services side by side, when there are two or three
}

// discreetSheet reports whether a request asks for the discreet sheet.
func discreetSheet(r *http.Request) bool { return r.URL.Query().Get("discreet") == "1" }

// discreetEntries strips a sheet to how to reach each service, for a person
// who may be searched: no eligibility, how to apply or documents (free text
// that often says whom a service is for), and no name, organization,
// address line, phone, e-mail, hours or language that names trafficking or
// a hotline (referral.Revealing); a name that does becomes "Contact N".
func discreetEntries(l *i18n.Localizer, in []sheetEntry) []sheetEntry {
	keep := func(s string) string {
		if referral.Revealing(s) {
			return ""
		}
		return s
	}
	keepAll := func(ss []string) []string {
		return slices.DeleteFunc(slices.Clone(ss), referral.Revealing)
	}
	out := make([]sheetEntry, 0, len(in))
	for i, e := range in {
		d := sheetEntry{ID: e.ID, Name: e.Name, Organization: keep(e.Organization), Email: keep(e.Email),
			Hours: keepAll(e.Hours), Languages: keepAll(e.Languages), Capacity: keepAll(e.Capacity), Verified: e.Verified, Sample: e.Sample,
			Remove: strings.Replace(e.Remove, "/referral?", "/referral?discreet=1&", 1)}
		if referral.Revealing(d.Name) {
			d.Name = l.T("referral.discreet.contact", i+1)
		}
		d.Address = strings.Join(keepAll(strings.Split(e.Address, "\n")), "\n")
		for _, p := range e.Phones {
			if !referral.Revealing(p.Number) {
				p.Note = keep(p.Note)
				d.Phones = append(d.Phones, p)
			}
		}
		out = append(out, d)
	}
	return out
}

// sheetEntries builds the entries of a referral sheet, in the order chosen.
func (s *Server) sheetEntries(l *i18n.Localizer, svcs []*hsds.Service, ids []string) []sheetEntry {
	var out []sheetEntry
	for _, sv := range svcs {
		v := s.serviceView(l, sv, false)
		sv := v.S // in the visitor's language where it can be
		e := sheetEntry{LangNote: v.Card.LangNote, ID: sv.ID, Name: sv.Name, Organization: v.Card.OrgName, Phones: v.Phones, Email: sv.Email,
			Hours: v.Hours, Languages: v.Languages, Eligibility: sv.EligibilityDescription, Apply: sv.ApplicationProcess,
			Documents: strings.Join(v.Documents, "; "), Sample: v.Card.Sample}
		for _, c := range v.Card.Capacity {
			e.Capacity = append(e.Capacity, c.Text)
		}
		if len(v.Places) > 0 {
			e.Address = v.Places[0].Lines
		}
		e.Verified = v.Verified // the date: the page's label says "Last verified"
		rest := slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return id == sv.ID })
		e.Remove = "/referral?" + sheetQuery(rest)
		out = append(out, e)
	}
	return out
}

// verifiedLine is the PDF's "Last verified on DATE" line, which has no
// label of its own.
func verifiedLine(l *i18n.Localizer, date string) string {
	if date == "" {
		return ""
	}
	return l.T("service.verifiedon", date)
}

func sheetQuery(ids []string) string {
	q := url.Values{}
	for _, id := range ids {
		q.Add("id", id)
	}
	return q.Encode()
}

func (s *Server) handleReferral(w http.ResponseWriter, r *http.Request) {
	ids := sheetIDs(r.URL.Query())
	// A sheet is handed to the person referred: it shows confidential
	// locations as the public sees them, whoever prints it.
	svcs, err := s.Directory.FindServicesByID(haven.WithoutStaffView(r.Context()), ids)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p := s.newPage(r, "", "directory", nil)
	p.Title = p.L.T("referral.title")
	q := sheetQuery(ids)
	d := referralData{Date: formatDate(time.Now(), p.Lang), Entries: s.sheetEntries(p.L, svcs, ids),
		PDF: "/referral.pdf?" + q, Download: "/referral.pdf?download=1&" + q,
		More: "/directory?sheet=" + url.QueryEscape(strings.Join(ids, ",")), Other: "/referral?discreet=1&" + q,
		Compare: newPicks(ids).Compare}
	if discreetSheet(r) {
		p.Title = p.L.T("referral.discreet.title")
		d.Discreet, d.Entries, d.Other = true, discreetEntries(p.L, d.Entries), "/referral?"+q
		d.PDF, d.Download = "/referral.pdf?discreet=1&"+q, "/referral.pdf?discreet=1&download=1&"+q
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "referral", p)
}

// handleReferralPDF serves the same sheet as a PDF, shown in the browser
// rather than saved to Downloads unless download=1 asks; discreet=1 serves
// the discreet sheet.
func (s *Server) handleReferralPDF(w http.ResponseWriter, r *http.Request) {
	ids := sheetIDs(r.URL.Query())
	// A sheet is handed to the person referred: it shows confidential
	// locations as the public sees them, whoever prints it.
	svcs, err := s.Directory.FindServicesByID(haven.WithoutStaffView(r.Context()), ids)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	l := i18n.New(i18n.FromRequest(r))
	sheet := referral.Sheet{
		Lang: l.Lang, Title: l.T("referral.title"), Generated: l.T("referral.prepared", formatDate(time.Now(), l.Lang)),
		Intro: l.T("referral.intro"),
		Hotline: referral.Hotline{Name: l.T("directory.hotline.h"), Phone: hotlinePhone, Text: l.T("frame.text") + " " + hotlineText,
			Note: l.T("referral.hotline.note")},
		Footer: l.T("referral.footer"),
		Labels: referral.Labels{Address: l.T("referral.address"), Phone: l.T("service.phone"), Email: l.T("service.email"),
			Website: l.T("resource.link"), Hours: l.T("service.hours"), Languages: l.T("dirfacet.language"),
			Eligibility: l.T("service.eligibility"), HowToApply: l.T("service.apply"), Fees: l.T("service.fees"),
			Documents: l.T("service.documents"), Sample: l.T("directory.sample"), TextLanguage: l.T("translation.label"),
			Capacity: l.T("capacity.label")},
	}
	entries, name := s.sheetEntries(l, svcs, ids), "referral-sheet.pdf"
	if discreetSheet(r) {
		// A plain title and no hotline box; the entries say nothing of
		// trafficking or hotlines.
		sheet.Title, sheet.Intro, sheet.Hotline = l.T("referral.discreet.title"), "", referral.Hotline{}
		sheet.Footer = l.T("referral.discreet.footer")
		entries, name = discreetEntries(l, entries), "contacts.pdf"
	}
	for _, e := range entries {
		var phones []string
		for _, p := range e.Phones {
			phones = append(phones, p.Number)
		}
		sheet.Entries = append(sheet.Entries, referral.Entry{Name: e.Name, Organization: e.Organization, Address: e.Address,
			Phones: phones, Email: e.Email, Hours: e.Hours, Languages: e.Languages, Capacity: e.Capacity, Eligibility: e.Eligibility,
			HowToApply: e.Apply, Documents: e.Documents, Sample: e.Sample, LastVerified: verifiedLine(l, e.Verified),
			LangNote: langNoteText(l, e.LangNote)})
	}
	var buf bytes.Buffer
	if err := referral.PDF(&buf, sheet); err != nil {
		s.renderError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	disposition := "inline"
	if r.URL.Query().Get("download") == "1" {
		disposition = "attachment"
	}
	w.Header().Set("Content-Disposition", disposition+`; filename="`+name+`"`)
	w.Write(buf.Bytes())
}
