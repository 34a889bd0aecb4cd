// Code in this file mirrors the HSDS 3.1 JSON Schemas (schema/*.json): one
// struct per object, JSON names exactly as the schema properties, nested
// objects and arrays as in schema/compiled/service.json. HSDS 3.1 only adds
// to 3.0 (service_capacity, unit, url, attribute.label,
// service_at_location.service_areas), so every 3.0 document is a 3.1 one.
//
// Why these field types: optional text is a plain string with omitzero, so an
// absent field and an empty one are the same thing (as in the tabular form,
// where an empty cell means absent); numbers are *float64 because the schema
// types them as "number" and nil must stay distinguishable from 0; arrays use
// omitzero so that a nil slice (absent) is omitted but an explicit [] survives
// a round trip. Required properties have no omitzero and are always written.

package hsds

// Organization is the HSDS organization object (organizations.csv). The details about each organization delivering services.
type Organization struct {
	// The identifier for the organization.
	ID string `json:"id"`
	// The official or public name of the organization.
	Name string `json:"name"`
	// An (optional) alternative or commonly used name for the organization.
	AlternateName string `json:"alternate_name,omitzero"`
	// A free text description containing a brief summary about the organization.
	Description string `json:"description"`
	// The contact e-mail address for the organization.
	Email string `json:"email,omitzero"`
	// The URL (website address) of the organization.
	Website string `json:"website,omitzero"`
	// DEPRECATED: Government assigned tax designation for tax-exempt organizations.
	TaxStatus string `json:"tax_status,omitzero"`
	// DEPRECATED: A government issued identifier used for the purpose of tax administration.
	TaxID string `json:"tax_id,omitzero"`
	// The year in which the organization was legally formed.
	YearIncorporated *float64 `json:"year_incorporated,omitzero"`
	// The legal conditions that an organization is operating under.
	LegalStatus string `json:"legal_status,omitzero"`
	// A URL to an image associated with the organization which can be presented alongside its name.
	Logo string `json:"logo,omitzero"`
	// A persistent identifier to uniquely identify the organization such as those provided by Open Corporates or some other relevant URI provider.
	URI string `json:"uri,omitzero"`
	// The identifier of the organization's parent organization.
	ParentOrganizationID string `json:"parent_organization_id,omitzero"`
	// HSDS 3.1: the organization's other websites, each with a label.
	AdditionalWebsites []URL `json:"additional_websites,omitzero"`
	// The sources of funding for a service or organization.
	Funding []Funding `json:"funding,omitzero"`
	// The details of the named contacts for services and organizations.
	Contacts []Contact `json:"contacts,omitzero"`
	// The details of the telephone numbers are used to contact organizations, services, and locations.
	Phones []Phone `json:"phones,omitzero"`
	// The details of the locations where organizations operate.
	Locations []Location `json:"locations,omitzero"`
	// The details of collection of related services.
	Programs []Program `json:"programs,omitzero"`
	// The details of the third party identifiers for organizations, such as: company registration number, charity number, tax registration number.
	OrganizationIdentifiers []OrganizationIdentifier `json:"organization_identifiers,omitzero"`
	// A link between a service and one or more classifications that describe the nature of the service provided.
	Attributes []Attribute `json:"attributes,omitzero"`
	// A record of the changes that have been made to the data in order to maintain provenance information.
	Metadata []Metadata `json:"metadata,omitzero"`
	// Services delivered by the organization. Only the API's organization
	// document (schema/compiled/organization.json) carries them; readers never
	// fill them, and the tabular form has no such column.
	Services []Service `json:"services,omitzero"`
	// Haven extension: the date (YYYY-MM-DD) a person last confirmed the record.
	XLastVerified string `json:"x_last_verified,omitzero"`
	// Haven extension: true marks sample or test data that must never be shown as real.
	XSample *bool `json:"x_sample,omitzero"`
}

// Program is the HSDS program object (programs.csv). The details of collections of related services.
type Program struct {
	// The identifier for the program.
	ID string `json:"id"`
	// The identifier for the organization which the program belongs to.
	OrganizationID string `json:"organization_id,omitzero"`
	// The name of the program.
	Name string `json:"name"`
	// The (optional) alternative name for the program.
	AlternateName string `json:"alternate_name,omitzero"`
	// A free text description of the program
	Description string `json:"description"`
	// A link between a service and one or more classifications that describe the nature of the service provided.
	Attributes []Attribute `json:"attributes,omitzero"`
	// A record of the changes that have been made to the data in order to maintain provenance information.
	Metadata []Metadata `json:"metadata,omitzero"`
}

