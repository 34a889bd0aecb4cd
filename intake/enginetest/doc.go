// Package enginetest holds the importer's tests that write to SQLite and
// PostgreSQL. They live apart from package intake so that its test binary
// links no database: coverage-guided fuzzing of the readers resets and
// reads the coverage counters of all the code linked, and the SQLite
// driver's would slow each run a thousandfold.
package enginetest
