// Package match finds services that are likely the same real service
// described twice, usually by two sources: the same external identifier,
// the same phone number or web address, or a similar name near the same
// place. It is pure (no database): the store hands it records and
// curators decide what to do with the pairs.
//
// Comparing every service with every other is n² (5·10⁹ pairs for
// 100,000), so pairs come from blocks instead: services sharing a
// normalized phone, web address or identifier, or one of a name's two
// rarest words within the same place (a grid cell of about 5 km and its
// neighbours, a city or a postal code). Only services that meet in some
// block are compared. A block so large that its key says little (a
// national hotline, a word every shelter's name has in one city) is
// skipped. Blocking can miss a pair whose names are alike but share no
// rare word; that is the price of seconds instead of hours.
package match

import (
	"cmp"
	"math"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"haven/analyze"
	"haven/geo"
	"haven/hsds"
	"haven/phone"
)

// Reason codes, in the order a pair lists them.
const (
	ReasonIdentifier = "identifier" // the same external identifier
	ReasonPhone      = "phone"      // the same phone number
	ReasonURL        = "url"        // the same web address
	ReasonName       = "name"       // a similar name near the same place
)

// Weights of each reason in a pair's score: each is how likely the pair is
// one service on that evidence alone. They combine as independent
// evidence (1 − Π(1 − w)), so two reasons score above either.
var weights = map[string]float64{ReasonIdentifier: 0.7, ReasonPhone: 0.6, ReasonURL: 0.5, ReasonName: 0.8}

const (
	// NearKm is how close two places must be for similar names to count.
	NearKm = 5
	// MinNameSimilarity is the least name similarity (0..1) that counts.
	MinNameSimilarity = 0.6
	// cellDeg is the grid cell of the place blocks: 0.05° is 5.6 km of
	// latitude, so two places NearKm apart are in the same or adjacent
	// rows. A cell's width shrinks towards the poles (2.8 km at 60°), so a
	// place looks as many cells east and west as NearKm spans at its
	// latitude (lonReach); places beyond ±80° are left to city and postal
	// blocks.
	cellDeg = 0.05
	// maxBlock bounds a name block compared pairwise, maxExact a phone,
	// web address or identifier block; a larger one is skipped. A number
	// that 30 services share is a hotline or a switchboard, and says
	// nothing of which two are one.
	maxBlock = 100
	maxExact = 30
	// blockTokens is how many of a name's words key its name blocks: the
	// rarest ones, since two names alike enough share a rare word, and
	// common words ("services", a city's name) make blocks too large to
	// tell anything.
	blockTokens = 2
)

// Record is what matching knows of one service.
type Record struct {
	ID, OrgID     string
	Name, OrgName string
	// Sample services are only paired with sample services: a real service
	// must never be merged with made-up data.
	Sample bool
	// Phones are E.164 numbers, URLs normalized web addresses (see
	// NormalizeURL), Identifiers "scheme: value" keys (see identifierKey).
	Phones, URLs, Identifiers []string
	Places                    []Place
}

// Place is one place a service is offered.
type Place struct {
	Lat, Lon  float64
	HasCoords bool
	// Country is ISO 3166-1 alpha-2; City folded (analyze.Fold); Postal
	// upper case without spaces.
	Country, City, Postal string
}

// Reason is one piece of evidence that two services are the same.
type Reason struct {
	Code   string `json:"code"`
	Detail string `json:"detail"` // the shared value, or the similarity and distance
}

// Pair is two services that may be the same, A < B by id.
type Pair struct {
	A, B    string
	Score   float64 // 0..1, rounded to two decimals
	Reasons []Reason
}

// Key returns the ordered key of a pair of ids.
func Key(a, b string) [2]string {
	if b < a {
		a, b = b, a
	}
	return [2]string{a, b}
}

// Options tune Find.
type Options struct {
	// MinScore leaves out pairs scoring below it.
	MinScore float64
	// Distinct holds the pairs curators said are not the same (by Key).
	Distinct map[[2]string]bool
}

