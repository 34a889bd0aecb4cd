package http

import (
	"context"
	"net/url"
	"slices"
	"strings"

	"haven"
	"haven/i18n"
)

// linkLabelKey is the message key that labels an entry's web address by
// what it leads to, so a reader knows before following it whether it is the
// publisher's own page or a library record, an archived copy or another
// source. An organization's own page is its "official site", not a
// publisher's.
func linkLabelKey(r *haven.Resource) string {
	switch {
	case r.URLKind == "":
		return "urlkind.none"
	case r.URLKind == "publisher" && r.Section != "documents":
		return "urlkind.official"
	}
	return "urlkind." + r.URLKind
}

// urlHost is the host an address leads to, without "www.", shown beside
// the link so a reader sees where it goes.
func urlHost(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(u.Hostname(), "www.")
}

// ownTools maps library entries to the page of Haven's own that does what
// they describe: the seed's screening tool is lost, and Haven has one.
var ownTools = map[string]string{
	"screening-tool-for-victims-of-human-trafficking": "/screening",
}

func ownTool(id string) string { return ownTools[id] }

// parseResourceLinkFields reads the form's link fields into r: what the
// address leads to, the note and how to find the item, each text in both
// languages or neither. Problems go into errs by field.
func parseResourceLinkFields(f url.Values, r *haven.Resource, errs map[string]string, l *i18n.Localizer) {
	r.URLKind = f.Get("url_kind")
	if r.URLKind != "" && (!slices.Contains(haven.URLKinds, r.URLKind) || strings.TrimSpace(f.Get("url")) == "") {
		errs["url_kind"] = l.T("form.url_kind")
	}
	pair := func(en, es string) haven.Localized {
		a, b := strings.TrimSpace(f.Get(en)), strings.TrimSpace(f.Get(es))
		switch {
		case a == "" && b == "":
			return nil
		case a == "":
			errs[en] = l.T("form.pair")
		case b == "":
			errs[es] = l.T("form.pair")
		}
		return haven.Localized{"en": a, "es": b}
	}
	r.Note = pair("note_en", "note_es")
	r.HowToFind = pair("find_en", "find_es")
}

// resourcesByURL maps each broken link to the library entries that use it,
// so the dashboard can send a curator straight to the form that fixes it.
func (s *Server) resourcesByURL(ctx context.Context, broken []haven.BrokenLink) (map[string][]*haven.Resource, error) {
	if len(broken) == 0 {
		return nil, nil
	}
	res, err := s.Resources.FindResources(ctx, haven.ResourceFilter{})
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, b := range broken {
		want[b.URL] = true
	}
	out := map[string][]*haven.Resource{}
	for _, r := range res.Items {
		if want[r.URL] {
			out[r.URL] = append(out[r.URL], r)
		}
	}
	return out, nil
}
