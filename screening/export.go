package screening

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"slices"
	"strings"
	"time"

	"haven/vault"
)

// Signed exports. A record leaves Haven as a JSON file or a printable page;
// both carry the same signed payload, so anyone holding a copy can check it
// offline with "haven screening verify-export FILE" against the server's
// published public key, without the database or the secret key.
//
// The payload is canonical JSON (Canonical): object keys sorted, no
// insignificant white space, strings escaped as Go's encoding/json escapes
// them without HTML escaping. The Ed25519 signature is over exactly those
// bytes, so a JSON export may be re-indented and still verify. The payload
// carries the record as it was sealed (whatever its format), so a later
// record format flows through unchanged.
//
// The JSON export is an object {"signed_export": ExportFormat, "payload":
// …, "signature": {"algorithm": "Ed25519", "public_key": "ed25519:…",
// "value": base64}}. The printable page carries the same as a text block
// (ExportBlock) that survives being saved as HTML or as text.

// ExportFormat names the payload's layout; it is inside the signed bytes,
// so a signature over one kind of document cannot pass for another.
const ExportFormat = "haven-screening-export/1"

// The lines that fence the signed block on a printout.
const (
	blockBegin = "-----BEGIN HAVEN SIGNED SCREENING EXPORT-----"
	blockEnd   = "-----END HAVEN SIGNED SCREENING EXPORT-----"
	blockWidth = 64 // base64 characters a line
)

// MaxExport bounds what the export reader reads, in bytes: a record is at
// most a few hundred kilobytes, and a saved page around it a little more.
const MaxExport = 8 << 20

// ExportVersion is one version of the record, as the export lists it.
type ExportVersion struct {
	Number   int       `json:"number"`
	Hash     string    `json:"hash"`
	PrevHash string    `json:"prev_hash,omitempty"`
	Reason   string    `json:"reason"`
	SavedAt  time.Time `json:"saved_at"`
	// NotesErased says that the version's note text was erased by a later
	// amendment, under the organization's minimal-notes setting.
	NotesErased bool `json:"notes_erased,omitempty"`
}

// ExportPayload is what is signed.
type ExportPayload struct {
	Format     string          `json:"format"`
	RecordID   string          `json:"record_id"`
	Version    int             `json:"version"`   // the head version exported
	HeadHash   string          `json:"head_hash"` // its hash, hex SHA-256 (vault.ComputeHash)
	Versions   []ExportVersion `json:"versions"`
	ExportedAt time.Time       `json:"exported_at"`
	ExportedBy string          `json:"exported_by"`
	// Record is the head version's content exactly as it was sealed.
	Record json.RawMessage `json:"record"`
	// View is what Haven showed for it: question texts, result, disclaimer.
	View json.RawMessage `json:"view,omitempty"`
}

// SignedExport is a payload with its signature.
type SignedExport struct {
	Payload   ExportPayload
	Canonical []byte // the signed bytes
	Signature []byte
	PublicKey ed25519.PublicKey
}

// Canonical returns the canonical form of the JSON value data (see the
// comment at the top of this file). Numbers keep their text.
func Canonical(data []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(data[dec.InputOffset():])) > 0 {
		return nil, errors.New("data after the JSON value")
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// SignExport signs p with the keyring's signing key.
func SignExport(keys *vault.Keyring, p ExportPayload) (*SignedExport, error) {
	p.Format = ExportFormat
	raw, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	canon, err := Canonical(raw)
	if err != nil {
		return nil, err
	}
	sig, pub := keys.Sign(canon)
	return &SignedExport{Payload: p, Canonical: canon, Signature: sig, PublicKey: pub}, nil
}

type exportFile struct {
	Format    string          `json:"signed_export"`
	Payload   json.RawMessage `json:"payload"`
	Signature exportSignature `json:"signature"`
}

type exportSignature struct {
	Algorithm string `json:"algorithm"`
	PublicKey string `json:"public_key"`
	Value     string `json:"value"`
}

// JSON returns the JSON export, indented for people to read.
func (e *SignedExport) JSON() []byte {
	f := exportFile{Format: ExportFormat, Payload: e.Canonical, Signature: exportSignature{
		Algorithm: "Ed25519", PublicKey: vault.PublicKeyText(e.PublicKey), Value: base64.StdEncoding.EncodeToString(e.Signature)}}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(f) // cannot fail: the payload is valid JSON
	return b.Bytes()
}

// Block returns the text block a printout carries: the public key, the
// signature and the payload in base64, fenced by BEGIN and END lines.
func (e *SignedExport) Block() string {
	var b strings.Builder
	b.WriteString(blockBegin + "\n")
	b.WriteString("Public-Key: " + vault.PublicKeyText(e.PublicKey) + "\n")
	b.WriteString("Signature: " + base64.StdEncoding.EncodeToString(e.Signature) + "\n\n")
	body := base64.StdEncoding.EncodeToString(e.Canonical)
	for len(body) > blockWidth {
		b.WriteString(body[:blockWidth] + "\n")
		body = body[blockWidth:]
	}
	b.WriteString(body + "\n" + blockEnd + "\n")
	return b.String()
}

// ErrExportSignature is wrapped by ReadExport when the signature does not
// match the payload, and by VerifyExport when the key is not trusted.
var ErrExportSignature = errors.New("signature check failed")

// ReadExport finds a signed export in data — a JSON export, or any text
// holding a printout's block (a page saved as HTML or as text) — and
// checks its signature against the public key it names. It does not say
// whose key that is: see VerifyExport.
func ReadExport(data []byte) (*SignedExport, error) {
	if len(data) > MaxExport {
		return nil, fmt.Errorf("larger than %d bytes: not an export", MaxExport)
	}
	var e *SignedExport
	var err error
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
		e, err = readExportJSON(t)
	} else {
		e, err = readExportBlock(string(data))
	}
	if err != nil {
		return nil, err
	}
	if !ed25519.Verify(e.PublicKey, e.Canonical, e.Signature) {
		return nil, fmt.Errorf("%w: the signature does not match the content, so the export was changed after it was signed (or is damaged)", ErrExportSignature)
	}
	if err := decodeStrict(e.Canonical, &e.Payload); err != nil {
		return nil, fmt.Errorf("the signed payload is not a screening export: %v", err)
	}
	if e.Payload.Format != ExportFormat {
		return nil, fmt.Errorf("the signed payload is of format %q; this Haven reads %q", e.Payload.Format, ExportFormat)
	}
	return e, nil
}

