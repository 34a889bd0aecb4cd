package http_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"haven"
	havenphone "haven/phone"
	"haven/sqlstore"
)

// TestQueueShowsTheChange walks a phone suggestion through the queue: the
// queue shows the number now beside the one proposed, accepting opens the
// suggestion's page naming the change and linking to the history, whose
// line links back; the history is headed by the service's name, undoes
// the change, and refuses to undo it twice.
func TestQueueShowsTheChange(t *testing.T) {
	s, db := MustCurationServer(t)
	sv := MustImportSample(t, db, 2)[0]
	ctx := context.Background()
	sg := &haven.Suggestion{Kind: "phone", RecordType: "service", RecordID: sv.ID, Body: "Wrong number.", NewValue: "979-555-0101 x12"}
	if err := sqlstore.NewSuggestionService(db).CreateSuggestion(ctx, sg); err != nil {
		t.Fatal(err)
	}
	c := signIn(t, s, "curator@example.org")
	before := sv.Phones[0].Number
	for lang, want := range map[string][]string{
		"en": {"Now", "Proposed", "(979) 555-0101 ext. 12"},
		"es": {"Ahora", "Propuesta", "(979) 555-0101 ext. 12"},
	} {
		queue := get(s, "/admin/suggestions?lang="+lang, c).Body.String()
		for _, w := range append(want, showUS(before)) {
			if !strings.Contains(queue, w) {
				t.Errorf("%s queue lacks %q", lang, w)
			}
		}
	}
	w := post(s, "/admin/suggestions/"+sg.ID+"/accept", url.Values{"value": {""}}, c)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/admin/suggestions/"+sg.ID+"?done=accepted" {
		t.Fatalf("accept: %d %q", w.Code, w.Header().Get("Location"))
	}
	page := get(s, w.Header().Get("Location"), c).Body.String()
	m := regexp.MustCompile(`href="/admin/history/service/` + sv.ID + `#a-([0-9]+)"`).FindStringSubmatch(page)
	if !strings.Contains(page, "Suggestion accepted.") || !strings.Contains(page, "(979) 555-0101 ext. 12") || m == nil {
		t.Fatalf("the suggestion's page does not say what changed:\n%s", page)
	}
	hist := get(s, "/admin/history/service/"+sv.ID, c).Body.String()
	if !strings.Contains(hist, "<h1>History of "+htmlEscape(sv.Name)+"</h1>") {
		t.Errorf("the history is not headed by the service's name")
	}
	if !strings.Contains(hist, `id="a-`+m[1]+`"`) || !strings.Contains(hist, `href="/admin/suggestions/`+sg.ID+`"`) {
		t.Errorf("the history's line does not link back to the suggestion")
	}
	if es := get(s, "/admin/history/service/"+sv.ID+"?lang=es", c).Body.String(); !strings.Contains(es, "Historial de ") || !strings.Contains(es, "de una sugerencia") {
		t.Errorf("the Spanish history lacks its heading or link")
	}
	undo := fmt.Sprintf("/admin/history/service/%s/%s/undo", sv.ID, m[1])
	if w := post(s, undo, nil, c); w.Code != http.StatusSeeOther {
		t.Fatalf("undo: %d %s", w.Code, w.Body.String())
	}
	got, _ := s.Directory.FindServiceByID(ctx, sv.ID)
	if got.Phones[0].Number != before || got.Phones[0].Extension != nil {
		t.Errorf("after undo the phone is %+v, want %q", got.Phones[0], before)
	}
	if w := post(s, undo+"?lang=es", nil, c); w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "volvió a cambiar") {
		t.Errorf("undoing twice: %d", w.Code)
	}
	// A line of another record's history is not undone through this one.
	other := MustImportSample(t, db, 2)[1]
	if w := post(s, fmt.Sprintf("/admin/history/service/%s/%s/undo", other.ID, m[1]), nil, c); w.Code != http.StatusNotFound {
		t.Errorf("undo through another history: %d", w.Code)
	}
}

// TestHoursControls saves a service's hours from the day-by-day controls,
// and lets the text form win when it was edited.
func TestHoursControls(t *testing.T) {
	s, db := MustCurationServer(t)
	sv := MustImportSample(t, db, 1)[0]
	c := signIn(t, s, "curator@example.org")
	form := get(s, "/admin/services/"+sv.ID+"/edit", c).Body.String()
	for _, want := range []string{`<input type="time" id="opens-MO"`, `name="day_SU"`, `<details class="hours-text"`, `aria-describedby="h-phone"`} {
		if !strings.Contains(form, want) {
			t.Errorf("the form lacks %s", want)
		}
	}
	values := url.Values{"name": {sv.Name}, "status": {"active"}, "description": {sv.Description}}
	was := regexp.MustCompile(`name="hours_was" value="([^"]*)"`).FindStringSubmatch(form)
	if was == nil {
		t.Fatal("no hours_was")
	}
	values.Set("hours", strings.ReplaceAll(was[1], "&#43;", "+"))
	values.Set("hours_was", values.Get("hours"))
	for _, d := range []string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"} {
		values.Set("day_"+d, "closed")
	}
	values.Set("day_TU", "open")
	values.Set("opens_TU", "08:30")
	values.Set("closes_TU", "12:00:00")
	values.Set("day_TH", "open")
	values.Set("opens_TH", "08:30")
	values.Set("closes_TH", "12:00")
	if w := post(s, "/admin/services/"+sv.ID, values, c); w.Code != http.StatusSeeOther {
		t.Fatalf("save: %d %s", w.Code, w.Body.String())
	}
	got, _ := s.Directory.FindServiceByID(context.Background(), sv.ID)
	if len(got.Schedules) != 1 || got.Schedules[0].ByDay != "TU,TH" || got.Schedules[0].OpensAt != "08:30" {
		t.Errorf("schedules: %+v", got.Schedules)
	}
	// Closing before opening is refused, naming the day, in Spanish too.
	values.Set("hours", "TU,TH 08:30-12:00")
	values.Set("hours_was", "TU,TH 08:30-12:00")
	values.Set("closes_TU", "07:00")
	if w := post(s, "/admin/services/"+sv.ID+"?lang=es", values, c); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "martes") {
		t.Errorf("bad times: %d", w.Code)
	}
	// An edited text wins over the controls.
	values.Set("hours", "SA,SU 10:00-14:00")
	if w := post(s, "/admin/services/"+sv.ID, values, c); w.Code != http.StatusSeeOther {
		t.Fatalf("save text: %d %s", w.Code, w.Body.String())
	}
	got, _ = s.Directory.FindServiceByID(context.Background(), sv.ID)
	if len(got.Schedules) != 1 || got.Schedules[0].ByDay != "SA,SU" {
		t.Errorf("schedules after a text edit: %+v", got.Schedules)
	}
}

func htmlEscape(s string) string { return html.EscapeString(s) }

func showUS(number string) string { return havenphone.Display(number, "US") }
