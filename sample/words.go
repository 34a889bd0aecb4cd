package sample

import "strings"

// catText is what the sample says about services of one category.
type catText struct {
	label, desc string // the taxonomy term
	names       []string
	namesES     []string
	sentences   []string // first sentence of a description (U.S.)
	intl        []string // replaces sentences outside the U.S., when set
	related     []string // categories a service of this one often also has
	elig        []int    // indexes into eligibility
	apply       []int    // indexes into applyTexts
	allDay      bool     // open 24/7
	titles      []string // contact job titles
}

var catTexts = map[string]*catText{
	"legal-services": {
		label: "Legal services",
		desc:  "Civil and criminal legal advice and representation for survivors, such as protective orders, family law and clearing records.",
		names: []string{"Survivor Legal Clinic", "Civil Legal Aid for Survivors", "Criminal Record Relief Project",
			"Legal Advocacy Program", "Family Law and Protective Orders Clinic"},
		namesES: []string{"Clínica Legal para Sobrevivientes", "Asesoría Legal Gratuita", "Defensa Legal Comunitaria"},
		sentences: []string{
			"Free civil legal help for survivors of trafficking, including protective orders, family law, housing and public benefits.",
			"Attorneys and paralegals give confidential legal advice and representation to survivors of labor and sex trafficking.",
			"Help clearing criminal records for survivors, including vacatur of convictions linked to trafficking, with referrals for T visa applications.",
		},
		intl: []string{
			"Free legal advice and representation for survivors of trafficking in criminal and civil proceedings.",
			"Lawyers accompany survivors who file complaints and help them claim compensation from those who exploited them.",
		},
		related: []string{"immigration-legal", "law-enforcement-liaison", "labor-rights"},
		elig:    []int{0, 1, 8},
		apply:   []int{0, 1, 3, 4},
		titles:  []string{"Staff Attorney", "Legal Intake Coordinator", "Paralegal"},
	},
	"immigration-legal": {
		label: "Immigration legal help",
		desc:  "Legal help with immigration status for survivors, such as T visas, U visas, continued presence and work permits.",
		names: []string{"T Visa and U Visa Legal Assistance", "Immigration Legal Services for Survivors",
			"Immigrant Survivors Legal Project", "Humanitarian Immigration Clinic"},
		namesES: []string{"Asistencia Legal Migratoria", "Apoyo con Visas T y U", "Servicios Migratorios para Sobrevivientes"},
		sentences: []string{
			"Immigration legal services for survivors of trafficking, including T visa and U visa applications, continued presence and work permits.",
			"Attorneys help survivors apply for a T visa, adjust status to permanent residence and bring eligible family members to safety.",
			"Free consultations on immigration options for victims of trafficking, such as the T visa, U visa, asylum and Special Immigrant Juvenile Status.",
		},
		intl: []string{
			"Advice on residence permits, humanitarian visas and safe return for survivors of trafficking and their families.",
			"Legal guidance on migration status for survivors, including help for relatives of people trafficked to the United States who are applying for T visa derivative status.",
		},
		related: []string{"legal-services", "interpretation", "case-management"},
		elig:    []int{5, 1},
		apply:   []int{0, 3, 4},
		titles:  []string{"Immigration Attorney", "DOJ Accredited Representative", "Legal Intake Coordinator"},
	},
	"shelter": {
		label: "Emergency shelter",
		desc:  "Emergency and short-term shelter in a safe place.",
		names: []string{"Emergency Shelter for Survivors", "Safe House Program", "Women's Emergency Shelter",
			"Confidential Shelter and Safe Housing", "Emergency Shelter for Men and Boys"},
		namesES: []string{"Refugio de Emergencia", "Casa Refugio para Mujeres", "Refugio Temporal para Sobrevivientes"},
		sentences: []string{
			"Confidential emergency shelter for survivors of trafficking, open 24 hours, with meals, clothing and on-site advocates.",
			"Short-term safe housing in a confidential location, with case management and help planning next steps.",
			"Emergency shelter beds for adults fleeing trafficking or exploitation; staff arrange safe transportation to the shelter.",
		},
		related: []string{"housing", "case-management", "food-clothing"},
		elig:    []int{0, 3, 1},
		apply:   []int{2, 3},
		allDay:  true,
		titles:  []string{"Shelter Director", "Intake Advocate", "Residential Coordinator"},
	},
	"housing": {
		label: "Housing",
		desc:  "Transitional and longer-term housing and help finding a home.",
		names: []string{"Transitional Housing Program", "Rapid Rehousing for Survivors", "Safe Housing Navigation",
			"Supportive Housing Program"},
		namesES: []string{"Vivienda de Transición", "Apoyo para Vivienda Segura"},
		sentences: []string{
			"Transitional housing for up to 24 months for survivors of trafficking, with rent assistance and a case manager.",
			"Help finding and keeping safe, affordable housing, including deposits, rent assistance and landlord mediation.",
			"Supportive apartments for survivors and their children, with life-skills workshops and on-call staff.",
		},
		related: []string{"case-management", "employment", "food-clothing"},
		elig:    []int{0, 3},
		apply:   []int{0, 3, 4},
		titles:  []string{"Housing Navigator", "Program Manager"},
	},
	"case-management": {
		label: "Case management",
		desc:  "An advocate or case manager who helps survivors plan and reach the services they need.",
		names: []string{"Comprehensive Case Management", "Survivor Advocacy and Case Management",
			"Trauma-Informed Case Management", "Survivor Navigation Program"},
		namesES: []string{"Acompañamiento y Gestión de Casos", "Programa de Apoyo Integral"},
		sentences: []string{
			"Case managers help survivors build a safety plan and connect with housing, health care, legal help and counseling.",
			"Long-term, trauma-informed case management for survivors of labor and sex trafficking, in person or by phone.",
			"Advocates help survivors apply for benefits, replace identity documents and gather records for T visa applications.",
		},
		intl: []string{
			"Case managers help survivors build a safety plan and connect with housing, health care, legal help and counseling.",
			"Long-term, trauma-informed case management for survivors of labor and sex trafficking, in person or by phone.",
			"Advocates help survivors replace identity documents, return home safely or settle where they are.",
		},
		related: []string{"housing", "mental-health", "food-clothing", "employment"},
		elig:    []int{1, 8, 0},
		apply:   []int{0, 1, 3, 4},
		titles:  []string{"Case Manager", "Survivor Advocate", "Program Manager"},
	},
	"medical-care": {
		label: "Medical care",
		desc:  "Medical, dental and reproductive health care.",
		names: []string{"Survivor Health Clinic", "Primary Care for Survivors", "Mobile Health Outreach",
			"Women's Health Services"},
		namesES: []string{"Clínica de Salud Comunitaria", "Atención Médica para Sobrevivientes"},
		sentences: []string{
			"Primary medical care, testing and vaccinations for survivors of trafficking, regardless of insurance or immigration status.",
			"Confidential medical exams, sexual and reproductive health care and referrals to specialists.",
			"A mobile clinic visits shelters and drop-in centers to offer basic health care, dental screening and medicines.",
		},
		related: []string{"mental-health", "substance-use", "interpretation"},
		elig:    []int{8, 1},
		apply:   []int{0, 1, 4},
		titles:  []string{"Nurse Practitioner", "Clinic Coordinator", "Patient Navigator"},
	},
	"mental-health": {
		label: "Mental health and counseling",
		desc:  "Counseling, therapy, psychiatric care and support groups.",
		names: []string{"Trauma Counseling for Survivors", "Individual and Group Counseling", "Survivor Mental Health Program",
			"Art and Trauma Recovery Groups", "Counseling and Support Groups"},
		namesES: []string{"Consejería y Apoyo Psicológico", "Grupos de Apoyo para Sobrevivientes", "Atención Psicológica"},
		sentences: []string{
			"Trauma-informed counseling for adults who have experienced trafficking, in individual and group sessions.",
			"Licensed therapists offer counseling, psychiatric assessment and peer support groups for survivors.",
			"Short-term crisis counseling and longer-term therapy, including art and movement-based approaches.",
		},
		related: []string{"substance-use", "case-management", "medical-care"},
		elig:    []int{0, 1},
		apply:   []int{0, 3, 4},
		titles:  []string{"Clinical Director", "Licensed Therapist", "Intake Coordinator"},
	},
	"substance-use": {
		label: "Substance use treatment",
		desc:  "Treatment and recovery support for drug and alcohol use.",
		names: []string{"Substance Use Recovery Program", "Outpatient Recovery Services",
			"Harm Reduction and Recovery Support"},
		namesES: []string{"Programa de Recuperación de Adicciones", "Tratamiento Ambulatorio"},
		sentences: []string{
			"Outpatient substance use treatment and counseling, with medication for opioid use disorder available.",
			"Harm reduction supplies, recovery coaching and referrals to detox and residential treatment.",
			"Recovery groups and one-to-one counseling for survivors coping with substance use.",
		},
		related: []string{"mental-health", "medical-care"},
		elig:    []int{7},
		apply:   []int{1, 3, 4},
		titles:  []string{"Recovery Coach", "Clinical Director"},
	},
	"crisis-hotline": {
		label: "Crisis hotline",
		desc:  "Telephone and text lines for people in crisis.",
		names: []string{"24-Hour Crisis Line", "Survivor Helpline", "Crisis Text and Call Line",
			"After-Hours Crisis Response"},
		namesES: []string{"Línea de Crisis 24 Horas", "Línea de Ayuda para Sobrevivientes"},
		sentences: []string{
			"A confidential 24-hour line for anyone who may be experiencing trafficking, with crisis counseling and safety planning.",
			"Trained advocates answer calls and texts day and night and can arrange emergency shelter and transportation.",
			"Crisis support by phone, with interpreters for any language and referrals to local services.",
		},
		related: []string{"shelter", "case-management", "law-enforcement-liaison"},
		elig:    []int{6},
		apply:   []int{5, 2},
		allDay:  true,
		titles:  []string{"Hotline Supervisor", "Crisis Line Coordinator"},
	},
	"food-clothing": {
		label:   "Food and clothing",
		desc:    "Food, clothing, hygiene items and other basic needs.",
		names:   []string{"Food Pantry and Clothing Closet", "Emergency Basic Needs Assistance", "Survivor Essentials Program"},
		namesES: []string{"Despensa de Alimentos y Ropero", "Ayuda con Necesidades Básicas"},
		sentences: []string{
			"Free groceries, hygiene kits and clothing for survivors and their families, with no documents required.",
			"Emergency basic needs such as food, clothing, phones and transportation cards.",
			"A weekly food pantry and clothing closet, with culturally familiar foods.",
		},
		related: []string{"case-management", "housing"},
		elig:    []int{8, 6},
		apply:   []int{1, 3},
		titles:  []string{"Pantry Coordinator", "Volunteer Coordinator"},
	},
	"employment": {
		label: "Jobs and training",
		desc:  "Job training, job search and placement.",
		names: []string{"Job Readiness and Placement", "Workforce Training for Survivors", "Career Pathways Program",
			"Paid Internship Program"},
		namesES: []string{"Capacitación y Empleo", "Programa de Inserción Laboral"},
		sentences: []string{
			"Job readiness training, resume help and placement with employers who understand trauma.",
			"Paid vocational training in fields such as food service, health care and construction.",
			"One-to-one career coaching, help with work permits and financial literacy classes.",
		},
		related: []string{"education", "case-management"},
		elig:    []int{0, 1},
		apply:   []int{0, 3, 4},
		titles:  []string{"Employment Specialist", "Career Coach"},
	},
	"education": {
		label: "Education",
		desc:  "Classes, tutoring and help returning to school.",
		names: []string{"English Classes for Survivors", "GED and Adult Education", "Digital Literacy Workshops",
			"Know Your Rights Education"},
		namesES: []string{"Clases de Inglés", "Educación para Adultos", "Talleres de Derechos"},
		sentences: []string{
			"English as a second language classes, GED preparation and computer skills for adult survivors.",
			"Community workshops on recognizing trafficking and knowing your rights at work and in housing.",
			"Tutoring and help enrolling in school or college, including financial aid applications.",
		},
		intl: []string{
			"Literacy classes, vocational courses and help returning to school for survivors.",
			"Community workshops on recognizing trafficking and knowing your rights at work and in housing.",
		},
		related: []string{"employment", "youth-services"},
		elig:    []int{8, 0},
		apply:   []int{1, 4},
		titles:  []string{"Education Coordinator", "Instructor"},
	},
	"interpretation": {
		label:   "Interpretation and translation",
		desc:    "Interpreters and translation of documents.",
		names:   []string{"Interpretation and Translation Services", "Language Access Program", "Community Interpreters Network"},
		namesES: []string{"Servicios de Interpretación y Traducción", "Intérpretes Comunitarios"},
		sentences: []string{
			"Trained interpreters accompany survivors to medical, legal and court appointments.",
			"Document translation and in-person or telephone interpretation in more than 20 languages.",
			"Interpreters trained in trauma and confidentiality, including for Indigenous languages of Mexico and Central America.",
		},
		related: []string{"legal-services", "medical-care"},
		elig:    []int{8},
		apply:   []int{0, 3},
		titles:  []string{"Language Access Coordinator", "Lead Interpreter"},
	},
	"law-enforcement-liaison": {
		label: "Law enforcement liaison",
		desc:  "Help dealing with police, prosecutors and courts.",
		names: []string{"Law Enforcement Liaison and Advocacy", "Survivor Court Accompaniment", "Victim-Witness Advocacy",
			"Reporting Support Program"},
		namesES: []string{"Acompañamiento ante Autoridades", "Apoyo para Denunciar"},
		sentences: []string{
			"Advocates help survivors decide whether to report to police and accompany them to interviews and court.",
			"A liaison works with police and prosecutors so that survivors are treated as victims, not offenders.",
			"Help requesting a law enforcement declaration for a T visa application and information on victims' rights.",
		},
		intl: []string{
			"Advocates help survivors decide whether to report to police and accompany them to interviews and court.",
			"Accompaniment to file complaints with prosecutors and information on victims' rights in criminal proceedings.",
		},
		related: []string{"legal-services", "case-management"},
		elig:    []int{1, 8},
		apply:   []int{0, 3},
		titles:  []string{"Victim Advocate", "Law Enforcement Liaison"},
	},
	"youth-services": {
		label: "Services for children and youth",
		desc:  "Services for children, teenagers and young adults.",
		names: []string{"Youth Drop-in Center", "Runaway and Homeless Youth Program", "Girls' Empowerment Program",
			"Youth Mentoring and Outreach", "Street Outreach for Youth", "Niñas Fuertes Girls' Group"},
		namesES: []string{"Programa para Niñas, Niños y Adolescentes", "Niñas Seguras", "Casa para Niñas y Jóvenes",
			"Atención a Niñas, Niños y Adolescentes", "Refugio para Niñas y Adolescentes"},
		sentences: []string{
			"A drop-in center for youth under 24 with meals, showers, counseling and help finding safe housing.",
			"Street outreach and mentoring for young people at risk of sexual exploitation or trafficking.",
			"Support groups and case management for girls and young women who have experienced exploitation.",
		},
		related: []string{"education", "shelter", "mental-health"},
		elig:    []int{2, 9},
		apply:   []int{1, 2, 3},
		titles:  []string{"Youth Program Coordinator", "Outreach Worker"},
	},
	"labor-rights": {
		label: "Workers' rights",
		desc:  "Help for workers who were exploited, underpaid or forced to work.",
		names: []string{"Workers' Rights Clinic", "Wage Theft and Labor Trafficking Project", "Farmworker Outreach",
			"Domestic Workers Support Program"},
		namesES: []string{"Defensa de los Derechos Laborales", "Apoyo a Trabajadoras del Hogar", "Atención a Trabajadores Agrícolas"},
		sentences: []string{
			"Help for workers who are owed wages, were recruited with false promises or cannot leave their jobs.",
			"Outreach to farmworkers and domestic workers about labor rights, with help filing complaints.",
			"Workers' rights clinics on wage theft, unsafe conditions and labor trafficking, with referrals to lawyers.",
		},
		related: []string{"legal-services", "employment"},
		elig:    []int{4},
		apply:   []int{1, 4},
		titles:  []string{"Organizer", "Workers' Rights Advocate"},
	},
}