// FromService reads a service (nested as the store gives it) into a
// Record.
func FromService(s *hsds.Service) Record {
	r := Record{ID: s.ID, OrgID: s.OrganizationID, Name: s.Name, Sample: s.XSample != nil && *s.XSample}
	region := ""
	for _, sal := range s.ServiceAtLocations {
		l := sal.Location
		if l == nil {
			continue
		}
		p := Place{}
		if l.Latitude != nil && l.Longitude != nil && !math.IsNaN(*l.Latitude) && !math.IsNaN(*l.Longitude) {
			p.Lat, p.Lon, p.HasCoords = *l.Latitude, *l.Longitude, true
		}
		if a := l.MainAddress(); a != nil {
			p.Country = strings.ToUpper(strings.TrimSpace(a.Country))
			p.City = strings.Join(strings.Fields(analyze.Fold(a.City)), " ")
			p.Postal = strings.ToUpper(strings.ReplaceAll(a.PostalCode, " ", ""))
			if region == "" {
				region = p.Country
			}
		}
		if p.HasCoords || p.City != "" || p.Postal != "" {
			r.Places = append(r.Places, p)
		}
		if l.ExternalIdentifier != "" {
			r.Identifiers = append(r.Identifiers, identifierKey(l.ExternalIdentifierType, l.ExternalIdentifier))
		}
		if l.LocationType == "virtual" {
			r.URLs = append(r.URLs, NormalizeURL(l.URL))
		}
		for _, ph := range l.Phones {
			r.Phones = append(r.Phones, normalizePhone(ph.Number, region))
		}
		for _, ph := range sal.Phones {
			r.Phones = append(r.Phones, normalizePhone(ph.Number, region))
		}
	}
	for _, ph := range s.Phones {
		r.Phones = append(r.Phones, normalizePhone(ph.Number, region))
	}
	r.URLs = append(r.URLs, NormalizeURL(s.URL))
	if o := s.Organization; o != nil {
		r.OrgName = o.Name
		for _, ph := range o.Phones {
			r.Phones = append(r.Phones, normalizePhone(ph.Number, region))
		}
		r.URLs = append(r.URLs, NormalizeURL(o.Website))
		for _, id := range o.OrganizationIdentifiers {
			r.Identifiers = append(r.Identifiers, identifierKey(cmp.Or(id.IdentifierScheme, id.IdentifierType), id.Identifier))
		}
		if o.TaxID != "" {
			r.Identifiers = append(r.Identifiers, identifierKey("tax_id", o.TaxID))
		}
	}
	r.Phones, r.URLs, r.Identifiers = clean(r.Phones), clean(r.URLs), clean(r.Identifiers)
	return r
}

// clean sorts and drops empties and repeats.
func clean(xs []string) []string {
	xs = slices.DeleteFunc(xs, func(s string) bool { return s == "" })
	slices.Sort(xs)
	return slices.Compact(xs)
}

// normalizePhone returns a number's E.164 form (without extension: one
// switchboard serves many extensions), or "" when it cannot be read.
func normalizePhone(text, region string) string {
	number, _ := phone.Split(text)
	if isE164(number) {
		return number // stored numbers are E.164 already: skip the parse
	}
	if d := plusDigits(number); isE164(d) {
		return d // "+1 (713) 555-0101": with its country code, only punctuation to drop
	}
	if n, _, ok := phone.Parse(number, region); ok {
		return n
	}
	return ""
}

// plusDigits keeps the leading + and the digits of a number written with
// only spaces, brackets, hyphens and dots besides; "" for any other text.
func plusDigits(s string) string {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "+") {
		return ""
	}
	b := make([]byte, 1, len(s))
	b[0] = '+'
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			b = append(b, c)
		case c == ' ' || c == '(' || c == ')' || c == '-' || c == '.':
		default:
			return ""
		}
	}
	return string(b)
}

