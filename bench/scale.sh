#!/usr/bin/env bash
# Scale benchmark (issue 10): Haven at 10,000, 100,000 and 1,000,000
# sample services, on SQLite and on PostgreSQL. For each engine and size:
#
#   1. import: "haven sample" writes the services, "haven import" loads
#      them; time, services/s, the importer's peak RSS, the database's size.
#   2. start: "haven serve --search index"; time from launch to the first
#      request served (/healthz), to /readyz 200 (the index built), the
#      index's build time (from the server's log) and the server's RSS.
#   3. load: the fixed mix of cmd/havenbench (six classes of search through
#      /api/v1/search and /directory, and service pages found by those
#      searches) at each of CONNS connections for DURATION after WARMUP:
#      requests/s, p50/p95/p99/max, errors and non-200s per class, and the
#      server's RSS every second. Then the searches through /api/v1/search
#      alone at API_CONNS connections (search throughput; 0 skips it).
#      Then each search once more, SQL_COUNT times one at a time (the
#      "sweep").
#   4. SQL: the first server stopped, "haven serve --search sql" on the same
#      database, and the same sweep, bounded by SQL_COUNT and by SQL_BUDGET
#      per class (a SQL search at 1M takes seconds): SQL/index per class.
#
# Each engine and size is appended to RESULTS (JSON); at the end the script
# prints the markdown tables ("havenbench report") and draws PLOT, search
# p99 against directory size ("havenbench plot").
#
#   bench/scale.sh                                        # everything: 2 engines × 10k, 100k, 1M (hours: see BENCHMARKS.md)
#   SIZES=10000 ENGINES=sqlite DURATION=5s bench/scale.sh # a smoke run, about a minute
#   SIZES="10000 100000" DURATION=30s bench/scale.sh
#   go run ./cmd/havenbench report /tmp/haven-scale/results.json      # the tables again
#   go run ./cmd/havenbench plot /tmp/haven-scale/results.json -o bench/p99.svg
#
# Environment: SIZES, ENGINES (sqlite postgres), CONNS (1 32), API_CONNS (32), DURATION (60s),
# WARMUP (5s), SQL_COUNT (5), SQL_BUDGET (60s, per class), SQL_TIMEOUT (120s,
# the longest wait for one SQL search, then counted as an error), SKIP_SQL=1,
# WORK (/tmp/haven-scale), RESULTS (WORK/results.json), PLOT (WORK/p99.svg),
# PORT, METRICS_PORT, HAVEN_FLAGS (more flags for haven serve), IMPORT_MEMORY
# (haven import --memory, MiB; default 8192, whose eighth is the 1 GiB page
# cache the 1M figures were measured with; haven's own default is 512), KEEP_SAMPLE=1,
# PROFILE=1 (HAVEN_CPUPROFILE/HAVEN_MEMPROFILE for the importer and the
# index server, kept in WORK/prof, their "go tool pprof -top" head printed
# and recorded), and for PostgreSQL PGHOST (127.0.0.1), PGPORT (5432),
# PGUSER (postgres) and PGPASSWORD if needed.
#
# Databases are kept in WORK and reused: WORK/scale-N.db for SQLite, the
# database haven_scale_N for PostgreSQL (created with psql). A reused
# database keeps the import figures measured when it was made. Drop them to
# measure the import again: rm WORK/scale-N.db, or
# psql -c 'DROP DATABASE haven_scale_N'. Everything runs on 127.0.0.1; it
# needs Go, curl, psql (for PostgreSQL) and nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-10000 100000 1000000}
ENGINES=${ENGINES:-sqlite postgres}
CONNS=${CONNS:-1 32}
API_CONNS=${API_CONNS:-32}
DURATION=${DURATION:-60s}
WARMUP=${WARMUP:-5s}
SQL_COUNT=${SQL_COUNT:-5}
SQL_BUDGET=${SQL_BUDGET:-60s}
SQL_TIMEOUT=${SQL_TIMEOUT:-120s}
SKIP_SQL=${SKIP_SQL:-0}
PROFILE=${PROFILE:-0}
KEEP_SAMPLE=${KEEP_SAMPLE:-0}
WORK=${WORK:-/tmp/haven-scale}
RESULTS=${RESULTS:-$WORK/results.json}
PLOT=${PLOT:-$WORK/p99.svg}
PORT=${PORT:-18490}
METRICS_PORT=${METRICS_PORT:-18491}
WAIT_TIMEOUT=${WAIT_TIMEOUT:-30m}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
mkdir -p "$WORK"

