package http_test

import (
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var (
	hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
	radioName   = regexp.MustCompile(`name="(a_[a-z0-9-]+)" value="yes"`)
)

// walkScreening answers the interview step by step as a browser would,
// carrying the hidden fields of each page into the next post. answer
// picks a value for each question id.
func walkScreening(t *testing.T, s http.Handler, lang string, answer func(id string) string, place string) (string, string) {
	t.Helper()
	form := url.Values{"step": {"1"}}
	var logs strings.Builder
	for i := 0; i < 20; i++ {
		r := httptest.NewRequest("POST", "/screening?lang="+lang, strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Sec-Fetch-Site", "same-origin")
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code != 200 {
			t.Fatalf("step %d: %d %s", i, w.Code, w.Body.String())
		}
		if len(w.Result().Cookies()) > 0 {
			t.Fatalf("the interview set a cookie")
		}
		body := w.Body.String()
		if strings.Contains(body, `class="level`) {
			return body, logs.String()
		}
		next := url.Values{"go": {"next"}}
		for _, m := range hiddenInput.FindAllStringSubmatch(body, -1) {
			next.Add(m[1], html.UnescapeString(m[2]))
		}
		for _, m := range radioName.FindAllStringSubmatch(body, -1) {
			if a := answer(strings.TrimPrefix(m[1], "a_")); a != "" {
				next.Set(m[1], a)
			}
		}
		if strings.Contains(body, `id="f-place"`) {
			next.Set("place", place)
			next.Set("language", "es")
		}
		form = next
	}
	t.Fatal("the interview never reached a result")
	return "", ""
}

func TestScreeningFlow(t *testing.T) {
	s, _ := MustDirectoryServer(t)
	if w := do(s, "GET", "/screening", nil); w.Code != 200 || !strings.Contains(w.Body.String(), "does not decide") {
		t.Fatalf("guide: %d", w.Code)
	}
	benign := func(id string) string { return "" } // nothing answered
	body, _ := walkScreening(t, s, "en", benign, "")
	if !strings.Contains(body, "No indicators noted") || !strings.Contains(body, "not saved") {
		t.Errorf("an empty interview: %s", body[strings.Index(body, "<main"):][:400])
	}
	// A minor in commercial sex: strong, and the rule is stated, in Spanish too.
	minor := func(id string) string {
		switch id {
		case "age-under-18", "work-commercial-sex":
			return "yes"
		}
		return ""
	}
	for lang, want := range map[string]string{"en": "Strong indicators – act now", "es": "Indicadores fuertes: actúe ahora"} {
		body, _ := walkScreening(t, s, lang, minor, "77002")
		body = html.UnescapeString(body)
		if !strings.Contains(body, want) {
			t.Errorf("%s: no %q", lang, want)
		}
		if !strings.Contains(body, "tel:+18883737888") || !strings.Contains(body, "/referral?") {
			t.Errorf("%s: no hotline or referral sheet", lang)
		}
		if lang == "es" && !strings.Contains(body, "Indicadores de trata sexual") {
			t.Errorf("es: indicators not listed in Spanish")
		}
	}
	// Going back keeps the answers.
	form := url.Values{"step": {"3"}, "go": {"back"}, "a_age-under-18": {"yes"}}
	r := httptest.NewRequest("POST", "/screening", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if !strings.Contains(w.Body.String(), `name="a_age-under-18" value="yes"`) || !strings.Contains(w.Body.String(), "Step 2 of") {
		t.Error("moving back lost an answer or the step")
	}
	// A forged answer value is refused.
	form = url.Values{"step": {"1"}, "a_age-under-18": {"maybe"}}
	r = httptest.NewRequest("POST", "/screening", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	w = httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if w.Code != 400 {
		t.Errorf("bad answer: %d", w.Code)
	}
}

// TestScreeningLeavesNoTrace checks that answers and notes never reach the
// access log: they travel only in the posted form.
func TestScreeningLeavesNoTrace(t *testing.T) {
	s, logs, _ := MustServer(t)
	form := url.Values{"step": {"2"}, "go": {"next"}, "a_age-under-18": {"yes"}, "n_age-under-18": {"SECRET-NOTE-7731"}}
	r := httptest.NewRequest("POST", "/screening", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	s.ServeHTTP(httptest.NewRecorder(), r)
	if strings.Contains(logs.String(), "SECRET-NOTE-7731") || strings.Contains(logs.String(), "age-under-18") {
		t.Errorf("the log holds interview content: %s", logs.String())
	}
}