func isE164(s string) bool {
	if len(s) < 8 || len(s) > 16 || s[0] != '+' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// NormalizeURL reduces a web address to what names the page: host without
// "www." in lower case, and path without a trailing slash; scheme, port,
// query and fragment are dropped. It returns "" for text that is not a
// web address with a host.
func NormalizeURL(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if !strings.Contains(s, "://") {
		s = "http://" + s // "example.org/x", as people write them
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.User != nil {
		return ""
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	path := strings.TrimRight(u.EscapedPath(), "/")
	if i := strings.LastIndex(path, "/index."); i >= 0 && !strings.Contains(path[i+1:], "/") {
		path = path[:i]
	}
	return host + strings.ToLower(path)
}

// identifierKey is an identifier's scheme and value, folded and trimmed,
// so that "EIN" and "ein " meet.
func identifierKey(scheme, value string) string {
	value = strings.TrimSpace(value)
	if value == "" {
		return ""
	}
	return strings.Join(strings.Fields(analyze.Fold(scheme)), " ") + ": " + strings.ToLower(value)
}

// nameTokens are the folded words of a service's and its organization's
// names, stop words and "sample" left out, sorted and without repeats.
func nameTokens(r *Record) []string {
	var out []string
	for _, t := range analyze.Tokens(analyze.Fold(r.OrgName + " " + r.Name)) {
		if !analyze.IsStopWord(t) && t != "sample" {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// trigrams returns the character trigrams of each token, padded with a
// space each side (so a word of one or two letters still has one), as a
// sorted set of 32-bit hashes (comparing integers is what makes matching
// 100,000 services fast; a collision now and then moves a score a hair):
// word order does not matter, and a word added in the middle costs only
// its own trigrams.
func trigrams(tokens []string) []uint32 {
	var out []uint32
	for _, t := range tokens {
		s := " " + t + " "
		var starts []int
		for i := range s {
			starts = append(starts, i)
		}
		starts = append(starts, len(s))
		for i := 0; i+3 < len(starts); i++ {
			h := uint32(2166136261) // FNV-1a
			for _, c := range []byte(s[starts[i]:starts[i+3]]) {
				h = (h ^ uint32(c)) * 16777619
			}
			out = append(out, h)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// dice is 2|a∩b| / (|a|+|b|) of two sorted sets: the Sørensen–Dice
// coefficient, kinder than Jaccard to one name that adds a word.
func dice(a, b []uint32) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	i, j, both := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			both++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return 2 * float64(both) / float64(len(a)+len(b))
}

// NameSimilarity is how alike two names are, 0..1: the Dice coefficient
// of the trigrams of their folded words (stop words left out), so that
// word order, accents, case and small spelling differences matter little.
func NameSimilarity(a, b string) float64 {
	ra, rb := Record{Name: a}, Record{Name: b}
	return dice(trigrams(nameTokens(&ra)), trigrams(nameTokens(&rb)))
}

// prepared is a record with what comparing it needs, worked out once.
type prepared struct {
	*Record
	tokens []string
	grams  []uint32
	// phones, urls and ids are the record's values, hashed.
	phones, urls, ids []hashed
	rare              []string  // the blockTokens rarest tokens
	look              []nameKey // the place blocks it looks in (placeKeys)
}

// rarest returns the blockTokens rarest of a record's tokens by how many
// records have them, ties broken by the word, so that blocking is
// deterministic.
func rarest(tokens []string, df map[string]int32) []string {
	if len(tokens) <= blockTokens {
		return tokens
	}
	out := slices.Clone(tokens)
	slices.SortFunc(out, func(a, b string) int { return cmp.Or(cmp.Compare(df[a], df[b]), strings.Compare(a, b)) })
	return out[:blockTokens]
}

type cell struct{ x, y int32 }

// nameKey is a name word within a place: a grid cell, or a city or postal
// code (place "c:…", "p:…" for places without coordinates, "C:…", "P:…"
// for those with; see placeKeys).
type nameKey struct {
	cell  cell
	place string
	token string
}

// Find returns the pairs of records that may be one service, best first
// (then by ids), leaving out pairs scoring below opt.MinScore and those in
// opt.Distinct. Pairs of services of one organization count only with a
// similar name: services of one organization share its phone and site.
func Find(recs []Record, opt Options) []Pair {
	ps := make([]prepared, len(recs))
	for i := range recs {
		ps[i].Record = &recs[i]
		ps[i].tokens = nameTokens(&recs[i])
		ps[i].grams = trigrams(ps[i].tokens)
		ps[i].phones, ps[i].urls, ps[i].ids = hashAll(recs[i].Phones), hashAll(recs[i].URLs), hashAll(recs[i].Identifiers)
	}

	df := map[string]int32{} // how many records have each name word
	for i := range ps {
		for _, t := range ps[i].tokens {
			df[t]++
		}
	}
	// Blocks of equal phones, web addresses and identifiers, a map each.
	phones, urls, idents := map[string][]int32{}, map[string][]int32{}, map[string][]int32{}
	names := map[nameKey][]int32{}
	for i := range ps {
		ps[i].rare = rarest(ps[i].tokens, df)
		r := ps[i].Record
		for _, p := range r.Phones {
			phones[p] = append(phones[p], int32(i))
		}
		for _, u := range r.URLs {
			urls[u] = append(urls[u], int32(i))
		}
		for _, id := range r.Identifiers {
			idents[id] = append(idents[id], int32(i))
		}
		var in []nameKey
		in, ps[i].look = placeKeys(r)
		for _, place := range in {
			for _, t := range ps[i].rare {
				k := place
				k.token = t
				names[k] = appendOnce(names[k], int32(i))
			}
		}
	}

	// Each worker takes every workers-th record and keeps its own pairs;
	// the blocks are only read. The sort below makes the result the same
	// whatever the number of workers.
	workers := min(runtime.GOMAXPROCS(0), max(1, len(ps)/1000))
	found := make([][]Pair, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			seen := make([]int32, len(ps)) // seen[j] == i+1: pair (i, j) done
			try := func(i int, j int32) {
				if int(j) <= i || seen[j] == int32(i+1) {
					return
				}
				seen[j] = int32(i + 1)
				if p, ok := compare(&ps[i], &ps[j], opt); ok {
					found[w] = append(found[w], p)
				}
			}
			for i := w; i < len(ps); i += workers {
				r := ps[i].Record
				for _, g := range [...]struct {
					blocks map[string][]int32
					values []string
				}{{phones, r.Phones}, {urls, r.URLs}, {idents, r.Identifiers}} {
					for _, v := range g.values {
						if b := g.blocks[v]; len(b) > 1 && len(b) <= maxExact {
							for _, j := range b {
								try(i, j)
							}
						}
					}
				}
				for _, nk := range ps[i].look {
					for _, t := range ps[i].rare {
						nk.token = t
						if b := names[nk]; len(b) > 0 && len(b) <= maxBlock { // the block of a cell beside its own may hold the other alone
							for _, j := range b {
								try(i, j)
							}
						}
					}
				}
			}
		}()
	}
	wg.Wait()
	pairs := slices.Concat(found...)
	slices.SortFunc(pairs, func(a, b Pair) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), strings.Compare(a.A, b.A), strings.Compare(a.B, b.B))
	})
	return pairs
}

func appendOnce(b []int32, i int32) []int32 {
	if len(b) > 0 && b[len(b)-1] == i {
		return b
	}
	return append(b, i)
}

// placeKeys are the place blocks a record goes in, and those it looks in,
// without the token. A place with coordinates goes in its grid cell, and
// looks in the 3×3 cells around it; its city and postal code are only for
// places without coordinates to meet it by ("C:", "P:"), since two places
// with coordinates are near or not by distance alone. A place without
// coordinates goes in its city and postal code blocks ("c:", "p:") and
// looks in those of both kinds.
// lonReach is how many cells east and west of its own a place at lat
// looks, for NearKm to fall within them: a cell is narrower than NearKm
// away from the equator. The latitude is taken a cell further from the
// equator, so two places in neighbouring rows reach alike.
func lonReach(lat float64) int32 {
	width := 111.32 * math.Cos((math.Abs(lat)+cellDeg)*math.Pi/180) * cellDeg
	return int32(math.Ceil(NearKm / width))
}

func placeKeys(r *Record) (in, look []nameKey) {
	for _, p := range r.Places {
		city, postal := p.Country+"|"+p.City, p.Country+"|"+p.Postal
		if p.HasCoords && math.Abs(p.Lat) <= 80 {
			c := cell{int32(math.Floor(p.Lat / cellDeg)), int32(math.Floor(p.Lon / cellDeg))}
			in = append(in, nameKey{cell: c})
			reach := lonReach(p.Lat)
			for dx := int32(-1); dx <= 1; dx++ {
				for dy := -reach; dy <= reach; dy++ {
					look = append(look, nameKey{cell: cell{c.x + dx, c.y + dy}})
				}
			}
			if p.City != "" {
				in = append(in, nameKey{place: "C:" + city})
				look = append(look, nameKey{place: "c:" + city})
			}
			if p.Postal != "" {
				in = append(in, nameKey{place: "P:" + postal})
				look = append(look, nameKey{place: "p:" + postal})
			}
			continue
		}
		if p.City != "" {
			in = append(in, nameKey{place: "c:" + city})
			look = append(look, nameKey{place: "c:" + city}, nameKey{place: "C:" + city})
		}
		if p.Postal != "" {
			in = append(in, nameKey{place: "p:" + postal})
			look = append(look, nameKey{place: "p:" + postal}, nameKey{place: "P:" + postal})
		}
	}
	return in, look
}

// compare scores a candidate pair.
func compare(a, b *prepared, opt Options) (Pair, bool) {
	if a.Sample != b.Sample {
		return Pair{}, false
	}
	var reasons []Reason
	if k, ok := shared(a.ids, b.ids); ok {
		reasons = append(reasons, Reason{ReasonIdentifier, a.Identifiers[k]})
	}
	if k, ok := shared(a.phones, b.phones); ok {
		reasons = append(reasons, Reason{ReasonPhone, a.Phones[k]})
	}
	if k, ok := shared(a.urls, b.urls); ok {
		reasons = append(reasons, Reason{ReasonURL, a.URLs[k]})
	}
	nameSim := 0.0
	// Distance first: it is cheaper than the names, and far apart they
	// do not count.
	if km, ok := near(a.Record, b.Record); ok {
		if sim := dice(a.grams, b.grams); sim >= MinNameSimilarity {
			nameSim = sim
			where := "same city or postal code"
			if km >= 0 {
				where = strconv.FormatFloat(km, 'f', 1, 64) + " km apart"
			}
			reasons = append(reasons, Reason{ReasonName, strconv.Itoa(int(math.Round(sim*100))) + "% alike, " + where})
		}
	}
	if len(reasons) == 0 || (a.OrgID != "" && a.OrgID == b.OrgID && nameSim == 0) || opt.Distinct[Key(a.ID, b.ID)] {
		return Pair{}, false
	}
	miss := 1.0
	for _, r := range reasons {
		w := weights[r.Code]
		if r.Code == ReasonName {
			w *= nameSim
		}
		miss *= 1 - w
	}
	score := math.Round((1-miss)*100) / 100
	if score < opt.MinScore {
		return Pair{}, false
	}
	p := Pair{A: a.ID, B: b.ID, Score: score, Reasons: reasons}
	if p.B < p.A {
		p.A, p.B = p.B, p.A
	}
	return p, true
}

// hashed is a value's hash and its index in the record's sorted values.
type hashed struct {
	h uint64
	i int
}

// hashAll hashes values (FNV-1a) and sorts them by hash, so that two
// records' values meet by comparing integers.
func hashAll(vs []string) []hashed {
	out := make([]hashed, len(vs))
	for i, v := range vs {
		h := uint64(14695981039346656037)
		for j := 0; j < len(v); j++ {
			h = (h ^ uint64(v[j])) * 1099511628211
		}
		out[i] = hashed{h, i}
	}
	slices.SortFunc(out, func(a, b hashed) int { return cmp.Compare(a.h, b.h) })
	return out
}

// shared returns the index in a's values of the first value a and b share
// by hash (a 64-bit collision is not a practical worry).
func shared(a, b []hashed) (int, bool) {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i].h == b[j].h:
			return a[i].i, true
		case a[i].h < b[j].h:
			i++
		default:
			j++
		}
	}
	return 0, false
}

// near reports whether two records have places close together, and the
// least distance in km between places with coordinates (-1 when they met
// by city or postal code only).
func near(a, b *Record) (float64, bool) {
	best, found := math.Inf(1), false
	for _, p := range a.Places {
		for _, q := range b.Places {
			if p.HasCoords && q.HasCoords {
				if d := geo.DistanceKm(geo.Point{Lat: p.Lat, Lon: p.Lon}, geo.Point{Lat: q.Lat, Lon: q.Lon}); d <= NearKm && d < best {
					best = d
				}
			}
		}
	}
	if !math.IsInf(best, 1) {
		return best, true
	}
	for _, p := range a.Places {
		for _, q := range b.Places {
			// City or postal code count only when coordinates cannot say.
			if p.HasCoords && q.HasCoords || p.Country != q.Country {
				continue
			}
			if p.City != "" && p.City == q.City || p.Postal != "" && p.Postal == q.Postal {
				found = true
			}
		}
	}
	return -1, found
}
