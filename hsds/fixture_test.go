package hsds

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"haven/internal/testenv"

	"github.com/google/uuid"
)

// specDir returns the official HSDS 3.0 folder of shared/, beside the
// repository, or skips the test loudly when a bare clone has none (see
// testenv.Shared). What a bare clone can check, it checks with Haven's own
// validator and the fixtures in testdata.
func specDir(t testing.TB) string {
	t.Helper()
	return testenv.Shared(t, "hsds/v3.0")
}

// spec returns the path of one file or folder of the official HSDS 3.0
// specification; see specDir.
func spec(t testing.TB, parts ...string) string {
	t.Helper()
	return testenv.Shared(t, "hsds/v3.0/"+strings.Join(parts, "/"))
}

// dataPackageFile is the official datapackage.json, copied into testdata
// so that a bare clone reads and writes packages (TestDataPackageCopy
// checks the copy against the original when shared/ is there).
const dataPackageFile = "testdata/csv_fixed/datapackage.json"

// dataPackage31File is the official HSDS 3.1 datapackage.json, copied the
// same way: the tables Haven reads and writes are 3.1's.
const dataPackage31File = "testdata/datapackage-3.1.json"

// spec31 returns the path of one file or folder of the official HSDS 3.1
// specification (v3.1-dev in shared/); see specDir.
func spec31(t testing.TB, parts ...string) string {
	t.Helper()
	return testenv.Shared(t, "hsds/v3.1-dev/"+strings.Join(parts, "/"))
}

var fixtureNS = uuid.MustParse("6ba7b811-9dad-11d1-80b4-00c04fd430c8")

// fid makes a stable id from a name.
func fid(format string, args ...any) string {
	return uuid.NewSHA1(fixtureNS, fmt.Appendf(nil, format, args...)).String()
}

func ptr[T any](v T) *T { return &v }

