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
	Eligibility, Apply, Documents   string
	Verified                        string
	Sample                          bool
	Remove                          string
}

type referralData struct {
	Date    string
	Entries []sheetEntry
	PDF     string
	More    string
}

// sheetEntries builds the entries of a referral sheet, in the order chosen.
func (s *Server) sheetEntries(l *i18n.Localizer, svcs []*hsds.Service, ids []string) []sheetEntry {
	var out []sheetEntry
	for _, sv := range svcs {
		v := s.serviceView(l, sv, false)
		e := sheetEntry{ID: sv.ID, Name: sv.Name, Organization: v.Card.OrgName, Phones: v.Phones, Email: sv.Email,
			Hours: v.Hours, Languages: v.Languages, Eligibility: sv.EligibilityDescription, Apply: sv.ApplicationProcess,
			Documents: strings.Join(v.Documents, "; "), Sample: v.Card.Sample}
		if len(v.Places) > 0 {
			e.Address = v.Places[0].Lines
		}
		if v.Verified != "" {
			e.Verified = l.T("service.verifiedon", v.Verified)
		}
		rest := slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return id == sv.ID })
		e.Remove = "/referral?" + sheetQuery(rest)
		out = append(out, e)
	}
	return out
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
	d := referralData{Date: formatDate(time.Now(), p.Lang), Entries: s.sheetEntries(p.L, svcs, ids),
		PDF: "/referral.pdf?" + sheetQuery(ids), More: "/directory?sheet=" + url.QueryEscape(strings.Join(ids, ","))}
	p.Data = d
	s.render(w, r, http.StatusOK, "referral", p)
}

// handleReferralPDF serves the same sheet as a PDF download.
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
			Documents: l.T("service.documents"), Sample: l.T("directory.sample")},
	}
	for _, e := range s.sheetEntries(l, svcs, ids) {
		var phones []string
		for _, p := range e.Phones {
			phones = append(phones, p.Number)
		}
		sheet.Entries = append(sheet.Entries, referral.Entry{Name: e.Name, Organization: e.Organization, Address: e.Address,
			Phones: phones, Email: e.Email, Hours: e.Hours, Languages: e.Languages, Eligibility: e.Eligibility,
			HowToApply: e.Apply, Documents: e.Documents, Sample: e.Sample, LastVerified: e.Verified})
	}
	var buf bytes.Buffer
	if err := referral.PDF(&buf, sheet); err != nil {
		s.renderError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="referral-sheet.pdf"`)
	w.Write(buf.Bytes())
}