// fallbackText serves a category added to haven.Categories after this
// package was written.
var fallbackText = catText{
	names:     []string{"Survivor Support Services"},
	namesES:   []string{"Apoyo para Sobrevivientes"},
	sentences: []string{"Support for survivors of trafficking and people at risk of exploitation."},
	elig:      []int{1},
	apply:     []int{0},
	titles:    []string{"Program Manager"},
}

// eligibility texts, with the ages they imply (-1: none).
var eligibility = []struct {
	text     string
	min, max float64
}{
	{"Adults 18 and over who have experienced labor or sex trafficking.", 18, -1},
	{"Survivors of human trafficking of any age, gender or immigration status.", -1, -1},
	{"Youth under 24 who have experienced, or are at risk of, trafficking or exploitation.", -1, 24},
	{"Women and their children who have experienced sex trafficking or domestic violence.", -1, -1},
	{"Workers in any industry who have experienced wage theft, forced labor or labor trafficking.", -1, -1},
	{"Foreign-born survivors of trafficking and their family members.", -1, -1},
	{"Anyone may call; there are no eligibility requirements.", -1, -1},
	{"Adults in recovery from substance use who have experienced trafficking or exploitation.", 18, -1},
	{"Survivors of trafficking and people at risk of exploitation, regardless of immigration status.", -1, -1},
	{"Girls and young women aged 12 to 21 who have experienced exploitation.", 12, 21},
}

