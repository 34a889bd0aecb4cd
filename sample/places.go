package sample

import (
	"math"

	"haven/geo"
)

// lang is a language a place's services may offer, with the probability
// that one service offers it. The first language of a place is always
// offered.
type lang struct {
	code string
	p    float64
}

// Address styles.
const (
	styleNumberFirst = iota // "1234 Main Street"
	styleNumberAfter        // "Calle Hidalgo 123"
	styleNumberComma        // "vul. Sadova, 12"
	styleGuatemala          // "6a Avenida 12-34, Zona 1"
)

// place is a city the sample puts organizations in: real city-centre
// coordinates, real postal codes of the city (for the U.S., ZIPs that
// geo.LookupZIP knows), a fictional telephone prefix and the languages
// spoken there.
type place struct {
	city    string
	region  string // USPS code in the U.S., ISO 3166-2 elsewhere
	country string // ISO 3166-1 alpha-2
	lat     float64
	lon     float64
	postal  []string
	// phone is the number without its last two digits. U.S. and Canadian
	// numbers use 555-01XX, the block reserved for fiction; elsewhere the
	// country code is followed by "555 01XX", too short to be dialable.
	phone string
	langs []lang
	// esOrg is the probability that an organization gets a Spanish name.
	esOrg    float64
	streets  []string
	style    uint8
	british  bool // British/Canadian spelling ("counselling", "centre")
	currency string
	legal    string // legal status of organizations

	// Filled by init.
	esPrimary bool    // Spanish is the first language: names are Spanish
	display   string  // the city as named in a sentence
	cosLat    float64 // for the longitude jitter
	areaLocal string  // service area around the city
	areaWide  string  // service area of the whole state or country
	areaDesc  string
}

var usStreets = []string{
	"Main Street", "Oak Avenue", "Maple Street", "Commerce Street", "Market Street",
	"Elm Street", "Park Avenue", "Washington Avenue", "Cedar Street", "Lincoln Avenue",
	"Church Street", "River Road", "Central Avenue", "Jefferson Street", "Grand Avenue",
	"Pine Street", "Franklin Street", "Lake Street", "Mill Road", "Spring Street",
}

var esStreets = []string{
	"Calle Hidalgo", "Avenida Juárez", "Calle Morelos", "Avenida Independencia",
	"Calle 5 de Mayo", "Calle Allende", "Avenida Revolución", "Calle Zaragoza",
	"Calle Guerrero", "Avenida Insurgentes", "Calle Libertad", "Calle Luna",
}

var gtStreets = []string{"6a Avenida", "7a Avenida", "10a Calle", "12a Calle", "4a Avenida", "8a Calle"}

var phStreets = []string{"Rizal Avenue", "Mabini Street", "Del Pilar Street", "Quezon Boulevard", "Bonifacio Street"}

var thStreets = []string{"Charoen Krung Road", "Rama IV Road", "Phetchaburi Road", "Soi Ari 2", "Nimmanhaemin Road"}

var ngStreets = []string{"Allen Avenue", "Herbert Macaulay Way", "Awolowo Road", "Adeniran Ogunsanya Street", "Broad Street"}

var uaStreets = []string{"vul. Sadova", "vul. Shevchenka", "vul. Franka", "vul. Lesi Ukrainky", "vul. Kvitkova"}

var caStreets = []string{"Queen Street West", "King Street East", "Dundas Street", "Main Street", "Hastings Street", "Commercial Drive"}

var gbStreets = []string{"High Street", "Station Road", "Church Road", "Mill Lane", "Victoria Road", "Park Road"}

