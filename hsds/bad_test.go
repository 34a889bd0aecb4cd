package hsds

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const (
	sid1 = "0f9a84c2-5b1e-4c1a-9d1e-2b3c4d5e6f70"
	sid2 = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
	oid1 = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
	lid1 = "3a19ff88-4620-4d17-9830-ac1d859eb5d5"
)

// svc returns a minimal valid service as JSON, with extra properties
// spliced in.
func svc(id, extra string) string {
	s := `{"id": "` + id + `", "name": "Hotline", "status": "active"`
	if extra != "" {
		s += ", " + extra
	}
	return s + "}"
}

// firstProblem reads the input and returns the first error reported.
func firstProblem(in []byte, name string) error {
	r := NewJSONReader(bytes.NewReader(in), name)
	for {
		_, err := r.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func asFieldError(t *testing.T, err error) *FieldError {
	t.Helper()
	var fe *FieldError
	if !errors.As(err, &fe) {
		t.Fatalf("want a *FieldError, got %T %v", err, err)
	}
	return fe
}

func TestBadJSON(t *testing.T) {
	deep := svc(sid1, `"x": `+strings.Repeat("[", 100)+strings.Repeat("]", 100))
	cases := []struct {
		name, in                     string
		record, field, reasonContain string
	}{
		{"missing name", `{"id": "` + sid1 + `", "status": "active"}`,
			"service " + sid1 + " (line 1)", "name", "required field is missing"},
		{"bad uuid", svc("0f9a84c2-5b1e-4c1a-9d1e", ""),
			"service 0f9a84c2-5b1e-4c1a-9d1e (line 1)", "id", "is not a UUID"},
		{"uuid without hyphens", svc("0f9a84c25b1e4c1a9d1e2b3c4d5e6f70", ""),
			"service 0f9a84c25b1e4c1a9d1e2b3c4d5e6f70 (line 1)", "id", "is not a UUID"},
		{"bad reference uuid", svc(sid1, `"organization_id": "{`+oid1+`}"`),
			"service " + sid1, "organization_id", "is not a UUID"},
		{"latitude 95", svc(sid1, `"service_at_locations": [{"id": "`+sid2+`", "location": {"id": "`+lid1+`", "location_type": "physical", "latitude": 95}}]`),
			"service " + sid1, "service_at_locations[0].location.latitude", "95 is out of range -90..90"},
		{"status open", svc(sid1, `"status": "open"`),
			"service " + sid1, "status", `"open" is not one of active, inactive, defunct, temporarily closed`},
		{"text of 70 KiB", svc(sid1, `"description": "`+strings.Repeat("a", 70<<10)+`"`),
			"service " + sid1, "description", "longer than the limit of 65536 bytes"},
		{"invalid UTF-8", "[\n" + svc(sid1, "") + ",\n" + svc(sid2, "\"alert\": \"bad \xff byte\"") + "\n]",
			"service " + sid2 + " (record 2, line 3)", "", "invalid UTF-8 at line 3"},
		{"lone surrogate", svc(sid1, `"alert": "\ud800x"`),
			"line 1", "", "lone UTF-16 surrogate"},
		{"duplicate id", svc(sid1, "") + "\n" + svc(sid1, ""),
			"service " + sid1 + " (line 2)", "id", "the service at line 1 has the same id"},
		{"nested duplicate id with other content", svc(sid1, `"phones": [{"id": "`+sid2+`", "number": "1"}], "contacts": [{"id": "`+lid1+`", "phones": [{"id": "`+sid2+`", "number": "2"}]}]`),
			"service " + sid1, "contacts[0].phones[0].id", "different content appears earlier in this record"},
		{"same nested object twice is fine, a changed one is not", svc(sid1, `"organization": {"id": "`+oid1+`", "name": "A", "description": "d"}`) + "\n" + svc(sid2, `"organization": {"id": "`+oid1+`", "name": "B", "description": "d"}`),
			"service " + sid2 + " (line 2)", "organization.id", "different content appears at line 1"},
		{"dangling organization reference", svc(sid1, `"organization_id": "`+sid2+`", "organization": {"id": "`+oid1+`", "name": "A", "description": "d"}`),
			"service " + sid1, "organization_id", `does not match organization.id`},
		{"phone of another service", svc(sid1, `"phones": [{"id": "`+lid1+`", "service_id": "`+sid2+`", "number": "1"}]`),
			"service " + sid1, "phones[0].service_id", "does not match the id of the service holding it"},
		{"location of another organization", svc(sid1, `"organization": {"id": "`+oid1+`", "name": "A", "description": "d", "locations": [{"id": "`+lid1+`", "location_type": "physical", "organization_id": "`+sid2+`"}]}`),
			"service " + sid1, "organization.locations[0].organization_id", "does not match the id of the organization holding it"},
		{"unknown field", svc(sid1, `"phones": [{"id": "`+lid1+`", "number": "1", "colour": "red"}]`),
			"service " + sid1 + " (line 1)", "phones[0].colour", `unknown field "colour"`},
		{"wrong type", svc(sid1, `"minimum_age": "twelve"`),
			"service " + sid1 + " (line 1)", "minimum_age", "expected a number, found JSON string"},
		{"bad country", svc(sid1, `"service_at_locations": [{"id": "`+sid2+`", "location": {"id": "`+lid1+`", "location_type": "physical", "addresses": [{"id": "`+oid1+`", "address_1": "1 Main", "city": "C", "state_province": "S", "postal_code": "1", "country": "usa", "address_type": "physical"}]}}]`),
			"service " + sid1, "service_at_locations[0].location.addresses[0].country", "two upper-case letters"},
		{"bad byday", svc(sid1, `"schedules": [{"id": "`+sid2+`", "freq": "WEEKLY", "byday": "MO,XX"}]`),
			"service " + sid1, "schedules[0].byday", `"XX" is not a day`},
		{"bad freq", svc(sid1, `"schedules": [{"id": "`+sid2+`", "freq": "DAILY"}]`),
			"service " + sid1, "schedules[0].freq", "is not one of WEEKLY, MONTHLY"},
		{"bad date", svc(sid1, `"assured_date": "2024-02-30"`),
			"service " + sid1, "assured_date", "is not a date"},
		{"bad x_last_verified", svc(sid1, `"x_last_verified": "yesterday"`),
			"service " + sid1, "x_last_verified", "is not a date"},
		{"bad email", svc(sid1, `"email": "Hotline <help@example.org>"`),
			"service " + sid1, "email", "is not an e-mail address"},
		{"bad url", svc(sid1, `"url": "www.example.org"`),
			"service " + sid1, "url", "is not a full web address"},
		{"javascript url", svc(sid1, `"url": "javascript:alert(document.cookie)"`),
			"service " + sid1, "url", "javascript: addresses are not allowed"},
		{"data url", svc(sid1, `"url": "data:text/html,<script>alert(1)</script>"`),
			"service " + sid1, "url", "data: addresses are not allowed"},
		{"mailto as url", svc(sid1, `"url": "mailto:help@example.org"`),
			"service " + sid1, "url", "mailto: addresses are not allowed"},
		{"url with a user", svc(sid1, `"url": "https://bank.example@evil.example/"`),
			"service " + sid1, "url", "carries a user name"},
		{"javascript website", svc(sid1, `"organization": {"id": "`+sid2+`", "name": "O", "description": "D", "website": "JavaScript:alert(1)"}`),
			"service " + sid1, "organization.website", "javascript: addresses are not allowed"},
		{"javascript schedule link", svc(sid1, `"schedules": [{"id": "`+sid2+`", "schedule_link": "javascript:alert(1)"}]`),
			"service " + sid1, "schedules[0].schedule_link", "javascript: addresses are not allowed"},
		{"bad language", svc(sid1, `"languages": [{"id": "`+sid2+`", "code": "English"}]`),
			"service " + sid1, "languages[0].code", "not an ISO 639 language code"},
		{"ages reversed", svc(sid1, `"minimum_age": 30, "maximum_age": 18`),
			"service " + sid1, "minimum_age", "is above maximum_age"},
		{"page with a bad record", `{"total_items": 2, "contents": [` + svc(sid1, "") + `, ` + svc(sid2, `"status": "gone"`) + `]}`,
			"service " + sid2 + " (record 2, line 1)", "status", "is not one of"},
		// Errors that end the input.
		{"depth 100 nesting", deep, "line 1", "", "nested more than 64 deep"},
		{"hostile 10,000-deep array", `[{"id": "x", "a": ` + strings.Repeat("[", 10000), "line 1", "", "nested more than 64 deep"},
		{"array of arrays", strings.Repeat("[", 10000), "line 1", "", "expected a service object"},
		{"truncated", "[" + svc(sid1, "") + ",\n{\"id\": \"x", "line 2", "", "unexpected end of input"},
		{"garbage after array", "[" + svc(sid1, "") + "] x", "line 1", "", "after the end of the JSON document"},
		{"scalar record", "[1]", "line 1", "", "expected a service object"},
		{"top-level string", `"hello"`, "line 1", "", "expected a JSON object or array"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			err := firstProblem([]byte(c.in), "services.json")
			if err == nil {
				t.Fatal("no error")
			}
			if time.Since(start) > time.Second {
				t.Errorf("took %v", time.Since(start))
			}
			fe := asFieldError(t, err)
			if fe.File != "services.json" || !strings.Contains(fe.Record, c.record) || fe.Field != c.field || !strings.Contains(fe.Reason, c.reasonContain) {
				t.Errorf("got  %q | %q | %q | %q\nwant %q | %q | %q | %q", fe.File, fe.Record, fe.Field, fe.Reason,
					"services.json", c.record, c.field, c.reasonContain)
			}
			if !strings.HasPrefix(err.Error(), "services.json: ") {
				t.Errorf("message does not start with the file: %v", err)
			}
		})
	}
}

// A bad record does not stop the reader; a broken structure does, for good.
func TestReaderRecovery(t *testing.T) {
	in := svc(sid1, `"status": "open"`) + "\n" + svc(sid2, "")
	r := NewJSONReader(strings.NewReader(in), "x.ndjson")
	s, err := r.Next()
	var es Errors
	if s == nil || !errors.As(err, &es) {
		t.Fatalf("first: %v %v", s, err)
	}
	if s, err = r.Next(); err != nil || s.ID != sid2 {
		t.Fatalf("second: %v %v", s, err)
	}
	if _, err = r.Next(); err != io.EOF {
		t.Fatalf("end: %v", err)
	}

	r = NewJSONReader(strings.NewReader("["+svc(sid1, "")+" "+svc(sid2, "")+"]"), "x.json")
	if _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	_, err1 := r.Next()
	_, err2 := r.Next()
	if err1 == nil || err1 != err2 || errors.As(err1, &es) {
		t.Fatalf("want the same fatal error twice, got %v / %v", err1, err2)
	}
	n := 0
	for _, err := range NewJSONReader(strings.NewReader("["+svc(sid1, "")+" "+svc(sid2, "")+"]"), "x.json").All() {
		n++
		_ = err
	}
	if n != 2 {
		t.Fatalf("All yielded %d times, want the record and the fatal error", n)
	}
}

func TestGoodJSONEdges(t *testing.T) {
	one, two := svc(sid1, ""), svc(sid2, `"description": "two"`)
	cases := []struct{ name, in string }{
		{"single object", one},
		{"single object pretty with BOM and CRLF", "\uFEFF{\r\n  \"id\": \"" + sid1 + "\",\r\n  \"name\": \"Hotline\",\r\n  \"status\": \"active\"\r\n}\r\n"},
		{"array", "[" + one + "," + two + "]"},
		{"array pretty with CRLF", "[\r\n  " + one + ",\r\n  " + two + "\r\n]\r\n"},
		{"envelope", `{"total_items": 2, "total_pages": 1, "page_number": 1, "size": 2, "first_page": true, "last_page": true, "empty": false, "contents": [` + one + "," + two + "]}"},
		{"envelope with contents first", `{"contents": [` + one + "," + two + `], "total_items": 2, "empty": false}`},
		{"ndjson with blank lines and CRLF", "\uFEFF" + one + "\r\n\r\n   \r\n" + two + "\r\n\r\n"},
		{"escapes", strings.Replace(one, "Hotline", `Hot\"line\\ \u00e9 \ud83d\ude00 \n`, 1)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := readAll[Service](t, []byte(c.in), "in.json")
			if len(got) == 0 || got[0].ID != sid1 {
				t.Fatalf("got %+v", got)
			}
			if strings.Contains(c.in, sid2) && (len(got) != 2 || got[1].Description != "two") {
				t.Fatalf("got %d services", len(got))
			}
		})
	}
	if got := readAll[Service](t, []byte(cases[len(cases)-1].in), "x"); got[0].Name != "Hot\"line\\ é 😀 \n" {
		t.Errorf("escapes decoded as %q", got[0].Name)
	}
	r := NewJSONReader(strings.NewReader(svc(sid1, `"colour": "red"`)), "x")
	r.AllowUnknownFields = true
	if _, err := r.Next(); err != nil {
		t.Errorf("AllowUnknownFields: %v", err)
	}
}

