package http

import (
	"strings"
	"testing"

	"haven/i18n"
)

// TestDiscreetEntries: a name that names trafficking becomes "Contact N";
// other such fields, and whom the service is for, are left out; what
// reaches the service stays.
func TestDiscreetEntries(t *testing.T) {
	l := i18n.New("en")
	in := []sheetEntry{
		{Name: "Legal Aid of Houston", Organization: "Houston Anti-Trafficking Alliance", Address: "c/o Anti-Trafficking Center\n100 Main St\nHouston, TX 77002",
			Phones: []phoneView{{Number: "+1 713 555 0142", Note: "hotline"}}, Email: "help@antitrafficking.example",
			Hours: []string{"Mon–Fri 09:00–17:00", "Hotline 24/7"}, Languages: []string{"English", "Spanish"},
			Eligibility: "Survivors of trafficking", Apply: "Call", Documents: "None", Remove: "/referral?id=b"},
		{Name: "Línea contra la Trata", Phones: []phoneView{{Number: "+1 713 555 0199"}}},
	}
	got := discreetEntries(l, in)
	a, b := got[0], got[1]
	if a.Name != "Legal Aid of Houston" || a.Organization != "" || a.Email != "" || a.Eligibility != "" || a.Apply != "" || a.Documents != "" {
		t.Errorf("first entry: %+v", a)
	}
	if a.Address != "100 Main St\nHouston, TX 77002" || len(a.Phones) != 1 || a.Phones[0].Note != "" || a.Phones[0].Number != "+1 713 555 0142" {
		t.Errorf("first entry's address and phone: %q %+v", a.Address, a.Phones)
	}
	if strings.Join(a.Hours, ";") != "Mon–Fri 09:00–17:00" || len(a.Languages) != 2 || a.Remove != "/referral?discreet=1&id=b" {
		t.Errorf("first entry's hours, languages, remove: %v %v %q", a.Hours, a.Languages, a.Remove)
	}
	if b.Name != "Contact 2" || len(b.Phones) != 1 {
		t.Errorf("second entry: %+v", b)
	}
}
