package referral

import "testing"

func TestRevealing(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"Houston Anti-Trafficking Alliance", true},
		{"help@antitraffickingcenter.org", true},
		{"Survivors of human trafficking", true},
		{"People who were trafficked", true},
		{"National Human Trafficking Hotline", true},
		{"Call the hotline", true},
		{"Línea Nacional contra la Trata de Personas", true},
		{"la trata de personas", true},
		{"víctimas de tráfico", true},
		{"TRÁFICO DE PERSONAS", true},
		{"traficantes", true},
		{"llame a la línea de ayuda", true},
		{"Linea directa", true},
		{"Helpline", true},
		{"Legal Aid of Houston", false},
		{"Tratamiento de salud mental", false},
		{"Se trata de un refugio", true}, // "trata" also means "is about": over-redaction is the safe side
		{"Road traffic court", false},
		{"Mon–Fri 09:00–17:00", false},
		{"+1 (713) 555-0142", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := Revealing(tt.text); got != tt.want {
			t.Errorf("Revealing(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
