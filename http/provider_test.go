package http_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"haven"
	"haven/auth"
	"haven/hsds"
	havenhttp "haven/http"
	"haven/internal/testpg"
	"haven/listing"
	"haven/sample"
	"haven/sqlstore"
)

// providerWorld is a curation server with sample services and the
// provider@example.org account tied to the organization of the first
// service; other is a service of another organization.
type providerWorld struct {
	s           *havenhttp.Server
	db          *sqlstore.DB
	mine, other *hsds.Service
	providerID  string
}

func mustProviderWorld(t *testing.T, dsn string) *providerWorld {
	t.Helper()
	s, db := MustCurationServerOn(t, dsn)
	svcs := MustImportSample(t, db, 12)
	w := &providerWorld{s: s, db: db, mine: svcs[0]}
	for _, x := range svcs {
		if x.OrganizationID != w.mine.OrganizationID {
			w.other = x
			break
		}
	}
	if w.other == nil {
		t.Fatal("the sample has one organization only")
	}
	ctx := context.Background()
	u, err := sqlstore.NewAccountService(db).FindUserByEmail(ctx, "provider@example.org")
	if err != nil {
		t.Fatal(err)
	}
	w.providerID = u.ID
	if err := sqlstore.NewProviderService(db).LinkProvider(ctx, "test", u.ID, w.mine.OrganizationID); err != nil {
		t.Fatal(err)
	}
	return w
}

// serviceForm is a service's edit form as stored, with one change.
func (w *providerWorld) serviceForm(t *testing.T, id, field, value string) url.Values {
	t.Helper()
	sv, err := sqlstore.NewDirectoryService(w.db).FindServiceByID(haven.WithStaffView(context.Background()), id)
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{}
	for k, v := range listing.ServiceText(sv) {
		form.Set(k, v)
	}
	form.Set(field, value)
	return form
}

func (w *providerWorld) service(t *testing.T, id string) *hsds.Service {
	t.Helper()
	sv, err := sqlstore.NewDirectoryService(w.db).FindServiceByID(haven.WithStaffView(context.Background()), id)
	if err != nil {
		t.Fatal(err)
	}
	return sv
}

