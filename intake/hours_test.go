package intake

import (
	"strings"
	"testing"
)

// hoursText writes schedules as "MO,TU 09:00-17:00; …" for comparison.
func hoursText(text string) (string, bool) {
	scheds, ok := ParseHours(text)
	var parts []string
	for _, s := range scheds {
		parts = append(parts, s.ByDay+" "+s.OpensAt+"-"+s.ClosesAt)
	}
	return strings.Join(parts, "; "), ok
}

func TestParseHours(t *testing.T) {
	const week = "MO,TU,WE,TH,FR"
	for _, tc := range []struct{ in, want string }{
		{"Mon-Fri 9am-5pm", week + " 09:00-17:00"},
		{"Mon - Fri, 9:00 a.m. – 5:00 p.m.", week + " 09:00-17:00"},
		{"Tue & Thu 10:00-16:00", "TU,TH 10:00-16:00"},
		{"24/7", "MO,TU,WE,TH,FR,SA,SU 00:00-23:59"},
		{"Open 24 hours", "MO,TU,WE,TH,FR,SA,SU 00:00-23:59"},
		{"Lunes a viernes 9-17", week + " 09:00-17:00"},
		{"Lunes a Viernes de 9:00 a 17:00", week + " 09:00-17:00"},
		{"lun-vie 8 a 16; sáb 9 a 13", week + " 08:00-16:00; SA 09:00-13:00"},
		{"M-F 9-5", week + " 09:00-17:00"},
		{"Mon-Fri 9-12, 1-5", week + " 09:00-12:00; " + week + " 13:00-17:00"},
		{"Mon, Wed, Fri 8:30am-4:30pm", "MO,WE,FR 08:30-16:30"},
		{"Weekdays 9-5; Sat 10am-2pm", week + " 09:00-17:00; SA 10:00-14:00"},
		{"Daily 8am-8pm", "MO,TU,WE,TH,FR,SA,SU 08:00-20:00"},
		{"9am-5pm Mon-Fri", week + " 09:00-17:00"},
		{"Mon-Fri 0900-1730", week + " 09:00-17:30"},
		{"Sat noon to 6pm", "SA 12:00-18:00"},
		{"Fri-Mon 10-2", "MO,FR,SA,SU 10:00-14:00"},
		{"Mon-Fri 9-5, Sat closed", week + " 09:00-17:00"},
		{"Todos los días 7-19", "MO,TU,WE,TH,FR,SA,SU 07:00-19:00"},
		{"Fines de semana 10-14", "SA,SU 10:00-14:00"},
	} {
		got, ok := hoursText(tc.in)
		if !ok || got != tc.want {
			t.Errorf("ParseHours(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
	for _, in := range []string{"By appointment, call first", "Mon-Fri", "9-5", "Mon-Fri 9-5 except holidays", "Mon 25:00-26:00",
		"Mon 5pm-9am", "call", "", "Mon-Fri 9-5 Tue", "Lunes por la mañana"} {
		if got, ok := hoursText(in); ok {
			t.Errorf("ParseHours(%q) = %q; want it kept as text", in, got)
		}
	}
}

func TestMatchHeader(t *testing.T) {
	for in, want := range map[string]string{
		"Agency Name ":              FieldOrganization,
		"ORGANIZACIÓN":              FieldOrganization,
		"Nombre de la agencia":      FieldOrganization,
		"Program":                   FieldService,
		"Servicio":                  FieldService,
		"Dirección":                 FieldAddress,
		"Street Address":            FieldAddress,
		"Ciudad":                    FieldCity,
		"State/Province":            FieldState,
		"ZIP Code":                  FieldPostalCode,
		"Código Postal":             FieldPostalCode,
		"Phone Number":              FieldPhone,
		"Teléfono(s)":               FieldPhone,
		"Main Phone #":              FieldPhone,
		"Web site":                  FieldWebsite,
		"Sitio web":                 FieldWebsite,
		"E-mail":                    FieldEmail,
		"Correo electrónico":        FieldEmail,
		"Services":                  FieldCategories,
		"Categorías":                FieldCategories,
		"Languages Spoken":          FieldLanguages,
		"Idiomas":                   FieldLanguages,
		"Hours of Operation":        FieldHours,
		"Horario":                   FieldHours,
		"Who is served":             FieldEligibility,
		"¿A quién sirve?":           FieldEligibility,
		"Elegibilidad":              FieldEligibility,
		"Notas":                     FieldNotes,
		"Description":               FieldDescription,
		"Descripción":               FieldDescription,
		"Fax":                       "",
		"Contact Person":            "",
		"":                          "",
		"Name":                      "",
		"Population Served":         FieldEligibility,
		"Date Verified":             FieldLastVerified,
		"Organization Description ": FieldOrgDescription,
	} {
		if got := MatchHeader(in); got != want {
			t.Errorf("MatchHeader(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestSplitCell(t *testing.T) {
	for in, want := range map[string]string{
		"English, Spanish, Vietnamese":  "English|Spanish|Vietnamese",
		"English and Spanish":           "English|Spanish",
		"Legal / Shelter; Food":         "Legal|Shelter|Food",
		"Legal Services (T/U visas)":    "Legal Services (T/U visas)",
		"Inglés y español\nVietnamita ": "Inglés|español|Vietnamita",
	} {
		if got := strings.Join(splitCell(in), "|"); got != want {
			t.Errorf("splitCell(%q) = %q; want %q", in, got, want)
		}
	}
}