var applyTexts = []string{
	"Call the intake line Monday to Friday; an advocate will schedule a first appointment.",
	"Walk in during opening hours or call ahead. Referrals from case managers and law enforcement are welcome but not required.",
	"Call or text at any time. Staff will arrange a safe place to meet.",
	"Referral from a case manager or advocate; self-referrals are accepted by phone.",
	"Complete a short confidential intake by phone or in person.",
	"Call the line; no appointment is needed.",
}

var feeTexts = []string{
	"Free of charge.",
	"Free; no one is turned away for inability to pay.",
	"Free for survivors of trafficking.",
	"Free of charge.",
}

const slidingFee = "Sliding scale based on income; free for survivors without income."

var interpretationTexts = []string{
	"Telephone interpretation is available for any language.",
	"Staff speak the languages listed; interpreters for other languages on request.",
	"In-person interpreters can be booked with two days' notice; telephone interpretation at any time.",
}

var docTexts = struct {
	id, idIntl, immigration, labor, income string
}{
	id:          "Photo identification if you have it; it is not required to begin services.",
	idIntl:      "An identity document if you have one; it is not required to begin services.",
	immigration: "Any immigration documents you have, such as a passport, I-94 record or letters from USCIS.",
	labor:       "Pay stubs, messages or other records of your work, if you have them.",
	income:      "Proof of income for the sliding-scale fee (waived for survivors without income).",
}

