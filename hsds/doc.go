// Package hsds reads, checks and writes provider data in the Open Referral
// Human Services Data Specification (HSDS) 3.1, the format of Haven's
// directory. 3.1 only adds to 3.0 (service capacities and their units,
// labelled URLs, service areas of a service_at_location, attribute labels),
// so 3.0 data read unchanged.
//
// The types (Service, Organization, Location, …) are the HSDS 3.1 objects,
// with JSON names exactly as in the schemas and nesting as in the bundled
// API schemas (schema/compiled/service.json): a Service carries its
// Organization, its ServiceAtLocations each with its Location, its Phones,
// Schedules, Attributes with their TaxonomyTerm, and so on. Service and
// Organization also carry two Haven extensions, x_last_verified and
// x_sample, which HSDS allows because its schemas leave
// additionalProperties open.
//
// Two forms are read and written:
//
//   - JSON: Reader (NewJSONReader for services) streams a single object, an
//     array, an API page ({"contents": [...], "total_items": …}) or NDJSON,
//     checking each record; WriteJSON and NDJSONWriter write.
//   - The tabular form: ReadPackage and ReadPackageAll read a Tabular Data
//     Package (datapackage.json and one CSV per table) and join the tables
//     into nested objects; PackageWriter, WritePackage and Package.WriteDir
//     flatten nested objects back into the CSVs.
//
// Every problem is a *FieldError naming the file, the record (id and line)
// and the field (a JSON path or a CSV column); problems of one record or one
// package come as an Errors list.
//
// Round trips are exact: reading what WriteJSON or NDJSONWriter wrote gives
// deep-equal values, and reading what PackageWriter wrote gives back what
// ReadPackageAll returns for it, provided the input was in the tabular
// form's canonical shape (what ReadPackageAll itself returns: every link
// filled in, nested lists in id order, and no object nested under two
// parents of one kind, which one CSV row cannot express).
package hsds
