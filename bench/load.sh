#!/usr/bin/env bash
# Load test: Haven on SERVICES sample services, CONNS connections for
# DURATION against /directory, /api/v1/search and service and organization
# pages, the server's RSS sampled every 10 s. It passes with no transport
# error, no 5xx and memory flat after WARMUP.
#
#   bench/load.sh                                  # the full run: 100,000 services, 32 connections, 10 minutes
#   SERVICES=10000 DURATION=60s WARMUP=20s bench/load.sh   # a short smoke run
#
# HAVEN_FLAGS adds flags to "haven serve" (say, a search index).
# The sample database is kept in WORK (default /tmp/haven-load) and reused:
# importing 100,000 services takes minutes. Everything runs on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

SERVICES=${SERVICES:-100000}
CONNS=${CONNS:-32}
DURATION=${DURATION:-10m}
WARMUP=${WARMUP:-1m}
PORT=${PORT:-18480}
METRICS_PORT=${METRICS_PORT:-18481}
WORK=${WORK:-/tmp/haven-load}
mkdir -p "$WORK"

echo "== build"
go build -o "$WORK/haven" ./cmd/haven
go build -o "$WORK/havenload" ./cmd/havenload

db="$WORK/load-$SERVICES.db"
if [ ! -s "$db" ]; then
  echo "== $SERVICES sample services into $db"
  "$WORK/haven" sample --services "$SERVICES" --out "$WORK/sample-$SERVICES.ndjson"
  "$WORK/haven" import --db "$db.partial" "$WORK/sample-$SERVICES.ndjson"
  mv "$db.partial" "$db"
  rm -f "$db.partial-wal" "$db.partial-shm" "$WORK/sample-$SERVICES.ndjson"
fi

echo "== serve"
# The API rate limit is off: all the load comes from one client.
"$WORK/haven" serve --db "$db" --addr "127.0.0.1:$PORT" --metrics-addr "127.0.0.1:$METRICS_PORT" \
  --api-rate 0 --jobs-tick 0 ${HAVEN_FLAGS:-} >"$WORK/serve.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then cat "$WORK/serve.log"; exit 1; fi
  sleep 0.2
done

echo "== load"
"$WORK/havenload" -url "http://127.0.0.1:$PORT" -conns "$CONNS" -duration "$DURATION" -warmup "$WARMUP" \
  -pid "$server" -metrics "http://127.0.0.1:$METRICS_PORT/metrics" -json "$WORK/result-$SERVICES.json"