var accessTexts = []struct{ desc, details string }{
	{"Wheelchair accessible", "Step-free entrance from the street and an accessible restroom."},
	{"Elevator to all floors", "Service animals welcome. Call ahead to arrange sign language interpretation."},
	{"Ground floor, step-free", "Accessible parking two spaces from the entrance."},
	{"Partly accessible", "The entrance has two steps; staff can meet you at the accessible side door."},
}

var locationNames = []string{"Main office", "Downtown office", "Drop-in center", "Community office", "Satellite office", "Neighborhood office"}

const shelterLocationDesc = "The shelter itself is at a confidential address; this is the intake office."

var address2s = []string{"Suite 100", "Suite 200", "Suite 210", "Suite 305", "Floor 2", "Floor 3", "Unit B"}

// Contact names are fictional combinations; emails are at example.org.
var firstNames = []string{"Alex", "Maria", "Jordan", "Ana", "Sam", "Grace", "Daniel", "Fatima", "Luis", "Mei",
	"Olena", "Tunde", "Priya", "Carlos", "Hannah", "Joseph", "Rosa", "Min", "Amara", "Tomas"}
var lastNames = []string{"Rivera", "Chen", "Okafor", "Nguyen", "Santos", "Kowalski", "Haddad", "Johnson", "Morales",
	"Park", "Kovalenko", "Reyes", "Silva", "Ahmed", "Brown", "Garcia", "Mensah", "Lopez", "Tanaka", "Cruz"}

