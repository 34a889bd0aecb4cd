package http_test

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestPicksSurvive: the services picked for a referral sheet travel in the
// address, so a new search, a filter, a chip, another page of results and a
// service's page all keep them, and the counter says how many there are.
func TestPicksSurvive(t *testing.T) {
	s, svcs := MustDirectoryServer(t)
	a, b, c := svcs[0].ID, svcs[1].ID, svcs[2].ID
	sheet := url.QueryEscape(a + "," + b)
	tests := []struct {
		name, url string
		contains  []string
		lacks     []string
	}{
		{"search form and pager", "/directory?sheet=" + a + "," + b, []string{
			`<input type="hidden" name="sheet" value="` + a + "," + b + `">`,
			`href="/directory?page=2&sheet=` + sheet + `" rel="next"`,
			"2 picked — view the sheet", `href="/referral?sheet=` + sheet + `"`,
			`href="/referral/compare?ids=` + sheet + `"`,
		}, []string{"Pick services for a referral sheet"}},
		{"Spanish counter", "/directory?lang=es&sheet=" + a, []string{"1 elegido — ver la hoja"}, []string{"Comparar lado a lado"}},
		{"chips keep the picks", "/directory?q=legal&state=TX&sheet=" + a + "," + b, []string{
			`href="/directory?sheet=` + sheet + `&state=TX"`, // the query's chip
			`href="/directory?q=legal&sheet=` + sheet + `"`,  // the state's chip
		}, nil},
		{"a place goes to the comparison", "/directory?place=77002&sheet=" + a + "," + b, []string{
			`href="/referral/compare?ids=` + sheet + `&place=77002"`,
		}, nil},
		{"old-style id params", "/directory?id=" + a + "&sheet=" + b, []string{
			`value="` + a + "," + b + `"`,
		}, nil},
		{"a service's page adds to the sheet", "/services/" + c + "?sheet=" + a + "," + b, []string{
			`href="/referral?sheet=` + url.QueryEscape(a+","+b+","+c) + `"`, "Add to the referral sheet (2 on it)",
			`href="/directory?sheet=` + sheet + `"`,
		}, []string{"Referral sheet for this service"}},
		{"a service already picked", "/services/" + a + "?sheet=" + a + "," + b, []string{
			`href="/referral?sheet=` + sheet + `"`, "On the referral sheet: view it",
		}, nil},
		{"a service without picks", "/services/" + c + "?lang=es", []string{
			`href="/referral?sheet=` + c + `"`, "Hoja de derivación para este servicio",
		}, nil},
		{"the sheet compares two", "/referral?sheet=" + a + "," + b, []string{`href="/referral/compare?ids=` + sheet + `"`}, nil},
		{"the discreet sheet does not", "/referral?discreet=1&sheet=" + a + "," + b, nil, []string{"/referral/compare"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := do(s, "GET", tt.url, nil)
			if w.Code != 200 {
				t.Fatalf("%s: status %d", tt.url, w.Code)
			}
			body := html.UnescapeString(w.Body.String())
			for _, want := range tt.contains {
				if !strings.Contains(body, want) {
					t.Errorf("%s lacks %q", tt.url, want)
				}
			}
			for _, bad := range tt.lacks {
				if strings.Contains(body, bad) {
					t.Errorf("%s has %q", tt.url, bad)
				}
			}
			if c := w.Header().Values("Set-Cookie"); len(c) > 0 {
				t.Errorf("%s set a cookie: %v", tt.url, c)
			}
		})
	}

	// On a results page each card's link and pick link carry the picks:
	// a picked card takes itself off, another adds itself.
	body := html.UnescapeString(do(s, "GET", "/directory?sheet="+a, nil).Body.String())
	links := regexp.MustCompile(`<h3><a href="(/services/[^"]+)">`).FindAllStringSubmatch(body, -1)
	if len(links) == 0 {
		t.Fatal("no result links")
	}
	for _, l := range links {
		if !strings.HasSuffix(l[1], "?sheet="+a) {
			t.Errorf("result link %s drops the picks", l[1])
		}
	}
	picks := regexp.MustCompile(`<p class="pick"><a class="button[^"]*" href="([^"]+)">`).FindAllStringSubmatch(body, -1)
	if len(picks) != len(links) {
		t.Fatalf("%d pick links for %d results", len(picks), len(links))
	}
	for _, p := range picks {
		u, err := url.Parse(p[1])
		if err != nil {
			t.Fatal(err)
		}
		id := strings.TrimPrefix(u.Fragment, "svc-")
		want := a + "," + id
		if id == a {
			want = ""
		}
		if got := u.Query().Get("sheet"); got != want {
			t.Errorf("pick link %s: sheet %q, want %q", p[1], got, want)
		}
	}
}

