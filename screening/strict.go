package screening

import (
	"bytes"
	"encoding/json"
	"errors"
)

// errTrailing is decodeStrict's error for anything after the value.
var errTrailing = errors.New("data after the value")

// decodeStrict decodes the one JSON value in data into v: an unknown
// field, or anything but space after the value, is an error. Banks,
// records, drafts and exports are only ever written by Haven, so anything
// else in them is damage or tampering, not a newer writer.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if len(bytes.TrimSpace(data[dec.InputOffset():])) > 0 {
		return errTrailing
	}
	return nil
}
