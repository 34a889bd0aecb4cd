package http_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"haven/internal/testpg"
	"haven/linkcheck"
	"haven/sqlstore"
)

// TestDashboardNotCheckedLink checks, on both engines, that a link the
// checker refused to visit is shown as not checked, in the curator's
// language, and not as an error.
func TestDashboardNotCheckedLink(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) { dashboardNotChecked(t, e.Fresh(t)) })
}

func dashboardNotChecked(t *testing.T, dsn string) {
	s, db := MustCurationServerOn(t, dsn)
	if err := sqlstore.NewCurationService(db).SaveLinkCheck(context.Background(), "http://10.0.0.7/admin", 0, "", linkcheck.ErrPrivateAddress, time.Now()); err != nil {
		t.Fatal(err)
	}
	c := signIn(t, s, "curator@example.org")
	for lang, want := range map[string]string{
		"en": "not checked: it leads to a private or local address",
		"es": "no comprobado: lleva a una dirección privada o local",
	} {
		r := httptest.NewRequest("GET", "/admin", nil)
		r.AddCookie(c)
		r.Header.Set("Accept-Language", lang)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		body := w.Body.String()
		if w.Code != 200 || !strings.Contains(body, "http://10.0.0.7/admin") || !strings.Contains(body, want) {
			t.Errorf("%s dashboard: %d, lacks the link or %q", lang, w.Code, want)
		}
	}
}
