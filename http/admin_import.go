package http

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"haven"
	"haven/hsds"
	"haven/intake"
	"haven/phone"
)

// A curator uploads a spreadsheet, sees what it would create and the
// report (a dry run), then confirms; the confirmed import runs the same
// ImportService with the same options on the same file. Between the two
// steps the file waits in a private temporary folder on this server, known
// only by an unguessable token tied to the curator who sent it, and is
// removed on confirm, on cancel, or after uploadTTL.

// uploadTTL is how long an uploaded spreadsheet waits for its confirmation.
const uploadTTL = 30 * time.Minute

// previewRows is how many services the preview lists.
const previewRows = 10

// pendingImport is an uploaded spreadsheet waiting for its confirmation.
type pendingImport struct {
	dir, path, name string // private folder, file, the upload's own name
	user            string // who uploaded it: only they may confirm it
	opt             intake.SheetOptions
	mapText         string
	skip            bool
	expires         time.Time
}

// uploads keeps the pending imports of this server.
type uploads struct {
	mu sync.Mutex
	m  map[string]*pendingImport
}

func (u *uploads) put(p *pendingImport) string {
	var b [16]byte
	rand.Read(b[:])
	token := hex.EncodeToString(b[:])
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.m == nil {
		u.m = map[string]*pendingImport{}
	}
	u.m[token] = p
	return token
}

// take removes and returns the pending import of token for user; nil when
// there is none (unknown, expired, or someone else's).
func (u *uploads) take(token, user string) *pendingImport {
	u.mu.Lock()
	defer u.mu.Unlock()
	p := u.m[token]
	if p == nil || p.user != user {
		return nil
	}
	delete(u.m, token)
	if time.Now().After(p.expires) {
		os.RemoveAll(p.dir)
		return nil
	}
	return p
}

// sweep removes the uploads whose time is up, and the folders of uploads
// older than that left by an earlier run of the server.
func (u *uploads) sweep() {
	u.mu.Lock()
	defer u.mu.Unlock()
	now := time.Now()
	for k, p := range u.m {
		if now.After(p.expires) {
			os.RemoveAll(p.dir)
			delete(u.m, k)
		}
	}
	old, _ := filepath.Glob(filepath.Join(os.TempDir(), "haven-upload-*"))
	for _, dir := range old {
		if fi, err := os.Stat(dir); err == nil && fi.IsDir() && now.Sub(fi.ModTime()) > uploadTTL+time.Minute {
			os.RemoveAll(dir)
		}
	}
}

// importPage is the data of the import page, in each of its states: the
// form, the preview (Token set), the result (Done).
type importPage struct {
	Form    importForm
	Error   string
	Token   string
	Result  *haven.SheetResult
	First   []previewRow
	Done    bool
	MaxMB   int64
	Fields  []string
	Formats string
}

type importForm struct {
	Source, Sheet, Country, Map string
	Skip                        bool
}

// previewRow is one service of the preview, as a curator checks it.
type previewRow struct {
	Org, Name, Place, Phone, Hours string
	Languages, Categories          []string
	Confidential                   bool
}

func previewOf(svcs []*hsds.Service) []previewRow {
	var out []previewRow
	for _, s := range svcs {
		r := previewRow{Name: s.Name}
		if s.Organization != nil {
			r.Org = s.Organization.Name
		}
		for _, sal := range s.ServiceAtLocations {
			if l := sal.Location; l != nil {
				r.Confidential = l.Confidential()
				if a := l.MainAddress(); a != nil {
					parts := []string{a.Address1, a.City, a.StateProvince, a.PostalCode}
					var kept []string
					for _, p := range parts {
						if p != "" {
							kept = append(kept, p)
						}
					}
					r.Place = strings.Join(kept, ", ")
				}
			}
		}
		if len(s.Phones) > 0 {
			p := s.Phones[0]
			text := p.Number
			if p.Extension != nil {
				text = phone.Text(p.Number, strconv.FormatFloat(*p.Extension, 'f', -1, 64))
			}
			r.Phone = phone.Display(text, visitorRegion)
		}
		for _, sc := range s.Schedules {
			h := sc.Description
			if sc.OpensAt != "" {
				h = sc.ByDay + " " + sc.OpensAt + "–" + sc.ClosesAt
			}
			if r.Hours != "" {
				r.Hours += "; "
			}
			r.Hours += h
		}
		for _, l := range s.Languages {
			if l.Name != "" {
				r.Languages = append(r.Languages, l.Name)
			} else {
				r.Languages = append(r.Languages, l.Code)
			}
		}
		for _, a := range s.Attributes {
			if a.TaxonomyTerm != nil {
				r.Categories = append(r.Categories, a.TaxonomyTerm.Code)
			}
		}
		out = append(out, r)
	}
	return out
}

