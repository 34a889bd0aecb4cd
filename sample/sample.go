// Package sample generates realistic, clearly fake HSDS 3.0 data for demos,
// tests and benchmarks of Haven's provider directory.
//
// The output is deterministic: the same n and seed always give the same
// services, byte for byte once encoded, and Services(m, seed) is a prefix
// of Services(n, seed) for m < n. Nothing depends on the clock: dates are
// spread over the 24 months before ReferenceDate.
//
// The data says it is fake in the data itself: every organization name
// ends with " (sample)", every service and organization description begins
// "Sample data, not a real provider. ", both carry x_sample: true, e-mail
// addresses and websites are at example.org, and telephone numbers are in
// ranges reserved for fiction (555-01XX in North America) or too short to
// dial elsewhere. Places, postal codes and coordinates are real city
// centres (coordinates jittered by up to 8 km); street addresses are
// made up.
package sample

import (
	"math"
	"time"

	"haven"
	"haven/geo"
	"haven/hsds"
)

// ReferenceDate is the fixed "today" of the sample data: x_last_verified
// dates fall in the 24 months before it, last_modified times shortly
// before those.
var ReferenceDate = time.Date(2026, time.November, 1, 0, 0, 0, 0, time.UTC)

const (
	verifiedDays = 730 // x_last_verified is 1–730 days before ReferenceDate
	modifiedLag  = 120 // last_modified is up to this many days earlier still
	jitterKm     = 8
	maxLanguages = 5
)

// Services generates n services and calls emit with each, in order,
// stopping at the first error emit returns, which Services returns.
//
// Each service is complete as in the HSDS 3.0 service document: its
// organization, service_at_locations with their locations and addresses,
// phones, schedules, languages and attributes (Haven category taxonomy
// terms, see Taxonomy) are nested in it. Services of one organization
// share their *hsds.Organization, some share a *hsds.Location, and all
// share the taxonomy terms of their attributes: treat what emit receives
// as read-only. Emit may keep the services.
//
// Ids are version 5 style UUIDs derived from (seed, index, role).
func Services(n int, seed int64, emit func(*hsds.Service) error) error {
	g := generator{seed: seed, catCycle: -1, placeCycle: -1}
	for i := 0; i < n; i++ {
		if err := emit(g.service(i)); err != nil {
			return err
		}
	}
	return nil
}

// TaxonomyName is the name of Haven's category taxonomy.
const TaxonomyName = "Haven service categories"

// Taxonomy returns Haven's category taxonomy (id haven.CategoryTaxonomyID)
// and one term per haven.Categories entry, in that order, with code = the
// category and fixed ids (the same for every seed): the terms the
// attributes of Services refer to. The results are fresh copies.
func Taxonomy() (hsds.Taxonomy, []hsds.TaxonomyTerm) {
	terms := make([]hsds.TaxonomyTerm, len(baseTerms))
	copy(terms, baseTerms)
	return taxonomy, terms
}

var taxonomy = hsds.Taxonomy{
	ID:          haven.CategoryTaxonomyID,
	Name:        TaxonomyName,
	Description: "The categories of service in Haven's directory of providers who serve survivors of human trafficking.",
	Version:     "1",
}

// TermID returns the fixed id of the taxonomy term of a category code:
// the version 5 UUID of the code in the namespace haven.CategoryTaxonomyID.
func TermID(code string) string {
	return v5(uuidBytes(haven.CategoryTaxonomyID), []byte(code)).uuid()
}

var (
	// baseTerms are the terms as in taxonomy_terms.csv; nestedTerms the
	// same with their taxonomy nested, as attributes carry them.
	baseTerms   []hsds.TaxonomyTerm
	nestedTerms []hsds.TaxonomyTerm
	catIndex    = map[string]int{}
	catData     []*catText
	// dates[d] is the date d days before ReferenceDate.
	dates [verifiedDays + modifiedLag + 1]string
	// twoDigits[i] is i as two digits.
	twoDigits [100]string
)

