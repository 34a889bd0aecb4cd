package haven

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// parseWhoParams reads the parameters of who can be helped and when:
// age, population, trafficking, and open, open_at, open_day and
// open_time (see ParseOpenAt). now is the time "open now" means.
func parseWhoParams(q url.Values, now time.Time, f *DirectoryFilter) error {
	if s := strings.TrimSpace(q.Get("age")); s != "" {
		age, err := strconv.Atoi(s)
		if err != nil || age < 0 || age > MaxAge {
			return paramErrorf("age", "Parameter age must be a whole number of years from 0 to %d.", MaxAge)
		}
		f.Age = &age
	}
	for _, p := range []struct {
		name string
		to   *string
	}{{"population", &f.Population}, {"trafficking", &f.Trafficking}} {
		v := strings.ToLower(strings.TrimSpace(q.Get(p.name)))
		if v == "" {
			continue
		}
		codes := WhoCodes(p.name)
		if !slices.Contains(codes, v) {
			return paramErrorf(p.name, "Parameter %s must be one of %s.", p.name, strings.Join(codes, ", "))
		}
		*p.to = v
	}
	if now.IsZero() {
		now = time.Now()
	}
	open, err := ParseOpenAt(q.Get("open"), q.Get("open_at"), q.Get("open_day"), q.Get("open_time"), now)
	if err != nil {
		return err
	}
	f.Open = open
	return nil
}
