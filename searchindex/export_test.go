package searchindex

// SetSmallSet sets the size below which ix sorts and counts document by
// document (0: never; -1: the default), so that tests on small data reach
// the bitmap paths too. It applies from the next build.
func SetSmallSet(ix *Index, n int) { ix.small = n }

// SetDrift sets how many documents may be out of name order before ix
// rebuilds (-1: the default), on the current build and the next ones.
func SetDrift(ix *Index, n int) {
	ix.drift = n
	if x := ix.cur.Load(); x != nil {
		x.drift = n
	}
}

// Tail returns how many of ix's documents are out of name order.
func Tail(ix *Index) int {
	x := ix.cur.Load()
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.docs) - int(x.sorted)
}
