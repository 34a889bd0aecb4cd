package http_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"haven/sqlstore"
)

// uploadSheet posts a spreadsheet to the import page as a browser would.
func uploadSheet(t *testing.T, s http.Handler, c *http.Cookie, name string, data []byte, fields map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	r := httptest.NewRequest("POST", "/admin/import", &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	if c != nil {
		r.AddCookie(c)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

func uploadDirs(t *testing.T, tmp string) []string {
	t.Helper()
	dirs, _ := filepath.Glob(filepath.Join(tmp, "haven-upload-*"))
	return dirs
}

// TestImportUpload walks a curator through the dashboard's import: upload,
// preview and report, confirm; the file waits in a private folder only
// between the two steps, and only its uploader may confirm it.
func TestImportUpload(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	s, db := MustCurationServer(t)
	dir := sqlstore.NewDirectoryService(db)
	s.Importer = dir
	data, err := os.ReadFile("../intake/testdata/coalition.csv")
	if err != nil {
		t.Fatal(err)
	}
	if w := get(s, "/admin/import", nil); w.Code != http.StatusSeeOther {
		t.Errorf("anonymous visitor: %d", w.Code)
	}
	if w := uploadSheet(t, s, nil, "coalition.csv", data, nil); w.Code != http.StatusUnauthorized || len(uploadDirs(t, tmp)) != 0 {
		t.Errorf("anonymous upload: %d", w.Code)
	}
	// A folder an earlier run left behind, older than any wait, goes.
	stale := filepath.Join(tmp, "haven-upload-stale")
	os.Mkdir(stale, 0o700)
	long := time.Now().Add(-2 * time.Hour)
	os.Chtimes(stale, long, long)
	c := signIn(t, s, "curator@example.org")
	for lang, want := range map[string]string{"en": "Import a spreadsheet", "es": "Importar una hoja de cálculo"} {
		if w := get(s, "/admin/import?lang="+lang, c); w.Code != 200 || !strings.Contains(w.Body.String(), want) || !strings.Contains(w.Body.String(), `enctype="multipart/form-data"`) {
			t.Errorf("%s form: %d", lang, w.Code)
		}
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("a stale upload folder was kept")
	}

	// Strict: the bad row is named, nothing waits.
	w := uploadSheet(t, s, c, "coalition.csv", data, nil)
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "1 row cannot be imported") ||
		!strings.Contains(w.Body.String(), "row 10: &#34;call us&#34; is not an e-mail address") ||
		strings.Contains(w.Body.String(), `action="/admin/import/`) || len(uploadDirs(t, tmp)) != 0 {
		t.Fatalf("strict upload: %d, %d folders\n%s", w.Code, len(uploadDirs(t, tmp)), w.Body.String())
	}

	w = uploadSheet(t, s, c, "coalition.csv", data, map[string]string{"skip_invalid": "1", "source": "coalition"})
	body := w.Body.String()
	for _, want := range []string{"This file would import 5 services of 3 organizations, at 4 locations (1 of them confidential).",
		"Emergency Shelter", "confidential address, not shown to the public", "Pet grooming", "Fax, Contact Person", "row 10",
		"(713) 555-0102 ext. 12", "MO,TU,WE,TH,FR 09:00–17:00", "Immigration legal help"} {
		if !strings.Contains(body, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	m := regexp.MustCompile(`action="/admin/import/([0-9a-f]{32})"`).FindStringSubmatch(body)
	if w.Code != 200 || m == nil {
		t.Fatalf("preview: %d\n%s", w.Code, body)
	}
	token := m[1]
	if n, _, _ := dir.CountServices(context.Background()); n != 0 {
		t.Fatalf("the preview imported %d services", n)
	}
	dirs := uploadDirs(t, tmp)
	if len(dirs) != 1 {
		t.Fatalf("%d upload folders", len(dirs))
	}
	if fi, err := os.Stat(dirs[0]); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("upload folder: %v %v", fi.Mode(), err)
	}

	// Another curator cannot confirm it; a cross-site form cannot either.
	admin := signIn(t, s, "admin@example.org")
	if w := post(s, "/admin/import/"+token, nil, admin); w.Code != http.StatusNotFound {
		t.Errorf("another user's confirmation: %d", w.Code)
	}
	r := httptest.NewRequest("POST", "/admin/import/"+token, strings.NewReader("action=import"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Sec-Fetch-Site", "cross-site")
	r.AddCookie(c)
	cw := httptest.NewRecorder()
	s.ServeHTTP(cw, r)
	if cw.Code != http.StatusForbidden {
		t.Errorf("cross-site confirmation: %d", cw.Code)
	}

	w = post(s, "/admin/import/"+token, map[string][]string{"action": {"import"}}, c)
	if w.Code != 200 || !strings.Contains(w.Body.String(), "Imported 5 services of 3 organizations, at 4 locations (1 of them confidential).") {
		t.Fatalf("confirm: %d\n%s", w.Code, w.Body.String())
	}
	if n, _, _ := dir.CountServices(context.Background()); n != 5 {
		t.Errorf("%d services imported, want 5", n)
	}
	if len(uploadDirs(t, tmp)) != 0 {
		t.Error("the upload outlived its import")
	}
	if w := post(s, "/admin/import/"+token, map[string][]string{"action": {"import"}}, c); w.Code != http.StatusNotFound {
		t.Errorf("a second confirmation: %d", w.Code)
	}
	audit, err := sqlstore.NewAuditService(db).AuditTrail(context.Background(), "", "", 5)
	if err != nil || len(audit) == 0 || audit[0].Actor != "curator@example.org" || audit[0].After != "5 services imported, 1 skipped" {
		t.Errorf("audit: %v %+v", err, audit)
	}

	// Cancel removes the waiting file.
	w = uploadSheet(t, s, c, "coalition.csv", data, map[string]string{"skip_invalid": "1", "source": "coalition"})
	token = regexp.MustCompile(`action="/admin/import/([0-9a-f]{32})"`).FindStringSubmatch(w.Body.String())[1]
	if w := post(s, "/admin/import/"+token, map[string][]string{"action": {"cancel"}}, c); w.Code != http.StatusSeeOther || len(uploadDirs(t, tmp)) != 0 {
		t.Errorf("cancel: %d, %d folders", w.Code, len(uploadDirs(t, tmp)))
	}

	// Too large, or not a spreadsheet.
	s.Limits.MaxUploadBytes = 2000
	if w := uploadSheet(t, s, c, "big.csv", bytes.Repeat(data, 3), nil); w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("too large: %d", w.Code)
	}
	if w := uploadSheet(t, s, c, "list.pdf", []byte("%PDF"), nil); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "Haven reads .csv and .xlsx") {
		t.Errorf("a PDF: %d", w.Code)
	}
	if len(uploadDirs(t, tmp)) != 0 {
		t.Error("a refused upload left a file")
	}
}