base="http://127.0.0.1:$PORT"
metrics="http://127.0.0.1:$METRICS_PORT/metrics"
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if ! git diff --quiet HEAD 2>/dev/null; then commit="$commit-dirty"; fi

echo "== build ($commit)"
go build -o "$WORK/haven" ./cmd/haven
go build -o "$WORK/havenbench" ./cmd/havenbench
bench="$WORK/havenbench"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

pgdsn() { echo "postgres://$PGUSER@$PGHOST:$PGPORT/$1?sslmode=disable"; }
# Notices ("does not exist, skipping") are noise here.
pgsql() { PGOPTIONS="--client-min-messages=warning" psql -X -q -v ON_ERROR_STOP=1 -d postgres -Atc "$1"; }
if [[ " $ENGINES " == *" postgres "* ]] && ! pgsql 'SELECT 1' >/dev/null; then
  echo "PostgreSQL does not answer at $PGHOST:$PGPORT as $PGUSER: start it, or run with ENGINES=sqlite" >&2
  exit 1
fi

server=""
stop_server() {
  if [ -n "$server" ]; then
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=""
  fi
}
# run CMD: run a step in the background and wait for it, so that an
# interrupt stops it at once rather than when it ends.
child=""
run() {
  "$@" &
  child=$!
  wait "$child"
  child=""
}
cleanup() {
  if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null || true; wait "$child" 2>/dev/null || true; fi
  stop_server
}
trap cleanup EXIT
# Bash runs the EXIT trap on a signal only when the signal is trapped.
trap 'exit 130' INT
trap 'exit 143' TERM

# profile_env NAME: the environment that has haven keep its CPU and
# allocation profiles as WORK/prof/NAME.{cpu,mem}, when PROFILE=1.
profile_env() {
  if [ "$PROFILE" = 1 ]; then
    mkdir -p "$WORK/prof"
    rm -f "$WORK/prof/$1.cpu" "$WORK/prof/$1.mem"
    echo "HAVEN_CPUPROFILE=$WORK/prof/$1.cpu HAVEN_MEMPROFILE=$WORK/prof/$1.mem"
  fi
}

# profile_top NAME PARTS: print and keep the head of "go tool pprof -top"
# of the profiles haven wrote.
profile_top() {
  [ "$PROFILE" = 1 ] || return 0
  local kind file found=0
  for kind in cpu mem; do
    file="$WORK/prof/$1.$kind"
    [ -s "$file" ] || continue
    found=1
    local opt=()
    [ "$kind" = mem ] && opt=(-sample_index=alloc_space)
    { echo "profile: $file"; go tool pprof -top -nodecount=25 "${opt[@]}" "$WORK/haven" "$file" 2>/dev/null | head -n 32; } >"$2/pprof-$1-$kind.txt"
    echo "-- $file"; tail -n +2 "$2/pprof-$1-$kind.txt"
  done
  if [ "$found" = 0 ]; then
    echo "-- no profile in $WORK/prof/$1.*: this haven does not honour HAVEN_CPUPROFILE/HAVEN_MEMPROFILE"
  fi
}

# start_server DSN SEARCH PARTS: launch haven serve and time its start.
start_server() {
  local log="$3/serve-$2.log"
  local env=()
  if [ "$2" = index ]; then read -ra env <<<"$(profile_env "serve-$engine-$size")"; fi
  # A server left on the port would answer for the new one.
  if curl -s -o /dev/null --max-time 2 "$base/healthz"; then
    echo "something already answers on $base: stop it, or choose another PORT" >&2
    exit 1
  fi
  local t0
  t0=$(date +%s%N)
  # The API rate limit is off: all the load comes from one client.
  env "${env[@]}" "$WORK/haven" serve --db "$1" --search "$2" --addr "127.0.0.1:$PORT" --metrics-addr "127.0.0.1:$METRICS_PORT" \
    --api-rate 0 --jobs-tick 0 ${HAVEN_FLAGS:-} >"$log" 2>&1 &
  server=$!
  run "$bench" wait -url "$base" -start-ns "$t0" -pid "$server" -log "$log" -metrics "$metrics" -search "$2" \
    -timeout "$WAIT_TIMEOUT" -json "$3/$2-start.json"
}

