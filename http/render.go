package http

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"haven"
	"haven/i18n"
	"haven/phone"
	"haven/screening"
	"haven/vault"
)

// The national hotline, shown on every page. These are the seed page's facts.
const (
	hotlinePhone = "1-888-373-7888"
	hotlineTel   = "+18883737888"
	hotlineText  = "233733"
)

// page is what every template receives.
type page struct {
	L       *i18n.Localizer
	Lang    string
	Title   string
	Nav     string // the navigation item to mark as current
	Path    string // this page's path and query, without lang, for the language switch
	ExitURL string
	// CanEdit is true for curators, who see links to edit what they read.
	CanEdit bool
	// User is the signed-in user, or nil.
	User *haven.User
	// StaleBefore is the date (YYYY-MM-DD) before which a verification is
	// out of date.
	StaleBefore string
	Phone       string
	Tel         string
	Text        string
	Data        any
}

// auditData is what the "audit" template needs.
type auditData struct {
	P       *page
	Entries []haven.AuditEntry
}

// fieldData is one form field: its value, its choices and its error.
type fieldData struct {
	P       *page
	Name    string
	Value   string
	Error   string
	Hint    string // shown under the field, which it describes
	Options []option
}

// DescribedBy lists the ids of what describes the field: its hint, its
// error.
func (f fieldData) DescribedBy() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, "h-"+f.Name)
	}
	if f.Error != "" {
		ids = append(ids, "e-"+f.Name)
	}
	return strings.Join(ids, " ")
}

type option struct {
	Value, Label string
	Selected     bool
}

// cardsData is what the "cards" template needs.
type cardsData struct {
	P      *page
	Cards  []serviceCard
	Sheet  []string
	Select bool
}

type renderer struct {
	pages  map[string]*template.Template
	hashes map[string]string // static file → short content hash, for cache busting
}