// Service is the HSDS service object (services.csv). The details of the services provided by organizations to a range of different groups.
type Service struct {
	// The identifier for the service.
	ID string `json:"id"`
	// The identifier of the organization that provides this service.
	OrganizationID string `json:"organization_id,omitzero"`
	// The identifier of the program this service is delivered under.
	ProgramID string `json:"program_id,omitzero"`
	// The official or public name of the service.
	Name string `json:"name"`
	// An (optional) alternative name for this service.
	AlternateName string `json:"alternate_name,omitzero"`
	// A free text description of the service.
	Description string `json:"description,omitzero"`
	// URL of the service
	URL string `json:"url,omitzero"`
	// An email address which can be used to contact the service provider.
	Email string `json:"email,omitzero"`
	// The current status of the service which can be active, inactive, defunct, or temporarily closed.
	Status string `json:"status"`
	// A free text description of any interpretation services available for accessing this service.
	InterpretationServices string `json:"interpretation_services,omitzero"`
	// A free text description of the steps needed to access this service.
	ApplicationProcess string `json:"application_process,omitzero"`
	// A free text description of any charges for service users to access this service.
	FeesDescription string `json:"fees_description,omitzero"`
	// DEPRECATED: The time a client may expect to wait before receiving a service.
	WaitTime string `json:"wait_time,omitzero"`
	// DEPRECATED: Details of any charges for service users to access this service.
	Fees string `json:"fees,omitzero"`
	// A free text description of any accreditations.
	Accreditations string `json:"accreditations,omitzero"`
	// A free text description of the type of person for whom this service is intended.
	EligibilityDescription string `json:"eligibility_description,omitzero"`
	// The minimum age of a person required to meet this eligibility requirement.
	MinimumAge *float64 `json:"minimum_age,omitzero"`
	// The maximum age of a person required to meet this eligibility requirement.
	MaximumAge *float64 `json:"maximum_age,omitzero"`
	// The date that the information about the service was last checked.
	AssuredDate string `json:"assured_date,omitzero"`
	// The contact e-mail address for the person or organization which last assured the service.
	AssurerEmail string `json:"assurer_email,omitzero"`
	// DEPRECATED: An organization may have a license issued by a government entity to operate legally.
	Licenses string `json:"licenses,omitzero"`
	// A description of any short term alerts concerning the service.
	Alert string `json:"alert,omitzero"`
	// The datetime when the service, or any related information about the service, has changed.
	LastModified string `json:"last_modified,omitzero"`
	// HSDS 3.1: other web addresses of the service, each with a label.
	AdditionalURLs []URL `json:"additional_urls,omitzero"`
	// The details of the telephone numbers used to contact organizations, services, and locations.
	Phones []Phone `json:"phones,omitzero"`
	// The details of when a service or location is open.
	Schedules []Schedule `json:"schedules,omitzero"`
	// The details of the geographic area for which a service is available.
	ServiceAreas []ServiceArea `json:"service_areas,omitzero"`
	// A link between a service and a specific location.
	ServiceAtLocations []ServiceAtLocation `json:"service_at_locations,omitzero"`
	// The details of the languages that are spoken at locations or services.
	Languages []Language `json:"languages,omitzero"`
	// The details about each organization delivering services.
	Organization *Organization `json:"organization,omitzero"`
	// The sources of funding for a service or organization.
	Funding []Funding `json:"funding,omitzero"`
	// The costs of a service at certain points in time.
	CostOptions []CostOption `json:"cost_options,omitzero"`
	// The details of collections of related services.
	Program *Program `json:"program,omitzero"`
	// The details of any documents that are required in order to access or use services.
	RequiredDocuments []RequiredDocument `json:"required_documents,omitzero"`
	// The details of the named contacts for services and organizations.
	Contacts []Contact `json:"contacts,omitzero"`
	// HSDS 3.1: how much of something (beds, places, hours) the service has
	// available, each as of its own update time.
	Capacities []ServiceCapacity `json:"capacities,omitzero"`
	// A link between a service and one or more classifications that describe the nature of the service provided.
	Attributes []Attribute `json:"attributes,omitzero"`
	// A record of the changes that have been made to the data in order to maintain provenance information.
	Metadata []Metadata `json:"metadata,omitzero"`
	// Haven extension: the date (YYYY-MM-DD) a person last confirmed the record.
	XLastVerified string `json:"x_last_verified,omitzero"`
	// Haven extension: true marks sample or test data that must never be shown as real.
	XSample *bool `json:"x_sample,omitzero"`
	// Haven extension: the service's texts in other languages (translations.go).
	XTranslations Translations `json:"x_translations,omitzero"`
}