// TestProviderEditsOwnOnly: a provider sees and edits their organization's
// listings only; their edits wait in the queue until a curator accepts
// them, or go live at once when the curators say so, audited under the
// provider's name either way.
func TestProviderEditsOwnOnly(t *testing.T) {
	testpg.EachEngine(t, func(t *testing.T, e testpg.Engine) {
		w := mustProviderWorld(t, e.Fresh(t))
		s, ctx := w.s, context.Background()
		prov := signIn(t, s, "provider@example.org")
		curator := signIn(t, s, "curator@example.org")

		dash := get(s, "/provider", prov)
		if dash.Code != 200 || !strings.Contains(dash.Body.String(), "/provider/services/"+w.mine.ID+"/edit") {
			t.Fatalf("dashboard: %d, lacks the provider's own service", dash.Code)
		}
		if strings.Contains(dash.Body.String(), w.other.ID) {
			t.Error("the dashboard shows another organization's service")
		}
		// Another organization's service is not found, to read or to save.
		for _, r := range []*http.Response{
			get(s, "/provider/services/"+w.other.ID+"/edit", prov).Result(),
			post(s, "/provider/services/"+w.other.ID, w.serviceForm(t, w.other.ID, "name", "Taken over (sample)"), prov).Result(),
			get(s, "/provider/organizations/"+w.other.OrganizationID+"/edit", prov).Result(),
		} {
			if r.StatusCode != http.StatusNotFound {
				t.Errorf("%s %s: %d, want 404", r.Request.Method, r.Request.URL.Path, r.StatusCode)
			}
		}
		if w.service(t, w.other.ID).Name == "Taken over (sample)" {
			t.Fatal("a provider changed another organization's service")
		}
		// The form is the curators' form, without their tools.
		form := get(s, "/provider/services/"+w.mine.ID+"/edit", prov).Body.String()
		if !strings.Contains(form, `action="/provider/services/`+w.mine.ID+`"`) || strings.Contains(form, "/admin/takedown") {
			t.Error("the provider's form posts elsewhere or offers curators' tools")
		}

		// By default the edit waits in the queue: nothing changes yet.
		before := w.service(t, w.mine.ID)
		r := post(s, "/provider/services/"+w.mine.ID, w.serviceForm(t, w.mine.ID, "hours", "MO,TU 08:00-12:00"), prov)
		if r.Code != http.StatusSeeOther || !strings.HasSuffix(r.Header().Get("Location"), "saved=queued") {
			t.Fatalf("queued edit: %d %s", r.Code, r.Header().Get("Location"))
		}
		if got := listing.ServiceText(w.service(t, w.mine.ID))["hours"]; got != listing.ServiceText(before)["hours"] {
			t.Fatalf("a queued edit went live: hours %q", got)
		}
		if !strings.Contains(get(s, "/provider/services/"+w.mine.ID+"/edit?saved=queued", prov).Body.String(), "sent to a curator") {
			t.Error("the provider is not told the edit waits for a curator")
		}
		pending, err := sqlstore.NewSuggestionService(w.db).ListSuggestions(ctx, "pending")
		if err != nil || len(pending) != 1 {
			t.Fatalf("queue: %d suggestions, %v", len(pending), err)
		}
		sg := pending[0]
		if sg.Kind != haven.SuggestionProvider || sg.SubmittedBy != "provider@example.org" || len(sg.Changes) != 1 || sg.Changes["hours"] == "" {
			t.Fatalf("queued edit: %+v (only the changed field should be queued)", sg)
		}
		queue := get(s, "/admin/suggestions", curator).Body.String()
		if !strings.Contains(queue, "provider@example.org") || !strings.Contains(queue, "08:00") {
			t.Error("the curators' queue does not show the provider's change and who sent it")
		}
		if r := post(s, "/admin/suggestions/"+sg.ID+"/accept", url.Values{}, curator); r.Code != http.StatusSeeOther {
			t.Fatalf("accept: %d %s", r.Code, r.Body.String())
		}
		if got := listing.ServiceText(w.service(t, w.mine.ID))["hours"]; !strings.Contains(got, "08:00-12:00") {
			t.Fatalf("accepted edit not applied: hours %q", got)
		}

		// The curators let this organization's edits go live at once.
		if r := post(s, "/admin/organizations/"+w.mine.OrganizationID+"/providers/settings", url.Values{"edits_live": {"1"}}, curator); r.Code != http.StatusSeeOther {
			t.Fatalf("setting: %d", r.Code)
		}
		r = post(s, "/provider/services/"+w.mine.ID, w.serviceForm(t, w.mine.ID, "name", "Renamed by its provider (sample)"), prov)
		if r.Code != http.StatusSeeOther || !strings.HasSuffix(r.Header().Get("Location"), "saved=1") {
			t.Fatalf("live edit: %d %s", r.Code, r.Header().Get("Location"))
		}
		if got := w.service(t, w.mine.ID).Name; got != "Renamed by its provider (sample)" {
			t.Fatalf("live edit not applied: %q", got)
		}
		trail, _ := sqlstore.NewAuditService(w.db).AuditTrail(ctx, "service", w.mine.ID, 0)
		last := trail[len(trail)-1]
		if last.Field != "name" || last.Actor != haven.ProviderActor("provider@example.org") {
			t.Errorf("live edit audited as %+v", last)
		}
		// The public API says who made the change without naming them.
		if api := get(s, "/api/hsds/services/"+w.mine.ID, nil).Body.String(); !strings.Contains(api, "the organization's provider") || strings.Contains(api, "provider@example.org") {
			t.Error("the HSDS metadata does not credit the organization's provider, or names them")
		}
		// A bad value shows the form again and saves nothing.
		if r := post(s, "/provider/services/"+w.mine.ID, w.serviceForm(t, w.mine.ID, "name", ""), prov); r.Code != http.StatusBadRequest {
			t.Errorf("empty name: %d", r.Code)
		}

		// The provider's organization, its phone and its locations.
		o, _, _ := sqlstore.NewDirectoryService(w.db).FindOrganizationByID(ctx, w.mine.OrganizationID)
		orgForm := url.Values{}
		for _, f := range listing.OrganizationFields {
			if p := listing.OrganizationField(o, f); p != nil {
				orgForm.Set(f, *p)
			}
		}
		orgForm.Set("phone", "(512) 555-0142")
		if r := post(s, "/provider/organizations/"+o.ID, orgForm, prov); r.Code != http.StatusSeeOther {
			t.Fatalf("organization edit: %d %s", r.Code, r.Body.String())
		}
		o, _, _ = sqlstore.NewDirectoryService(w.db).FindOrganizationByID(ctx, o.ID)
		if !strings.Contains(listing.OrganizationPhone(o), "5125550142") {
			t.Errorf("organization phone: %q", listing.OrganizationPhone(o))
		}
	})
}