func init() {
	for i, code := range haven.Categories {
		catIndex[code] = i
		ct := catTexts[code]
		if ct == nil {
			ct = &fallbackText
		}
		catData = append(catData, ct)
		name, desc := ct.label, ct.desc
		if name == "" {
			name, desc = code, "Services in the category "+code+"."
		}
		baseTerms = append(baseTerms, hsds.TaxonomyTerm{
			ID: TermID(code), Code: code, Name: name, Description: desc,
			Taxonomy: TaxonomyName, TaxonomyID: haven.CategoryTaxonomyID, Language: "en",
		})
	}
	nestedTerms = make([]hsds.TaxonomyTerm, len(baseTerms))
	copy(nestedTerms, baseTerms)
	for i := range nestedTerms {
		nestedTerms[i].TaxonomyDetail = &taxonomy
	}
	// Drop categories that are no longer in haven.Categories.
	known := func(cs []string) []string {
		var out []string
		for _, c := range cs {
			if _, ok := catIndex[c]; ok {
				out = append(out, c)
			}
		}
		return out
	}
	for i := range orgTypes {
		orgTypes[i].cats = known(orgTypes[i].cats)
	}
	for _, ct := range catTexts {
		ct.related = known(ct.related)
	}
	for d := range dates {
		dates[d] = ReferenceDate.AddDate(0, 0, -d).Format(time.DateOnly)
	}
	for i := range twoDigits {
		twoDigits[i] = string([]byte{byte('0' + i/10), byte('0' + i%10)})
	}
}

// orgState is the organization services are being generated for.
type orgState struct {
	key    key
	org    *hsds.Organization
	typ    *orgType
	place  *place
	anchor int // category of its first service
	size   int // number of services
	used   int
	shared *hsds.Location // the location all its services use, or nil
}

type generator struct {
	seed       int64
	orgs       int // organizations started
	org        orgState
	catCycle   int
	catPerm    []int
	placeCycle int
	placePerm  []int
}

// deck returns element j%len of a seed-dependent permutation of 0..len-1
// that changes every len draws, so that every run of len organizations
// covers every category (and every place).
func (g *generator) deck(kind byte, j, n int, cycle *int, perm *[]int) int {
	c := j / n
	if c != *cycle {
		*cycle = c
		k := newKey(g.seed, kind, uint64(c))
		r := k.rng()
		p := (*perm)[:0]
		for i := 0; i < n; i++ {
			p = append(p, i)
		}
		for i := n - 1; i > 0; i-- {
			x := r.intn(i + 1)
			p[i], p[x] = p[x], p[i]
		}
		*perm = p
	}
	return (*perm)[j%n]
}

// nextOrg starts the next organization.
func (g *generator) nextOrg() {
	j := g.orgs
	g.orgs++
	k := newKey(g.seed, kindOrg, uint64(j))
	r := k.rng()
	anchor := g.deck(kindCatDeck, j, len(haven.Categories), &g.catCycle, &g.catPerm)
	p := &places[g.deck(kindPlaceDeck, j, len(places), &g.placeCycle, &g.placePerm)]
	ti, ok := anchorType[haven.Categories[anchor]]
	if !ok {
		ti = 4
	}
	t := &orgTypes[ti]

	size := 1
	switch u := r.intn(100); {
	case u >= 85:
		size = 4
	case u >= 60:
		size = 3
	case u >= 30:
		size = 2
	}

	var name string
	if r.chance(p.esOrg) {
		name = pick(&r, t.coresES) + " " + pick(&r, orgNamesES)
	} else {
		prefix := pick(&r, orgPrefixes)
		if r.chance(0.2) {
			prefix = p.city
		}
		name = prefix + " " + pick(&r, t.cores)
		if p.british {
			name = british.Replace(name)
		}
	}
	slug := slugify(name)
	desc := samplePrefix + t.desc[0] + p.display + t.desc[1]
	if s := pick(&r, orgSecondSentences); s != "" {
		desc += " " + s
	}
	if p.british {
		desc = british.Replace(desc)
	}
	id := k.uuid()
	o := &hsds.Organization{
		ID:            id,
		Name:          name + sampleSuffix,
		Description:   desc,
		Email:         slug + "@example.org",
		Website:       "https://example.org/" + slug,
		XLastVerified: dates[1+r.intn(verifiedDays)],
		XSample:       new(bool),
	}
	*o.XSample = true
	if r.chance(0.6) {
		y := float64(1975 + r.intn(48))
		o.YearIncorporated = &y
	}
	if r.chance(0.7) {
		o.LegalStatus = p.legal
	}
	o.Phones = []hsds.Phone{{
		ID: k.child(rolePhone, 0).uuid(), OrganizationID: id,
		Number: p.phone + twoDigits[r.intn(100)], Type: "voice", Description: "Main office",
	}}
	g.org = orgState{key: k, org: o, typ: t, place: p, anchor: anchor, size: size}
	if r.chance(0.25) {
		g.org.shared = newLocation(k, 0, &r, &g.org, "Main office", "")
	}
}