// Attribute is the HSDS attribute object (attributes.csv). A link between a service and one or more classifications that describe the nature of the service provided.
type Attribute struct {
	// The identifier of the attribute entry.
	ID string `json:"id"`
	// The identifier of the entity to which this taxonomy term applies.
	LinkID string `json:"link_id,omitzero"`
	// The identifier of this taxonomy term from the taxonomy table.
	TaxonomyTermID string `json:"taxonomy_term_id,omitzero"`
	// A code taken from an enumerated open codelist to indicate what the taxonomy term describes, e.g. the service eligibility or intended audience.
	LinkType string `json:"link_type,omitzero"`
	// The table of the Link Identifier.
	LinkEntity string `json:"link_entity,omitzero"`
	// The value (if any) of an attribute.
	Value string `json:"value,omitzero"`
	// HSDS 3.1: a free text label of the attribute.
	Label string `json:"label,omitzero"`
	// Each service can be categorized according to one or more taxonomy terms.
	TaxonomyTerm *TaxonomyTerm `json:"taxonomy_term,omitzero"`
	// A record of the changes that have been made to the data in order to maintain provenance information.
	Metadata []Metadata `json:"metadata,omitzero"`
}

// ServiceAtLocation is the HSDS service_at_location object (service_at_location.csv). A link between a service and a specific location.
type ServiceAtLocation struct {
	// The identifier of the service at location entry.
	ID string `json:"id"`
	// The identifier of the service at a given location.
	ServiceID string `json:"service_id,omitzero"`
	// The identifier of the location where this service operates.
	LocationID string `json:"location_id,omitzero"`
	// A free text description of the service at this specific location.
	Description string `json:"description,omitzero"`
	// HSDS 3.1: the areas the service serves from this location.
	ServiceAreas []ServiceArea `json:"service_areas,omitzero"`
	// The details of the named contacts for services and organizations.
	Contacts []Contact `json:"contacts,omitzero"`
	// The details of the telephone numbers used to contact organizations, services, and locations.
	Phones []Phone `json:"phones,omitzero"`
	// The details of when a service or location is open.
	Schedules []Schedule `json:"schedules,omitzero"`
	// The details of the locations where organizations operate.
	Location *Location `json:"location,omitzero"`
	// The service delivered here. Only the API's service_at_location document
	// (schema/compiled/service_at_location.json) carries it; readers never
	// fill it, and the tabular form has no such column.
	Service *Service `json:"service,omitzero"`
	// A link between a service and one or more classifications that describe the nature of the service provided.
	Attributes []Attribute `json:"attributes,omitzero"`
	// A record of the changes that have been made to the data in order to maintain provenance information.
	Metadata []Metadata `json:"metadata,omitzero"`
}

