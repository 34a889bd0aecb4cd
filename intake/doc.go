// Package intake turns the files directory data really comes in (HSDS 1.1
// and 2.0 tabular packages, and the spreadsheets coalitions keep) into HSDS
// 3.0 services, and says what it did with every table, row and column: a
// Report that the command prints and writes as JSON, so that nothing is
// dropped without a word.
//
// The readers of each format live in their own files; this file's
// neighbours hold what they share: the report, stable ids for records whose
// ids are not UUIDs, and the cleaning of values as people write them
// (languages by name, phone numbers, web addresses, states).
package intake