func mustRenderer() *renderer {
	r := &renderer{pages: map[string]*template.Template{}, hashes: map[string]string{}}
	static, _ := fs.Sub(assets, "static")
	fs.WalkDir(static, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(static, p)
		sum := sha256.Sum256(b)
		r.hashes[p] = hex.EncodeToString(sum[:4])
		return nil
	})
	funcs := template.FuncMap{
		"asset": func(name string) string { return "/static/" + name + "?v=" + r.hashes[name] },
		"join":  strings.Join,
		"add":   func(a, b int) int { return a + b },
		"lines": func(s string) []string { return strings.Split(s, "\n") },
		"deref": func(f *float64) float64 {
			if f == nil {
				return 0
			}
			return *f
		},
		"cardsOf": func(p *page, cards []serviceCard, sheet []string, sel bool) cardsData {
			return cardsData{P: p, Cards: cards, Sheet: sheet, Select: sel}
		},
		"auditOf": func(p *page, es []haven.AuditEntry) auditData { return auditData{P: p, Entries: es} },
		"fieldOf": func(p *page, name, value string, errs map[string]string) fieldData {
			return fieldData{P: p, Name: name, Value: value, Error: errs[name]}
		},
		"hintedOf": func(p *page, name, value string, errs map[string]string) fieldData {
			return fieldData{P: p, Name: name, Value: value, Error: errs[name], Hint: p.L.T("hint." + name)}
		},
		"hoursOf": func(p *page, text string, errs map[string]string) hoursFieldData {
			return hoursFieldData{P: p, Text: text, Error: errs["hours"], Form: hoursFormOf(text)}
		},
		"selectOf": func(p *page, facet, selected string, errs map[string]string) fieldData {
			f := fieldData{P: p, Name: facet, Error: errs[facet]}
			for _, v := range haven.FacetValues(facet) {
				f.Options = append(f.Options, option{v, p.L.Label(facet, v), v == selected})
			}
			return f
		},
		"checksOf": func(p *page, name, facet string, selected []string, errs map[string]string) fieldData {
			f := fieldData{P: p, Name: name, Error: errs[name]}
			for _, v := range haven.FacetValues(facet) {
				f.Options = append(f.Options, option{v, p.L.Label(facet, v), slices.Contains(selected, v)})
			}
			return f
		},
		"tel":       telURI,
		"linkLabel": linkLabelKey,
		"urlHost":   urlHost,
		"ownTool":   ownTool,
		"urlKinds":  func() []string { return haven.URLKinds },
		"undoable":  undoable,
		// A phone in an audit line is shown as curators read it.
		"auditValue": func(field, v string) string {
			if field == "phone" {
				return phone.Display(v, visitorRegion)
			}
			return v
		},
		// An audit line's action and field, in the page's language when
		// Haven has words for them.
		"actionLabel": func(p *page, a string) string {
			if p.L.Has("action." + a) {
				return p.L.T("action." + a)
			}
			return a
		},
		"fieldLabel": func(p *page, f string) string {
			if p.L.Has("field." + f) {
				return p.L.T("field." + f)
			}
			if strings.HasPrefix(f, "capacity:") { // a capacity's count, by its id
				return p.L.T("capacity.label") + " (" + strings.TrimPrefix(f, "capacity:")[:min(8, len(f)-len("capacity:"))] + "…)"
			}
			return f
		},
		"recordLabel": func(p *page, typ string) string {
			if p.L.Has("record." + typ) {
				return p.L.T("record." + typ)
			}
			return typ
		},
		"roleList":       func() []string { return haven.Roles },
		"keyFingerprint": vault.PublicKeyFingerprint,
		"answerList":     func() []string { return []string{"yes", "no", "unsure", "declined"} },
		// The screening interview's choices (screening.go).
		"yesNoList":   func() []string { return []string{"yes", "no"} },
		"langList":    func() []string { return []string{"en", "es"} },
		"consentList": func() []string { return []string{"screen", "save", "share"} },
		"appearsList": func() []string { return []string{"", string(screening.AppearsMinor), string(screening.AppearsAdult)} },
		"noteKinds":   func() []string { return []string{screening.NoteSummary, screening.NoteQuote} },
		"consentOf":   consentOf,
		"screenedOf":  screened,
		"itemsOf":     func(p *page, items []interviewItem) itemsData { return itemsData{P: p, Items: items} },
		"statusList":  func() []string { return statuses },
		"yearText": func(y int) string {
			if y == 0 {
				return ""
			}
			return strconv.Itoa(y)
		},
		"contains": func(xs []string, x string) bool {
			for _, v := range xs {
				if v == x {
					return true
				}
			}
			return false
		},
	}
	names, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		panic(err)
	}
	for _, n := range names {
		base := path.Base(n)
		if base == "layout.html" || base == "partials.html" {
			continue
		}
		t := template.Must(template.New(base).Funcs(funcs).ParseFS(assets, "templates/layout.html", "templates/partials.html", n))
		r.pages[strings.TrimSuffix(base, ".html")] = t
	}
	return r
}

// newPage starts the data of a page in the request's language.
func (s *Server) newPage(r *http.Request, title, nav string, data any) *page {
	lang := i18n.FromRequest(r)
	q := r.URL.Query()
	q.Del("lang")
	p := r.URL.Path
	if enc := q.Encode(); enc != "" {
		p += "?" + enc
	}
	return &page{
		L: i18n.New(lang), Lang: lang, Title: title, Nav: nav, Path: p, ExitURL: s.ExitURL,
		User: currentUser(r), CanEdit: currentUser(r).Can(haven.RoleCurator),
		StaleBefore: time.Now().AddDate(0, -s.StaleMonths, 0).Format("2006-01-02"),
		Phone:       hotlinePhone, Tel: hotlineTel, Text: hotlineText, Data: data,
	}
}