// TestCompare shows two or three services side by side, in English and
// Spanish, with distances when a place is given.
func TestCompare(t *testing.T) {
	s, svcs := MustDirectoryServer(t)
	a, b, c, d := svcs[0].ID, svcs[1].ID, svcs[2].ID, svcs[3].ID
	tests := []struct {
		url      string
		contains []string
		lacks    []string
	}{
		{"/referral/compare?ids=" + a + "," + b, []string{svcs[0].Name, svcs[1].Name, "Hours", "Languages", "Who can get help", "Fees", `<table class="table compare">`},
			[]string{"Distance", "Pick two or three"}},
		{"/referral/compare?ids=" + a + "," + b + "," + c + "&place=77002", []string{svcs[2].Name, "Distance", "mi away", "Distances from 77002."}, nil},
		// Issue 19: a place by name, in the units of its country or as asked.
		{"/referral/compare?ids=" + a + "," + b + "&place=Houston,+TX", []string{"Distance", "mi away", "Distances from Houston, TX."}, nil},
		{"/referral/compare?ids=" + a + "," + b + "&place=Houston&units=km", []string{"km away"}, nil},
		{"/referral/compare?ids=" + a + "," + b + "&place=Texas", []string{svcs[0].Name}, []string{"Distance"}},
		{"/referral/compare?lang=es&ids=" + a + "," + b + "&place=29.76,-95.37", []string{"Comparar servicios", "Horario", "Distancia", "km"}, nil},
		{"/referral/compare?ids=" + a + "," + b + "&place=00000", []string{svcs[0].Name}, []string{"Distance"}},
		{"/referral/compare?ids=" + a, []string{"Pick two or three services"}, []string{"<table"}},
		{"/referral/compare?ids=" + a + "," + b + "," + c + "," + d, []string{"Pick two or three services"}, []string{"<table"}},
		{"/referral/compare?lang=es", []string{"Elija dos o tres servicios"}, nil},
	}
	for _, tt := range tests {
		w := do(s, "GET", tt.url, nil)
		if w.Code != 200 {
			t.Errorf("%s: status %d", tt.url, w.Code)
			continue
		}
		body := html.UnescapeString(w.Body.String())
		for _, want := range tt.contains {
			if !strings.Contains(body, want) {
				t.Errorf("%s lacks %q", tt.url, want)
			}
		}
		for _, bad := range tt.lacks {
			if strings.Contains(body, bad) {
				t.Errorf("%s has %q", tt.url, bad)
			}
		}
	}
}

// TestLastVerifiedOnce: the label says "Last verified" and the value is the
// date alone, on the service page and the referral sheet.
func TestLastVerifiedOnce(t *testing.T) {
	s, svcs := MustDirectoryServer(t)
	var id string
	for _, sv := range svcs {
		if sv.XLastVerified != "" {
			id = sv.ID
			break
		}
	}
	if id == "" {
		t.Fatal("no sample service was ever verified")
	}
	for _, u := range []string{"/services/" + id, "/referral?id=" + id, "/services/" + id + "?lang=es", "/referral?lang=es&id=" + id} {
		body := html.UnescapeString(do(s, "GET", u, nil).Body.String())
		label := "Last verified"
		if strings.Contains(u, "lang=es") {
			label = "Última verificación"
		}
		if n := strings.Count(body, label); n != 1 {
			t.Errorf("%s says %q %d times, want once", u, label, n)
		}
		if strings.Contains(body, "Last verified on") || strings.Contains(body, "Verificado por última vez") {
			t.Errorf("%s doubles the label", u)
		}
	}
}
