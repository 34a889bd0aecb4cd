package sqlstore

import (
	"bytes"
	"context"

	"haven"
)

// SetDocBatch sets how many documents one round of queries reads, and
// returns a function that puts it back: small batches cross the ranges'
// bounds in tests on little data.
func SetDocBatch(n int) (undo func()) {
	old := docBatch
	docBatch = n
	return func() { docBatch = old }
}

// LiveDirectoryDocs reads every service's search document the long way,
// from the rows SQL search reads, in id order.
func (d *DirectoryService) LiveDirectoryDocs(ctx context.Context) ([]*haven.DirectoryDoc, error) {
	tx, err := d.db.BeginTx(ctx, true)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return directoryDocs(ctx, tx, `1 = 1 ORDER BY s.id`)
}

// SameSearchDoc reports whether two documents store the same bytes.
func SameSearchDoc(a, b *haven.DirectoryDoc) bool {
	return a.ServiceID == b.ServiceID && bytes.Equal(encodeSearchDoc(a), encodeSearchDoc(b))
}
