// Package browsertest drives Haven in a real, headless Chromium: it builds
// the haven binary, runs "haven serve --sample" on a loopback port, and
// checks what only a browser can show — accessibility (axe-core), keyboard
// use, the quick exit, the phone layout and privacy.
//
// The tests sit behind the "browser" build tag, so "go test ./..." stays
// fast and needs no browser:
//
//	(cd browsertest && npm ci)          # axe-core, pinned in package-lock.json
//	go test -tags browser -parallel 4 ./browsertest/
//
// They need Debian's chromium at /usr/bin/chromium (or $HAVEN_CHROMIUM) and
// write screenshots to $HAVEN_SCREENSHOTS (default: screenshots/ at the
// repository's root, which git ignores).
package browsertest
