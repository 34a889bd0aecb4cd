package http

import (
	"strconv"

	"haven/hsds"
	"haven/phone"
)

// visitorRegion is the country whose national format phone numbers are
// shown in: Haven's visitors are, so far, in the United States, and a
// number of another country is shown in international format.
const visitorRegion = "US"

// showPhone writes a stored number (and extension) for visitors.
func showPhone(number string, ext *float64) string {
	text := number
	if ext != nil {
		text = phone.Text(number, strconv.FormatFloat(*ext, 'f', -1, 64))
	}
	return phone.Display(text, visitorRegion)
}

// viewPhone is a phone as pages show it: national format, dialed in E.164.
func viewPhone(ph hsds.Phone) phoneView {
	return phoneView{showPhone(ph.Number, ph.Extension), telURI(ph.Number), ph.Description}
}