// closing sentences in British/Canadian places, so that the British
// spelling occurs in every round of places.
const counsellingSentence = "Counselling referrals are available on request."

// orgType is a kind of organization: what it is called and which
// categories of service it offers.
type orgType struct {
	cats    []string
	cores   []string  // English name cores: "Riverside Legal Aid Collective"
	coresES []string  // Spanish name cores: "Centro Legal Esperanza"
	desc    [2]string // description sentence, around the city name
}

var orgTypes = []orgType{
	{ // 0 legal aid
		cats:    []string{"legal-services", "immigration-legal", "law-enforcement-liaison", "labor-rights", "interpretation"},
		cores:   []string{"Legal Aid Collective", "Justice Project", "Legal Services", "Law Center", "Legal Defense Project"},
		coresES: []string{"Centro Legal", "Defensoría Comunitaria", "Colectivo Jurídico"},
		desc:    [2]string{"A nonprofit legal aid organization serving survivors of human trafficking in ", "."},
	},
	{ // 1 immigrant rights
		cats:    []string{"immigration-legal", "legal-services", "interpretation", "case-management", "education"},
		cores:   []string{"Immigrant Legal Center", "Immigrant Rights Project", "Immigration Law Collaborative", "Center for Immigrant Justice"},
		coresES: []string{"Centro de Derechos de Migrantes", "Centro Legal Migrante", "Casa del Migrante"},
		desc:    [2]string{"An immigrant rights organization offering legal help to survivors of trafficking in ", "."},
	},
	{ // 2 shelter
		cats:    []string{"shelter", "housing", "case-management", "food-clothing", "crisis-hotline"},
		cores:   []string{"Shelter Network", "House", "Safe Housing Alliance", "Shelter Collective"},
		coresES: []string{"Casa Refugio", "Refugio", "Albergue"},
		desc:    [2]string{"A shelter provider offering safe, confidential housing to survivors of trafficking in ", "."},
	},
	{ // 3 housing
		cats:    []string{"housing", "case-management", "employment", "food-clothing"},
		cores:   []string{"Housing Partnership", "Homes Collaborative", "Housing Alliance"},
		coresES: []string{"Red de Vivienda", "Hogares"},
		desc:    [2]string{"A housing organization helping survivors of trafficking in ", " find and keep safe homes."},
	},
	{ // 4 survivor services
		cats:    []string{"case-management", "law-enforcement-liaison", "food-clothing", "employment", "housing", "mental-health"},
		cores:   []string{"Survivor Services", "Anti-Trafficking Coalition", "Freedom Network", "Survivor Support Center", "Advocacy Center"},
		coresES: []string{"Red de Apoyo", "Colectivo", "Fundación", "Coalición contra la Trata"},
		desc:    [2]string{"A survivor-led organization supporting people who have experienced trafficking in ", "."},
	},
	{ // 5 clinic
		cats:    []string{"medical-care", "mental-health", "substance-use", "interpretation"},
		cores:   []string{"Community Health Clinic", "Health Center", "Family Clinic", "Wellness Center"},
		coresES: []string{"Clínica Comunitaria", "Centro de Salud"},
		desc:    [2]string{"A community health clinic serving survivors of trafficking and other underserved patients in ", "."},
	},
	{ // 6 counseling
		cats:    []string{"mental-health", "substance-use", "case-management", "youth-services"},
		cores:   []string{"Counseling Center", "Trauma Recovery Center", "Healing Collective", "Counseling Collaborative"},
		coresES: []string{"Centro de Atención Psicológica", "Centro de Consejería"},
		desc:    [2]string{"A counseling center devoted to trauma recovery for survivors of trafficking in ", "."},
	},
	{ // 7 hotline
		cats:    []string{"crisis-hotline", "law-enforcement-liaison", "case-management"},
		cores:   []string{"Crisis Line", "Helpline", "Crisis Center"},
		coresES: []string{"Línea de Ayuda", "Línea de Crisis"},
		desc:    [2]string{"A crisis line and advocacy organization for people affected by trafficking in ", "."},
	},
	{ // 8 worker center
		cats:    []string{"labor-rights", "employment", "legal-services", "education"},
		cores:   []string{"Worker Center", "Workers' Rights Coalition", "Labor Justice Project", "Workers' Alliance"},
		coresES: []string{"Centro de Trabajadores", "Centro Laboral", "Unión de Trabajadoras"},
		desc:    [2]string{"A worker center defending the rights of low-wage and migrant workers in ", "."},
	},
	{ // 9 youth
		cats:    []string{"youth-services", "shelter", "education", "mental-health"},
		cores:   []string{"Youth Services", "Youth Outreach", "Youth Center", "Youth and Family Services"},
		coresES: []string{"Casa de las Niñas", "Casa Juvenil", "Fundación Niñas y Niños", "Centro Juvenil"},
		desc:    [2]string{"A youth services organization supporting young people at risk of exploitation in ", "."},
	},
	{ // 10 language access
		cats:    []string{"interpretation", "education", "case-management"},
		cores:   []string{"Language Access Cooperative", "Interpreters Network", "Language Bank"},
		coresES: []string{"Intérpretes Comunitarios", "Red de Intérpretes"},
		desc:    [2]string{"A language access cooperative of trained community interpreters in ", "."},
	},
	{ // 11 community resource center
		cats:    []string{"food-clothing", "employment", "education", "case-management"},
		cores:   []string{"Community Resource Center", "Family Resource Center", "Neighborhood Center", "Learning Center"},
		coresES: []string{"Centro Comunitario", "Centro Familiar"},
		desc:    [2]string{"A community resource center offering basic needs and learning programs in ", "."},
	},
}

