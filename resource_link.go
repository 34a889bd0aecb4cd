package haven

// URLKinds are what a library entry's web address can be, so a reader knows
// before following it whether it leads to the item itself or to a record of
// it: the publisher's (or organization's) own page, a library catalogue
// record, an archived copy, or another source such as a third-party copy or
// a successor page.
var URLKinds = []string{"publisher", "library-record", "archive", "other"}

// validLinkFields reports the first problem with an entry's link fields:
// an address kind needs an address, and a note or a "how to find it" text
// must be given in both UI languages or in neither.
func (r *Resource) validLinkFields() error {
	if r.URLKind != "" {
		ok := false
		for _, k := range URLKinds {
			ok = ok || k == r.URLKind
		}
		if !ok {
			return Errorf(EINVALID, "resource %q: url_kind: unknown value %q", r.ID, r.URLKind)
		}
		if r.URL == "" {
			return Errorf(EINVALID, "resource %q: url_kind: is set but url is empty", r.ID)
		}
	}
	for name, l := range map[string]Localized{"note": r.Note, "how_to_find": r.HowToFind} {
		if (l["en"] == "") != (l["es"] == "") {
			return Errorf(EINVALID, "resource %q: %s: give it in both English and Spanish, or in neither", r.ID, name)
		}
	}
	return nil
}