func (s *Server) importPage(r *http.Request, d *importPage) *page {
	d.MaxMB = s.Limits.MaxUploadBytes >> 20
	d.Fields = intake.Fields
	p := s.newPage(r, "", "admin", d)
	p.Title = p.L.T("import.title")
	return p
}

func (s *Server) handleImportForm(w http.ResponseWriter, r *http.Request) {
	if s.Importer == nil {
		s.renderError(w, r, haven.Errorf(haven.ENOTFOUND, "Not found."))
		return
	}
	s.uploads.sweep()
	s.render(w, r, http.StatusOK, "import", s.importPage(r, &importPage{Form: importForm{Skip: true}}))
}

// handleImportUpload reads the upload into a private folder and shows the
// dry run's preview and report.
func (s *Server) handleImportUpload(w http.ResponseWriter, r *http.Request) {
	s.uploads.sweep()
	// A large file over a slow phone connection takes longer than an
	// ordinary form.
	rc := http.NewResponseController(w)
	rc.SetReadDeadline(time.Now().Add(10 * time.Minute))
	rc.SetWriteDeadline(time.Now().Add(10 * time.Minute))
	if s.Importer == nil {
		s.renderError(w, r, haven.Errorf(haven.ENOTFOUND, "Not found."))
		return
	}
	d := &importPage{}
	p := s.importPage(r, d)
	fail := func(status int, msg string) {
		d.Error = msg
		s.render(w, r, status, "import", p)
	}
	pend, err := s.receiveUpload(r, &d.Form)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			fail(http.StatusRequestEntityTooLarge, p.L.T("import.toolarge", d.MaxMB))
			return
		}
		fail(http.StatusBadRequest, err.Error())
		return
	}
	keep := false
	defer func() {
		if !keep {
			os.RemoveAll(pend.dir)
		}
	}()
	user := currentUser(r).Email
	pend.user = user
	// The preview reads every row, so that the report lists every problem
	// at once; without "skip invalid" a file with any is then refused.
	res, err := s.Importer.ImportSheet(r.Context(), haven.SheetImport{Path: pend.path, Name: pend.name, Options: pend.opt,
		SkipInvalid: true, DryRun: true, Actor: user, Keep: previewRows})
	if err != nil {
		if haven.ErrorCode(err) != haven.EINVALID {
			s.renderError(w, r, err)
			return
		}
		fail(http.StatusBadRequest, haven.ErrorMessage(err))
		return
	}
	d.Result, d.First = res, previewOf(res.First)
	if n := res.Report.SkippedRows(); n > 0 && !pend.skip {
		d.Error = p.L.N("import.strict", n)
		s.render(w, r, http.StatusBadRequest, "import", p)
		return
	}
	if res.Counts.Services > 0 {
		keep = true
		pend.expires = time.Now().Add(uploadTTL)
		d.Token = s.uploads.put(pend)
	}
	s.render(w, r, http.StatusOK, "import", p)
}