// Location is the HSDS location object (locations.csv). The locations where organizations operate.
type Location struct {
	// The identifier of the location.
	ID string `json:"id"`
	// The type of location, which may be either physical, postal, or virtual.
	LocationType string `json:"location_type"`
	// If location_type is virtual, then this field represents the URL of a virtual location.
	URL string `json:"url,omitzero"`
	// The organization identifier for a location.
	OrganizationID string `json:"organization_id,omitzero"`
	// The name of the location.
	Name string `json:"name,omitzero"`
	// An (optional) alternative name of the location.
	AlternateName string `json:"alternate_name,omitzero"`
	// A free text description of the location.
	Description string `json:"description,omitzero"`
	// A free text description of the access to public or private transportation to and from the location.
	Transportation string `json:"transportation,omitzero"`
	// The latitude of the location expressed in decimal degrees in WGS84 datum.
	Latitude *float64 `json:"latitude,omitzero"`
	// The longitude of the location expressed in decimal degrees in WGS84 datum.
	Longitude *float64 `json:"longitude,omitzero"`
	// A third party identifier for the location, which can be drawn from other services e.g. UK UPRNs.
	ExternalIdentifier string `json:"external_identifier,omitzero"`
	// The scheme used for the location's external_identifier e.g. UPRN.
	ExternalIdentifierType string `json:"external_identifier_type,omitzero"`
	// The languages that are spoken at locations or services.
	Languages []Language `json:"languages,omitzero"`
	// The addresses of locations where organizations operate.
	Addresses []Address `json:"addresses,omitzero"`
	// The details of the named contacts for services and organizations.
	Contacts []Contact `json:"contacts,omitzero"`
	// The details of the arrangements for access to locations for people who have disabilities
	Accessibility []Accessibility `json:"accessibility,omitzero"`
	// The details of the telephone numbers used to contact organizations, services, and locations.
	Phones []Phone `json:"phones,omitzero"`
	// The details of when a service or location is open.
	Schedules []Schedule `json:"schedules,omitzero"`
	// A link between a service and one or more classifications that describe the nature of the service provided.
	Attributes []Attribute `json:"attributes,omitzero"`
	// The metadata table contains a record of the changes that have been made to the data in order to maintain provenance information.
	Metadata []Metadata `json:"metadata,omitzero"`
	// Haven extension: true keeps the location's street address, coordinates
	// and other identifying details from anyone but curators (a shelter for
	// survivors). See confidential.go.
	XConfidential *bool `json:"x_confidential,omitzero"`
}

// Phone is the HSDS phone object (phones.csv). The details of the telephone numbers used to contact organizations, services, and locations.
type Phone struct {
	// The identifier for the phone number.
	ID string `json:"id"`
	// The identifier of the location where this phone number is located.
	LocationID string `json:"location_id,omitzero"`
	// The identifier of the service for which this is the phone number.
	ServiceID string `json:"service_id,omitzero"`
	// The identifier of the organization for which this is the phone number.
	OrganizationID string `json:"organization_id,omitzero"`
	// The identifier of the contact for which this is the phone number.
	ContactID string `json:"contact_id,omitzero"`
	// The identifier of the ‘service at location’ table entry, when this phone number is specific to a service in a particular location.
	ServiceAtLocationID string `json:"service_at_location_id,omitzero"`
	// The phone number.
	Number string `json:"number"`
	// The extension of the phone number.
	Extension *float64 `json:"extension,omitzero"`
	// Indicates the type of phone service, drawing from the RFC6350 list of types (text (for SMS), voice, fax, cell, video, pager, textphone).
	Type string `json:"type,omitzero"`
	// A free text description providing extra information about the phone service
	Description string `json:"description,omitzero"`
	// The details of the languages that are spoken at locations or services.
	Languages []Language `json:"languages,omitzero"`
	// A link between a service and one or more classifications that describe the nature of the service provided.
	Attributes []Attribute `json:"attributes,omitzero"`
	// A record of the changes that have been made to the data in order to maintain provenance information.
	Metadata []Metadata `json:"metadata,omitzero"`
}

// Contact is the HSDS contact object (contacts.csv). The details of the named contacts for services and organizations.
type Contact struct {
	// The identifier for the contact.
	ID string `json:"id"`
	// The identifier of the organization for which this is a contact.
	OrganizationID string `json:"organization_id,omitzero"`
	// The identifier of the service for which this is a contact.
	ServiceID string `json:"service_id,omitzero"`
	// The identifier of the ‘service at location’ entry, when this contact is specific to a service in a particular location.
	ServiceAtLocationID string `json:"service_at_location_id,omitzero"`
	// The identifier for the location of the contact.
	LocationID string `json:"location_id,omitzero"`
	// The name of the contact.
	Name string `json:"name,omitzero"`
	// The job title of the contact.
	Title string `json:"title,omitzero"`
	// The department that the contact is a part of.
	Department string `json:"department,omitzero"`
	// The email address of the contact.
	Email string `json:"email,omitzero"`
	// The details of the telephone numbers used to contact organizations, services, and locations.
	Phones []Phone `json:"phones,omitzero"`
	// A link between a service and one or more classifications that describe the nature of the service provided.
	Attributes []Attribute `json:"attributes,omitzero"`
	// A record of the changes that have been made to the data in order to maintain provenance information.
	Metadata []Metadata `json:"metadata,omitzero"`
}