// anchorType maps a category to the kind of organization whose first
// service has it.
var anchorType = map[string]int{
	"legal-services": 0, "immigration-legal": 1, "shelter": 2, "housing": 3, "case-management": 4,
	"medical-care": 5, "mental-health": 6, "substance-use": 5, "crisis-hotline": 7, "food-clothing": 11,
	"employment": 8, "education": 11, "interpretation": 10, "law-enforcement-liaison": 4,
	"youth-services": 9, "labor-rights": 8,
}

var orgPrefixes = []string{
	"Riverside", "Harbor Light", "Lighthouse", "Crossroads", "Bridgeway", "Northstar", "Open Door",
	"New Dawn", "Safe Harbor", "Cedar Grove", "Liberty", "Beacon", "Common Ground", "Keystone",
	"Pathways", "Horizon", "Unity", "Compass", "Sunrise", "Willow", "Evergreen", "Lantern",
	"Clearwater", "Freedom Road", "Golden Thread", "Morning Star",
}

var orgNamesES = []string{
	"Esperanza", "Nueva Vida", "Libertad", "Amanecer", "Camino Nuevo", "Luz del Sol", "Puerta Abierta",
	"Raíces", "Manos Unidas", "Semilla", "Alas", "Horizonte", "Mariposa", "Sendero",
}