// fullService builds a realistic service using every HSDS object, in the
// canonical form ReadPackage returns (every link filled, lists in id order,
// one parent per object), so that a tabular round trip gives it back
// exactly. Services i and j share an organization when i/10 == j/10.
func fullService(i int) *Service {
	o := i / 10
	orgID := fid("org %d", o)
	taxID := fid("taxonomy")
	term := &TaxonomyTerm{
		ID: fid("term %d", o%5), Code: fmt.Sprintf("HT-%d", o%5), Name: "Emergency shelter",
		Description: "Short-term safe housing for survivors.", Taxonomy: "Haven services",
		Language: "en", TaxonomyID: taxID, TermURI: "https://haven.example/terms/shelter",
		TaxonomyDetail: &Taxonomy{ID: taxID, Name: "Haven services", Description: "Haven's own service taxonomy.", URI: "https://haven.example/taxonomy", Version: "1"},
	}
	attr := func(owner, entity, name string) []Attribute {
		return []Attribute{{
			ID: fid("attr %s", name), LinkID: owner, TaxonomyTermID: term.ID, LinkType: "service_type",
			LinkEntity: entity, Value: "yes", Label: "Service type", TaxonomyTerm: term,
		}}
	}
	meta := func(owner, entity, name string) []Metadata {
		return []Metadata{{
			ID: fid("meta %s", name), ResourceID: owner, ResourceType: entity, LastActionDate: "2025-01-15",
			LastActionType: "create", FieldName: "name", PreviousValue: "", ReplacementValue: "Safe Harbor", UpdatedBy: "importer",
		}}
	}
	locID := fid("loc %d", o)
	lphone := fid("loc phone %d", o)
	loc := Location{
		ID: locID, LocationType: "physical", URL: "https://haven.example/l", OrganizationID: orgID,
		Name: "Safe Harbor House", Description: "Confidential address; call first.\nLine two \"quoted\", with comma.",
		Latitude: ptr(40.7128), Longitude: ptr(-74.006), ExternalIdentifier: "X1", ExternalIdentifierType: "internal",
		Languages: []Language{{ID: fid("loc lang %d", o), LocationID: locID, Name: "Spanish", Code: "es"}},
		Addresses: []Address{{ID: fid("addr %d", o), LocationID: locID, Address1: "1 Main St", City: "New York",
			StateProvince: "NY", PostalCode: "10001", Country: "US", AddressType: "physical"}},
		Contacts:      []Contact{{ID: fid("loc contact %d", o), LocationID: locID, Name: "Front desk", Email: "desk@haven.example"}},
		Accessibility: []Accessibility{{ID: fid("acc %d", o), LocationID: locID, Description: "Step-free entrance", URL: "https://haven.example/a"}},
		Phones: []Phone{{ID: lphone, LocationID: locID, Number: "+1 212 555 0100", Type: "voice",
			Languages: []Language{{ID: fid("phone lang %d", o), PhoneID: lphone, Name: "English", Code: "en"}}}},
		Schedules: []Schedule{{ID: fid("loc sched %d", o), LocationID: locID, Freq: "WEEKLY", WKST: "MO", ByDay: "MO,TU,WE,TH,FR",
			OpensAt: "09:00", ClosesAt: "17:00", Timezone: ptr(-5.0), Description: "Office hours"}},
		Attributes: attr(locID, "location", fmt.Sprint("loc ", o)),
	}
	progID := fid("prog %d", o)
	prog := Program{ID: progID, OrganizationID: orgID, Name: "Survivor support", Description: "Shelter, legal and health help."}
	org := &Organization{
		ID: orgID, Name: fmt.Sprintf("Safe Harbor %d", o), AlternateName: "SH", Description: "Serves survivors of trafficking.",
		Email: "info@haven.example", Website: "https://haven.example", YearIncorporated: ptr(2004.0), LegalStatus: "nonprofit",
		URI: "https://haven.example/org", ParentOrganizationID: fid("parent org"),
		AdditionalWebsites:      []URL{{ID: fid("org url %d", o), Label: "Donate", URL: "https://haven.example/donate", OrganizationID: orgID}},
		Funding:                 []Funding{{ID: fid("org fund %d", o), OrganizationID: orgID, Source: "State grant"}},
		Contacts:                []Contact{{ID: fid("org contact %d", o), OrganizationID: orgID, Name: "Director", Title: "Executive Director"}},
		Phones:                  []Phone{{ID: fid("org phone %d", o), OrganizationID: orgID, Number: "+1 212 555 0101", Type: "voice"}},
		Locations:               []Location{loc},
		Programs:                []Program{prog},
		OrganizationIdentifiers: []OrganizationIdentifier{{ID: fid("orgid %d", o), OrganizationID: orgID, IdentifierScheme: "US-EIN", IdentifierType: "EIN", Identifier: "12-3456789"}},
		Metadata:                meta(orgID, "organization", fmt.Sprint("org ", o)),
		XLastVerified:           "2025-02-01",
		XSample:                 ptr(true),
	}
	sid := fid("service %d", i)
	salID := fid("sal %d", i)
	contactID := fid("svc contact %d", i)
	s := &Service{
		ID: sid, OrganizationID: orgID, ProgramID: progID, Name: fmt.Sprintf("Emergency shelter %d", i),
		AlternateName: "Shelter", Description: "24/7 confidential shelter for adults.\nNo ID needed.",
		URL: "https://haven.example/s", Email: "shelter@haven.example", Status: "active",
		InterpretationServices: "Phone interpretation in 200 languages", ApplicationProcess: "Call the hotline",
		FeesDescription: "Free", EligibilityDescription: "Adults 18+", MinimumAge: ptr(18.0), MaximumAge: ptr(120.0),
		AssuredDate: "2025-01-10", AssurerEmail: "qa@haven.example", Alert: "Location confidential",
		LastModified:   "2025-01-10T12:00:00.000Z",
		AdditionalURLs: []URL{{ID: fid("svc url %d", i), Label: "Intake form", URL: "https://haven.example/intake", ServiceID: sid}},
		Phones:         []Phone{{ID: fid("svc phone %d", i), ServiceID: sid, Number: "+1 888 373 7888", Type: "voice", Description: "Hotline"}},
		Schedules: []Schedule{{ID: fid("svc sched %d", i), ServiceID: sid, Freq: "WEEKLY", Interval: ptr(1.0), ByDay: "MO,-1FR",
			DTStart: "2025-01-01", ValidFrom: "2025-01-01", ValidTo: "2025-12-31", Count: ptr(10.0), OpensAt: "00:00:00", ClosesAt: "23:59:59Z"}},
		ServiceAreas: []ServiceArea{{ID: fid("area %d", i), ServiceID: sid, Name: "New York City", ExtentType: "text", Extent: "NYC"}},
		ServiceAtLocations: []ServiceAtLocation{{
			ID: salID, ServiceID: sid, LocationID: locID, Description: "Main shelter",
			Contacts: []Contact{{ID: fid("sal contact %d", i), ServiceAtLocationID: salID, Name: "Intake"}},
			Phones:   []Phone{{ID: fid("sal phone %d", i), ServiceAtLocationID: salID, Number: "+1 212 555 0102"}},
			Schedules: []Schedule{{ID: fid("sal sched %d", i), ServiceAtLocationID: salID, Freq: "MONTHLY", ByMonthDay: "1,15",
				ByDay: "2MO", OpensAt: "10:00-05:00", ClosesAt: "12:00-05:00"}},
			ServiceAreas: []ServiceArea{{ID: fid("sal area %d", i), ServiceAtLocationID: salID, Name: "Manhattan", ExtentType: "text", Extent: "Manhattan"}},
			Location:     &org.Locations[0],
		}},
		Languages:    []Language{{ID: fid("svc lang %d", i), ServiceID: sid, Name: "English", Code: "en", Note: "Also ASL"}},
		Organization: org,
		Funding:      []Funding{{ID: fid("svc fund %d", i), ServiceID: sid, Source: "Donations"}},
		CostOptions: []CostOption{{ID: fid("cost %d", i), ServiceID: sid, ValidFrom: "2025-01-01", ValidTo: "2025-12-31",
			Option: "All", Currency: "USD", Amount: ptr(0.0), AmountDescription: "Free of charge"}},
		Program:           &org.Programs[0],
		RequiredDocuments: []RequiredDocument{{ID: fid("doc %d", i), ServiceID: sid, Document: "None required", URI: "https://haven.example/d"}},
		Contacts: []Contact{{ID: contactID, ServiceID: sid, Name: "Case manager", Department: "Intake",
			Phones: []Phone{{ID: fid("contact phone %d", i), ContactID: contactID, Number: "+1 212 555 0103", Extension: ptr(12.0)}}}},
		Capacities: []ServiceCapacity{{ID: fid("capacity %d", i), ServiceID: sid, UnitID: fid("unit bed"),
			Unit:      &Unit{ID: fid("unit bed"), Name: "Bed", Scheme: "Haven", Identifier: "bed", URI: "https://haven.example/units/bed"},
			Available: ptr(3.0), Maximum: ptr(12.0), Description: "Emergency beds tonight", Updated: "2025-01-10T21:30:06.5-05:00"}},
		Attributes:    attr(sid, "service", fmt.Sprint("svc ", i)),
		Metadata:      meta(sid, "service", fmt.Sprint("svc ", i)),
		XLastVerified: "2025-02-01",
		XSample:       ptr(false),
	}
	return s
}

// firstDiff renders both values as JSON and names the first differing line.
func firstDiff(a, b any) string {
	ja, _ := json.MarshalIndent(a, "", " ")
	jb, _ := json.MarshalIndent(b, "", " ")
	if bytes.Equal(ja, jb) {
		return "(same JSON; differ in Go only, e.g. nil versus empty slice)"
	}
	la, lb := strings.Split(string(ja), "\n"), strings.Split(string(jb), "\n")
	for i := 0; i < len(la) && i < len(lb); i++ {
		if la[i] != lb[i] {
			return fmt.Sprintf("line %d:\n got  %s\n want %s", i+1, la[i], lb[i])
		}
	}
	return fmt.Sprintf("lengths differ: %d and %d lines", len(la), len(lb))
}

func readFile(t testing.TB, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func deepEqual(a, b any) bool { return reflect.DeepEqual(a, b) }

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
