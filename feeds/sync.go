package feeds

import (
	"context"
	"fmt"

	"haven"
)

// Sync fetches a feed and has the store apply it. A fetch or an apply that
// fails changes nothing in the directory; the feed records why.
func (c *Client) Sync(ctx context.Context, store haven.FeedService, actor string, feed *haven.Feed) (*haven.FeedSyncReport, error) {
	c.init()
	f, err := c.Fetch(ctx, feed)
	if err == nil {
		var rep *haven.FeedSyncReport
		if rep, err = store.ApplyFeed(ctx, actor, feed.Name, f); err == nil {
			return rep, nil
		}
		if code := haven.ErrorCode(err); code == haven.EINVALID || code == haven.ECONFLICT {
			err = fmt.Errorf("feed %s: %s", feed.Name, haven.ErrorMessage(err))
		} else {
			err = fmt.Errorf("feed %s: %w", feed.Name, err)
		}
	}
	reason := err.Error() + "; nothing was changed"
	if ferr := store.FeedFailed(context.WithoutCancel(ctx), feed.Name, c.Now().UTC(), reason); ferr != nil {
		return nil, fmt.Errorf("%s (and recording it failed: %v)", reason, ferr)
	}
	return nil, fmt.Errorf("%s", reason)
}