// places are the cities of the sample: 35 U.S. ones (in 25 states, DC and
// Puerto Rico) and 12 in eight other countries, so that each round of
// the place deck is about 75% U.S.
var places = []place{
	{city: "Houston", region: "TX", lat: 29.7604, lon: -95.3698, postal: []string{"77002", "77003", "77004"}, phone: "+1 (713) 555-01",
		langs: []lang{{"en", 1}, {"es", 0.8}, {"vi", 0.3}, {"zh", 0.15}, {"ar", 0.15}, {"ur", 0.1}}, esOrg: 0.25},
	{city: "San Antonio", region: "TX", lat: 29.4241, lon: -98.4936, postal: []string{"78205", "78204", "78207"}, phone: "+1 (210) 555-01",
		langs: []lang{{"en", 1}, {"es", 0.9}, {"vi", 0.1}}, esOrg: 0.3},
	{city: "El Paso", region: "TX", lat: 31.7619, lon: -106.4850, postal: []string{"79901", "79902", "79905"}, phone: "+1 (915) 555-01",
		langs: []lang{{"en", 1}, {"es", 0.95}}, esOrg: 0.4},
	{city: "Los Angeles", region: "CA", lat: 34.0522, lon: -118.2437, postal: []string{"90012", "90013", "90017"}, phone: "+1 (213) 555-01",
		langs: []lang{{"en", 1}, {"es", 0.8}, {"ko", 0.25}, {"zh", 0.2}, {"tl", 0.2}, {"th", 0.15}, {"hy", 0.1}}, esOrg: 0.25},
	{city: "San Diego", region: "CA", lat: 32.7157, lon: -117.1611, postal: []string{"92101", "92102", "92113"}, phone: "+1 (619) 555-01",
		langs: []lang{{"en", 1}, {"es", 0.8}, {"tl", 0.25}, {"vi", 0.2}, {"ar", 0.1}}, esOrg: 0.2},
	{city: "Oakland", region: "CA", lat: 37.8044, lon: -122.2712, postal: []string{"94612", "94607", "94606"}, phone: "+1 (510) 555-01",
		langs: []lang{{"en", 1}, {"es", 0.7}, {"zh", 0.3}, {"vi", 0.25}, {"tl", 0.15}, {"mam", 0.1}}, esOrg: 0.15},
	{city: "Fresno", region: "CA", lat: 36.7378, lon: -119.7871, postal: []string{"93721", "93701", "93706"}, phone: "+1 (559) 555-01",
		langs: []lang{{"en", 1}, {"es", 0.85}, {"hmn", 0.3}, {"pa", 0.2}}, esOrg: 0.25},
	{city: "New York", region: "NY", lat: 40.7128, lon: -74.0060, postal: []string{"10007", "10013", "10002"}, phone: "+1 (212) 555-01",
		langs: []lang{{"en", 1}, {"es", 0.7}, {"zh", 0.35}, {"ru", 0.2}, {"ht", 0.2}, {"uk", 0.15}, {"ko", 0.15}, {"bn", 0.1}, {"fr", 0.1}}, esOrg: 0.15},
	{city: "Buffalo", region: "NY", lat: 42.8864, lon: -78.8784, postal: []string{"14202", "14203", "14201"}, phone: "+1 (716) 555-01",
		langs: []lang{{"en", 1}, {"es", 0.5}, {"ar", 0.2}, {"my", 0.2}, {"ne", 0.15}, {"so", 0.1}}},
	{city: "Miami", region: "FL", lat: 25.7617, lon: -80.1918, postal: []string{"33130", "33128", "33132"}, phone: "+1 (305) 555-01",
		langs: []lang{{"en", 1}, {"es", 0.95}, {"ht", 0.4}, {"pt", 0.2}, {"fr", 0.1}, {"ru", 0.1}}, esOrg: 0.35},
	{city: "Orlando", region: "FL", lat: 28.5383, lon: -81.3792, postal: []string{"32801", "32803", "32805"}, phone: "+1 (407) 555-01",
		langs: []lang{{"en", 1}, {"es", 0.8}, {"ht", 0.2}, {"pt", 0.2}}, esOrg: 0.2},
	{city: "Atlanta", region: "GA", lat: 33.7490, lon: -84.3880, postal: []string{"30303", "30308", "30312"}, phone: "+1 (404) 555-01",
		langs: []lang{{"en", 1}, {"es", 0.6}, {"ko", 0.2}, {"vi", 0.2}, {"am", 0.15}, {"fr", 0.1}}, esOrg: 0.1},
	{city: "Chicago", region: "IL", lat: 41.8781, lon: -87.6298, postal: []string{"60602", "60603", "60608"}, phone: "+1 (312) 555-01",
		langs: []lang{{"en", 1}, {"es", 0.75}, {"pl", 0.3}, {"ar", 0.15}, {"zh", 0.15}, {"tl", 0.15}, {"uk", 0.1}}, esOrg: 0.2},
	{city: "Washington", region: "DC", lat: 38.9072, lon: -77.0369, postal: []string{"20001", "20002", "20009"}, phone: "+1 (202) 555-01",
		langs: []lang{{"en", 1}, {"es", 0.7}, {"am", 0.25}, {"fr", 0.15}, {"ko", 0.15}, {"vi", 0.1}}, esOrg: 0.1},
	{city: "San Juan", region: "PR", lat: 18.4655, lon: -66.1057, postal: []string{"00901", "00907", "00909"}, phone: "+1 (787) 555-01",
		langs: []lang{{"es", 1}, {"en", 0.7}}, esOrg: 0.8},
	{city: "Seattle", region: "WA", lat: 47.6062, lon: -122.3321, postal: []string{"98104", "98101", "98122"}, phone: "+1 (206) 555-01",
		langs: []lang{{"en", 1}, {"es", 0.6}, {"vi", 0.25}, {"zh", 0.25}, {"tl", 0.2}, {"ko", 0.2}, {"so", 0.15}, {"am", 0.1}}, esOrg: 0.1},
	{city: "Portland", region: "OR", lat: 45.5152, lon: -122.6784, postal: []string{"97204", "97205", "97209"}, phone: "+1 (503) 555-01",
		langs: []lang{{"en", 1}, {"es", 0.65}, {"vi", 0.25}, {"ru", 0.2}, {"zh", 0.15}, {"uk", 0.15}}, esOrg: 0.1},
	{city: "Phoenix", region: "AZ", lat: 33.4484, lon: -112.0740, postal: []string{"85004", "85003", "85007"}, phone: "+1 (602) 555-01",
		langs: []lang{{"en", 1}, {"es", 0.85}, {"ar", 0.1}, {"vi", 0.1}, {"nv", 0.1}}, esOrg: 0.25},
	{city: "Tucson", region: "AZ", lat: 32.2226, lon: -110.9747, postal: []string{"85701", "85705", "85719"}, phone: "+1 (520) 555-01",
		langs: []lang{{"en", 1}, {"es", 0.85}}, esOrg: 0.25},
	{city: "Las Vegas", region: "NV", lat: 36.1699, lon: -115.1398, postal: []string{"89101", "89104", "89106"}, phone: "+1 (702) 555-01",
		langs: []lang{{"en", 1}, {"es", 0.75}, {"tl", 0.3}, {"zh", 0.15}, {"ko", 0.1}}, esOrg: 0.15},
	{city: "Denver", region: "CO", lat: 39.7392, lon: -104.9903, postal: []string{"80202", "80204", "80205"}, phone: "+1 (303) 555-01",
		langs: []lang{{"en", 1}, {"es", 0.7}, {"vi", 0.2}, {"am", 0.15}, {"ne", 0.1}, {"ru", 0.1}}, esOrg: 0.15},
	{city: "Minneapolis", region: "MN", lat: 44.9778, lon: -93.2650, postal: []string{"55401", "55403", "55404"}, phone: "+1 (612) 555-01",
		langs: []lang{{"en", 1}, {"es", 0.6}, {"so", 0.4}, {"hmn", 0.3}, {"om", 0.1}}, esOrg: 0.1},
	{city: "Detroit", region: "MI", lat: 42.3314, lon: -83.0458, postal: []string{"48226", "48201", "48216"}, phone: "+1 (313) 555-01",
		langs: []lang{{"en", 1}, {"es", 0.5}, {"ar", 0.4}, {"bn", 0.15}}, esOrg: 0.1},
	{city: "Columbus", region: "OH", lat: 39.9612, lon: -82.9988, postal: []string{"43215", "43205", "43206"}, phone: "+1 (614) 555-01",
		langs: []lang{{"en", 1}, {"es", 0.45}, {"so", 0.3}, {"ne", 0.2}}},
	{city: "Philadelphia", region: "PA", lat: 39.9526, lon: -75.1652, postal: []string{"19107", "19106", "19103"}, phone: "+1 (215) 555-01",
		langs: []lang{{"en", 1}, {"es", 0.7}, {"zh", 0.2}, {"vi", 0.2}, {"ru", 0.1}, {"ar", 0.1}, {"ht", 0.1}}, esOrg: 0.1},
	{city: "Newark", region: "NJ", lat: 40.7357, lon: -74.1724, postal: []string{"07102", "07103", "07105"}, phone: "+1 (973) 555-01",
		langs: []lang{{"en", 1}, {"es", 0.8}, {"pt", 0.35}, {"ht", 0.15}}, esOrg: 0.25},
	{city: "Boston", region: "MA", lat: 42.3601, lon: -71.0589, postal: []string{"02108", "02111", "02118"}, phone: "+1 (617) 555-01",
		langs: []lang{{"en", 1}, {"es", 0.7}, {"pt", 0.3}, {"ht", 0.3}, {"zh", 0.2}, {"vi", 0.15}}, esOrg: 0.1},
	{city: "Baltimore", region: "MD", lat: 39.2904, lon: -76.6122, postal: []string{"21202", "21201", "21231"}, phone: "+1 (410) 555-01",
		langs: []lang{{"en", 1}, {"es", 0.6}, {"ko", 0.1}, {"am", 0.1}}, esOrg: 0.1},
	{city: "Charlotte", region: "NC", lat: 35.2271, lon: -80.8431, postal: []string{"28202", "28203", "28204"}, phone: "+1 (704) 555-01",
		langs: []lang{{"en", 1}, {"es", 0.65}, {"vi", 0.15}}, esOrg: 0.15},
	{city: "Nashville", region: "TN", lat: 36.1627, lon: -86.7816, postal: []string{"37219", "37203", "37208"}, phone: "+1 (615) 555-01",
		langs: []lang{{"en", 1}, {"es", 0.6}, {"ar", 0.25}, {"ku", 0.15}, {"so", 0.1}}, esOrg: 0.1},
	{city: "New Orleans", region: "LA", lat: 29.9511, lon: -90.0715, postal: []string{"70112", "70113", "70130"}, phone: "+1 (504) 555-01",
		langs: []lang{{"en", 1}, {"es", 0.6}, {"vi", 0.3}, {"fr", 0.1}}, esOrg: 0.15},
	{city: "Honolulu", region: "HI", lat: 21.3069, lon: -157.8583, postal: []string{"96813", "96814", "96817"}, phone: "+1 (808) 555-01",
		langs: []lang{{"en", 1}, {"tl", 0.3}, {"ilo", 0.3}, {"ja", 0.2}, {"ko", 0.15}, {"zh", 0.15}, {"chk", 0.1}, {"mh", 0.1}, {"es", 0.2}}},
	{city: "Anchorage", region: "AK", lat: 61.2181, lon: -149.9003, postal: []string{"99501", "99508", "99517"}, phone: "+1 (907) 555-01",
		langs: []lang{{"en", 1}, {"es", 0.4}, {"tl", 0.25}, {"sm", 0.15}, {"ko", 0.1}}},
	{city: "Salt Lake City", region: "UT", lat: 40.7608, lon: -111.8910, postal: []string{"84101", "84111", "84102"}, phone: "+1 (801) 555-01",
		langs: []lang{{"en", 1}, {"es", 0.65}, {"to", 0.15}, {"sm", 0.15}}, esOrg: 0.1},
	{city: "Albuquerque", region: "NM", lat: 35.0844, lon: -106.6504, postal: []string{"87102", "87104", "87106"}, phone: "+1 (505) 555-01",
		langs: []lang{{"en", 1}, {"es", 0.85}, {"nv", 0.3}}, esOrg: 0.3},

	{city: "Mexico City", region: "MX-CMX", country: "MX", lat: 19.4326, lon: -99.1332, postal: []string{"06000", "06700", "03100"}, phone: "+52 555 01",
		langs: []lang{{"es", 1}, {"en", 0.3}, {"nah", 0.1}}, esOrg: 1, streets: esStreets, style: styleNumberAfter, currency: "MXN", legal: "Asociación civil"},
	{city: "Guadalajara", region: "MX-JAL", country: "MX", lat: 20.6597, lon: -103.3496, postal: []string{"44100", "44160", "44600"}, phone: "+52 555 01",
		langs: []lang{{"es", 1}, {"en", 0.3}}, esOrg: 1, streets: esStreets, style: styleNumberAfter, currency: "MXN", legal: "Asociación civil"},
	{city: "Tijuana", region: "MX-BCN", country: "MX", lat: 32.5149, lon: -117.0382, postal: []string{"22000", "22010", "22020"}, phone: "+52 555 01",
		langs: []lang{{"es", 1}, {"en", 0.5}, {"ht", 0.15}}, esOrg: 1, streets: esStreets, style: styleNumberAfter, currency: "MXN", legal: "Asociación civil"},
	{city: "Guatemala City", region: "GT-01", country: "GT", lat: 14.6349, lon: -90.5069, postal: []string{"01001", "01010", "01011"}, phone: "+502 555 01",
		langs: []lang{{"es", 1}, {"quc", 0.25}, {"mam", 0.15}, {"en", 0.2}}, esOrg: 1, streets: gtStreets, style: styleGuatemala, currency: "GTQ", legal: "Asociación sin fines de lucro"},
	{city: "Manila", region: "PH-00", country: "PH", lat: 14.5995, lon: 120.9842, postal: []string{"1000", "1004", "1007"}, phone: "+63 555 01",
		langs: []lang{{"tl", 1}, {"en", 0.85}, {"ceb", 0.2}}, streets: phStreets, style: styleNumberFirst, currency: "PHP", legal: "Non-stock, non-profit corporation"},
	{city: "Bangkok", region: "TH-10", country: "TH", lat: 13.7563, lon: 100.5018, postal: []string{"10200", "10330", "10500"}, phone: "+66 555 01",
		langs: []lang{{"th", 1}, {"en", 0.6}, {"my", 0.3}, {"km", 0.2}, {"lo", 0.1}}, streets: thStreets, style: styleNumberFirst, currency: "THB", legal: "Foundation"},
	{city: "Chiang Mai", region: "TH-50", country: "TH", lat: 18.7883, lon: 98.9853, postal: []string{"50200", "50300"}, phone: "+66 555 01",
		langs: []lang{{"th", 1}, {"en", 0.5}, {"my", 0.4}, {"shn", 0.15}}, streets: thStreets, style: styleNumberFirst, currency: "THB", legal: "Foundation"},
	{city: "Lagos", region: "NG-LA", country: "NG", lat: 6.5244, lon: 3.3792, postal: []string{"100001", "101001", "101241"}, phone: "+234 555 01",
		langs: []lang{{"en", 1}, {"yo", 0.7}, {"ig", 0.3}, {"ha", 0.3}}, streets: ngStreets, style: styleNumberComma, currency: "NGN", legal: "Registered non-governmental organization"},
	{city: "Kyiv", region: "UA-30", country: "UA", lat: 50.4501, lon: 30.5234, postal: []string{"01001", "01004", "01030"}, phone: "+380 555 01",
		langs: []lang{{"uk", 1}, {"en", 0.5}, {"ru", 0.3}}, streets: uaStreets, style: styleNumberComma, currency: "UAH", legal: "Charitable organization"},
	{city: "Toronto", region: "CA-ON", country: "CA", lat: 43.6532, lon: -79.3832, postal: []string{"M5V 2T6", "M5A 1J7", "M6J 1G1"}, phone: "+1 (416) 555-01",
		langs: []lang{{"en", 1}, {"fr", 0.35}, {"es", 0.25}, {"tl", 0.2}, {"zh", 0.2}, {"pt", 0.1}}, streets: caStreets, british: true, currency: "CAD", legal: "Registered charity"},
	{city: "Vancouver", region: "CA-BC", country: "CA", lat: 49.2827, lon: -123.1207, postal: []string{"V6B 2W9", "V6A 1B5", "V5L 3X8"}, phone: "+1 (604) 555-01",
		langs: []lang{{"en", 1}, {"zh", 0.4}, {"pa", 0.3}, {"tl", 0.25}, {"es", 0.2}, {"ko", 0.15}, {"fr", 0.15}}, streets: caStreets, british: true, currency: "CAD", legal: "Registered charity"},
	{city: "London", region: "GB-LND", country: "GB", lat: 51.5074, lon: -0.1278, postal: []string{"E1 6AN", "SE1 7PB", "N1 9GU"}, phone: "+44 555 01",
		langs: []lang{{"en", 1}, {"pl", 0.2}, {"ro", 0.2}, {"sq", 0.2}, {"vi", 0.2}, {"es", 0.15}}, streets: gbStreets, british: true, currency: "GBP", legal: "Registered charity"},
}

