package http_test

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"haven/hsds"
	havenhttp "haven/http"
	"haven/sample"
	"haven/sqlstore"
)

// mustCapacityServer is a curation server whose directory has two
// services of different organizations counting beds: the first 0 of 12,
// updated an hour ago, the other 5 of 8, updated three days ago.
func mustCapacityServer(t *testing.T) (*havenhttp.Server, *hsds.Service, *hsds.Service) {
	t.Helper()
	s, _, a, b := mustCapacityServerOn(t, filepath.Join(t.TempDir(), "haven.db"))
	return s, a, b
}

// mustCapacityServerOn is mustCapacityServer on the database dsn names,
// which it returns too.
func mustCapacityServerOn(t *testing.T, dsn string) (*havenhttp.Server, *sqlstore.DB, *hsds.Service, *hsds.Service) {
	t.Helper()
	s, db := MustCurationServerOn(t, dsn)
	var svcs []*hsds.Service
	if err := sample.Services(8, 3, func(x *hsds.Service) error { svcs = append(svcs, x); return nil }); err != nil {
		t.Fatal(err)
	}
	a, b := svcs[0], (*hsds.Service)(nil)
	for _, sv := range svcs[1:] {
		if sv.OrganizationID != a.OrganizationID {
			b = sv
			break
		}
	}
	if b == nil {
		t.Fatal("the sample has one organization only")
	}
	bed := &hsds.Unit{ID: "1d6c9a4e-7b8f-4c2d-9e1a-0f3b5c7d9e21", Name: "Bed (sample)"}
	count := func(n float64) *float64 { return &n }
	a.Capacities = []hsds.ServiceCapacity{{ID: uuid.NewSHA1(uuid.NameSpaceOID, []byte("cap a")).String(), Unit: bed,
		Available: count(0), Maximum: count(12), Updated: time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)}}
	b.Capacities = []hsds.ServiceCapacity{{ID: uuid.NewSHA1(uuid.NameSpaceOID, []byte("cap b")).String(), Unit: bed,
		Available: count(5), Maximum: count(8), Updated: time.Now().Add(-72 * time.Hour).UTC().Format(time.RFC3339)}}
	i := 0
	if _, err := sqlstore.NewDirectoryService(db).Import(context.Background(), func() (*hsds.Service, error) {
		if i == len(svcs) {
			return nil, io.EOF
		}
		i++
		return svcs[i-1], nil
	}, sqlstore.ImportOptions{Name: "sample"}); err != nil {
		t.Fatal(err)
	}
	return s, db, a, b
}

// searchTotal asks /api/v1/search for services with room now.
func searchTotal(t *testing.T, s http.Handler) int {
	t.Helper()
	w := get(s, "/api/v1/search?capacity=available&status=all", nil)
	var body struct {
		Total int `json:"total"`
	}
	if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &body) != nil {
		t.Fatalf("search: %d %s", w.Code, w.Body.String())
	}
	return body.Total
}

