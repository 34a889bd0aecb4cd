package hsds

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
)

// WriteJSON writes services as one JSON array, pretty-printed (two-space
// indent) or compact. It encodes one service at a time, so the whole array
// is never built in memory. Fields that are absent stay absent.
func WriteJSON(w io.Writer, services []*Service, pretty bool) error {
	bw := bufio.NewWriter(w)
	var buf bytes.Buffer
	enc := newEncoder(&buf, pretty)
	if _, err := bw.WriteString("["); err != nil {
		return err
	}
	for i, s := range services {
		if i > 0 {
			bw.WriteString(",")
		}
		if pretty {
			bw.WriteString("\n  ")
		}
		buf.Reset()
		if err := enc.Encode(s); err != nil {
			return err
		}
		// Encode ends with a newline that does not belong inside the array.
		bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte{'\n'}))
	}
	if pretty && len(services) > 0 {
		bw.WriteString("\n")
	}
	bw.WriteString("]\n")
	return bw.Flush()
}

func newEncoder(w io.Writer, pretty bool) *json.Encoder {
	enc := json.NewEncoder(w)
	// The output is JSON for programs, not HTML: keep <, > and & readable.
	enc.SetEscapeHTML(false)
	if pretty {
		enc.SetIndent("  ", "  ")
	}
	return enc
}

// NDJSONWriter writes services as newline-delimited JSON: one compact
// object per line. Call Flush (or Close) at the end.
type NDJSONWriter struct {
	bw  *bufio.Writer
	enc *json.Encoder
}

// NewNDJSONWriter returns a writer of NDJSON to w.
func NewNDJSONWriter(w io.Writer) *NDJSONWriter {
	bw := bufio.NewWriterSize(w, 64<<10)
	return &NDJSONWriter{bw: bw, enc: newEncoder(bw, false)}
}

// Write writes one service on one line.
func (w *NDJSONWriter) Write(s *Service) error { return w.enc.Encode(s) }

// Flush writes out anything buffered.
func (w *NDJSONWriter) Flush() error { return w.bw.Flush() }

// Close flushes the writer; it does not close the underlying io.Writer.
func (w *NDJSONWriter) Close() error { return w.Flush() }
