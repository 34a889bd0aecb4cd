//go:build browser

package browsertest

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"haven/screening"
)

// TestSignedPrintout saves an interview, opens its printout and checks
// that every copy a person could keep of it verifies offline against the
// key the server publishes: the page saved as HTML, its text, and the PDF
// Chromium prints (read back with pdftotext, when it is installed). A copy
// with a character changed does not.
func TestSignedPrintout(t *testing.T) {
	t.Parallel()
	tb := signIn(t)
	screenTo(tb, "en", true)
	tb.load(200, chromedp.Click(chromedp.CSS(`main form[action="/screening/save"] button`)))
	tb.load(200, chromedp.Click(chromedp.CSS(`main a[href$="/print"]`)))
	tb.do(call(emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}))

	resp, err := http.Get(havenURL + "/.well-known/haven-screening-keys.txt")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var trusted []ed25519.PublicKey
	for _, line := range strings.Fields(string(body)) {
		k, err := screening.ParsePublicKey(line)
		if err != nil {
			t.Fatalf("published key %q: %v", line, err)
		}
		trusted = append(trusted, k)
	}

	copies := map[string][]byte{
		"saved HTML": []byte(eval[string](tb, `document.documentElement.outerHTML`)),
		"page text":  []byte(eval[string](tb, `document.body.innerText`)),
	}
	// Printed as a person would, with the browser's header and footer
	// (title, address, page numbers) on every page.
	var printed []byte
	on := true
	tb.do(chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
		res, err := cdp.Call(ctx, target, page.PrintToPDF, page.PrintToPDFParams{DisplayHeaderFooter: &on})
		printed = res.Data
		return err
	}))
	if tool, err := exec.LookPath("pdftotext"); err != nil {
		t.Log("SKIPPED: the PDF copy: pdftotext (poppler-utils) is not installed")
	} else {
		dir := t.TempDir()
		in, out := filepath.Join(dir, "record.pdf"), filepath.Join(dir, "record.txt")
		if err := os.WriteFile(in, printed, 0o600); err != nil {
			t.Fatal(err)
		}
		if b, err := exec.Command(tool, "-layout", in, out).CombinedOutput(); err != nil {
			t.Fatalf("pdftotext: %v %s", err, b)
		}
		text, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		copies["PDF as text"] = text
	}
	for name, data := range copies {
		e, err := screening.VerifyExport(data, trusted)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if e.Payload.Version != 1 || !strings.Contains(tb.location(), e.Payload.RecordID) {
			t.Errorf("%s: verified, but for record %s version %d", name, e.Payload.RecordID, e.Payload.Version)
		}
	}
	// One changed character in the signed content fails the check.
	html := string(copies["saved HTML"])
	sig := strings.Index(html, "Signature: ")
	i := strings.Index(html[max(sig, 0):], "\n\n") + max(sig, 0) // the blank line before the base64 body
	if sig < 0 || i < sig {
		t.Fatal("no block body in the saved page")
	}
	b := []byte(html)
	j := i + 2 + 20
	c := base64.StdEncoding.EncodeToString([]byte{b[j]})[0] // another base64 character
	if c == b[j] {
		c = 'Q'
	}
	b[j] = c
	if _, err := screening.VerifyExport(b, trusted); err == nil {
		t.Error("a saved page with a changed character verified")
	}
}