// writeTable writes one CSV file of a package holding only that table.
func writePackage(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "datapackage.json"), readFile(t, ".", dataPackageFile), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const orgCSV = "id,name,description\n" + oid1 + ",Safe Harbor,Shelter\n"

func TestBadCSV(t *testing.T) {
	cases := []struct {
		name                          string
		files                         map[string]string
		file, record, field, reasonIn string
	}{
		{"unknown column", map[string]string{"services.csv": "id,organization_id,name,status,colour\n" + sid1 + "," + oid1 + ",H,active,red\n", "organizations.csv": orgCSV},
			"services.csv", "line 1", "colour", "unknown column"},
		{"wrong field count", map[string]string{"services.csv": "id,organization_id,name,status\n" + sid1 + "," + oid1 + ",H,active\n" + sid2 + ",H,active\n", "organizations.csv": orgCSV},
			"services.csv", "line 3", "", "row has 3 fields but the header has 4"},
		{"bare quote", map[string]string{"organizations.csv": "id,name,description\n" + oid1 + ",Safe \"Harbor\",x\n"},
			"organizations.csv", "line 2", "", "bare \" in non-quoted-field"},
		{"missing required column", map[string]string{"services.csv": "id,name,status\n" + sid1 + ",H,active\n"},
			"services.csv", "line 1", "organization_id", "required column is missing"},
		{"dangling organization reference", map[string]string{"services.csv": "id,organization_id,name,status\n" + sid1 + "," + sid2 + ",H,active\n", "organizations.csv": orgCSV},
			"services.csv", "service " + sid1 + " (line 2)", "organization_id", `refers to organization "` + sid2 + `", which is not in organizations.csv`},
		{"missing name", map[string]string{"services.csv": "id,organization_id,name,status\n" + sid1 + "," + oid1 + ",,active\n", "organizations.csv": orgCSV},
			"services.csv", "service " + sid1 + " (line 2)", "name", "required field is missing"},
		{"status open", map[string]string{"services.csv": "id,organization_id,name,status\n" + sid1 + "," + oid1 + ",H,open\n", "organizations.csv": orgCSV},
			"services.csv", "(line 2)", "status", `"open" is not one of`},
		{"bad uuid", map[string]string{"organizations.csv": "id,name,description\nnot-a-uuid,Safe Harbor,Shelter\n"},
			"organizations.csv", "organization not-a-uuid (line 2)", "id", "is not a UUID"},
		{"latitude 95", map[string]string{"locations.csv": "id,location_type,latitude\n" + lid1 + ",physical,95\n"},
			"locations.csv", "(line 2)", "latitude", "95 is out of range -90..90"},
		{"not a number", map[string]string{"locations.csv": "id,location_type,latitude\n" + lid1 + ",physical,NaN\n"},
			"locations.csv", "(line 2)", "latitude", `"NaN" is not a number`},
		{"text of 70 KiB", map[string]string{"organizations.csv": "id,name,description\n" + oid1 + ",S," + strings.Repeat("é", 35<<10) + "\n"},
			"organizations.csv", "(line 2)", "description", "longer than the limit"},
		{"invalid UTF-8", map[string]string{"organizations.csv": "id,name,description\n" + oid1 + ",S,\"multi\nline \xff\"\n"},
			"organizations.csv", "(line 2)", "description", "not valid UTF-8"},
		{"duplicate id", map[string]string{"organizations.csv": orgCSV + oid1 + ",Other,x\n"},
			"organizations.csv", "(line 3)", "id", "line 2 has the same id"},
		{"unlinked phone", map[string]string{"phones.csv": "id,number\n" + sid1 + ",911\n"},
			"phones.csv", "phone " + sid1 + " (line 2)", "", "linked to nothing"},
		{"bad boolean", map[string]string{"organizations.csv": "id,name,description,x_sample\n" + oid1 + ",S,d,maybe\n"},
			"organizations.csv", "(line 2)", "x_sample", "is not true or false"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadPackageAll(writePackage(t, c.files))
			var es Errors
			if !errors.As(err, &es) {
				t.Fatalf("want Errors, got %v", err)
			}
			fe := es[0]
			if fe.File != c.file || !strings.Contains(fe.Record, c.record) || fe.Field != c.field || !strings.Contains(fe.Reason, c.reasonIn) {
				t.Errorf("got  %q | %q | %q | %q\nwant %q | %q | %q | %q", fe.File, fe.Record, fe.Field, fe.Reason,
					c.file, c.record, c.field, c.reasonIn)
			}
		})
	}
}

