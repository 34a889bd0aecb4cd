// Package sample generates realistic, clearly fake HSDS 3.0 data for demos,
// tests and benchmarks of Haven's provider directory.
//
// The output is deterministic: the same n and seed always give the same
// services, byte for byte once encoded, and Services(m, seed) is a prefix
// of Services(n, seed) for m < n. Nothing depends on the clock: dates are
// spread over the 24 months before ReferenceDate. Services may run
// concurrently.
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

// referenceDate is the fixed "today" of the sample data.
var referenceDate = time.Date(2026, time.November, 1, 0, 0, 0, 0, time.UTC)

// ReferenceDate returns the fixed "today" of the sample data, 2026-11-01
// UTC: x_last_verified dates fall in the 24 months before it,
// last_modified times up to four months before those.
func ReferenceDate() time.Time { return referenceDate }

const (
	verifiedDays = 730 // x_last_verified is 1–730 days before referenceDate
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
	// dates[d] is the date d days before referenceDate.
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
		dates[d] = referenceDate.AddDate(0, 0, -d).Format(time.DateOnly)
	}
	for i := range twoDigits {
		twoDigits[i] = string([]byte{byte('0' + i/10), byte('0' + i%10)})
	}
}

// orgState is the organization services are being generated for.
type orgState struct {
	org    *hsds.Organization
	typ    *orgType
	place  *place
	anchor int // category of its first service
	size   int // number of services
	used   int
	shared *hsds.Location // the location all its services use, or nil
}

// idRef is a string field waiting for the id at off in generator.idBuf.
type idRef struct {
	dst *string
	off int32
}

type generator struct {
	seed       int64
	orgs       int // organizations started
	org        orgState
	catCycle   int
	catPerm    []int
	placeCycle int
	placePerm  []int

	// The ids of one service (or organization) are written into idBuf and
	// become one string at the end (flush): one allocation instead of
	// one per id. Fields point into blocks that never move, so they can
	// be filled in then.
	idBuf []byte
	refs  []idRef
}

// newID appends the UUID of k to the pending ids and returns its offset.
func (g *generator) newID(k key) int32 {
	off := int32(len(g.idBuf))
	g.idBuf = k.appendUUID(g.idBuf)
	return off
}

// set makes *dst the pending id at off once flush runs.
func (g *generator) set(dst *string, off int32) {
	g.refs = append(g.refs, idRef{dst, off})
}

