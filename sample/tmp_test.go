package sample

import (
	"os"
	"testing"
)

func TestTmpDump(t *testing.T) { os.WriteFile(os.Getenv("DUMP"), ndjson(t, 20000, 3), 0o644) }
