package feeds

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"haven"
	"haven/hsds"
	"haven/intake"
)

// The Open Referral UK service, as its API's /services pages give it: the
// fields Haven takes. Others are left out.
type ukService struct {
	ID           ukID   `json:"id"`
	Name         string `json:"name"`
	Description  string `json:"description"`
	URL          string `json:"url"`
	Email        string `json:"email"`
	Status       string `json:"status"`
	Fees         string `json:"fees"`
	Organization *struct {
		ID          ukID   `json:"id"`
		Name        string `json:"name"`
		Description string `json:"description"`
		URL         string `json:"url"`
		Email       string `json:"email"`
	} `json:"organization"`
	Contacts []struct {
		ID     ukID   `json:"id"`
		Name   string `json:"name"`
		Title  string `json:"title"`
		Phones []struct {
			ID     ukID   `json:"id"`
			Number string `json:"number"`
		} `json:"phones"`
	} `json:"contacts"`
	ServiceAtLocations []struct {
		ID       ukID `json:"id"`
		Location *struct {
			ID          ukID     `json:"id"`
			Name        string   `json:"name"`
			Description string   `json:"description"`
			Latitude    *float64 `json:"latitude"`
			Longitude   *float64 `json:"longitude"`
			Addresses   []struct {
				ID            ukID   `json:"id"`
				Address1      string `json:"address_1"`
				City          string `json:"city"`
				StateProvince string `json:"state_province"`
				PostalCode    string `json:"postal_code"`
				Country       string `json:"country"`
			} `json:"physical_addresses"`
		} `json:"location"`
	} `json:"service_at_locations"`
	Languages []struct {
		ID       ukID   `json:"id"`
		Language string `json:"language"`
	} `json:"languages"`
}

// ukID takes an id written as a string or a number, as UK servers differ.
type ukID string

func (id *ukID) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*id = ukID(strings.TrimSpace(s))
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("an id must be a string or a number, not %s", truncate(string(b), 40))
	}
	*id = ukID(n.String())
	return nil
}

// decodeUK converts a page of Open Referral UK services to HSDS 3.0, on a
// best-effort basis: ids that are not UUIDs get stable ones in the feed's
// namespace (the publisher's are kept in ids), an organization without a
// description repeats its name as intake does, an address without the
// parts HSDS 3.0 requires is left out, and the result must validate.
func decodeUK(contents []byte, where string, feed *haven.Feed, ids map[string]string) ([]*hsds.Service, error) {
	var raw []ukService
	if err := json.Unmarshal(contents, &raw); err != nil {
		return nil, fmt.Errorf("%s: the services are not Open Referral UK records: %v", where, err)
	}
	id := intake.StableIDs(feed.Name)
	out := make([]*hsds.Service, 0, len(raw))
	for i, u := range raw {
		rec := fmt.Sprintf("%s: service %d", where, i+1)
		if u.ID == "" {
			return nil, fmt.Errorf("%s: it has no id", rec)
		}
		rec = fmt.Sprintf("%s: service %s", where, u.ID)
		s := &hsds.Service{ID: id("service", string(u.ID)), Name: strings.TrimSpace(u.Name), Description: u.Description,
			URL: u.URL, Email: u.Email, Status: strings.ToLower(strings.TrimSpace(u.Status)), FeesDescription: u.Fees}
		if s.ID != string(u.ID) {
			ids[s.ID] = string(u.ID)
		}
		if s.Status == "" {
			s.Status = "active"
		}
		if o := u.Organization; o != nil && o.ID != "" {
			org := &hsds.Organization{ID: id("organization", string(o.ID)), Name: strings.TrimSpace(o.Name), Description: o.Description,
				Website: o.URL, Email: o.Email}
			if org.Description == "" {
				org.Description = org.Name
			}
			if org.ID != string(o.ID) {
				org.OrganizationIdentifiers = []hsds.OrganizationIdentifier{{ID: id("organization_identifier", string(o.ID)),
					OrganizationID: org.ID, IdentifierScheme: "", IdentifierType: "Open Referral UK id (feed " + feed.Name + ")", Identifier: string(o.ID)}}
			}
			s.Organization, s.OrganizationID = org, org.ID
		} else {
			return nil, fmt.Errorf("%s: it names no organization, which HSDS 3.0 requires", rec)
		}
		for _, c := range u.Contacts {
			hc := hsds.Contact{ID: id("contact", or(c.ID, string(u.ID)+"/contact/"+strconv.Itoa(len(s.Contacts)))), ServiceID: s.ID, Name: c.Name, Title: c.Title}
			for _, p := range c.Phones {
				if strings.TrimSpace(p.Number) != "" {
					hc.Phones = append(hc.Phones, hsds.Phone{ID: id("phone", or(p.ID, string(u.ID)+"/phone/"+strconv.Itoa(len(s.Contacts))+"/"+strconv.Itoa(len(hc.Phones)))), ContactID: hc.ID, Number: p.Number})
				}
			}
			s.Contacts = append(s.Contacts, hc)
		}
		for j, sal := range u.ServiceAtLocations {
			l := sal.Location
			if l == nil || l.ID == "" {
				continue
			}
			loc := &hsds.Location{ID: id("location", string(l.ID)), LocationType: "physical", Name: l.Name, Description: l.Description,
				Latitude: l.Latitude, Longitude: l.Longitude, OrganizationID: s.OrganizationID}
			for _, a := range l.Addresses {
				ha := hsds.Address{ID: id("address", or(a.ID, string(l.ID)+"/address/"+strconv.Itoa(len(loc.Addresses)))), LocationID: loc.ID, Address1: a.Address1, City: a.City,
					StateProvince: a.StateProvince, PostalCode: a.PostalCode, Country: strings.ToUpper(strings.TrimSpace(a.Country)), AddressType: "physical"}
				if ha.Country == "" {
					ha.Country = feed.DefaultCountry
				}
				if ha.Country == "UK" {
					ha.Country = "GB" // ISO 3166-1 calls the United Kingdom GB
				}
				if ha.Address1 == "" || ha.City == "" || ha.StateProvince == "" || ha.PostalCode == "" || len(ha.Country) != 2 {
					continue
				}
				loc.Addresses = append(loc.Addresses, ha)
			}
			salID := string(sal.ID)
			if salID == "" {
				salID = string(u.ID) + "/" + strconv.Itoa(j)
			}
			s.ServiceAtLocations = append(s.ServiceAtLocations, hsds.ServiceAtLocation{ID: id("service_at_location", salID),
				ServiceID: s.ID, LocationID: loc.ID, Location: loc})
		}
		for _, l := range u.Languages {
			if name := strings.TrimSpace(l.Language); name != "" {
				s.Languages = append(s.Languages, hsds.Language{ID: id("language", or(l.ID, string(u.ID)+"/language/"+strconv.Itoa(len(s.Languages)))), ServiceID: s.ID, Name: name})
			}
		}
		if errs := s.Validate(); len(errs) > 0 {
			return nil, fmt.Errorf("%s: %w", rec, hsds.Errors(errs))
		}
		out = append(out, s)
	}
	return out, nil
}

// or is id, or fallback when the publisher gave none.
func or(id ukID, fallback string) string {
	if id != "" {
		return string(id)
	}
	return fallback
}