// TestProviderConfidentialLocation: a provider may not open a confidential
// location of their own organization (its address is for staff alone), and
// their location form cannot change whether one is confidential.
func TestProviderConfidentialLocation(t *testing.T) {
	w := mustProviderWorld(t, t.TempDir()+"/haven.db")
	s, ctx := w.s, context.Background()
	sv := w.service(t, w.mine.ID)
	if len(sv.ServiceAtLocations) == 0 {
		t.Skip("the sample service has no location") // the sample gives each one; a change there shows here
	}
	loc := sv.ServiceAtLocations[0].LocationID
	prov := signIn(t, s, "provider@example.org")
	if r := get(s, "/provider/locations/"+loc+"/edit", prov); r.Code != 200 || strings.Contains(r.Body.String(), `name="x_confidential"`) {
		t.Fatalf("location form: %d, or it offers the confidential checkbox", r.Code)
	}
	dir := sqlstore.NewDirectoryService(w.db)
	l, _ := dir.FindLocation(ctx, loc)
	values := listing.LocationText(l)
	values[listing.ConfidentialField] = "true"
	if err := dir.UpdateLocation(ctx, "curator@example.org", loc, values); err != nil {
		t.Fatal(err)
	}
	if r := get(s, "/provider/locations/"+loc+"/edit", prov); r.Code != http.StatusForbidden || strings.Contains(r.Body.String(), values["address_1"]) {
		t.Errorf("confidential location: %d (want 403, and no address)", r.Code)
	}
	form := url.Values{}
	for k, v := range values {
		form.Set(k, v)
	}
	form.Set("address_1", "1 Elsewhere Road")
	if r := post(s, "/provider/locations/"+loc, form, prov); r.Code != http.StatusForbidden {
		t.Errorf("saving a confidential location: %d", r.Code)
	}
	if dash := get(s, "/provider", prov).Body.String(); strings.Contains(dash, "/provider/locations/"+loc+"/edit") || strings.Contains(dash, values["address_1"]) {
		t.Error("the dashboard links or shows the confidential location")
	}
}

// TestProviderSeesNoStaffPages: a provider opens no admin page, no
// screening record and no queue, and a curator no provider page.
func TestProviderSeesNoStaffPages(t *testing.T) {
	w := mustProviderWorld(t, t.TempDir()+"/haven.db")
	prov := signIn(t, w.s, "provider@example.org")
	for _, p := range []string{"/admin", "/admin/suggestions", "/screening/records", "/admin/services/" + w.mine.ID + "/edit",
		"/admin/history/service/" + w.mine.ID, "/admin/organizations/" + w.mine.OrganizationID + "/providers"} {
		if r := get(w.s, p, prov); r.Code != http.StatusForbidden {
			t.Errorf("provider GET %s: %d, want 403", p, r.Code)
		}
	}
	if r := get(w.s, "/provider", signIn(t, w.s, "admin@example.org")); r.Code != http.StatusForbidden {
		t.Errorf("admin GET /provider: %d, want 403", r.Code)
	}
}

