package screening_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"html/template"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"haven/screening"
	"haven/vault"
)

// testKey is a fixed secret key for the export testdata only: it seals
// nothing real.
const testKey = "c2FtcGxlIGtleSBmb3IgdGVzdHMgb25seSAwMDAwMDA="

func mustKeyring(tb testing.TB, text string) *vault.Keyring {
	tb.Helper()
	k, err := vault.ParseKey(text)
	if err != nil {
		tb.Fatal(err)
	}
	return vault.NewKeyring(k)
}

// sampleExport signs a fictional record, marked as sample data in itself.
func sampleExport(tb testing.TB, keys *vault.Keyring) *screening.SignedExport {
	tb.Helper()
	at := time.Date(2026, 12, 6, 15, 4, 0, 0, time.UTC)
	e, err := screening.SignExport(keys, screening.ExportPayload{
		RecordID: "00000000-0000-4000-8000-000000000001", Version: 2,
		HeadHash: strings.Repeat("ab", 32),
		Versions: []screening.ExportVersion{
			{Number: 1, Hash: strings.Repeat("cd", 32), Reason: "save", SavedAt: at.Add(-time.Hour)},
			{Number: 2, Hash: strings.Repeat("ab", 32), PrevHash: strings.Repeat("cd", 32), Reason: "amend", SavedAt: at},
		},
		ExportedAt: at, ExportedBy: "sample-supervisor@example.org",
		Record: json.RawMessage(`{"format":1,"interviewer":"sample-screener@example.org","reference":"SAMPLE-0001 (fictional test data)",` +
			`"notes":{"ctrl-leave-job":"Sample note <not real> & \u00e1cento"},"answers":{"ctrl-leave-job":"yes"}}`),
		View: json.RawMessage(`{"result":{"level":"present","summary":"Indicators present – refer"}}`),
	})
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

// printout renders the block as the record's print page does, through
// html/template, so entities such as &#43; appear as in a saved page.
func printout(tb testing.TB, e *screening.SignedExport) []byte {
	tb.Helper()
	var b bytes.Buffer
	t := template.Must(template.New("p").Parse(`<!doctype html><html><body><h1>Screening record</h1><p>Sample page.</p><pre class="signed-block">{{.}}</pre></body></html>`))
	if err := t.Execute(&b, e.Block()); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// TestExportTestdata keeps the testdata (the fuzz seeds) valid: they are
// signed by testKey. HAVEN_UPDATE_TESTDATA=1 writes them again.
func TestExportTestdata(t *testing.T) {
	keys := mustKeyring(t, testKey)
	e := sampleExport(t, keys)
	files := map[string][]byte{"export.json": e.JSON(), "export.html": printout(t, e), "export.txt": []byte(e.Block())}
	for name, data := range files {
		path := filepath.Join("testdata", name)
		if os.Getenv("HAVEN_UPDATE_TESTDATA") == "1" {
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := screening.VerifyExport(got, keys.SigningPublicKeys()); err != nil {
			t.Errorf("%s: %v", path, err)
		}
	}
}

// TestVerifyExport: a valid export verifies, in each form it takes; a
// changed byte, a wrong key and a truncated copy each fail with a message
// that says what is wrong.
func TestVerifyExport(t *testing.T) {
	keys := mustKeyring(t, testKey)
	other, _ := vault.NewKey()
	otherKeys := vault.NewKeyring(other)
	e := sampleExport(t, keys)
	trusted := keys.SigningPublicKeys()
	js, page, block := e.JSON(), printout(t, e), []byte(e.Block())

	// Re-indenting the JSON does not change what was signed.
	var compact bytes.Buffer
	if err := json.Compact(&compact, js); err != nil {
		t.Fatal(err)
	}
	// A text copy of a long printout: a page break adds a footer line.
	lines := strings.Split(string(block), "\n")
	broken := strings.Join(append(append(append([]string{}, lines[:6]...), "", "2/3", "https://haven.example/screening/records/x/print", "\f"), lines[6:]...), "\n")

	for _, tc := range []struct {
		name    string
		data    []byte
		trusted []ed25519.PublicKey
		want    string // "" for success; else a part of the error
	}{
		{"json", js, trusted, ""},
		{"json compacted", compact.Bytes(), trusted, ""},
		{"saved html", page, trusted, ""},
		{"text copy", block, trusted, ""},
		{"text copy across a page break", []byte(broken), trusted, ""},
		{"json, a changed byte in the record", bytes.Replace(js, []byte("SAMPLE-0001"), []byte("SAMPLE-0002"), 1), trusted, "the export was changed after it was signed"},
		{"json, a changed version number", bytes.Replace(js, []byte(`"version": 2`), []byte(`"version": 3`), 1), trusted, "changed after it was signed"},
		{"json, another signer", otherSigned(t, otherKeys), trusted, "which is not a key given"},
		{"json, the key swapped", swapKey(t, js, otherKeys), trusted, "changed after it was signed"},
		{"json truncated", js[:len(js)/2], trusted, "may be truncated"},
		{"html truncated", page[:len(page)*2/3], trusted, "no END line: the copy is truncated"},
		{"html, a changed base64 character", changeBlockChar(page), trusted, "changed"},
		{"html, a line missing", dropBlockLine(page), trusted, ""},
		{"nothing", []byte("hello"), trusted, "no signed export found"},
		{"empty", nil, trusted, "no signed export found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := screening.VerifyExport(tc.data, tc.trusted)
			switch {
			case tc.name == "html, a line missing":
				// Whatever the reader makes of it, it must not verify.
				if err == nil {
					t.Fatal("a copy with a line missing verified")
				}
			case tc.want == "" && err != nil:
				t.Fatalf("verify: %v", err)
			case tc.want == "" && (got.Payload.RecordID != e.Payload.RecordID || !bytes.Equal(got.Canonical, e.Canonical)):
				t.Fatalf("verified, but read %+v", got.Payload)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
	// The signature error is one a caller can test for.
	if _, err := screening.VerifyExport(js, otherKeys.SigningPublicKeys()); !errors.Is(err, screening.ErrExportSignature) {
		t.Errorf("wrong key: %v", err)
	}
}

func otherSigned(t *testing.T, keys *vault.Keyring) []byte {
	return sampleExport(t, keys).JSON()
}

// swapKey puts another public key in the JSON: the signature then fails.
func swapKey(t *testing.T, js []byte, keys *vault.Keyring) []byte {
	var f map[string]any
	if err := json.Unmarshal(js, &f); err != nil {
		t.Fatal(err)
	}
	f["signature"].(map[string]any)["public_key"] = vault.PublicKeyText(keys.SigningPublicKeys()[0])
	out, _ := json.Marshal(f)
	return out
}

// changeBlockChar changes one character of the base64 body.
func changeBlockChar(page []byte) []byte {
	out := bytes.Clone(page)
	i := bytes.Index(out, []byte("\n\n")) + 10
	if out[i] == 'A' {
		out[i] = 'B'
	} else {
		out[i] = 'A'
	}
	return out
}

// dropBlockLine removes the second line of the base64 body.
func dropBlockLine(page []byte) []byte {
	s := string(page)
	i := strings.Index(s, "\n\n") + 2
	first := strings.Index(s[i:], "\n") + i + 1
	second := strings.Index(s[first:], "\n") + first + 1
	return []byte(s[:first] + s[second:])
}

// TestCanonical: the canonical form is stable, and sorts keys.
func TestCanonical(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"b":1,"a":[true,null,"x"]}`, `{"a":[true,null,"x"],"b":1}`},
		{" {\n \"a\" : 1.50 } \n", `{"a":1.50}`},
		{`"<&>"`, `"<&>"`},
	} {
		got, err := screening.Canonical([]byte(tc.in))
		if err != nil || string(got) != tc.want {
			t.Errorf("Canonical(%s) = %s, %v; want %s", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{``, `{`, `{} {}`, `{"a":1} x`} {
		if _, err := screening.Canonical([]byte(bad)); err == nil {
			t.Errorf("Canonical(%q) accepted", bad)
		}
	}
}

// FuzzReadExport: the export reader never panics, and whatever it accepts
// is canonical and carries a signature that verifies.
func FuzzReadExport(f *testing.F) {
	for _, name := range []string{"export.json", "export.html", "export.txt"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("-----BEGIN HAVEN SIGNED SCREENING EXPORT-----\nPublic-Key: ed25519:\nSignature: \n-----END HAVEN SIGNED SCREENING EXPORT-----"))
	f.Add([]byte(`{"signed_export":"haven-screening-export/1","payload":{},"signature":{}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := screening.ReadExport(data)
		if err != nil {
			return
		}
		if !ed25519.Verify(e.PublicKey, e.Canonical, e.Signature) {
			t.Fatal("accepted an export whose signature does not verify")
		}
		again, err := screening.Canonical(e.Canonical)
		if err != nil || !bytes.Equal(again, e.Canonical) {
			t.Fatalf("accepted a payload that is not canonical: %v", err)
		}
	})
}