for size in $SIZES; do
  sample="$WORK/sample-$size.ndjson"
  for engine in $ENGINES; do
    echo
    echo "=== $engine, $size services"
    parts="$WORK/parts/$engine-$size"
    rm -rf "$parts"
    mkdir -p "$parts"
    imported="$WORK/import-$engine-$size.json"

    # 1. The database, imported once and kept.
    case $engine in
    sqlite)
      dsn="$WORK/scale-$size.db"
      have=0; [ -s "$dsn" ] && have=1
      ;;
    postgres)
      dbname="haven_scale_$size"
      dsn=$(pgdsn "$dbname")
      have=$(pgsql "SELECT count(*) FROM pg_database WHERE datname = '$dbname'")
      ;;
    *) echo "unknown engine $engine: use sqlite or postgres" >&2; exit 1 ;;
    esac
    reused=(-reused-import)
    if [ "$have" = 0 ]; then
      reused=()
      if [ ! -s "$sample" ]; then
        echo "== haven sample: $size services into $sample"
        run "$WORK/haven" sample --services "$size" --out "$sample"
      fi
      case $engine in
      sqlite)
        partial="$dsn.partial"
        rm -f "$partial" "$partial-wal" "$partial-shm"
        ;;
      postgres)
        pgsql "DROP DATABASE IF EXISTS ${dbname}_partial"
        pgsql "CREATE DATABASE ${dbname}_partial"
        partial=$(pgdsn "${dbname}_partial")
        ;;
      esac
      echo "== haven import into $engine"
      read -ra env <<<"$(profile_env "import-$engine-$size")"
      run "$bench" exec -json "$imported" -- env "${env[@]}" "$WORK/haven" import --memory "${IMPORT_MEMORY:-8192}" --db "$partial" "$sample"
      case $engine in
      sqlite) mv "$partial" "$dsn"; rm -f "$partial-wal" "$partial-shm" ;;
      postgres) pgsql "ALTER DATABASE ${dbname}_partial RENAME TO $dbname" ;;
      esac
      profile_top "import-$engine-$size" "$parts"
    else
      echo "== reusing the database $dsn (imported earlier)"
    fi
    if [ -s "$imported" ]; then cp "$imported" "$parts/import.json"; fi
    case $engine in
    sqlite) dbbytes=$(stat -c %s "$dsn") ;;
    postgres) dbbytes=$(pgsql "SELECT pg_database_size('$dbname')") ;;
    esac

    # 2. and 3. The index: start, load at each connection count, sweep.
    echo "== haven serve --search index"
    start_server "$dsn" index "$parts"
    for conns in $CONNS; do
      echo "== load: $conns connection(s), $WARMUP warm-up, $DURATION measured"
      run "$bench" load -url "$base" -conns "$conns" -duration "$DURATION" -warmup "$WARMUP" -pid "$server" -json "$parts/load-$conns.json"
    done
    if [ "$API_CONNS" != 0 ]; then
      # Search throughput: the API's share of the mix alone, so that the
      # HTML pages' rendering does not take its part of the 2 cores.
      echo "== load: $API_CONNS connections, searches through the API only, $WARMUP warm-up, $DURATION measured"
      run "$bench" load -url "$base" -conns "$API_CONNS" -only api -duration "$DURATION" -warmup "$WARMUP" -pid "$server" -json "$parts/load-$API_CONNS-api.json"
    fi
    echo "== sweep: each search $SQL_COUNT times from the index"
    run "$bench" sweep -url "$base" -count "$SQL_COUNT" -budget "$SQL_BUDGET" -json "$parts/index-sweep.json"
    stop_server
    profile_top "serve-$engine-$size" "$parts"

    # 4. The same searches from SQL.
    if [ "$SKIP_SQL" != 1 ]; then
      echo "== haven serve --search sql"
      start_server "$dsn" sql "$parts"
      echo "== sweep: each search at most $SQL_COUNT times from SQL, about $SQL_BUDGET a class at most"
      run "$bench" sweep -url "$base" -count "$SQL_COUNT" -budget "$SQL_BUDGET" -timeout "$SQL_TIMEOUT" -json "$parts/sql-sweep.json"
      stop_server
    fi

    "$bench" add -results "$RESULTS" -engine "$engine" -services "$size" -commit "$commit" -db-bytes "$dbbytes" "${reused[@]}" "$parts"
  done
  if [ "$KEEP_SAMPLE" != 1 ]; then rm -f "$sample"; fi
done

echo
echo "== report ($RESULTS)"
"$bench" report "$RESULTS" | tee "$WORK/report.md"
"$bench" plot "$RESULTS" -o "$PLOT"
