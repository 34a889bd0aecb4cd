package hsds

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
)

// Record is the set of HSDS objects a Reader reads: the documents the HSDS
// API serves.
type Record interface {
	Service | Organization | ServiceAtLocation | Location | Taxonomy | TaxonomyTerm
}

// DefaultMaxRecordBytes is the largest single JSON record a Reader accepts
// unless told otherwise.
const DefaultMaxRecordBytes = 16 << 20

// Reader reads HSDS objects of one kind from JSON, one record at a time, so
// that an input of any length is never held in memory at once.
//
// The input may be a single object, an array of objects, an HSDS API page
// (an object with "contents" and total_items, page_number, …), or a sequence
// of objects such as NDJSON (one per line; blank lines allowed). A UTF-8
// byte order mark is skipped and CR LF line ends are fine.
//
// Next returns each record decoded and checked. A record with problems
// comes back together with an Errors value listing them (or with a nil
// record if it could not be decoded at all); the caller may go on calling
// Next. Any other error (broken JSON structure, nesting deeper than MaxDepth,
// a record over MaxRecordBytes, a read error) ends the input: Next returns it
// again on every later call. At the end Next returns io.EOF.
//
// Every error names the input (the name given to NewReader), the record (its
// id when known, its number and the line it starts on) and, where it can,
// the JSON path of the field.
type Reader[T Record] struct {
	// AllowUnknownFields accepts (and drops) properties HSDS 3.1 does not
	// define. By default they are an error, because dropping them silently
	// would lose data on import.
	AllowUnknownFields bool
	// SkipEntityCheck turns off the check that one id names the same
	// content wherever it appears across the input. That check keeps about
	// 40 bytes per distinct nested object; record ids are always checked.
	SkipEntityCheck bool
	// MaxRecordBytes bounds the size of one record; 0 means
	// DefaultMaxRecordBytes.
	MaxRecordBytes int

	name  string
	br    *bufio.Reader
	t     *table
	line  int
	state readerState
	first bool // inside an array: no element read yet
	base  int  // nesting depth of the records (1 top level, 2 in an array, 3 in a page)
	err   error
	n     int // records framed so far

	recording bool
	buf       []byte
	surrogate bool // the current record has a lone UTF-16 surrogate escape

	seen map[entityKey]entitySeen
	tops map[uuid.UUID]int
}

type readerState uint8

const (
	stStart readerState = iota
	stArray
	stPage
	stSequence
	stDone
)

// JSONReader reads services; see Reader.
type JSONReader = Reader[Service]

// NewJSONReader returns a reader of services from r. name (usually the
// file name) is used in every error.
func NewJSONReader(r io.Reader, name string) *JSONReader { return NewReader[Service](r, name) }

// NewReader returns a reader of objects of type T from r. name (usually the
// file name) is used in every error.
func NewReader[T Record](r io.Reader, name string) *Reader[T] {
	return &Reader[T]{
		name: name,
		br:   bufio.NewReaderSize(r, 64<<10),
		t:    tableByType[reflect.TypeFor[T]()],
		line: 1,
		seen: map[entityKey]entitySeen{},
		tops: map[uuid.UUID]int{},
	}
}

// errTooBig is raised inside readByte and turned into a located error.
var errTooBig = errors.New("record too big")

func (r *Reader[T]) fatal(format string, args ...any) error {
	return &FieldError{File: r.name, Record: fmt.Sprintf("line %d", r.line), Reason: fmt.Sprintf(format, args...)}
}

func (r *Reader[T]) ioError(err error, what string) error {
	switch {
	case err == io.EOF:
		return r.fatal("unexpected end of input %s", what)
	case err == errTooBig:
		return r.fatal("record is larger than %d bytes", r.maxRecord())
	}
	return r.fatal("%v", err)
}

func (r *Reader[T]) maxRecord() int {
	if r.MaxRecordBytes > 0 {
		return r.MaxRecordBytes
	}
	return DefaultMaxRecordBytes
}

func (r *Reader[T]) readByte() (byte, error) {
	b, err := r.br.ReadByte()
	if err != nil {
		return 0, err
	}
	if b == '\n' {
		r.line++
	}
	if r.recording {
		if len(r.buf) >= r.maxRecord() {
			return 0, errTooBig
		}
		r.buf = append(r.buf, b)
	}
	return b, nil
}

func (r *Reader[T]) unreadByte(b byte) {
	_ = r.br.UnreadByte()
	if b == '\n' {
		r.line--
	}
	if r.recording {
		r.buf = r.buf[:len(r.buf)-1]
	}
}