// Address is the HSDS address object (addresses.csv). The addresses of locations where organizations operate.
type Address struct {
	// The identifier of the postal address.
	ID string `json:"id"`
	// The identifier of the location for this postal address.
	LocationID string `json:"location_id,omitzero"`
	// The name of the person or entity whose attention should be sought at the location.
	Attention string `json:"attention,omitzero"`
	// The first line(s) of the address, including office, building number and street.
	Address1 string `json:"address_1"`
	// A second (additional) line of address information.
	Address2 string `json:"address_2,omitzero"`
	// The city in which the address is located.
	City string `json:"city"`
	// The region in which the address is located (optional).
	Region string `json:"region,omitzero"`
	// The state or province in which the address is located.
	StateProvince string `json:"state_province"`
	// The postal code for the address.
	PostalCode string `json:"postal_code"`
	// The country in which the address is located.
	Country string `json:"country"`
	// The type of address which may be physical, postal, or virtual.
	AddressType string `json:"address_type"`
	// A link between a service and one or more classifications that describe the nature of the service provided.
	Attributes []Attribute `json:"attributes,omitzero"`
	// A record of the changes that have been made to the data in order to maintain provenance information.
	Metadata []Metadata `json:"metadata,omitzero"`
}

// Schedule is the HSDS schedule object (schedules.csv). The details of when a service or location is open.
type Schedule struct {
	// The identifier for the schedule.
	ID string `json:"id"`
	// The identifier of the service for which this is the regular schedule
	ServiceID string `json:"service_id,omitzero"`
	// The identifier of the location for which this is the regular schedule
	LocationID string `json:"location_id,omitzero"`
	// The identifier of the ‘service at location’ table entry, when this schedule is specific to a service in a particular location.
	ServiceAtLocationID string `json:"service_at_location_id,omitzero"`
	// The date from which the schedule information is valid.
	ValidFrom string `json:"valid_from,omitzero"`
	// The last date on which the schedule information is valid.
	ValidTo string `json:"valid_to,omitzero"`
	// iCal - The date of the first event is the schedule.
	DTStart string `json:"dtstart,omitzero"`
	// The timezone that all dates are expressed as, expressed as a UTC offset.
	Timezone *float64 `json:"timezone,omitzero"`
	// iCal - The date of the last occurrence of the recurring event.
	Until string `json:"until,omitzero"`
	// iCal - The number of times that the event occurs.
	Count *float64 `json:"count,omitzero"`
	// iCal - The two-letter code for the day on which the week starts.
	WKST string `json:"wkst,omitzero"`
	// iCal - How often the frequency repeats.
	Freq string `json:"freq,omitzero"`
	// iCal - How often the frequency repeats.
	Interval *float64 `json:"interval,omitzero"`
	// iCal - Comma separated days of the week.
	ByDay string `json:"byday,omitzero"`
	// iCal - Comma separated numeric weeks of the year, where freq is WEEKLY.
	ByWeekNo string `json:"byweekno,omitzero"`
	// iCal - Comma separated numeric days of the month, where frequency is MONTHLY.
	ByMonthDay string `json:"bymonthday,omitzero"`
	// iCal - Comma separated numeric days of the month, where frequency is YEARLY.
	ByYearDay string `json:"byyearday,omitzero"`
	// A free text description of the availability of the service.
	Description string `json:"description,omitzero"`
	// The time when a service or location opens.
	OpensAt string `json:"opens_at,omitzero"`
	// The time when a service or location closes.
	ClosesAt string `json:"closes_at,omitzero"`
	// URL of a link for the schedule which may show each individual session and may provide a booking facility.
	ScheduleLink string `json:"schedule_link,omitzero"`
	// A free text description of how to attend this service.
	AttendingType string `json:"attending_type,omitzero"`
	// Free text notes on the schedule.
	Notes string `json:"notes,omitzero"`
	// A link between a service and one or more classifications that describe the nature of the service provided.
	Attributes []Attribute `json:"attributes,omitzero"`
	// A record of the changes that have been made to the data in order to maintain provenance information.
	Metadata []Metadata `json:"metadata,omitzero"`
}

// Funding is the HSDS funding object (funding.csv). The sources of funding for a service or organization.
type Funding struct {
	// The identifier for the funding.
	ID string `json:"id"`
	// The identifier of the organization in receipt of this funding.
	OrganizationID string `json:"organization_id,omitzero"`
	// The identifier of the service in receipt of this funding.
	ServiceID string `json:"service_id,omitzero"`
	// A free text description of the source of funds for this organization or service.
	Source string `json:"source,omitzero"`
	// A link between a service and one or more classifications that describe the nature of the service provided.
	Attributes []Attribute `json:"attributes,omitzero"`
	// A record of the changes that have been made to the data in order to maintain provenance information.
	Metadata []Metadata `json:"metadata,omitzero"`
}

