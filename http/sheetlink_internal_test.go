package http

import (
	"net/url"
	"testing"
)

// TestSheetLinkerAsEncode checks that a page's pick links, built from its
// query read once, are what withSheet's url.Values.Encode would write.
func TestSheetLinkerAsEncode(t *testing.T) {
	for _, raw := range []string{
		"/directory",
		"/directory?q=legal",
		"/directory?sheet=a,b&q=t+visa&state=TX&page=2",
		"/directory?zeta=1&alpha=2&sheet=x&id=y&ids=z&s=3&shelf=4&sheeu=5&sheetz=6",
		"/directory?q=%C3%B1&language=es&near=29.76%2C-95.37&radius_km=25",
	} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		l := newSheetLinker(u)
		for _, ids := range [][]string{nil, {"a"}, {"a", "b c", "ü"}} {
			q := u.Query()
			q.Del("id")
			q.Del("ids")
			q.Del("sheet")
			if len(ids) > 0 {
				q.Set("sheet", joinIDs(ids))
			}
			want := u.Path
			if enc := q.Encode(); enc != "" {
				want += "?" + enc
			}
			if got := l.link(ids); got != want {
				t.Errorf("%s with %v: %q, want %q", raw, ids, got, want)
			}
		}
	}
}

func joinIDs(ids []string) string {
	s := ""
	for i, id := range ids {
		if i > 0 {
			s += ","
		}
		s += id
	}
	return s
}