func TestBadDataPackage(t *testing.T) {
	dir := t.TempDir()
	if _, err := ReadPackage(dir); err == nil || !strings.Contains(err.Error(), "datapackage.json") {
		t.Errorf("missing datapackage.json: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "datapackage.json"), []byte(`{"resources": [{"name": "service", "path": "../etc/passwd"}]}`), 0o644)
	if _, err := ReadPackage(dir); err == nil || !strings.Contains(err.Error(), "not a file inside the package folder") {
		t.Errorf("path outside the package: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "datapackage.json"), []byte(`{"resources": [{"name": "widgets", "path": "w.csv"}]}`), 0o644)
	if _, err := ReadPackage(dir); err == nil || !strings.Contains(err.Error(), `unknown resource "widgets"`) {
		t.Errorf("unknown resource: %v", err)
	}
}

func TestGoodCSVEdges(t *testing.T) {
	// BOM, CRLF, columns in another order, optional columns missing, quoted
	// fields holding commas, quotes and newlines (the second service starts
	// on line 4 because the first spans two lines).
	services := "\uFEFFstatus,name,id,organization_id,description,x_sample,x_last_verified\r\n" +
		"active,\"Shelter, \"\"Safe\"\" Harbor\"," + sid1 + "," + oid1 + ",\"Line one\r\nLine two\",TRUE,2025-01-31\r\n" +
		"inactive,Hotline," + sid2 + "," + oid1 + ",,,\r\n"
	dir := writePackage(t, map[string]string{"services.csv": services, "organizations.csv": orgCSV})
	got, err := ReadPackage(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("%d services", len(got))
	}
	s := got[0]
	if s.Name != `Shelter, "Safe" Harbor` || s.Description != "Line one\nLine two" || s.XSample == nil || !*s.XSample ||
		s.XLastVerified != "2025-01-31" || s.Organization == nil || s.Organization.Name != "Safe Harbor" {
		t.Errorf("got %+v", s)
	}
	if got[1].Description != "" || got[1].XSample != nil || got[1].Organization != s.Organization {
		t.Errorf("second service: %+v", got[1])
	}
	// The line of a record is the line it starts on.
	bad := strings.Replace(services, "inactive", "closed", 1)
	_, err = ReadPackage(writePackage(t, map[string]string{"services.csv": bad, "organizations.csv": orgCSV}))
	if err == nil || !strings.Contains(err.Error(), "(line 4): status") {
		t.Errorf("want an error at line 4, got %v", err)
	}
}