// ServiceArea is the HSDS service_area object (service_areas.csv). The details of the geographic area for which a service is available.
type ServiceArea struct {
	// The identifier for the service area.
	ID string `json:"id"`
	// The identifier of the service for which this entry describes the service area
	ServiceID string `json:"service_id,omitzero"`
	// HSDS 3.1: the identifier of the service at location this area belongs to.
	ServiceAtLocationID string `json:"service_at_location_id,omitzero"`
	// A free text geographic area where a service is available.
	Name string `json:"name,omitzero"`
	// A more detailed free text description of this service area.
	Description string `json:"description,omitzero"`
	// A definition of the polygon defining the area.
	Extent string `json:"extent,omitzero"`
	// The format of the extent field  populated from an enum of  "geojson", "topojson",  "kml",and (for legacy systems or early state during transformation) "text".
	ExtentType string `json:"extent_type,omitzero"`
	// A URI which acts as a persistent identifier to identify an area.
	URI string `json:"uri,omitzero"`
	// A link between a service and one or more classifications that describe the nature of the service provided.
	Attributes []Attribute `json:"attributes,omitzero"`
	// A record of the changes that have been made to the data in order to maintain provenance information.
	Metadata []Metadata `json:"metadata,omitzero"`
}

// RequiredDocument is the HSDS required_document object (required_documents.csv). The details of any documents that are required in order to access or use services.
type RequiredDocument struct {
	// The identifier for the document.
	ID string `json:"id"`
	// The identifier of the service for which this entry describes the required document.
	ServiceID string `json:"service_id,omitzero"`
	// A free text description of the document required to apply for or receive the service.
	Document string `json:"document,omitzero"`
	// A web link to the document.
	URI string `json:"uri,omitzero"`
	// A link between a service and one or more classifications that describe the nature of the service provided.
	Attributes []Attribute `json:"attributes,omitzero"`
	// A record of the changes that have been made to the data in order to maintain provenance information.
	Metadata []Metadata `json:"metadata,omitzero"`
}

// Language is the HSDS language object (languages.csv). The languages that are spoken at locations or services.
type Language struct {
	// The identifier for the language.
	ID string `json:"id"`
	// The identifier of the service for which the entry describes the languages in which services are delivered.
	ServiceID string `json:"service_id,omitzero"`
	// The identifier of the location for which the entry describes the languages in which services are delivered.
	LocationID string `json:"location_id,omitzero"`
	// The identifier of the phone for which the entry describes the languages in which services delivered.
	PhoneID string `json:"phone_id,omitzero"`
	// The name of the language in which the service is delivered.
	Name string `json:"name,omitzero"`
	// The ISO 639-1 or ISO 639-3 code for the language.
	Code string `json:"code,omitzero"`
	// A free text description of any additional context or services provided for this language.
	Note string `json:"note,omitzero"`
	// A link between a service and one or more classifications that describe the nature of the service provided.
	Attributes []Attribute `json:"attributes,omitzero"`
	// A record of the changes that have been made to the data in order to maintain provenance information.
	Metadata []Metadata `json:"metadata,omitzero"`
}

// Accessibility is the HSDS accessibility object (accessibility.csv). The details of the arrangements for access to locations for people who have disabilities.
type Accessibility struct {
	// The identifier for this accessibility information.
	ID string `json:"id"`
	// The identifier for the location of the accessibility provision.
	LocationID string `json:"location_id,omitzero"`
	// A free text description of the assistance or infrastructure that facilitates access to clients with disabilities.
	Description string `json:"description,omitzero"`
	// Any further details relating to the relevant accessibility arrangements at this location.
	Details string `json:"details,omitzero"`
	// The URL of a page giving more information about the accessibility of the location.
	URL string `json:"url,omitzero"`
	// A link between a service and one or more classifications that describe the nature of the service provided.
	Attributes []Attribute `json:"attributes,omitzero"`
	// A record of the changes that have been made to the data in order to maintain provenance information.
	Metadata []Metadata `json:"metadata,omitzero"`
}

