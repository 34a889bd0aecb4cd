package hsds

import (
	"strings"
)

// FieldError is one problem found in the input, located as precisely as the
// input allows.
type FieldError struct {
	// File is the name of the input: the name given to a reader, or a CSV file
	// name such as "services.csv". Empty when validating an object in memory.
	File string
	// Record names the record: "service <id> (line N)", "record N (line M)",
	// "line N" or, for objects validated in memory, "service <id>".
	Record string
	// Field is a JSON path inside the record such as
	// "service_at_locations[0].location.latitude", or a CSV column name.
	// Empty when the problem concerns the whole record.
	Field string
	// Reason says what is wrong, for a person to read.
	Reason string
}

// Error renders the error as "file: record: field: reason", leaving out the
// parts that are empty.
func (e *FieldError) Error() string {
	var b strings.Builder
	for _, part := range []string{e.File, e.Record, e.Field} {
		if part != "" {
			b.WriteString(part)
			b.WriteString(": ")
		}
	}
	b.WriteString(e.Reason)
	return b.String()
}

// Errors is a list of problems found in one record (from a reader) or in a
// whole package (from ReadPackage). Unlike other errors a reader returns, it
// does not end the input: the caller may call Next again.
type Errors []*FieldError

// Error renders one problem per line.
func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap gives the individual problems to errors.Is and errors.As.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// errorsOrNil turns an empty list into a nil error (and not a typed nil).
func errorsOrNil(es []*FieldError) error {
	if len(es) == 0 {
		return nil
	}
	return Errors(es)
}
