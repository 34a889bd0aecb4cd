package intake

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"

	"haven/geo"
)

// The fields a spreadsheet column can fill: what Haven makes of one row
// of a coalition's list (one service or program).
const (
	FieldOrganization   = "organization"             // the agency's name
	FieldOrgDescription = "organization_description" // what the agency does
	FieldService        = "service"                  // the program's name
	FieldDescription    = "description"
	FieldAddress        = "address" // street and number
	FieldAddress2       = "address_2"
	FieldCity           = "city"
	FieldState          = "state"
	FieldPostalCode     = "postal_code"
	FieldCountry        = "country"
	FieldLatitude       = "latitude"
	FieldLongitude      = "longitude"
	FieldPhone          = "phone"
	FieldWebsite        = "website"
	FieldEmail          = "email"
	FieldCategories     = "categories"
	FieldLanguages      = "languages"
	FieldHours          = "hours"
	FieldEligibility    = "eligibility"
	FieldFees           = "fees"
	FieldApplication    = "application_process"
	FieldNotes          = "notes"
	FieldLastVerified   = "last_verified"
	FieldSample         = "sample" // "yes" marks sample data (x_sample)
	// FieldIgnore, given with --map, leaves a column out on purpose: it is
	// not reported as unmapped.
	FieldIgnore = "ignore"
)

// Fields are the fields a --map can name, in the order help lists them.
var Fields = []string{
	FieldOrganization, FieldOrgDescription, FieldService, FieldDescription, FieldAddress, FieldAddress2,
	FieldCity, FieldState, FieldPostalCode, FieldCountry, FieldLatitude, FieldLongitude, FieldPhone, FieldWebsite, FieldEmail,
	FieldCategories, FieldLanguages, FieldHours, FieldEligibility, FieldFees, FieldApplication,
	FieldNotes, FieldLastVerified, FieldSample, FieldIgnore,
}

// headerNames are the column names coalitions use for each field, in
// English and Spanish, written as HeaderKey leaves them (lower case, no
// accents, words apart).
var headerNames = map[string][]string{
	FieldOrganization: {"agency", "agency name", "organization", "organisation", "organization name", "org", "org name",
		"provider", "provider name", "nonprofit", "name of agency", "organizacion", "nombre de la organizacion",
		"agencia", "nombre de la agencia", "proveedor", "entidad", "institucion"},
	FieldOrgDescription: {"organization description", "agency description", "about the agency", "about the organization",
		"descripcion de la organizacion", "descripcion de la agencia"},
	FieldService: {"program", "program name", "service", "service name", "programs", "programa", "nombre del programa",
		"servicio", "nombre del servicio", "resource", "resource name", "recurso"},
	FieldDescription: {"description", "program description", "service description", "about", "summary", "details",
		"descripcion", "descripcion del programa", "descripcion del servicio", "resumen", "detalles"},
	FieldAddress: {"address", "street", "street address", "address 1", "address line 1", "address1", "physical address",
		"location", "street address 1", "direccion", "calle", "direccion fisica", "domicilio", "ubicacion"},
	FieldAddress2: {"address 2", "address line 2", "address2", "suite", "unit", "apt", "suite unit", "direccion 2",
		"oficina", "suite oficina"},
	FieldCity:       {"city", "town", "city town", "ciudad", "municipio", "localidad", "poblacion"},
	FieldState:      {"state", "st", "province", "state province", "region", "estado", "provincia"},
	FieldPostalCode: {"zip", "zip code", "zipcode", "postal code", "postcode", "zip postal code", "codigo postal", "cp", "c p", "zona postal"},
	FieldCountry:    {"country", "pais", "nation", "nacion"},
	FieldLatitude:   {"latitude", "lat", "latitud"},
	FieldLongitude:  {"longitude", "lon", "lng", "long", "longitud"},
	FieldPhone: {"phone", "phone number", "telephone", "tel", "main phone", "contact phone", "phone s", "phones",
		"telefono", "telefonos", "numero de telefono", "tel efono", "celular", "hotline", "linea"},
	FieldWebsite: {"website", "web site", "url", "web", "site", "homepage", "link", "web address", "sitio web", "pagina web",
		"sitio", "pagina", "enlace", "direccion web"},
	FieldEmail: {"email", "e mail", "email address", "e mail address", "contact email", "mail", "correo", "correo electronico",
		"e mail correo", "email correo"},
	FieldCategories: {"categories", "category", "services", "services offered", "service type", "service types", "type of service",
		"types of services", "type", "categorias", "categoria", "servicios", "servicios ofrecidos", "tipo de servicio",
		"tipos de servicio", "tipo"},
	FieldLanguages: {"languages", "language", "languages spoken", "language s", "idiomas", "idioma", "lenguas", "lengua",
		"idiomas hablados"},
	FieldHours: {"hours", "hours of operation", "office hours", "schedule", "open hours", "opening hours", "horario",
		"horarios", "horas", "horario de atencion", "horas de oficina"},
	FieldEligibility: {"eligibility", "who is served", "who we serve", "population served", "populations served",
		"clients served", "who can get help", "eligibility requirements", "elegibilidad", "a quien sirve", "a quien atiende",
		"poblacion atendida", "requisitos", "quien puede recibir ayuda", "a quienes sirve"},
	FieldFees:        {"fees", "fee", "cost", "costs", "cost fees", "costo", "costos", "tarifa", "tarifas", "cuotas"},
	FieldApplication: {"how to apply", "application process", "how to access", "intake process", "intake", "como solicitar", "como aplicar", "como acceder"},
	FieldNotes:       {"notes", "note", "comments", "comment", "remarks", "notas", "nota", "comentarios", "observaciones"},
	FieldLastVerified: {"last verified", "verified", "date verified", "last updated", "updated", "verified on",
		"ultima verificacion", "verificado", "fecha de verificacion", "actualizado", "ultima actualizacion"},
	FieldSample: {"sample", "sample data", "muestra", "datos de muestra", "ejemplo"},
}