// render writes a page; it renders into a buffer first so that a template
// error becomes a clean 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	t, ok := s.renderer.pages[name]
	if !ok {
		s.log(r.Context()).Error("render: no template", "name", name)
		http.Error(w, "Internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		s.log(r.Context()).Error("render", "template", name, "err", err)
		if name != "error" {
			s.renderError(w, r, fmt.Errorf("render %s: %w", name, err))
		} else {
			http.Error(w, "Internal error", http.StatusInternalServerError)
		}
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", p.Lang)
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// errorStatus maps an application error code to an HTTP status.
func errorStatus(code string) int {
	switch code {
	case haven.EINVALID:
		return http.StatusBadRequest
	case haven.ENOTFOUND:
		return http.StatusNotFound
	case haven.ECONFLICT:
		return http.StatusConflict
	case haven.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case haven.EFORBIDDEN:
		return http.StatusForbidden
	case haven.ETOOMANYREQUEST:
		return http.StatusTooManyRequests
	case haven.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case haven.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

type errorData struct {
	Status  int
	Message string
}

// renderError shows an error page. Internal errors are logged and shown
// only as a generic message.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, err error) {
	if clientGone(w, r) {
		return
	}
	code := haven.ErrorCode(err)
	status := errorStatus(code)
	p := s.newPage(r, "", "", nil)
	msg := haven.ErrorMessage(err)
	switch status {
	case http.StatusNotFound:
		msg = p.L.T("error.notfound")
	case http.StatusInternalServerError:
		s.log(r.Context()).Error("internal error", "err", err)
		msg = p.L.T("error.internal")
	}
	p.Title = p.L.T(fmt.Sprintf("error.title.%d", status))
	if p.Title == fmt.Sprintf("error.title.%d", status) {
		p.Title = p.L.T("error.title")
	}
	p.Data = errorData{Status: status, Message: msg}
	s.render(w, r, status, "error", p)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

func writeJSONError(w http.ResponseWriter, r *http.Request, logger *slog.Logger, err error) {
	if clientGone(w, r) {
		return
	}
	code := haven.ErrorCode(err)
	if code == haven.EINTERNAL {
		logger.Error("internal error", "err", err, "request_id", RequestID(r.Context()))
	}
	if pe := (*haven.ParamError)(nil); errors.As(err, &pe) && len(pe.Choices) > 0 {
		// An ambiguous place: the choices, each a value for place= (issue 19).
		writeJSON(w, errorStatus(code), map[string]any{"error": haven.ErrorMessage(err), "param": pe.Param, "choices": pe.Choices})
		return
	}
	writeJSON(w, errorStatus(code), map[string]string{"error": haven.ErrorMessage(err)})
}

// static serves the embedded assets. Their URLs carry a content hash, so
// they may be cached for long.
func (s *Server) static() http.Handler {
	sub, _ := fs.Sub(assets, "static")
	fsrv := http.StripPrefix("/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("v") != "" {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		}
		fsrv.ServeHTTP(w, r)
	})
}

// withParam returns the current path with one query parameter set (or
// removed when value is ""), resetting the page number.
func withParam(u *url.URL, key, value string) string {
	q := u.Query()
	q.Del("page")
	if value == "" {
		q.Del(key)
	} else {
		q.Set(key, value)
	}
	if enc := q.Encode(); enc != "" {
		return u.Path + "?" + enc
	}
	return u.Path
}

// parseForm reads a posted form of at most limit bytes. When it cannot, it
// has answered the request already and reports false.
func (s *Server) parseForm(w http.ResponseWriter, r *http.Request, limit int64) bool {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if err := r.ParseForm(); err != nil {
		if tooLarge(err) {
			s.Metrics.Rejected("too_large")
			s.renderError(w, r, haven.Errorf(haven.ETOOLARGE, "The form is too large: at most %d bytes.", limit))
			return false
		}
		s.renderError(w, r, haven.Errorf(haven.EINVALID, "The form could not be read."))
		return false
	}
	if name, ok := textValues(r.PostForm); !ok {
		s.renderError(w, r, haven.Errorf(haven.EINVALID, "The field %s is not valid text: it holds invalid UTF-8 or a NUL byte.", truncate(strings.ToValidUTF8(name, "?"), 40)))
		return false
	}
	return true
}

// statusClientGone is nginx's "client closed request": the access log and
// the metrics record it, so that a visitor who left mid-search is neither
// an error logged nor a 5xx counted.
const statusClientGone = 499

// clientGone reports whether the visitor has gone (or the server is
// stopping), in which case whatever failed failed for that reason; it then
// records the request as 499 and nothing needs answering.
func clientGone(w http.ResponseWriter, r *http.Request) bool {
	if r.Context().Err() == nil {
		return false
	}
	w.WriteHeader(statusClientGone)
	return true
}