func (r *Reader[T]) skipWS() (byte, error) {
	for {
		b, err := r.readByte()
		if err != nil {
			return 0, err
		}
		switch b {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return b, nil
	}
}

// Next returns the next record; see Reader.
func (r *Reader[T]) Next() (*T, error) {
	if r.err != nil {
		return nil, r.err
	}
	raw, line, err := r.nextRaw()
	if err != nil {
		r.err = err
		return nil, err
	}
	r.n++
	return r.decode(raw, line)
}

// All iterates over the records as Next returns them, stopping at the end of
// the input or after an error that ends it.
func (r *Reader[T]) All() iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		for {
			x, err := r.Next()
			if err == io.EOF {
				return
			}
			if !yield(x, err) {
				return
			}
			var es Errors
			if err != nil && !errors.As(err, &es) {
				return
			}
		}
	}
}

// nextRaw frames the next record: its bytes and the line it starts on.
func (r *Reader[T]) nextRaw() ([]byte, int, error) {
	switch r.state {
	case stStart:
		if bom, err := r.br.Peek(3); err == nil && string(bom) == "\uFEFF" {
			_, _ = r.br.Discard(3)
		}
		b, err := r.skipWS()
		if err == io.EOF {
			r.state = stDone
			return nil, 0, io.EOF
		} else if err != nil {
			return nil, 0, r.ioError(err, "")
		}
		switch b {
		case '[':
			r.state, r.first, r.base = stArray, true, 2
			return r.nextRaw()
		case '{':
			return r.firstObject()
		}
		return nil, 0, r.fatal("expected a JSON object or array, found %s", quote(string(b)))
	case stArray, stPage:
		b, err := r.skipWS()
		if err != nil {
			return nil, 0, r.ioError(err, "inside an array")
		}
		if b == ']' {
			if r.state == stPage {
				if err := r.pageRest(); err != nil {
					return nil, 0, err
				}
			}
			return nil, 0, r.finish()
		}
		if !r.first {
			if b != ',' {
				return nil, 0, r.fatal("expected , or ] between records, found %s", quote(string(b)))
			}
			if b, err = r.skipWS(); err != nil {
				return nil, 0, r.ioError(err, "inside an array")
			}
		}
		r.first = false
		return r.record(b)
	case stSequence:
		b, err := r.skipWS()
		if err == io.EOF {
			r.state = stDone
			return nil, 0, io.EOF
		} else if err != nil {
			return nil, 0, r.ioError(err, "")
		}
		return r.record(b)
	}
	return nil, 0, io.EOF
}

// record frames one record whose first byte b has been read.
func (r *Reader[T]) record(b byte) ([]byte, int, error) {
	if b != '{' {
		return nil, 0, r.fatal("expected a %s object, found %s", r.t.label, quote(string(b)))
	}
	line := r.line
	r.buf = append(r.buf[:0], '{')
	r.recording, r.surrogate = true, false
	err := r.scanComposite(r.base)
	r.recording = false
	if err != nil {
		return nil, 0, err
	}
	return r.buf, line, nil
}

// finish checks that only white space follows the end of the document.
func (r *Reader[T]) finish() error {
	b, err := r.skipWS()
	if err == io.EOF {
		r.state = stDone
		return io.EOF
	} else if err != nil {
		return r.ioError(err, "")
	}
	return r.fatal("unexpected %s after the end of the JSON document", quote(string(b)))
}

// firstObject reads the top-level object, which is either a page (it has
// "contents" holding an array) or the first of a sequence of records.
func (r *Reader[T]) firstObject() ([]byte, int, error) {
	line := r.line
	r.buf = append(r.buf[:0], '{')
	r.recording, r.surrogate = true, false
	defer func() { r.recording = false }()
	for first := true; ; first = false {
		b, err := r.skipWS()
		if err != nil {
			return nil, 0, r.ioError(err, "inside an object")
		}
		if b == '}' {
			break
		}
		if !first {
			if b != ',' {
				return nil, 0, r.fatal("expected , or } in an object, found %s", quote(string(b)))
			}
			if b, err = r.skipWS(); err != nil {
				return nil, 0, r.ioError(err, "inside an object")
			}
		}
		key, err := r.key(b)
		if err != nil {
			return nil, 0, err
		}
		if b, err = r.skipWS(); err != nil {
			return nil, 0, r.ioError(err, "inside an object")
		}
		if key == "contents" && b == '[' {
			// A page: its records are the elements of contents.
			r.recording = false
			r.state, r.first, r.base = stPage, true, 3
			return r.nextRaw()
		}
		if err := r.scanValue(b, 2); err != nil {
			return nil, 0, err
		}
	}
	r.state, r.base = stSequence, 1
	return r.buf, line, nil
}