// receiveUpload streams the multipart form: the file into a private
// temporary folder, the few text fields into form.
func (s *Server) receiveUpload(r *http.Request, form *importForm) (*pendingImport, error) {
	bad := func(msg string) error { return haven.Errorf(haven.EINVALID, "%s", msg) }
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, bad("Choose a spreadsheet file to upload.")
	}
	pend := &pendingImport{}
	cleanup := func() {
		if pend.dir != "" {
			os.RemoveAll(pend.dir)
		}
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			cleanup()
			return nil, err
		}
		if part.FormName() == "file" && part.FileName() != "" {
			if err := receiveFile(part, pend); err != nil {
				cleanup()
				return nil, err
			}
			continue
		}
		b, err := io.ReadAll(io.LimitReader(part, 64<<10))
		if err != nil {
			cleanup()
			return nil, err
		}
		v := strings.TrimSpace(string(b))
		if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
			cleanup()
			return nil, bad("The form holds text that is not valid.")
		}
		switch part.FormName() {
		case "source":
			form.Source = v
		case "sheet":
			form.Sheet = v
		case "country":
			form.Country = strings.ToUpper(v)
		case "map":
			form.Map = v
		case "skip_invalid":
			form.Skip = v != ""
		}
	}
	if pend.path == "" {
		return nil, bad("Choose a spreadsheet file to upload.")
	}
	pend.opt = intake.SheetOptions{Source: form.Source, Sheet: form.Sheet, DefaultCountry: form.Country, Map: map[string]string{}}
	if err := intake.ReadMapFile(pend.opt.Map, "column names", strings.NewReader(form.Map)); err != nil {
		cleanup()
		return nil, bad(err.Error())
	}
	if form.Country != "" && intake.CountryCode(form.Country) == "" {
		cleanup()
		return nil, bad("The default country must be a two-letter code such as US or MX.")
	}
	pend.mapText, pend.skip = form.Map, form.Skip
	return pend, nil
}

// receiveFile copies an uploaded file into a new private folder; its name
// keeps only the upload's extension, which says how to read it.
func receiveFile(part *multipart.Part, pend *pendingImport) error {
	name := filepath.Base(strings.ReplaceAll(part.FileName(), `\`, "/"))
	ext := strings.ToLower(filepath.Ext(name))
	if ext != ".csv" && ext != ".xlsx" && ext != ".tsv" {
		return haven.Errorf(haven.EINVALID, "%s: Haven reads .csv and .xlsx spreadsheets; save the file in one of those formats.", name)
	}
	if pend.dir != "" {
		return haven.Errorf(haven.EINVALID, "Upload one file at a time.")
	}
	dir, err := os.MkdirTemp("", "haven-upload-*") // 0700: no one else on the machine reads it
	if err != nil {
		return err
	}
	pend.dir, pend.name, pend.path = dir, name, filepath.Join(dir, "upload"+ext)
	f, err := os.OpenFile(pend.path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, part); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// handleImportConfirm imports the file the curator previewed, with the
// options they previewed it with.
func (s *Server) handleImportConfirm(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r, 4<<10) {
		return
	}
	user := currentUser(r).Email
	pend := s.uploads.take(r.PathValue("token"), user)
	d := &importPage{Form: importForm{Skip: true}}
	p := s.importPage(r, d)
	if pend == nil {
		d.Error = p.L.T("import.expired")
		s.render(w, r, http.StatusNotFound, "import", p)
		return
	}
	defer os.RemoveAll(pend.dir)
	d.Form = importForm{Source: pend.opt.Source, Sheet: pend.opt.Sheet, Country: pend.opt.DefaultCountry, Map: pend.mapText, Skip: pend.skip}
	if r.PostForm.Get("action") == "cancel" {
		http.Redirect(w, r, "/admin/import", http.StatusSeeOther)
		return
	}
	// Once confirmed, the import runs to its end (or rolls back whole)
	// even if the curator's connection drops.
	http.NewResponseController(w).SetWriteDeadline(time.Now().Add(10 * time.Minute))
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 10*time.Minute)
	defer cancel()
	res, err := s.Importer.ImportSheet(ctx, haven.SheetImport{Path: pend.path, Name: pend.name, Options: pend.opt,
		SkipInvalid: pend.skip, Actor: user})
	if err != nil {
		if haven.ErrorCode(err) != haven.EINVALID {
			s.renderError(w, r, err)
			return
		}
		d.Error = haven.ErrorMessage(err)
		s.render(w, r, http.StatusBadRequest, "import", p)
		return
	}
	d.Result, d.Done = res, true
	s.render(w, r, http.StatusOK, "import", p)
}
