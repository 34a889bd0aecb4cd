package geo

import (
	"slices"
	"strings"
)

// State is a U.S. state, the District of Columbia, or an inhabited
// territory.
type State struct {
	// Code is the two-letter USPS code, e.g. "NY".
	Code string
	// Name is the English name, NameES the Spanish one.
	Name, NameES string
	// Territory is true for PR, GU, VI, AS and MP (not for DC).
	Territory bool
	// Row and Col place the state on a square tile-grid map: 12 columns,
	// rows 0–7 for the states and DC (AK top left, ME top right, HI bottom
	// left, FL bottom right) and row 8 for the territories, Pacific ones
	// on the left and Caribbean ones on the right.
	Row, Col int
}

// TileRows and TileCols are the size of the tile grid that State.Row and
// State.Col index into, including the territories' row.
const (
	TileRows = 9
	TileCols = 12
)

// states is the master copy; StateByCode reads it rather than States so
// that a caller modifying the exported slice cannot change lookups.
var states = [...]State{
	{"AK", "Alaska", "Alaska", false, 0, 0},
	{"ME", "Maine", "Maine", false, 0, 11},

	{"VT", "Vermont", "Vermont", false, 1, 10},
	{"NH", "New Hampshire", "Nuevo Hampshire", false, 1, 11},

	{"WA", "Washington", "Washington", false, 2, 1},
	{"ID", "Idaho", "Idaho", false, 2, 2},
	{"MT", "Montana", "Montana", false, 2, 3},
	{"ND", "North Dakota", "Dakota del Norte", false, 2, 4},
	{"MN", "Minnesota", "Minnesota", false, 2, 5},
	{"IL", "Illinois", "Illinois", false, 2, 6},
	{"WI", "Wisconsin", "Wisconsin", false, 2, 7},
	{"MI", "Michigan", "Míchigan", false, 2, 8},
	{"NY", "New York", "Nueva York", false, 2, 9},
	{"MA", "Massachusetts", "Massachusetts", false, 2, 10},

	{"OR", "Oregon", "Oregón", false, 3, 1},
	{"NV", "Nevada", "Nevada", false, 3, 2},
	{"WY", "Wyoming", "Wyoming", false, 3, 3},
	{"SD", "South Dakota", "Dakota del Sur", false, 3, 4},
	{"IA", "Iowa", "Iowa", false, 3, 5},
	{"IN", "Indiana", "Indiana", false, 3, 6},
	{"OH", "Ohio", "Ohio", false, 3, 7},
	{"PA", "Pennsylvania", "Pensilvania", false, 3, 8},
	{"NJ", "New Jersey", "Nueva Jersey", false, 3, 9},
	{"CT", "Connecticut", "Connecticut", false, 3, 10},
	{"RI", "Rhode Island", "Rhode Island", false, 3, 11},

	{"CA", "California", "California", false, 4, 1},
	{"UT", "Utah", "Utah", false, 4, 2},
	{"CO", "Colorado", "Colorado", false, 4, 3},
	{"NE", "Nebraska", "Nebraska", false, 4, 4},
	{"MO", "Missouri", "Misuri", false, 4, 5},
	{"KY", "Kentucky", "Kentucky", false, 4, 6},
	{"WV", "West Virginia", "Virginia Occidental", false, 4, 7},
	{"VA", "Virginia", "Virginia", false, 4, 8},
	{"MD", "Maryland", "Maryland", false, 4, 9},
	{"DE", "Delaware", "Delaware", false, 4, 10},

	{"AZ", "Arizona", "Arizona", false, 5, 2},
	{"NM", "New Mexico", "Nuevo México", false, 5, 3},
	{"KS", "Kansas", "Kansas", false, 5, 4},
	{"AR", "Arkansas", "Arkansas", false, 5, 5},
	{"TN", "Tennessee", "Tennessee", false, 5, 6},
	{"NC", "North Carolina", "Carolina del Norte", false, 5, 7},
	{"SC", "South Carolina", "Carolina del Sur", false, 5, 8},
	{"DC", "District of Columbia", "Distrito de Columbia", false, 5, 9},

	{"OK", "Oklahoma", "Oklahoma", false, 6, 4},
	{"LA", "Louisiana", "Luisiana", false, 6, 5},
	{"MS", "Mississippi", "Misisipi", false, 6, 6},
	{"AL", "Alabama", "Alabama", false, 6, 7},
	{"GA", "Georgia", "Georgia", false, 6, 8},

	{"HI", "Hawaii", "Hawái", false, 7, 0},
	{"TX", "Texas", "Texas", false, 7, 4},
	{"FL", "Florida", "Florida", false, 7, 9},

	{"GU", "Guam", "Guam", true, 8, 0},
	{"MP", "Northern Mariana Islands", "Islas Marianas del Norte", true, 8, 1},
	{"AS", "American Samoa", "Samoa Americana", true, 8, 2},
	{"PR", "Puerto Rico", "Puerto Rico", true, 8, 10},
	{"VI", "U.S. Virgin Islands", "Islas Vírgenes de los EE. UU.", true, 8, 11},
}

// States lists the 50 states, DC and the territories PR, GU, VI, AS and MP,
// in tile-grid order (row by row, left to right). It is a copy: changing it
// does not affect StateByCode.
var States = slices.Clone(states[:])

// StateByCode returns the state, DC or territory with the given USPS code,
// matched case-insensitively and ignoring surrounding spaces.
func StateByCode(code string) (State, bool) {
	code = strings.TrimSpace(code)
	// The length check keeps EqualFold's Unicode folding from matching
	// look-alikes such as the Kelvin sign "K" in "AK".
	if len(code) != 2 {
		return State{}, false
	}
	for _, s := range states {
		if strings.EqualFold(s.Code, code) {
			return s, true
		}
	}
	return State{}, false
}