// newLocation makes location n of an organization or service whose key
// is k, in the organization's city.
func newLocation(k key, n uint64, r *rng, o *orgState, name, desc string) *hsds.Location {
	p := o.place
	if p.british {
		name = british.Replace(name)
	}
	id := k.child(roleLocation, n).uuid()
	// A uniform point within jitterKm of the city centre.
	d := jitterKm * math.Sqrt(r.float())
	sin, cos := math.Sincos(2 * math.Pi * r.float())
	coords := new([2]float64)
	coords[0] = round6(p.lat + d*cos/111.32)
	coords[1] = round6(p.lon + d*sin/(111.32*p.cosLat))

	a := hsds.Address{
		ID:            k.child(roleAddress, n).uuid(),
		LocationID:    id,
		Address1:      street(r, p),
		City:          p.city,
		StateProvince: p.region,
		PostalCode:    pick(r, p.postal),
		Country:       p.country,
		AddressType:   "physical",
	}
	if p.country == "US" && r.chance(0.25) {
		a.Address2 = pick(r, address2s)
	}
	loc := &hsds.Location{
		ID:             id,
		LocationType:   "physical",
		OrganizationID: o.org.ID,
		Name:           name,
		Description:    desc,
		Latitude:       &coords[0],
		Longitude:      &coords[1],
		Addresses:      []hsds.Address{a},
	}
	if r.chance(0.5) {
		t := pick(r, accessTexts)
		loc.Accessibility = []hsds.Accessibility{{
			ID: k.child(roleAccessibility, n).uuid(), LocationID: id,
			Description: t.desc, Details: t.details,
		}}
	}
	return loc
}

func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }

// street makes up a street address in the style of the place.
func street(r *rng, p *place) string {
	var b [64]byte
	s := b[:0]
	name := pick(r, p.streets)
	switch p.style {
	case styleNumberFirst:
		s = appendInt(s, 100+r.intn(9800))
		s = append(s, ' ')
		s = append(s, name...)
	case styleNumberAfter:
		s = append(s, name...)
		s = append(s, ' ')
		s = appendInt(s, 1+r.intn(1500))
	case styleNumberComma:
		s = append(s, name...)
		s = append(s, ", "...)
		s = appendInt(s, 1+r.intn(120))
	case styleGuatemala:
		s = append(s, name...)
		s = append(s, ' ')
		s = appendInt(s, 1+r.intn(20))
		s = append(s, '-')
		s = append(s, twoDigits[1+r.intn(99)]...)
		s = append(s, ", Zona 1"...)
	}
	return string(s)
}