// key reads an object key (b is its opening quote) and the colon after it.
func (r *Reader[T]) key(b byte) (string, error) {
	if b != '"' {
		return "", r.fatal("expected a property name, found %s", quote(string(b)))
	}
	start := len(r.buf) - 1
	var raw []byte
	if !r.recording {
		raw = []byte{'"'}
	}
	for {
		c, err := r.readByte()
		if err != nil {
			return "", r.ioError(err, "inside a property name")
		}
		if !r.recording {
			raw = append(raw, c)
		}
		if c == '\\' {
			e, err := r.readByte()
			if err != nil {
				return "", r.ioError(err, "inside a property name")
			}
			if !r.recording {
				raw = append(raw, e)
			}
			continue
		}
		if c == '"' {
			break
		}
	}
	if r.recording {
		raw = r.buf[start:]
	}
	var key string
	if err := json.Unmarshal(raw, &key); err != nil {
		return "", r.fatal("bad property name %s", quote(string(raw)))
	}
	b, err := r.skipWS()
	if err != nil {
		return "", r.ioError(err, "inside an object")
	}
	if b != ':' {
		return "", r.fatal("expected : after property name %s", quote(key))
	}
	return key, nil
}

// pageRest reads the rest of a page object after its contents array.
func (r *Reader[T]) pageRest() error {
	for {
		b, err := r.skipWS()
		if err != nil {
			return r.ioError(err, "inside the page object")
		}
		if b == '}' {
			return nil
		}
		if b != ',' {
			return r.fatal("expected , or } in the page object, found %s", quote(string(b)))
		}
		if b, err = r.skipWS(); err != nil {
			return r.ioError(err, "inside the page object")
		}
		if _, err := r.key(b); err != nil {
			return err
		}
		if b, err = r.skipWS(); err != nil {
			return r.ioError(err, "inside the page object")
		}
		if err := r.scanValue(b, 2); err != nil {
			return err
		}
	}
}

// scanValue skips (recording if asked) one JSON value whose first byte b
// has been read; depth is the nesting depth of the value's container.
func (r *Reader[T]) scanValue(b byte, depth int) error {
	switch b {
	case '{', '[':
		return r.scanComposite(depth)
	case '"':
		return r.scanString()
	}
	for {
		c, err := r.readByte()
		if err == io.EOF {
			return nil
		} else if err != nil {
			return r.ioError(err, "")
		}
		switch c {
		case ' ', '\t', '\r', '\n', ',', '}', ']', ':', '{', '[', '"':
			r.unreadByte(c)
			return nil
		}
	}
}

// scanComposite skips an object or array whose opening bracket has been
// read, at nesting depth depth (1 for a top-level value). Only the brackets
// are counted; the JSON decoder checks the rest of the syntax afterwards.
// Refusing depth here, before any decoding, makes a hostile 10,000-deep
// document cost a few bytes of reading.
func (r *Reader[T]) scanComposite(depth int) error {
	start := r.line
	if depth > MaxDepth {
		return r.fatal("JSON nested more than %d deep", MaxDepth)
	}
	open := 1
	for {
		c, err := r.readByte()
		if err != nil {
			return r.ioError(err, fmt.Sprintf("inside the value that starts at line %d", start))
		}
		switch c {
		case '"':
			if err := r.scanString(); err != nil {
				return err
			}
		case '{', '[':
			open++
			if depth+open-1 > MaxDepth {
				return r.fatal("JSON nested more than %d deep", MaxDepth)
			}
		case '}', ']':
			open--
			if open == 0 {
				return nil
			}
		}
	}
}

// scanString skips a string whose opening quote has been read, noting lone
// UTF-16 surrogate escapes (which encoding/json would silently turn into
// U+FFFD).
func (r *Reader[T]) scanString() error {
	start := r.line
	wantLow := false
	for {
		c, err := r.readByte()
		if err != nil {
			return r.ioError(err, fmt.Sprintf("inside the string that starts at line %d", start))
		}
		switch c {
		case '"':
			if wantLow {
				r.surrogate = true
			}
			return nil
		case '\\':
			e, err := r.readByte()
			if err != nil {
				return r.ioError(err, "inside a string")
			}
			if e != 'u' {
				if wantLow {
					r.surrogate = true
					wantLow = false
				}
				continue
			}
			v, ok := 0, true
			for i := 0; i < 4; i++ {
				h, err := r.readByte()
				if err != nil {
					return r.ioError(err, "inside a string")
				}
				d := hexVal(h)
				if d < 0 {
					// Leave the byte for framing; the decoder reports it.
					r.unreadByte(h)
					ok = false
					break
				}
				v = v<<4 | d
			}
			if !ok {
				continue
			}
			switch {
			case v >= 0xD800 && v <= 0xDBFF:
				if wantLow {
					r.surrogate = true
				}
				wantLow = true
			case v >= 0xDC00 && v <= 0xDFFF:
				if !wantLow {
					r.surrogate = true
				}
				wantLow = false
			default:
				if wantLow {
					r.surrogate = true
				}
				wantLow = false
			}
		default:
			if wantLow {
				r.surrogate = true
				wantLow = false
			}
		}
	}
}