// TestDashboardShowsUnanswered: the curators' dashboard lists who has not
// answered a re-verification request, and no longer once it is answered.
func TestDashboardShowsUnanswered(t *testing.T) {
	w := mustProviderWorld(t, t.TempDir()+"/haven.db")
	ctx, store := context.Background(), sqlstore.NewProviderService(w.db)
	token, hash := auth.NewToken()
	if _, err := store.StartReverify(ctx, w.mine.OrganizationID, w.providerID, hash); err != nil {
		t.Fatal(err)
	}
	curator := signIn(t, w.s, "curator@example.org")
	section := func() string {
		body := get(w.s, "/admin", curator).Body.String()
		i := strings.Index(body, `id="reverify"`)
		j := strings.Index(body[i+1:], "<h2")
		if i < 0 || j < 0 {
			return ""
		}
		return body[i : i+1+j]
	}
	if s := section(); !strings.Contains(s, "provider@example.org") || !strings.Contains(s, "/admin/organizations/"+w.mine.OrganizationID+"/providers") {
		t.Fatalf("the dashboard does not list the unanswered request: %q", s)
	}
	if err := store.AnswerReverify(ctx, auth.HashToken(token), haven.ReverifyCorrect, ""); err != nil {
		t.Fatal(err)
	}
	if s := section(); strings.Contains(s, "provider@example.org") {
		t.Error("an answered request is still listed")
	}
}

// TestProviderKeepsWhatTheyCannotSee: a provider's form shows the public
// view, without the phone of a confidential location; saving another field
// leaves that phone as it is.
func TestProviderKeepsWhatTheyCannotSee(t *testing.T) {
	s, db := MustCurationServerOn(t, t.TempDir()+"/haven.db")
	ctx := context.Background()
	var svcs []*hsds.Service
	sample.Services(4, 1, func(x *hsds.Service) error { svcs = append(svcs, x); return nil })
	sv := svcs[0]
	loc := sv.ServiceAtLocations[0].Location
	yes := true
	loc.XConfidential = &yes
	sv.Phones = append([]hsds.Phone{{ID: "8d9a3f4e-1b2c-4d5e-8f90-123456789abc", LocationID: loc.ID, ServiceID: sv.ID, Number: "+15125550199"}}, sv.Phones...)
	i := 0
	dir := sqlstore.NewDirectoryService(db)
	if _, err := dir.Import(ctx, func() (*hsds.Service, error) {
		if i == len(svcs) {
			return nil, io.EOF
		}
		i++
		return svcs[i-1], nil
	}, sqlstore.ImportOptions{Name: "t"}); err != nil {
		t.Fatal(err)
	}
	u, _ := sqlstore.NewAccountService(db).FindUserByEmail(ctx, "provider@example.org")
	if err := sqlstore.NewProviderService(db).LinkProvider(ctx, "test", u.ID, sv.OrganizationID); err != nil {
		t.Fatal(err)
	}
	public, err := dir.FindServiceByID(ctx, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{}
	for k, v := range listing.ServiceText(public) {
		form.Set(k, v)
	}
	if strings.Contains(form.Get("phone"), "5550199") {
		t.Fatal("the public view shows the confidential location's phone: the test proves nothing")
	}
	form.Set("name", "Renamed (sample)")
	prov := signIn(t, s, "provider@example.org")
	if page := get(s, "/provider/services/"+sv.ID+"/edit", prov).Body.String(); strings.Contains(page, "555-0199") {
		t.Error("the provider's form shows the confidential location's phone")
	}
	if r := post(s, "/provider/services/"+sv.ID, form, prov); r.Code != http.StatusSeeOther {
		t.Fatalf("save: %d %s", r.Code, r.Body.String())
	}
	pending, _ := sqlstore.NewSuggestionService(db).ListSuggestions(ctx, "pending")
	if len(pending) != 1 || len(pending[0].Changes) != 1 || pending[0].Changes["name"] == "" {
		t.Fatalf("queued: %+v, want the name alone", pending[0].Changes)
	}
	if r := post(s, "/admin/suggestions/"+pending[0].ID+"/accept", url.Values{}, signIn(t, s, "curator@example.org")); r.Code != http.StatusSeeOther {
		t.Fatalf("accept: %d", r.Code)
	}
	after, _ := dir.FindServiceByID(haven.WithStaffView(ctx), sv.ID)
	if after.Name != "Renamed (sample)" || len(after.Phones) == 0 || after.Phones[0].Number != "+15125550199" {
		t.Errorf("after the edit: name %q, phones %+v", after.Name, after.Phones)
	}
}
