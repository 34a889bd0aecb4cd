package hsds

// MainAddress returns the address that stands for a location wherever
// Haven shows or searches one place for it (result cards, service pages,
// the state and country a search filters on): its physical address, else
// its first address by id, and among several physical ones the first by id.
// It returns nil for a location without addresses. SQL search reads the
// same rule (sqlstore's placeHits).
func (l *Location) MainAddress() *Address {
	var a *Address
	for i := range l.Addresses {
		b := &l.Addresses[i]
		if a == nil {
			a = b
			continue
		}
		if ap, bp := a.AddressType == "physical", b.AddressType == "physical"; bp && !ap || bp == ap && b.ID < a.ID {
			a = b
		}
	}
	return a
}
