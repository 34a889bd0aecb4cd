package main

import (
	"net/url"
	"strconv"
)

// A class is a kind of search people make, with the queries that stand
// for it. The words, states, categories, languages and places are ones
// the sample data (package sample) really holds, so every query finds
// services at 10,000 and above: at 10,000 the narrowest finds about 20.
type class struct {
	ID, Label string
	Queries   []url.Values
}

// classes are the six classes of issue 10, in the order the report lists
// them. Changing them changes what every earlier result measured: keep
// them fixed, or compare only runs made with the same ones.
var classes = []class{
	{"broad", "one common word", []url.Values{
		{"q": {"survivors"}},
		{"q": {"trafficking"}},
		{"q": {"help"}},
		{"q": {"services"}},
	}},
	{"words", "2–3 words", []url.Values{
		{"q": {"legal immigration"}},
		{"q": {"emergency shelter"}},
		{"q": {"mental health counseling"}},
		{"q": {"trauma counseling housing"}},
	}},
	{"state", "word + state", []url.Values{
		{"q": {"shelter"}, "state": {"TX"}},
		{"q": {"legal"}, "state": {"CA"}},
		{"q": {"counseling"}, "state": {"NY"}},
		{"q": {"housing"}, "state": {"FL"}},
	}},
	{"catlang", "word + category + language", []url.Values{
		{"q": {"help"}, "category": {"legal-services"}, "language": {"es"}},
		{"q": {"counseling"}, "category": {"mental-health"}, "language": {"es"}},
		{"q": {"shelter"}, "category": {"shelter"}, "language": {"en"}},
		{"q": {"food"}, "category": {"food-clothing"}, "language": {"zh"}},
	}},
	{"radius", "word + 25–50 km radius", []url.Values{
		{"q": {"housing"}, "postcode": {"77002"}, "radius_km": {"25"}},           // Houston
		{"q": {"counseling"}, "near": {"41.8781,-87.6298"}, "radius_km": {"50"}}, // Chicago
		{"q": {"legal"}, "postcode": {"10001"}, "radius_km": {"25"}},             // New York
		{"q": {"shelter"}, "postcode": {"90012"}, "radius_km": {"50"}},           // Los Angeles
	}},
	{"filters", "word + 2–3 filters", []url.Values{
		{"q": {"trauma"}, "state": {"CA"}, "category": {"mental-health"}, "language": {"es"}},
		{"q": {"legal"}, "country": {"US"}, "language": {"es"}},
		{"q": {"survivors"}, "state": {"TX"}, "category": {"housing"}},
		{"q": {"interpreters"}, "country": {"MX"}, "language": {"es"}},
	}},
}

// The endpoints a search goes through, and the service page.
const (
	endpointAPI       = "api"       // GET /api/v1/search: the index's answer as JSON
	endpointDirectory = "directory" // GET /directory: the same search as an HTML page with 20 cards read from the database
	endpointService   = "page"      // GET /services/{id}
	classService      = "service"
	perPage           = 20 // both endpoints answer a page of 20, as /directory does
)

var classLabels = map[string]string{classService: "service page"}

func init() {
	for _, c := range classes {
		classLabels[c.ID] = c.Label
	}
}

// A request is one entry of the mix.
type request struct {
	Class, Endpoint string
	Path            string // path and query; empty for a service page, whose id is chosen when sent
}

// searchPath is the URL of a query through an endpoint.
func searchPath(endpoint string, q url.Values) string {
	v := url.Values{}
	for k, vs := range q {
		v[k] = vs
	}
	if endpoint == endpointAPI {
		v.Set("per_page", strconv.Itoa(perPage))
		return "/api/v1/search?" + v.Encode()
	}
	return "/directory?" + v.Encode()
}

// mix is the fixed sequence every connection walks, each from its own
// starting point: each query of each class through the API and through
// /directory, and as many service pages as one class has requests. So in
// any stretch of the run every class gets the same share of requests.
func mix() []request {
	var m []request
	services := 0
	for _, c := range classes {
		for _, q := range c.Queries {
			m = append(m, request{c.ID, endpointAPI, searchPath(endpointAPI, q)}, request{c.ID, endpointDirectory, searchPath(endpointDirectory, q)})
			services++
		}
	}
	// Service pages spread through the sequence rather than bunched at
	// its end.
	services = services * 2 / len(classes)
	out := make([]request, 0, len(m)+services)
	every := len(m) / services
	for i, r := range m {
		out = append(out, r)
		if (i+1)%every == 0 && services > 0 {
			out = append(out, request{Class: classService, Endpoint: endpointService})
			services--
		}
	}
	return out
}

// searches are the queries of the mix through the API, in class order:
// what the SQL comparison times.
func searches() []request {
	var out []request
	for _, c := range classes {
		for _, q := range c.Queries {
			out = append(out, request{c.ID, endpointAPI, searchPath(endpointAPI, q)})
		}
	}
	return out
}