// headerIndex maps a HeaderKey to its field.
var headerIndex = func() map[string]string {
	m := map[string]string{}
	for f, names := range headerNames {
		for _, n := range names {
			if old, dup := m[n]; dup && old != f {
				panic("intake: column name " + n + " names two fields")
			}
			m[n] = f
		}
	}
	return m
}()

// HeaderKey is the form column names are compared in: lower case, without
// accents, every run of punctuation and spaces one space ("E-mail " and
// "e mail" are one key; "Teléfono(s)" is "telefono s"; "who's" is "whos"),
// as geo folds place names.
func HeaderKey(s string) string { return geo.FoldName(Clean(s)) }

// fillers are words a column name may carry that do not change its field
// ("Agency Name", "Main Phone Number", "Nombre del programa").
var fillers = []string{"name", "names", "number", "numbers", "main", "primary", "contact", "the", "of", "nombre",
	"numero", "principal", "de", "del", "la", "el", "los", "las", "s"}

// MatchHeader returns the field a column name stands for, or "" when it is
// none of the usual names.
func MatchHeader(name string) string {
	key := HeaderKey(name)
	if f, ok := headerIndex[key]; ok {
		return f
	}
	var kept []string
	for _, w := range strings.Fields(key) {
		if !slices.Contains(fillers, w) {
			kept = append(kept, w)
		}
	}
	return headerIndex[strings.Join(kept, " ")]
}

// ParseMap reads one --map value, "Column Name=field".
func ParseMap(m map[string]string, spec string) error {
	col, field, ok := strings.Cut(spec, "=")
	col, field = Clean(col), strings.ToLower(Clean(field))
	if !ok || col == "" || field == "" {
		return fmt.Errorf("--map %q: write it as 'Column Name=field'", spec)
	}
	field = strings.ReplaceAll(field, "-", "_")
	if !slices.Contains(Fields, field) {
		return fmt.Errorf("--map %q: %q is not a field; the fields are %s", spec, field, strings.Join(Fields, ", "))
	}
	m[HeaderKey(col)] = field
	return nil
}

// ReadMapFile reads a mapping file: one "Column Name=field" a line, blank
// lines and lines starting with # ignored. name is used in errors.
func ReadMapFile(m map[string]string, name string, r io.Reader) error {
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := Clean(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := ParseMap(m, line); err != nil {
			return fmt.Errorf("%s: line %d: %w", name, n, err)
		}
	}
	return sc.Err()
}

// columnPlan says which field each column of a sheet fills.
type columnPlan struct {
	field   []string // by column index; "" for none
	headers []string // as written
	has     map[string]bool
}

// planColumns matches a header row: user mappings (keyed by HeaderKey)
// first, then the usual names. A second column for a field already taken
// stays unmapped (and is reported), never silently merged.
func planColumns(header []string, user map[string]string) (*columnPlan, []string) {
	p := &columnPlan{field: make([]string, len(header)), headers: make([]string, len(header)), has: map[string]bool{}}
	var unmapped []string
	for i, h := range header {
		p.headers[i] = Clean(h)
		f, ok := user[HeaderKey(h)]
		if !ok {
			f = MatchHeader(h)
		}
		switch {
		case f == FieldIgnore:
		case f == "":
			if p.headers[i] != "" {
				unmapped = append(unmapped, p.headers[i])
			}
		case p.has[f]:
			unmapped = append(unmapped, fmt.Sprintf("%s (a second %s column)", p.headers[i], f))
		default:
			p.field[i], p.has[f] = f, true
		}
	}
	return p, unmapped
}

// recognized counts the cells of a row that name a field, to find the
// header row below a title.
func recognized(row []string, user map[string]string) int {
	n := 0
	for _, h := range row {
		if _, ok := user[HeaderKey(h)]; ok || MatchHeader(h) != "" {
			n++
		}
	}
	return n
}