var orgSecondSentences = []string{
	"Founded by survivors and advocates.",
	"Works closely with local shelters, clinics and legal aid providers.",
	"All services are free and confidential.",
	"Staff and volunteers speak several languages.",
	"",
	"",
}

const (
	samplePrefix = "Sample data, not a real provider. "
	sampleSuffix = " (sample)"
)

// british turns U.S. spelling into British/Canadian spelling.
var british = strings.NewReplacer(
	"counseling", "counselling", "Counseling", "Counselling",
	"center", "centre", "Center", "Centre",
	"labor", "labour", "Labor", "Labour",
	"neighborhood", "neighbourhood", "Neighborhood", "Neighbourhood",
)

// slugify turns a name into a URL path segment: lower-case ASCII letters
// and digits separated by hyphens.
func slugify(s string) string {
	var buf [128]byte
	b := buf[:0]
	dash := false
	for _, r := range s {
		switch r {
		case 'á', 'à', 'â', 'ä', 'Á':
			r = 'a'
		case 'é', 'è', 'ê', 'É':
			r = 'e'
		case 'í', 'Í':
			r = 'i'
		case 'ó', 'ö', 'Ó':
			r = 'o'
		case 'ú', 'ü', 'Ú':
			r = 'u'
		case 'ñ', 'Ñ':
			r = 'n'
		case '\'':
			continue
		}
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
		case r >= 'A' && r <= 'Z':
			r += 'a' - 'A'
		default:
			dash = len(b) > 0
			continue
		}
		if dash {
			b = append(b, '-')
			dash = false
		}
		b = append(b, byte(r))
	}
	return string(b)
}