// The capacity page: a curator sets a count with + and with the number
// box, without script; the count goes live on the service page, in search
// and on the referral sheet, and the history says who changed it. A count
// out of range is refused with a message and changes nothing; a screener
// may not open the page; another organization's capacity is not found.
func TestCapacityPage(t *testing.T) {
	s, a, b := mustCapacityServer(t)
	capA, capB := a.Capacities[0].ID, b.Capacities[0].ID
	page := "/admin/capacity/" + a.OrganizationID
	c := signIn(t, s, "curator@example.org")

	w := get(s, page, c)
	body := html.UnescapeString(w.Body.String())
	if w.Code != 200 || !strings.Contains(body, `id="cap-`+capA+`"`) || !strings.Contains(body, `name="to" value="1"`) ||
		!strings.Contains(body, "Bed (sample): 0 of 12 available, updated 1 hour ago") || strings.Contains(body, capB) {
		t.Fatalf("capacity page: %d\n%s", w.Code, body)
	}
	// Plain forms: − and + and the number box are three POSTs.
	if n := strings.Count(body, `<form method="post" action="`+page+`"`); n != 3 {
		t.Errorf("the page has %d forms for one capacity, want 3", n)
	}
	if n := searchTotal(t, s); n != 0 {
		t.Errorf("room now before any update: %d services, want 0 (one has none free, one is stale)", n)
	}

	// + : the button carries the count it leads to.
	w = post(s, page, url.Values{"service": {a.ID}, "capacity": {capA}, "to": {"1"}}, c)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != page+"?saved="+capA+"#cap-"+capA {
		t.Fatalf("plus: %d %q", w.Code, w.Header().Get("Location"))
	}
	// The number box.
	if w = post(s, page, url.Values{"service": {a.ID}, "capacity": {capA}, "available": {"3"}}, c); w.Code != http.StatusSeeOther {
		t.Fatalf("set 3: %d", w.Code)
	}
	body = html.UnescapeString(get(s, page+"?saved="+capA, c).Body.String())
	for _, want := range []string{"Bed (sample): 3 of 12 available, updated just now", "curator@example.org · 1 → 3", "curator@example.org · 0 → 1", "Saved."} {
		if !strings.Contains(body, want) {
			t.Errorf("page after updates lacks %q", want)
		}
	}
	if n := searchTotal(t, s); n != 1 {
		t.Errorf("room now after 3 beds: %d services, want 1", n)
	}
	if api := get(s, "/api/hsds/services/"+a.ID, nil).Body.String(); !strings.Contains(api, `"available":3`) || strings.Contains(api, "capacity:") {
		t.Errorf("the HSDS API after updates: the new count is missing, or the updates are in the metadata:\n%s", api)
	}
	svc := html.UnescapeString(get(s, "/services/"+a.ID, nil).Body.String())
	if !strings.Contains(svc, "Bed (sample): 3 of 12 available, updated just now") {
		t.Error("the service page does not show the new count")
	}
	es := html.UnescapeString(get(s, "/services/"+b.ID+"?lang=es", nil).Body.String())
	if !strings.Contains(es, "Bed (sample): disponibilidad desconocida (sin actualizar en 24 horas)") {
		t.Error("the Spanish page of a stale count does not call it unknown")
	}
	dir := html.UnescapeString(get(s, "/directory?capacity=available&status=all", nil).Body.String())
	if !strings.Contains(dir, `/services/`+a.ID) || strings.Contains(dir, `/services/`+b.ID) || !strings.Contains(dir, `name="capacity" type="checkbox" value="available" checked`) {
		t.Error("/directory with Has room now: wrong services or the box is not ticked")
	}
	if !strings.Contains(dir, "said within the last 24 hours") {
		t.Error("/directory's box does not say the maximum age")
	}
	sheet := html.UnescapeString(get(s, "/referral?id="+a.ID+"&id="+b.ID, nil).Body.String())
	if !strings.Contains(sheet, "3 of 12 available") || !strings.Contains(sheet, "capacity unknown (not updated in the last 24 hours)") {
		t.Error("the referral sheet does not show capacities")
	}

	// Refused: out of range, not a number, another organization's.
	for _, f := range []url.Values{
		{"service": {a.ID}, "capacity": {capA}, "available": {"13"}},
		{"service": {a.ID}, "capacity": {capA}, "to": {"-1"}},
		{"service": {a.ID}, "capacity": {capA}, "available": {"three"}},
	} {
		if w := post(s, page, f, c); w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `role="alert"`) {
			t.Errorf("%v: %d, want 422 with a message", f, w.Code)
		}
	}
	if w := post(s, page, url.Values{"service": {b.ID}, "capacity": {capB}, "to": {"6"}}, c); w.Code != http.StatusNotFound {
		t.Errorf("another organization's capacity through this one's page: %d, want 404", w.Code)
	}
	if body := html.UnescapeString(get(s, page, c).Body.String()); !strings.Contains(body, "3 of 12 available") {
		t.Error("a refused update changed the count")
	}

	// The service's history names the change as a capacity's.
	if h := html.UnescapeString(get(s, "/admin/history/service/"+a.ID, c).Body.String()); !strings.Contains(h, "Room now ("+capA[:8]+"…) · Capacity changed") {
		t.Error("the service's history does not show the capacity changes as such")
	}

	// Curators find the page from the service and organization pages;
	// visitors do not.
	if !strings.Contains(get(s, "/services/"+a.ID, c).Body.String(), `href="`+page+`#svc-`+a.ID+`"`) ||
		!strings.Contains(get(s, "/organizations/"+a.OrganizationID, c).Body.String(), `href="`+page+`"`) {
		t.Error("no link to the capacity page for a curator")
	}
	if strings.Contains(get(s, "/services/"+a.ID, nil).Body.String(), "/admin/capacity/") {
		t.Error("a visitor sees the link to the capacity page")
	}

	// The funders' figures: per unit and month, nobody named.
	rep := html.UnescapeString(get(s, "/admin/capacity-report", c).Body.String())
	month := time.Now().UTC().Format("2006-01")
	for _, want := range []string{"<td>Bed (sample)</td><td>2</td><td>8</td><td>20</td><td>1</td>", "<td>" + month + "</td><td>Bed (sample)</td><td>2</td>"} {
		if !strings.Contains(rep, want) {
			t.Errorf("the report lacks %s:\n%s", want, rep)
		}
	}
	for _, name := range []string{a.Name, b.Name, a.ID, "curator@example.org</td>"} {
		if strings.Contains(rep, name) {
			t.Errorf("the report names %q", name)
		}
	}

	// A screener is not allowed, either way.
	sc := signIn(t, s, "screener@example.org")
	if w := get(s, page, sc); w.Code != http.StatusForbidden {
		t.Errorf("screener GET: %d", w.Code)
	}
	if w := post(s, page, url.Values{"service": {a.ID}, "capacity": {capA}, "to": {"4"}}, sc); w.Code != http.StatusForbidden {
		t.Errorf("screener POST: %d", w.Code)
	}
}