// foreignArticle gives country names that take an article in a sentence.
var foreignArticle = map[string][2]string{"GB": {"the ", "el "}}

func init() {
	for i := range places {
		p := &places[i]
		if p.country == "" {
			p.country = "US"
		}
		if p.streets == nil {
			p.streets = usStreets
			if p.region == "PR" {
				p.streets = esStreets
				p.style = styleNumberAfter
			}
		}
		if p.currency == "" {
			p.currency = "USD"
		}
		if p.legal == "" {
			p.legal = "Nonprofit organization"
		}
		p.esPrimary = p.langs[0].code == "es"
		p.display = p.city
		if p.region == "DC" {
			p.display = "Washington, DC"
		}
		p.cosLat = math.Cos(p.lat * math.Pi / 180)
		if p.country == "US" {
			st, _ := geo.StateByCode(p.region)
			if p.region == "DC" {
				p.areaLocal = "Washington, DC metropolitan area"
				p.areaWide = "District of Columbia"
			} else {
				p.areaLocal = p.city + " metropolitan area"
				p.areaWide = st.Name + " (statewide)"
			}
		} else {
			p.areaLocal = p.city + " and surrounding area"
			p.areaWide = foreignArticle[p.country][0] + geo.CountryName(p.country, "en") + " (nationwide)"
			if p.areaWide[0] == 't' {
				p.areaWide = "T" + p.areaWide[1:]
			}
		}
		p.areaDesc = "Serves people who live or work in this area; remote help is available elsewhere."
	}
}

// langNames are the English names of the languages the sample uses.
var langNames = map[string]string{
	"am": "Amharic", "ar": "Arabic", "bn": "Bengali", "ceb": "Cebuano", "chk": "Chuukese",
	"en": "English", "es": "Spanish", "fr": "French", "ha": "Hausa", "hmn": "Hmong",
	"ht": "Haitian Creole", "hy": "Armenian", "ig": "Igbo", "ilo": "Ilocano", "ja": "Japanese",
	"km": "Khmer", "ko": "Korean", "ku": "Kurdish", "lo": "Lao", "mam": "Mam",
	"mh": "Marshallese", "my": "Burmese", "nah": "Nahuatl", "ne": "Nepali", "nv": "Navajo",
	"om": "Oromo", "pa": "Punjabi", "pl": "Polish", "pt": "Portuguese", "quc": "K'iche'",
	"ro": "Romanian", "ru": "Russian", "shn": "Shan", "sm": "Samoan", "so": "Somali",
	"sq": "Albanian", "th": "Thai", "tl": "Tagalog", "to": "Tongan", "uk": "Ukrainian",
	"ur": "Urdu", "vi": "Vietnamese", "yo": "Yoruba", "zh": "Chinese",
}