func hexVal(b byte) int {
	switch {
	case b >= '0' && b <= '9':
		return int(b - '0')
	case b >= 'a' && b <= 'f':
		return int(b-'a') + 10
	case b >= 'A' && b <= 'F':
		return int(b-'A') + 10
	}
	return -1
}

// label names a record for messages.
func (r *Reader[T]) label(id string, line int) string {
	where := fmt.Sprintf("line %d", line)
	if r.state == stArray || r.state == stPage {
		where = fmt.Sprintf("record %d, line %d", r.n, line)
	}
	if id != "" && utf8.ValidString(id) && len(id) <= 100 {
		return fmt.Sprintf("%s %s (%s)", r.t.label, id, where)
	}
	if r.state == stArray || r.state == stPage {
		return fmt.Sprintf("record %d (line %d)", r.n, line)
	}
	return where
}

func (r *Reader[T]) decode(raw []byte, line int) (*T, error) {
	recErr := func(field, format string, args ...any) error {
		// Name the record by its id if a lenient look finds one.
		var head struct {
			ID string `json:"id"`
		}
		_ = json.Unmarshal(raw, &head)
		return Errors{{File: r.name, Record: r.label(head.ID, line), Field: field, Reason: fmt.Sprintf(format, args...)}}
	}
	if !utf8.Valid(raw) {
		off := 0
		for off < len(raw) {
			c, size := utf8.DecodeRune(raw[off:])
			if c == utf8.RuneError && size <= 1 {
				break
			}
			off += size
		}
		bad := line + bytes.Count(raw[:off], []byte{'\n'})
		return nil, recErr("", "invalid UTF-8 at line %d (byte 0x%02x)", bad, raw[off])
	}
	if r.surrogate {
		return nil, recErr("", "a string holds a lone UTF-16 surrogate escape (\\uD800-\\uDFFF), which is not text")
	}
	x := new(T)
	dec := json.NewDecoder(bytes.NewReader(raw))
	if !r.AllowUnknownFields {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(x); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			at := line + bytes.Count(raw[:min(int(syn.Offset), len(raw))], []byte{'\n'})
			return nil, recErr("", "invalid JSON at line %d: %s", at, strings.TrimPrefix(syn.Error(), "json: "))
		case errors.As(err, &typ):
			return nil, recErr(typ.Field, "expected %s, found JSON %s", jsonKind(typ.Type), typ.Value)
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			field, name := unknownField(r.t, raw)
			return nil, recErr(field, "unknown field %s: HSDS 3.1 has no such property", quote(name))
		}
		return nil, recErr("", "%s", strings.TrimPrefix(err.Error(), "json: "))
	}
	v := reflect.ValueOf(x).Elem()
	id := idOf(v)
	c := &checker{file: r.name, record: r.label(id, line), rec: r.n, line: line}
	if !r.SkipEntityCheck {
		c.seen = r.seen
	}
	c.entity(r.t, v, nil, 1)
	if u, ok := parseUUID(id); ok {
		if prev, dup := r.tops[u]; dup {
			c.add("id", "duplicate id %s: the %s at line %d has the same id", id, r.t.label, prev)
		} else {
			r.tops[u] = line
		}
	}
	return x, errorsOrNil(c.errs)
}

// jsonKind names a Go type the way the JSON input would show it.
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "a value"
	}
	switch t.Kind() {
	case reflect.Float64, reflect.Float32, reflect.Int, reflect.Int64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	}
	return t.String()
}

// unknownField finds the path and name of the first property of raw that
// table t does not define. It runs only after the decoder has refused the
// record, so its cost does not matter.
func unknownField(t *table, raw []byte) (string, string) {
	var doc any
	if json.Unmarshal(raw, &doc) != nil {
		return "", "?"
	}
	return findUnknown(t, doc, nil)
}

func findUnknown(t *table, doc any, p *path) (string, string) {
	obj, ok := doc.(map[string]any)
	if !ok {
		return "", ""
	}
	for _, k := range sortedKeys(obj) {
		if _, ok := t.colIndex[k]; ok {
			continue
		}
		ch := t.child(k)
		if ch == nil {
			return p.field(k), k
		}
		if arr, ok := obj[k].([]any); ok && ch.slice {
			for i, e := range arr {
				if f, n := findUnknown(ch.t, e, &path{up: p, name: k, idx: i}); n != "" {
					return f, n
				}
			}
		} else if f, n := findUnknown(ch.t, obj[k], &path{up: p, name: k, idx: -1}); n != "" {
			return f, n
		}
	}
	return "", ""
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func (t *table) child(name string) *child {
	for i := range t.children {
		if t.children[i].name == name {
			return &t.children[i]
		}
	}
	return nil
}
