package searchindex

import (
	"context"

	"haven"
)

// Mode says which implementation answers directory searches.
type Mode string

// The modes of haven serve --search.
const (
	// Auto uses the index once it is built, and SQL until then.
	Auto Mode = "auto"
	// IndexOnly uses the index, and refuses searches until it is built.
	IndexOnly Mode = "index"
	// SQLOnly uses SQL, and builds no index.
	SQLOnly Mode = "sql"
)

// ParseMode reads a mode as given on the command line.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(s); m {
	case Auto, IndexOnly, SQLOnly:
		return m, nil
	}
	return "", haven.Errorf(haven.EINVALID, "--search must be auto, index or sql, not %q.", s)
}

// Switch sends each search to the implementation its mode picks. Filters
// the index does not support (see Supports) always go to SQL. The result's
// Engine says which answered.
type Switch struct {
	Mode  Mode
	SQL   haven.DirectorySearcher
	Index *Index // nil in SQLOnly mode
}

// SearchDirectory implements haven.DirectorySearcher.
func (s *Switch) SearchDirectory(ctx context.Context, f haven.DirectoryFilter) (*haven.DirectoryResult, error) {
	switch {
	case s.Mode == SQLOnly || s.Index == nil || !Supports(f):
		return s.SQL.SearchDirectory(ctx, f)
	case s.Mode == Auto && !s.Index.Ready():
		return s.SQL.SearchDirectory(ctx, f)
	}
	return s.Index.SearchDirectory(ctx, f)
}

// Ready reports whether the chosen implementation answers searches: in
// index mode, once the index is built; SQL and auto are ready at once.
func (s *Switch) Ready() bool {
	if s.Mode == IndexOnly {
		return s.Index != nil && s.Index.Ready()
	}
	return true
}
