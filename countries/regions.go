package countries

import (
	"slices"
	"strings"
)

// Regions are the report's six regions, as the State Department's Office to
// Monitor and Combat Trafficking in Persons groups countries, in the order
// the world map places them from west to east.
var Regions = []Region{
	{Key: "wha", Col: 0, Row: 1, Cols: 5, Codes: "AG AI AR AW BB BL BM BO BQ BR BS BZ CA CL CO CR CU CW DM DO EC FK GD GF GL GP GT GY HN HT JM KN KY LC MF MQ MS MX NI PA PE PM PR PY SR SV SX TC TT US UY VC VE VG VI"},
	{Key: "eur", Col: 6, Row: 1, Cols: 7, Codes: "AD AL AM AT AX AZ BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GE GG GI GR HR HU IE IM IS IT JE LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM TR UA VA XK"},
	{Key: "af", Col: 6, Row: 10, Cols: 7, Codes: "AO BF BI BJ BW CD CF CG CI CM CV DJ EH ER ET GA GH GM GN GQ GW KE KM LR LS MG ML MR MU MW MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TD TG TZ UG YT ZA ZM ZW"},
	{Key: "nea", Col: 14, Row: 1, Cols: 4, Codes: "AE BH DZ EG IL IQ IR JO KW LB LY MA OM PS QA SA SY TN YE"},
	{Key: "sca", Col: 14, Row: 8, Cols: 4, Codes: "AF BD BT IN IO KG KZ LK MV NP PK TJ TM UZ"},
	{Key: "eap", Col: 19, Row: 1, Cols: 5, Codes: "AQ AS AU BN BV CC CK CN CX FJ FM GS GU HK HM ID JP KH KI KP KR LA MH MM MN MO MP MY NC NF NR NU NZ PF PG PH PN PW SB SG TF TH TK TL TO TV TW UM VN VU WF WS"},
}

// Region is a group of countries and its block on the world tile map.
type Region struct {
	Key string // i18n key suffix: region.wha …
	// Col, Row place the block's top-left tile; Cols is its width. A
	// block's rows follow from how many of its countries the map shows.
	Col, Row, Cols int
	// Codes are the region's countries and territories.
	Codes string
}

// RegionOf returns the key of code's region, or "" when it has none.
func RegionOf(code string) string {
	for _, r := range Regions {
		if slices.Contains(strings.Fields(r.Codes), code) {
			return r.Key
		}
	}
	return ""
}

// Tile is one country's square on the world tile map, in tile units.
type Tile struct {
	Code     string
	Region   string
	Col, Row int
}

// Layout places the countries in codes on the world tile map: each in its
// region's block, in alphabetical order of code, filling the block's rows.
// Countries of no region are left out. It also returns the map's size in
// tiles.
func Layout(codes []string) (tiles []Tile, cols, rows int) {
	for _, r := range Regions {
		var in []string
		for _, c := range strings.Fields(r.Codes) {
			if slices.Contains(codes, c) {
				in = append(in, c)
			}
		}
		for i, c := range in {
			t := Tile{Code: c, Region: r.Key, Col: r.Col + i%r.Cols, Row: r.Row + i/r.Cols}
			tiles = append(tiles, t)
			cols, rows = max(cols, t.Col+1), max(rows, t.Row+1)
		}
	}
	return tiles, cols, rows
}
