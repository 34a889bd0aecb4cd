package sqlstore

// SetDocBatch sets how many documents one round of queries reads, and
// returns a function that puts it back: small batches cross the ranges'
// bounds in tests on little data.
func SetDocBatch(n int) (undo func()) {
	old := docBatch
	docBatch = n
	return func() { docBatch = old }
}