// VerifyExport reads the export in data (ReadExport) and checks that it was
// signed by one of trusted, the organization's published public keys.
func VerifyExport(data []byte, trusted []ed25519.PublicKey) (*SignedExport, error) {
	e, err := ReadExport(data)
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(trusted, func(k ed25519.PublicKey) bool { return k.Equal(e.PublicKey) }) {
		return nil, fmt.Errorf("%w: signed by key %s (fingerprint %s), which is not a key given", ErrExportSignature,
			vault.PublicKeyText(e.PublicKey), vault.PublicKeyFingerprint(e.PublicKey))
	}
	return e, nil
}

// ParsePublicKey reads a public key as PublicKeyText prints it, with or
// without the "ed25519:" prefix.
func ParsePublicKey(s string) (ed25519.PublicKey, error) {
	s = strings.TrimSpace(s)
	b, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(s, "ed25519:"))
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("%q is not a public key: expected ed25519: and %d bytes in base64", truncate(s, 80), ed25519.PublicKeySize)
	}
	return ed25519.PublicKey(b), nil
}

func readExportJSON(data []byte) (*SignedExport, error) {
	var f exportFile
	if err := decodeStrict(data, &f); errors.Is(err, errTrailing) {
		return nil, errors.New("not a signed JSON export: data after the export")
	} else if err != nil {
		return nil, fmt.Errorf("not a signed JSON export (it may be truncated): %v", err)
	}
	if f.Format != ExportFormat {
		return nil, fmt.Errorf("field signed_export: %q is not %q", f.Format, ExportFormat)
	}
	if f.Signature.Algorithm != "Ed25519" {
		return nil, fmt.Errorf("field signature.algorithm: %q is not Ed25519", f.Signature.Algorithm)
	}
	if len(f.Payload) == 0 {
		return nil, errors.New("field payload: missing")
	}
	canon, err := Canonical(f.Payload)
	if err != nil {
		return nil, fmt.Errorf("field payload: %v", err)
	}
	return signedParts(canon, f.Signature.PublicKey, f.Signature.Value)
}

func signedParts(canon []byte, pubText, sigText string) (*SignedExport, error) {
	pub, err := ParsePublicKey(pubText)
	if err != nil {
		return nil, fmt.Errorf("public key: %v", err)
	}
	sig, err := base64.StdEncoding.DecodeString(strings.TrimSpace(sigText))
	if err != nil || len(sig) != ed25519.SignatureSize {
		return nil, fmt.Errorf("signature: not %d bytes in base64", ed25519.SignatureSize)
	}
	return &SignedExport{Canonical: canon, Signature: sig, PublicKey: pub}, nil
}

// readExportBlock reads the block of a printout from text that may be a
// saved HTML page (entities are decoded) or a text copy, whose page breaks
// may have added short lines (page numbers, headers): in the base64 body,
// every line but the last is blockWidth long, and other lines are skipped.
func readExportBlock(text string) (*SignedExport, error) {
	begin := strings.Index(text, blockBegin)
	if begin < 0 {
		return nil, errors.New("no signed export found: expected a JSON export, or a page holding a " + blockBegin + " block")
	}
	rest := text[begin+len(blockBegin):]
	end := strings.Index(rest, blockEnd)
	if end < 0 {
		return nil, errors.New("the signed block has no END line: the copy is truncated")
	}
	var pub, sig string
	var lines []string
	for _, line := range strings.Split(html.UnescapeString(rest[:end]), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "Public-Key:"):
			pub = strings.TrimPrefix(line, "Public-Key:")
		case strings.HasPrefix(line, "Signature:"):
			sig = strings.TrimPrefix(line, "Signature:")
		case line != "" && isBase64Line(line):
			lines = append(lines, line)
		}
	}
	if pub == "" || sig == "" {
		return nil, errors.New("the signed block has no Public-Key or Signature line")
	}
	var body strings.Builder
	for i, l := range lines {
		if len(l) == blockWidth || i == len(lines)-1 {
			body.WriteString(l)
		}
	}
	if body.Len() == 0 {
		return nil, errors.New("the signed block holds no content")
	}
	canon, err := base64.StdEncoding.DecodeString(body.String())
	if err != nil {
		return nil, fmt.Errorf("the signed block's content is not valid base64 (a line is missing or changed): %v", err)
	}
	// Only canonical JSON is ever signed, so anything else was changed.
	if again, err := Canonical(canon); err != nil || !bytes.Equal(again, canon) {
		return nil, errors.New("the signed block's content is not the canonical JSON Haven signs: a line is missing or changed")
	}
	return signedParts(canon, pub, sig)
}

func isBase64Line(s string) bool {
	for _, c := range s {
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '=') {
			return false
		}
	}
	return true
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