// flush turns the pending ids into one string and fills the fields.
func (g *generator) flush() {
	s := string(g.idBuf)
	for _, r := range g.refs {
		*r.dst = s[r.off : r.off+36]
	}
	g.idBuf = g.idBuf[:0]
	clear(g.refs)
	g.refs = g.refs[:0]
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

// orgBlock is an organization with what it points to, allocated at once.
type orgBlock struct {
	o      hsds.Organization
	phone  [1]hsds.Phone
	year   float64
	sample bool
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

	var name string // with sampleSuffix
	if r.chance(p.esOrg) {
		core := pick(&r, t.coresES)
		name = core + " " + pick(&r, orgNamesES) + sampleSuffix
	} else {
		prefix := pick(&r, orgPrefixes)
		if r.chance(0.2) {
			prefix = p.city
		}
		core := pick(&r, t.cores)
		if p.british {
			core = british.Replace(core)
		}
		name = prefix + " " + core + sampleSuffix
	}
	slug := slugify(name[:len(name)-len(sampleSuffix)])
	d0, d1 := t.desc[0], t.desc[1]
	if p.british {
		d0, d1 = british.Replace(d0), british.Replace(d1)
	}
	sep, second := "", pick(&r, orgSecondSentences)
	if second != "" {
		sep = " "
	}
	desc := samplePrefix + d0 + p.display + d1 + sep + second
	b := &orgBlock{sample: true}
	o := &b.o
	*o = hsds.Organization{
		Name:          name,
		Description:   desc,
		Email:         slug + "@example.org",
		Website:       "https://example.org/" + slug,
		XLastVerified: dates[1+r.intn(verifiedDays)],
		XSample:       &b.sample,
	}
	id := g.newID(k)
	g.set(&o.ID, id)
	if r.chance(0.6) {
		b.year = float64(1975 + r.intn(48))
		o.YearIncorporated = &b.year
	}
	if r.chance(0.7) {
		o.LegalStatus = p.legal
	}
	b.phone[0] = hsds.Phone{Number: p.phone + twoDigits[r.intn(100)], Type: "voice", Description: "Main office"}
	g.set(&b.phone[0].ID, g.newID(k.child(rolePhone, 0)))
	g.set(&b.phone[0].OrganizationID, id)
	o.Phones = b.phone[:]
	g.flush()

	g.org = orgState{org: o, typ: t, place: p, anchor: anchor, size: size}
	if r.chance(0.25) {
		g.org.shared, _ = g.newLocation(k, 0, &r, &g.org, "Main office", "")
		g.flush()
	}
}

// locBlock is a location with what it points to, allocated at once.
type locBlock struct {
	l      hsds.Location
	addr   [1]hsds.Address
	acc    [1]hsds.Accessibility
	coords [2]float64
}

// newLocation makes location n of an organization or service whose key
// is k, in the organization's city. Its ids are pending (see flush); the
// offset of its id is returned.
func (g *generator) newLocation(k key, n uint64, r *rng, o *orgState, name, desc string) (*hsds.Location, int32) {
	p := o.place
	if p.british {
		name = british.Replace(name)
	}
	b := new(locBlock)
	// A uniform point within jitterKm of the city centre.
	d := jitterKm * math.Sqrt(r.float())
	sin, cos := math.Sincos(2 * math.Pi * r.float())
	b.coords[0] = round6(p.lat + d*cos/111.32)
	b.coords[1] = round6(p.lon + d*sin/(111.32*p.cosLat))

	a := &b.addr[0]
	*a = hsds.Address{
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
	loc := &b.l
	*loc = hsds.Location{
		LocationType:   "physical",
		OrganizationID: o.org.ID,
		Name:           name,
		Description:    desc,
		Latitude:       &b.coords[0],
		Longitude:      &b.coords[1],
		Addresses:      b.addr[:],
	}
	id := g.newID(k.child(roleLocation, n))
	g.set(&loc.ID, id)
	g.set(&a.ID, g.newID(k.child(roleAddress, n)))
	g.set(&a.LocationID, id)
	if r.chance(0.5) {
		t := pick(r, accessTexts)
		c := &b.acc[0]
		c.Description, c.Details = t.desc, t.details
		g.set(&c.ID, g.newID(k.child(roleAccessibility, n)))
		g.set(&c.LocationID, id)
		loc.Accessibility = b.acc[:]
	}
	return loc, id
}

func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }

// street makes up a street address in the style of the place.
func street(r *rng, p *place) string {
	var b [64]byte
	s := b[:0]
	name := pick(r, p.streets)
	switch p.style {
	case styleNumberFirst:
		if p.country == "US" {
			s = appendInt(s, 100+r.intn(9800))
		} else {
			s = appendInt(s, 1+r.intn(250))
		}
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

// svcBlock is a service with the parts nearly every service has,
// allocated at once.
type svcBlock struct {
	s      hsds.Service
	sal    [1]hsds.ServiceAtLocation
	phone  [1]hsds.Phone
	sched  [1]hsds.Schedule
	attr   [2]hsds.Attribute // a third one is rare
	nums   [3]float64        // ages and cost
	sample bool
}

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
	b := &svcBlock{sample: true}
	s := &b.s
	sid := g.newID(k)
	g.set(&s.ID, sid)
	s.OrganizationID = o.org.ID
	s.Organization = o.org
	s.Status = "active"
	s.XSample = &b.sample

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
	var chosen [maxLanguages]int
	nl := 0
	hasES := false
	for j, l := range p.langs {
		if j > 0 && !r.chance(l.p) {
			continue
		}
		chosen[nl] = j
		nl++
		hasES = hasES || l.code == "es"
		if nl == maxLanguages {
			break
		}
	}
	s.Languages = make([]hsds.Language, nl)
	for j := range s.Languages {
		l := &s.Languages[j]
		l.Code = p.langs[chosen[j]].code
		l.Name = langNames[l.Code]
		g.set(&l.ID, g.newID(k.child(roleLanguage, uint64(j))))
		g.set(&l.ServiceID, sid)
	}

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
	s1 := sentence(&r, primary, us)
	var sep2, s2, sep3, s3 string
	if nc > 1 && r.chance(0.5) {
		sep2, s2 = " ", sentence(&r, catData[cats[1]], us)
	}
	if p.british {
		sep3, s3 = " ", counsellingSentence
	}
	s.Description = samplePrefix + s1 + sep2 + s2 + sep3 + s3

	e := eligibility[pick(&r, primary.elig)]
	s.EligibilityDescription = e.text
	if e.min >= 0 {
		b.nums[0] = e.min
		s.MinimumAge = &b.nums[0]
	}
	if e.max >= 0 {
		b.nums[1] = e.max
		s.MaximumAge = &b.nums[1]
	}
	s.ApplicationProcess = applyTexts[pick(&r, primary.apply)]
	s.FeesDescription = pick(&r, feeTexts)
	if nl > 1 {
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
	s.Phones = b.phone[:]
	if r.chance(0.25) {
		s.Phones = make([]hsds.Phone, 2)
		s.Phones[1] = hsds.Phone{Number: number, Type: "text", Description: "Text messages"}
	}
	s.Phones[0] = hsds.Phone{Number: number, Type: "voice", Description: phoneDesc}
	for j := range s.Phones {
		g.set(&s.Phones[j].ID, g.newID(k.child(rolePhone, uint64(j))))
		g.set(&s.Phones[j].ServiceID, sid)
	}

	// Schedules.
	var second *hsds.Schedule
	first := hsds.Schedule{Freq: "WEEKLY"}
	if primary.allDay {
		first.ByDay, first.OpensAt, first.ClosesAt = everyDay, "00:00", "23:59"
		first.Description = "Open 24 hours a day, 7 days a week."
		if r.chance(0.3) {
			second = &hsds.Schedule{Freq: "WEEKLY", ByDay: weekdays, OpensAt: "09:00", ClosesAt: "17:00",
				Description: "Office hours for intake appointments."}
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
		first.ByDay, first.OpensAt, first.ClosesAt, first.Description = t.byday, t.opens, t.closes, t.desc
		if r.chance(0.15) {
			second = &hsds.Schedule{Freq: "WEEKLY", ByDay: "SA", OpensAt: "10:00", ClosesAt: "14:00", Description: "Saturday hours."}
		}
	}
	s.Schedules = b.sched[:]
	if second != nil {
		s.Schedules = []hsds.Schedule{{}, *second}
	}
	s.Schedules[0] = first
	for j := range s.Schedules {
		g.set(&s.Schedules[j].ID, g.newID(k.child(roleSchedule, uint64(j))))
		g.set(&s.Schedules[j].ServiceID, sid)
	}

	// Locations.
	s.ServiceAtLocations = b.sal[:]
	if r.chance(0.2) {
		s.ServiceAtLocations = make([]hsds.ServiceAtLocation, 2)
	}
	for j := range s.ServiceAtLocations {
		sal := &s.ServiceAtLocations[j]
		if j == 0 && o.shared != nil {
			sal.Location, sal.LocationID = o.shared, o.shared.ID
		} else {
			var off int32
			if primary == shelterText {
				sal.Location, off = g.newLocation(k, uint64(j), &r, o, "Intake office", shelterLocationDesc)
			} else {
				sal.Location, off = g.newLocation(k, uint64(j), &r, o, pick(&r, locationNames), "")
			}
			g.set(&sal.LocationID, off)
		}
		g.set(&sal.ID, g.newID(k.child(roleSAL, uint64(j))))
		g.set(&sal.ServiceID, sid)
	}

	// Categories as attributes.
	if nc <= len(b.attr) {
		s.Attributes = b.attr[:nc]
	} else {
		s.Attributes = make([]hsds.Attribute, nc)
	}
	for j := range s.Attributes {
		a := &s.Attributes[j]
		t := &nestedTerms[cats[j]]
		a.LinkEntity, a.TaxonomyTermID, a.TaxonomyTerm = "service", t.ID, t
		g.set(&a.ID, g.newID(k.child(roleAttribute, uint64(j))))
		g.set(&a.LinkID, sid)
	}

	// Optional parts.
	if r.chance(0.3) {
		area := hsds.ServiceArea{Name: p.areaLocal, Description: p.areaDesc}
		if r.chance(0.3) {
			area.Name = p.areaWide
		}
		s.ServiceAreas = []hsds.ServiceArea{area}
		g.set(&s.ServiceAreas[0].ID, g.newID(k.child(roleServiceArea, 0)))
		g.set(&s.ServiceAreas[0].ServiceID, sid)
	}
	if r.chance(0.15) {
		c := hsds.CostOption{Currency: p.currency, Amount: &b.nums[2]}
		if r.chance(0.5) {
			c.Option = "Initial consultation"
			c.AmountDescription = "Free"
		} else {
			c.Option = "Sliding scale"
			b.nums[2] = float64(10 * (1 + r.intn(5)))
			c.AmountDescription = "Per session; waived for survivors without income"
			s.FeesDescription = slidingFee
		}
		s.CostOptions = []hsds.CostOption{c}
		g.set(&s.CostOptions[0].ID, g.newID(k.child(roleCostOption, 0)))
		g.set(&s.CostOptions[0].ServiceID, sid)
	}
	if r.chance(0.25) {
		doc := docTexts.id
		if !us {
			doc = docTexts.idIntl
		}
		var second string
		switch {
		case us && primary == immigrationText:
			second = docTexts.immigration
		case primary == laborText:
			second = docTexts.labor
		case s.FeesDescription == slidingFee:
			second = docTexts.income
		}
		if second == "" {
			s.RequiredDocuments = []hsds.RequiredDocument{{Document: doc}}
		} else {
			s.RequiredDocuments = []hsds.RequiredDocument{{Document: doc}, {Document: second}}
		}
		for j := range s.RequiredDocuments {
			g.set(&s.RequiredDocuments[j].ID, g.newID(k.child(roleDocument, uint64(j))))
			g.set(&s.RequiredDocuments[j].ServiceID, sid)
		}
	}
	if r.chance(0.25) {
		fi, li := r.intn(len(firstNames)), r.intn(len(lastNames))
		s.Contacts = []hsds.Contact{{
			Name:  firstNames[fi] + " " + lastNames[li],
			Title: pick(&r, primary.titles),
			Email: emailLocal[fi] + "." + emailLocal[len(firstNames)+li] + "@example.org",
		}}
		g.set(&s.Contacts[0].ID, g.newID(k.child(roleContact, 0)))
		g.set(&s.Contacts[0].ServiceID, sid)
	}
	g.flush()
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