// TaxonomyTerm is the HSDS taxonomy_term object (taxonomy_terms.csv). Each service can be categorized according to one or more taxonomy terms.
type TaxonomyTerm struct {
	// The identifier for this taxonomy term.
	ID string `json:"id"`
	// The term identfier as used in the taxonomy.
	Code string `json:"code,omitzero"`
	// The taxonomy term itself.
	Name string `json:"name"`
	// A free text description of the term.
	Description string `json:"description"`
	// If this is a child term in a hierarchical taxonomy, give the identifier of the parent category.
	ParentID string `json:"parent_id,omitzero"`
	// If this is an established taxonomy, a free text description of which taxonomy is in use.
	Taxonomy string `json:"taxonomy,omitzero"`
	// Taxonomies from which taxonomy terms are taken
	TaxonomyDetail *Taxonomy `json:"taxonomy_detail,omitzero"`
	// An ISO 639-1, or ISO 639-2 [language code](available at http://www.loc.gov/standards/iso639-2/php/code_list.php) to represent the language of the term.
	Language string `json:"language,omitzero"`
	// The identifier of the taxonomy containing the term.
	TaxonomyID string `json:"taxonomy_id,omitzero"`
	// URI of the term.
	TermURI string `json:"term_uri,omitzero"`
	// A record of the changes that have been made to the data in order to maintain provenance information.
	Metadata []Metadata `json:"metadata,omitzero"`
}

// Metadata is the HSDS metadata object (metadata.csv). A record of the changes that have been made to the data in order to maintain provenance information.
type Metadata struct {
	// The identifier for this metadata.
	ID string `json:"id"`
	// The identifier of the resource (service, program, location, address, or contact) that this metadata describes.
	ResourceID string `json:"resource_id,omitzero"`
	// The type of entity being referenced.
	ResourceType string `json:"resource_type,omitzero"`
	// The date when data was changed.
	LastActionDate string `json:"last_action_date"`
	// The kind of change made to the data.
	LastActionType string `json:"last_action_type"`
	// The name of field that has been modified.
	FieldName string `json:"field_name"`
	// The previous value of the field that has been modified.
	PreviousValue string `json:"previous_value"`
	// The new value of the field that has been modified.
	ReplacementValue string `json:"replacement_value"`
	// The name of the person who modified the field.
	UpdatedBy string `json:"updated_by"`
}

// MetaTableDescription is the HSDS meta_table_description object (meta_table_descriptions.csv). Metadata about individual tables.
type MetaTableDescription struct {
	// The identifier for the metadata description.
	ID string `json:"id"`
	// The name for the metadata description.
	Name string `json:"name,omitzero"`
	// The ISO 639-1 or ISO 639-3 code for the language of the metadata description.
	Language string `json:"language,omitzero"`
	// The character set of the metadata description.
	CharacterSet string `json:"character_set,omitzero"`
	// A link between a service and one or more classifications that describe the nature of the service provided.
	Attributes []Attribute `json:"attributes,omitzero"`
	// A record of the changes that have been made to the data in order to maintain provenance information.
	Metadata []Metadata `json:"metadata,omitzero"`
}

// CostOption is the HSDS cost_option object (cost_options.csv). The costs of a service at certain points in time.
type CostOption struct {
	// The identifier for the cost option.
	ID string `json:"id"`
	// The identifier of the services for which the entry describes the cost.
	ServiceID string `json:"service_id,omitzero"`
	// The date when this price is valid from.
	ValidFrom string `json:"valid_from,omitzero"`
	// The date when this price is valid to.
	ValidTo string `json:"valid_to,omitzero"`
	// Conditions associated with the cost option.
	Option string `json:"option,omitzero"`
	// The 3 letter currency code of this cost option (expected to be gbp by Open Referral UK).
	Currency string `json:"currency,omitzero"`
	// The cost of the option, expressed as an amount.
	Amount *float64 `json:"amount,omitzero"`
	// Specific details qualifying the cost amount.
	AmountDescription string `json:"amount_description,omitzero"`
	// A link between a service and one or more classifications that describe the nature of the service provided.
	Attributes []Attribute `json:"attributes,omitzero"`
	// A record of the changes that have been made to the data in order to maintain provenance information.
	Metadata []Metadata `json:"metadata,omitzero"`
}