func appendInt(b []byte, n int) []byte {
	var d [20]byte
	i := len(d)
	for {
		i--
		d[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return append(b, d[i:]...)
}

var (
	weekdays   = "MO,TU,WE,TH,FR"
	everyDay   = "MO,TU,WE,TH,FR,SA,SU"
	schedTypes = []struct {
		byday, opens, closes, desc string
		weight                     int
	}{
		{weekdays, "09:00", "17:00", "", 60},
		{weekdays, "08:30", "16:30", "", 15},
		{"MO,WE,FR", "10:00", "14:00", "", 10},
		{"TU,TH", "13:00", "19:00", "Evening hours.", 15},
	}
)

// service generates service i.
func (g *generator) service(i int) *hsds.Service {
	if g.org.used == g.org.size {
		g.nextOrg()
	}
	o := &g.org
	pos := o.used
	o.used++
	p := o.place
	us := p.country == "US"

	k := newKey(g.seed, kindService, uint64(i))
	r := k.rng()
	id := k.uuid()
	nums := new([4]float64) // ages and cost

	// Categories: the organization's anchor first, then others it offers.
	var cats [3]int
	nc := 1
	cats[0] = o.anchor
	if pos > 0 && len(o.typ.cats) > 0 {
		c := catIndex[pick(&r, o.typ.cats)]
		if c == o.anchor {
			c = catIndex[o.typ.cats[(r.intn(len(o.typ.cats)))]]
		}
		cats[0] = c
	}
	primary := catData[cats[0]]
	extra := 0
	switch u := r.intn(10); {
	case u >= 8:
		extra = 2
	case u >= 4:
		extra = 1
	}
	if rel := primary.related; len(rel) > 0 {
		start := r.intn(len(rel))
		for j := 0; j < len(rel) && nc < 1+extra; j++ {
			c := catIndex[rel[(start+j)%len(rel)]]
			if c != cats[0] && (nc < 2 || c != cats[1]) {
				cats[nc] = c
				nc++
			}
		}
	}

	// Languages.
	langs := make([]hsds.Language, 0, maxLanguages)
	hasES := false
	for j, l := range p.langs {
		if j > 0 && !r.chance(l.p) {
			continue
		}
		langs = append(langs, hsds.Language{
			ID: k.child(roleLanguage, uint64(len(langs))).uuid(), ServiceID: id,
			Name: langNames[l.code], Code: l.code,
		})
		hasES = hasES || l.code == "es"
		if len(langs) == maxLanguages {
			break
		}
	}

	s := &hsds.Service{
		ID:             id,
		OrganizationID: o.org.ID,
		Organization:   o.org,
		Status:         "active",
		Languages:      langs,
		XSample:        new(bool),
	}
	*s.XSample = true

	// Names and description.
	if p.esPrimary {
		s.Name = pick(&r, primary.namesES)
		s.AlternateName = pick(&r, primary.names)
	} else {
		s.Name = pick(&r, primary.names)
		if hasES {
			s.AlternateName = pick(&r, primary.namesES)
		}
	}
	desc := samplePrefix + sentence(&r, primary, us)
	if nc > 1 && r.chance(0.5) {
		desc += " " + sentence(&r, catData[cats[1]], us)
	}
	if p.british {
		desc += " " + counsellingSentence
	}
	s.Description = desc

	e := eligibility[pick(&r, primary.elig)]
	s.EligibilityDescription = e.text
	if e.min >= 0 {
		nums[0] = e.min
		s.MinimumAge = &nums[0]
	}
	if e.max >= 0 {
		nums[1] = e.max
		s.MaximumAge = &nums[1]
	}
	s.ApplicationProcess = applyTexts[pick(&r, primary.apply)]
	s.FeesDescription = pick(&r, feeTexts)
	if len(langs) > 1 {
		s.InterpretationServices = pick(&r, interpretationTexts)
	}
	if p.british {
		s.Name = british.Replace(s.Name)
		s.AlternateName = british.Replace(s.AlternateName)
		s.Description = british.Replace(s.Description)
		s.EligibilityDescription = british.Replace(s.EligibilityDescription)
	}
	if r.chance(0.5) {
		s.URL = o.org.Website + "/" + haven.Categories[cats[0]]
	}
	if r.chance(0.3) {
		s.Email = o.org.Email
	}

	// Status: about 3% each of inactive, defunct and temporarily closed.
	switch u := r.intn(100); {
	case u < 3:
		s.Status = "inactive"
	case u < 6:
		s.Status = "defunct"
	case u < 9:
		s.Status = "temporarily closed"
		s.Alert = "Temporarily closed; call for referrals to other providers."
	}

	// Dates.
	d := 1 + r.intn(verifiedDays)
	s.XLastVerified = dates[d]
	s.LastModified = dateTime(dates[d+r.intn(modifiedLag)], &r)

	// Phones.
	phoneDesc := "Main line"
	if primary.allDay {
		phoneDesc = "24-hour line"
	}
	number := p.phone + twoDigits[r.intn(100)]
	s.Phones = make([]hsds.Phone, 1, 2)
	s.Phones[0] = hsds.Phone{ID: k.child(rolePhone, 0).uuid(), ServiceID: id, Number: number, Type: "voice", Description: phoneDesc}
	if r.chance(0.25) {
		s.Phones = append(s.Phones, hsds.Phone{ID: k.child(rolePhone, 1).uuid(), ServiceID: id, Number: number, Type: "text", Description: "Text messages"})
	}

	// Schedules.
	s.Schedules = make([]hsds.Schedule, 1, 2)
	sc := &s.Schedules[0]
	*sc = hsds.Schedule{ID: k.child(roleSchedule, 0).uuid(), ServiceID: id, Freq: "WEEKLY"}
	if primary.allDay {
		sc.ByDay, sc.OpensAt, sc.ClosesAt = everyDay, "00:00", "23:59"
		sc.Description = "Open 24 hours a day, 7 days a week."
		if r.chance(0.3) {
			s.Schedules = append(s.Schedules, hsds.Schedule{ID: k.child(roleSchedule, 1).uuid(), ServiceID: id, Freq: "WEEKLY",
				ByDay: weekdays, OpensAt: "09:00", ClosesAt: "17:00", Description: "Office hours for intake appointments."})
		}
	} else {
		u := r.intn(100)
		t := schedTypes[0]
		for _, t = range schedTypes {
			if u < t.weight {
				break
			}
			u -= t.weight
		}
		sc.ByDay, sc.OpensAt, sc.ClosesAt, sc.Description = t.byday, t.opens, t.closes, t.desc
		if r.chance(0.15) {
			s.Schedules = append(s.Schedules, hsds.Schedule{ID: k.child(roleSchedule, 1).uuid(), ServiceID: id, Freq: "WEEKLY",
				ByDay: "SA", OpensAt: "10:00", ClosesAt: "14:00", Description: "Saturday hours."})
		}
	}

	// Locations.
	nl := 1
	if r.chance(0.2) {
		nl = 2
	}
	s.ServiceAtLocations = make([]hsds.ServiceAtLocation, nl)
	for j := range s.ServiceAtLocations {
		var loc *hsds.Location
		if j == 0 && o.shared != nil {
			loc = o.shared
		} else if primary == shelterText {
			loc = newLocation(k, uint64(j), &r, o, "Intake office", shelterLocationDesc)
		} else {
			loc = newLocation(k, uint64(j), &r, o, pick(&r, locationNames), "")
		}
		s.ServiceAtLocations[j] = hsds.ServiceAtLocation{
			ID: k.child(roleSAL, uint64(j)).uuid(), ServiceID: id, LocationID: loc.ID, Location: loc,
		}
	}

	// Categories as attributes.
	s.Attributes = make([]hsds.Attribute, nc)
	for j := range s.Attributes {
		t := &nestedTerms[cats[j]]
		s.Attributes[j] = hsds.Attribute{
			ID: k.child(roleAttribute, uint64(j)).uuid(), LinkID: id, LinkEntity: "service",
			TaxonomyTermID: t.ID, TaxonomyTerm: t,
		}
	}

	// Optional parts.
	if r.chance(0.3) {
		area := hsds.ServiceArea{ID: k.child(roleServiceArea, 0).uuid(), ServiceID: id, Name: p.areaLocal, Description: p.areaDesc}
		if r.chance(0.3) {
			area.Name = p.areaWide
		}
		s.ServiceAreas = []hsds.ServiceArea{area}
	}
	if r.chance(0.15) {
		c := hsds.CostOption{ID: k.child(roleCostOption, 0).uuid(), ServiceID: id, Currency: p.currency}
		if r.chance(0.5) {
			c.Option = "Initial consultation"
			c.AmountDescription = "Free"
		} else {
			c.Option = "Sliding scale"
			nums[2] = float64(10 * (1 + r.intn(5)))
			c.AmountDescription = "Per session; waived for survivors without income"
			s.FeesDescription = slidingFee
		}
		c.Amount = &nums[2]
		s.CostOptions = []hsds.CostOption{c}
	}
	if r.chance(0.25) {
		docs := make([]hsds.RequiredDocument, 0, 2)
		doc := docTexts.id
		if !us {
			doc = docTexts.idIntl
		}
		docs = append(docs, hsds.RequiredDocument{ID: k.child(roleDocument, 0).uuid(), ServiceID: id, Document: doc})
		var second string
		switch {
		case us && primary == immigrationText:
			second = docTexts.immigration
		case primary == laborText:
			second = docTexts.labor
		case s.FeesDescription == slidingFee:
			second = docTexts.income
		}
		if second != "" {
			docs = append(docs, hsds.RequiredDocument{ID: k.child(roleDocument, 1).uuid(), ServiceID: id, Document: second})
		}
		s.RequiredDocuments = docs
	}
	if r.chance(0.25) {
		fi, li := r.intn(len(firstNames)), r.intn(len(lastNames))
		s.Contacts = []hsds.Contact{{
			ID: k.child(roleContact, 0).uuid(), ServiceID: id,
			Name:  firstNames[fi] + " " + lastNames[li],
			Title: pick(&r, primary.titles),
			Email: emailLocal[fi] + "." + emailLocal[len(firstNames)+li] + "@example.org",
		}}
	}
	return s
}

// emailLocal holds the lower-case first names, then the last names.
var emailLocal = func() []string {
	var out []string
	for _, n := range firstNames {
		out = append(out, slugify(n))
	}
	for _, n := range lastNames {
		out = append(out, slugify(n))
	}
	return out
}()

var (
	shelterText     = catTexts["shelter"]
	immigrationText = catTexts["immigration-legal"]
	laborText       = catTexts["labor-rights"]
)

// sentence picks the first description sentence for a category.
func sentence(r *rng, ct *catText, us bool) string {
	if !us && ct.intl != nil {
		return pick(r, ct.intl)
	}
	return pick(r, ct.sentences)
}

// dateTime returns date at a random office-hours time as RFC 3339 UTC.
func dateTime(date string, r *rng) string {
	var b [20]byte
	copy(b[:], date)
	b[10] = 'T'
	copy(b[11:], twoDigits[8+r.intn(11)])
	b[13] = ':'
	copy(b[14:], twoDigits[r.intn(60)])
	b[16] = ':'
	copy(b[17:], twoDigits[r.intn(60)])
	b[19] = 'Z'
	return string(b[:])
}

// CountrySummaries returns a placeholder summary for each country other
// than the United States that the sample puts services in. They are
// marked Sample, say that they describe nothing real, and carry no
// hotlines: real numbers must come from curators.
func CountrySummaries() []haven.CountrySummary {
	var out []haven.CountrySummary
	seen := map[string]bool{"US": true}
	for _, p := range places {
		if seen[p.country] {
			continue
		}
		seen[p.country] = true
		art := foreignArticle[p.country]
		en := art[0] + geo.CountryName(p.country, "en")
		es := art[1] + geo.CountryName(p.country, "es")
		out = append(out, haven.CountrySummary{
			Country: p.country,
			Summary: haven.Localized{
				"en": "Sample summary. In a real deployment a curator writes here a short, sourced account of trafficking in " + en +
					": common forms, who is affected, and where survivors can get help. This text describes nothing real.",
				"es": "Resumen de ejemplo. En un sitio real, una persona encargada del contenido escribe aquí un relato breve y con fuentes sobre la trata de personas en " + es +
					": sus formas más comunes, a quién afecta y dónde pueden pedir ayuda las personas sobrevivientes. Este texto no describe nada real.",
			},
			Hotlines: []haven.CountryHotline{},
			Sample:   true,
		})
	}
	return out
}
