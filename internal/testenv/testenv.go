// Package testenv is how tests find what lives outside the repository: the
// official HSDS schemas and examples and the seed page in shared/ beside
// the clone, and programs such as pdftotext. A clone with nothing beside it
// must still pass, so a test whose material is absent skips, and says so
// in a message starting "SKIPPED:" that names where it looked and the
// variable that points elsewhere. CI sets the HAVEN_REQUIRE_* variables
// (or CI=true), and there a missing piece fails the test instead: what CI
// is meant to check can never silently stop being checked.
package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The variables tests read.
const (
	// SharedEnv names the shared folder (holding hsds/ and seed/), for a
	// clone whose shared/ is not beside it.
	SharedEnv = "HAVEN_SHARED"
	// RequireSharedEnv=1 makes a missing shared file fail the test.
	RequireSharedEnv = "HAVEN_REQUIRE_SHARED"
	// RequireToolsEnv=1 makes a missing program (pdftotext) fail the test.
	RequireToolsEnv = "HAVEN_REQUIRE_TOOLS"
)

// Required reports whether material governed by the variable env must be
// present: env is set to 1 or true, or the tests run in CI (CI=true).
func Required(env string) bool {
	return isTrue(os.Getenv(env)) || isTrue(os.Getenv("CI"))
}

func isTrue(v string) bool { return v == "1" || strings.EqualFold(v, "true") }

// Missing ends a test whose outside material is absent: with Fatal when
// requireEnv says it is required, else with a loud skip. what names the
// material, where says where the test looked and how to point elsewhere.
func Missing(tb testing.TB, requireEnv, what, where string) {
	tb.Helper()
	if Required(requireEnv) {
		tb.Fatalf("%s is missing, and %s=1 (or CI=true) requires it: %s", what, requireEnv, where)
	}
	tb.Skipf("SKIPPED: %s is missing: %s", what, where)
}

// SharedDir returns the shared folder tests look in: $HAVEN_SHARED, else
// shared/ beside the module's root (the folder holding go.mod), as an
// absolute path, whether or not it exists.
func SharedDir() string {
	if d := os.Getenv(SharedEnv); d != "" {
		if abs, err := filepath.Abs(d); err == nil {
			return abs
		}
		return d
	}
	return filepath.Join(filepath.Dir(moduleRoot()), "shared")
}

// moduleRoot walks up from the working directory (a test's package folder)
// to the folder holding go.mod.
func moduleRoot() string {
	wd, err := os.Getwd()
	if err != nil {
		return "."
	}
	for d := wd; ; {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		up := filepath.Dir(d)
		if up == d {
			return wd
		}
		d = up
	}
}

// LookShared returns the absolute path of rel (slash-separated, e.g.
// "hsds/v3.0") inside the shared folder, and whether it exists.
func LookShared(rel string) (string, bool) {
	p := filepath.Join(SharedDir(), filepath.FromSlash(rel))
	_, err := os.Stat(p)
	return p, err == nil
}

func sharedWhere(p string) string {
	return fmt.Sprintf("looked for %s (shared/ beside the clone; set %s to the folder holding hsds/ and seed/)", p, SharedEnv)
}

// Shared returns the absolute path of rel inside the shared folder, or
// ends the test (see Missing) when it is not there.
func Shared(tb testing.TB, rel string) string {
	tb.Helper()
	p, ok := LookShared(rel)
	if !ok {
		Missing(tb, RequireSharedEnv, "shared/"+rel, sharedWhere(p))
	}
	return p
}

// MaybeShared is Shared for a test that checks more when the material is
// there and still checks what it can without it: when rel is absent it
// logs a line starting "SKIPPED:" (or fails, when required) and returns
// false.
func MaybeShared(tb testing.TB, rel string) (string, bool) {
	tb.Helper()
	p, ok := LookShared(rel)
	if !ok {
		if Required(RequireSharedEnv) {
			tb.Fatalf("shared/%s is missing, and %s=1 (or CI=true) requires it: %s", rel, RequireSharedEnv, sharedWhere(p))
		}
		tb.Logf("SKIPPED: the part that needs shared/%s, which is missing (%s); the rest ran", rel, sharedWhere(p))
	}
	return p, ok
}

// Tool returns the path of the program name, or ends the test (see
// Missing), naming the Debian package that installs it.
func Tool(tb testing.TB, name, debianPackage string) string {
	tb.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Missing(tb, RequireToolsEnv, "the program "+name,
			fmt.Sprintf("looked in PATH=%s (apt-get install %s)", os.Getenv("PATH"), debianPackage))
	}
	return p
}

// PDFToText returns the path of poppler's pdftotext; see Tool.
func PDFToText(tb testing.TB) string {
	tb.Helper()
	return Tool(tb, "pdftotext", "poppler-utils")
}

// ChromiumEnv names the browser the browser tests drive, for a machine
// whose Chromium is not Debian's /usr/bin/chromium.
const ChromiumEnv = "HAVEN_CHROMIUM"

// Chromium returns the path of the browser the browser tests drive:
// $HAVEN_CHROMIUM, else Debian's /usr/bin/chromium. Those tests are asked
// for by name (the browser build tag), so a missing browser is an error
// for their TestMain to fail on, never a skip.
func Chromium() (string, error) {
	p := os.Getenv(ChromiumEnv)
	if p == "" {
		p = "/usr/bin/chromium"
	}
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("no browser: looked for %s (apt-get install chromium, or set %s): %w", p, ChromiumEnv, err)
	}
	return p, nil
}