// OrganizationIdentifier is the HSDS organization_identifier object (organization_identifiers.csv). The details of the third party identifiers for organizations, such as: company registration number, charity number, tax registration number.
type OrganizationIdentifier struct {
	// The identifier for this organization identifier entry.
	ID string `json:"id"`
	// The identifier of the organization.
	OrganizationID string `json:"organization_id,omitzero"`
	// The scheme of the third party identifier, according to http://org-id.guide/.
	IdentifierScheme string `json:"identifier_scheme,omitzero"`
	// A human-readable equivalent of the identifier_scheme.
	IdentifierType string `json:"identifier_type"`
	// The third-party identifier value.
	Identifier string `json:"identifier"`
	// A link between a service and one or more classifications that describe the nature of the service provided.
	Attributes []Attribute `json:"attributes,omitzero"`
	// A record of the changes that have been made to the data in order to maintain provenance information.
	Metadata []Metadata `json:"metadata,omitzero"`
}

// Taxonomy is the HSDS taxonomy object (taxonomies.csv). The taxonomies from which taxonomy terms are taken.
type Taxonomy struct {
	// The identifier of the taxonomy.
	ID string `json:"id"`
	// The name of the taxonomy from which terms are sourced.
	Name string `json:"name"`
	// A free text description of the taxonomy.
	Description string `json:"description"`
	// The URI of the taxonomy.
	URI string `json:"uri,omitzero"`
	// The version of the taxonomy.
	Version string `json:"version,omitzero"`
	// A record of the changes that have been made to the data in order to maintain provenance information.
	Metadata []Metadata `json:"metadata,omitzero"`
}

// ServiceCapacity is the HSDS 3.1 service_capacity object
// (service_capacity.csv): how many units of something a service has
// available, as of updated.
type ServiceCapacity struct {
	// The identifier for the service_capacity object.
	ID string `json:"id"`
	// The identifier of the service this capacity belongs to.
	ServiceID string `json:"service_id,omitzero"`
	// What is counted (required in the JSON form).
	Unit *Unit `json:"unit,omitzero"`
	// The identifier of the unit (required in the tabular form).
	UnitID string `json:"unit_id,omitzero"`
	// The number of units available as of the last update.
	Available *float64 `json:"available"`
	// The maximum number of units that can be available, if applicable.
	Maximum *float64 `json:"maximum,omitzero"`
	// A human-friendly description of this capacity.
	Description string `json:"description,omitzero"`
	// When this capacity was last updated: an RFC 3339 date-time, kept as
	// written.
	Updated string `json:"updated"`
	// A link between a service and one or more classifications that describe the nature of the service provided.
	Attributes []Attribute `json:"attributes,omitzero"`
	// A record of the changes that have been made to the data in order to maintain provenance information.
	Metadata []Metadata `json:"metadata,omitzero"`
}

// Unit is the HSDS 3.1 unit object (units.csv): what a service capacity
// counts, such as beds or hours.
type Unit struct {
	// The identifier for the unit.
	ID string `json:"id"`
	// The human-readable name of the unit, e.g. "Bed" or "Hours".
	Name string `json:"name"`
	// The scheme which formalizes the unit, if any, e.g. "SI".
	Scheme string `json:"scheme,omitzero"`
	// The identifier of the unit in its scheme, e.g. "kgm".
	Identifier string `json:"identifier,omitzero"`
	// The URI of the unit's definition.
	URI string `json:"uri,omitzero"`
	// A link between a service and one or more classifications that describe the nature of the service provided.
	Attributes []Attribute `json:"attributes,omitzero"`
	// A record of the changes that have been made to the data in order to maintain provenance information.
	Metadata []Metadata `json:"metadata,omitzero"`
}

// URL is the HSDS 3.1 url object (url.csv): a labelled web address of a
// service (additional_urls) or an organization (additional_websites).
type URL struct {
	// The identifier for the URL object.
	ID string `json:"id"`
	// The human-readable label, e.g. "Twitter" or "Website".
	Label string `json:"label,omitzero"`
	// The address.
	URL string `json:"url"`
	// The identifier of the organization this URL belongs to.
	OrganizationID string `json:"organization_id,omitzero"`
	// The identifier of the service this URL belongs to.
	ServiceID string `json:"service_id,omitzero"`
	// A link between a service and one or more classifications that describe the nature of the service provided.
	Attributes []Attribute `json:"attributes,omitzero"`
	// A record of the changes that have been made to the data in order to maintain provenance information.
	Metadata []Metadata `json:"metadata,omitzero"`
}
