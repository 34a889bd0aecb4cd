package intake

import (
	"strings"

	"haven/hsds"
)

// categorySynonyms are the names coalitions give the categories of Haven's
// taxonomy (haven.Categories), in English and Spanish, as HeaderKey writes
// them. The terms' own codes and names, and their labels in the message
// catalogs, are matched too.
var categorySynonyms = map[string][]string{
	"legal-services": {"legal", "legal aid", "legal help", "legal services", "legal assistance", "attorney", "lawyer",
		"t visa", "asesoria legal", "ayuda legal", "servicios legales", "abogado", "abogados", "asistencia legal"},
	"immigration-legal": {"immigration", "immigration legal", "immigration services", "immigration help", "visa",
		"inmigracion", "migracion", "ayuda migratoria", "servicios de inmigracion", "asesoria migratoria"},
	"shelter": {"shelter", "emergency shelter", "safe house", "safehouse", "refugio", "albergue", "casa segura",
		"albergue de emergencia", "casa refugio"},
	"housing": {"housing", "transitional housing", "rental assistance", "long term housing", "vivienda",
		"vivienda transitoria", "alojamiento", "ayuda con la renta"},
	"case-management": {"case management", "case manager", "advocacy", "victim advocacy", "advocate", "navigation",
		"manejo de casos", "gestion de casos", "acompanamiento", "defensoria"},
	"medical-care": {"medical", "medical care", "health", "health care", "healthcare", "clinic", "medico",
		"atencion medica", "salud", "clinica", "servicios medicos"},
	"mental-health": {"mental health", "counseling", "counselling", "therapy", "trauma counseling", "salud mental",
		"consejeria", "terapia", "psicologia", "apoyo psicologico"},
	"substance-use": {"substance use", "substance abuse", "addiction", "recovery", "drug treatment", "adicciones",
		"consumo de sustancias", "tratamiento de adicciones"},
	"crisis-hotline": {"hotline", "crisis line", "crisis hotline", "24 hour hotline", "helpline", "linea de crisis",
		"linea de ayuda", "linea directa", "linea de emergencia"},
	"food-clothing": {"food", "clothing", "food pantry", "food and clothing", "basic needs", "alimentos", "comida",
		"ropa", "despensa", "alimentos y ropa", "necesidades basicas"},
	"employment": {"employment", "jobs", "job training", "job placement", "workforce", "empleo", "trabajo",
		"capacitacion laboral", "bolsa de trabajo"},
	"education": {"education", "esl", "english classes", "ged", "tutoring", "educacion", "clases de ingles",
		"escuela", "tutoria"},
	"interpretation": {"interpretation", "interpreting", "translation", "interpreter", "interpretacion", "traduccion",
		"interprete"},
	"law-enforcement-liaison": {"law enforcement", "law enforcement liaison", "police", "police liaison",
		"enlace policial", "policia", "fuerzas del orden"},
	"youth-services": {"youth", "youth services", "children", "kids", "minors", "teens", "jovenes", "ninos",
		"menores", "servicios para jovenes", "adolescentes"},
	"labor-rights": {"labor rights", "workers rights", "worker rights", "labor", "wage theft", "derechos laborales",
		"derechos de los trabajadores"},
}

// categoryIndex finds the taxonomy term a category name stands for.
type categoryIndex map[string]*hsds.TaxonomyTerm

// newCategoryIndex indexes terms by code, name, the other names given by
// code (the labels of the message catalogs) and synonyms. A name two terms
// share names neither.
func newCategoryIndex(terms []hsds.TaxonomyTerm, names map[string][]string) categoryIndex {
	idx := categoryIndex{}
	taken := map[string]bool{}
	put := func(name string, t *hsds.TaxonomyTerm) {
		k := HeaderKey(name)
		if k == "" {
			return
		}
		if old, ok := idx[k]; ok && old.Code != t.Code {
			taken[k] = true
		}
		idx[k] = t
	}
	for i := range terms {
		t := &terms[i]
		put(t.Code, t)
		put(t.Name, t)
		for _, n := range names[t.Code] {
			put(n, t)
		}
		for _, s := range categorySynonyms[t.Code] {
			put(s, t)
		}
	}
	for k := range taken {
		delete(idx, k)
	}
	return idx
}

// find returns the term a category name stands for, or nil.
func (idx categoryIndex) find(name string) *hsds.TaxonomyTerm {
	k := HeaderKey(name)
	if t, ok := idx[k]; ok {
		return t
	}
	// "Legal Services (T/U visas)": the words before a parenthesis.
	if before, _, ok := strings.Cut(name, "("); ok {
		return idx[HeaderKey(before)]
	}
	return nil
}

// splitCell splits a cell listing several values: "English, Spanish;
// Vietnamese", "Legal / Shelter", one a line, "English and Spanish".
func splitCell(s string) []string {
	depth := 0
	f := func(r rune) bool {
		switch r {
		case '(':
			depth++
		case ')':
			depth = max(depth-1, 0)
		}
		return depth == 0 && (r == ',' || r == ';' || r == '\n' || r == '|' || r == '•' || r == '/')
	}
	var out []string
	for _, part := range strings.FieldsFunc(s, f) {
		for _, w := range splitWords(part, " and ", " y ", " & ") {
			if w = strings.Trim(Clean(w), ".-*· "); w != "" {
				out = append(out, w)
			}
		}
	}
	return out
}

func splitWords(s string, seps ...string) []string {
	out := []string{s}
	for _, sep := range seps {
		var next []string
		for _, x := range out {
			low := strings.ToLower(x)
			for {
				i := strings.Index(low, sep)
				if i < 0 {
					break
				}
				next = append(next, x[:i])
				x, low = x[i+len(sep):], low[i+len(sep):]
			}
			next = append(next, x)
		}
		out = next
	}
	return out
}
