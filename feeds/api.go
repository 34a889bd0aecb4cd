package feeds

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"

	"haven/hsds"
)

// Page is one page of a publisher's list of services, in either envelope:
// HSDS 3.0's ("contents", "total_items", "total_pages", "page_number",
// "last_page") or Open Referral UK's ("content", "totalElements",
// "totalPages", "number", "last").
type Page struct {
	// UK is true for Open Referral UK's envelope.
	UK bool
	// Contents is the array of records, undecoded.
	Contents json.RawMessage
	// Count is how many records Contents holds.
	Count int
	// TotalItems, TotalPages and Number are what the envelope says, -1
	// when it does not say.
	TotalItems, TotalPages, Number int
	// Last is true when the envelope says this is the last page; LastSaid
	// whether it says either way.
	Last, LastSaid bool
}

// maxCount bounds the totals an envelope may claim.
const maxCount = 1 << 40

// ParsePage reads a page envelope. A page that is not a JSON object with
// an array of records under "contents" or "content" is an error naming
// what is wrong; so is a count that is negative or not a whole number.
func ParsePage(body []byte) (*Page, error) {
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("the answer is not a JSON object: %v", err)
	}
	if raw == nil {
		return nil, errors.New("the answer is not a JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("the answer has more after its JSON object")
	}
	p := &Page{TotalItems: -1, TotalPages: -1, Number: -1}
	c, ok := raw["contents"]
	if !ok {
		if c, ok = raw["content"]; ok {
			p.UK = true
		}
	}
	if !ok {
		return nil, errors.New(`the answer is not a page of services: it has no "contents" (HSDS) or "content" (Open Referral UK)`)
	}
	// null is taken for an empty list, as some servers write one.
	var items []json.RawMessage
	if err := json.Unmarshal(c, &items); err != nil {
		return nil, errors.New(`the page's records are not a JSON array`)
	}
	if items == nil {
		c = json.RawMessage("[]")
	}
	p.Contents, p.Count = c, len(items)
	names := map[string]*int{"total_items": &p.TotalItems, "total_pages": &p.TotalPages, "page_number": &p.Number}
	last := "last_page"
	if p.UK {
		names = map[string]*int{"totalElements": &p.TotalItems, "totalPages": &p.TotalPages, "number": &p.Number}
		last = "last"
	}
	for name, dst := range names {
		v, ok := raw[name]
		if !ok || string(v) == "null" {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(string(v)), 10, 64)
		if err != nil || n < 0 || n > maxCount {
			return nil, fmt.Errorf("the page's %s is %s, not a count", name, truncate(string(v), 40))
		}
		*dst = int(n)
	}
	if v, ok := raw[last]; ok && string(v) != "null" {
		if err := json.Unmarshal(v, &p.Last); err != nil {
			return nil, fmt.Errorf("the page's %s is %s, not true or false", last, truncate(string(v), 40))
		}
		p.LastSaid = true
	}
	return p, nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// servicesURL is the address of page n of a publisher's services: the
// feed's URL, with /services added unless it ends so, and the paging
// asked for in the query.
func servicesURL(base string, uk bool, page, perPage int) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	if !strings.HasSuffix(strings.TrimSuffix(u.Path, "/"), "/services") {
		u.Path = strings.TrimSuffix(u.Path, "/") + "/services"
	}
	q := u.Query()
	q.Set("page", strconv.Itoa(page))
	q.Set("per_page", strconv.Itoa(perPage))
	if !uk {
		q.Set("full", "true") // whole records, not the list's summaries
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// decodeHSDS reads a page's records as HSDS 3.0 services; any invalid
// record fails the page. Properties HSDS 3.0 does not define (such as
// 3.1's additions) are dropped.
func decodeHSDS(contents []byte, name string) ([]*hsds.Service, error) {
	r := hsds.NewJSONReader(bytes.NewReader(contents), name)
	r.AllowUnknownFields = true
	var out []*hsds.Service
	for {
		s, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		// A full record may name its organization only by nesting it, as
		// the specification's own example does.
		if s.OrganizationID == "" && s.Organization != nil {
			s.OrganizationID = s.Organization.ID
		}
		out = append(out, s)
	}
}
