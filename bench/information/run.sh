#!/usr/bin/env bash
# Keterbukaan informasi (issue 25): p50/p95/p99 of an archive search over N generated requests
# on both backends. The schema is made by `balai migrate` (migration 0046 included), the rows
# go in through the real triggers / generated column, then measure.py times the search's SQL.
#   bench/information/run.sh [N]        # default 100000; 1000000 is the issue's target
# Environment: BACKENDS ("sqlite postgres"), BENCH_WORK (/tmp/balai-bench-info), BENCH_PGDB
# (balai_bench_info), BENCH_BALAI_BIN (default target/debug/balai: only `migrate` runs, the
# timings are of the databases).
set -euo pipefail
N=${1:-100000}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
W=${BENCH_WORK:-/tmp/balai-bench-info}
BIN=${BENCH_BALAI_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/debug/balai}
PGDB=${BENCH_PGDB:-balai_bench_info}
mkdir -p "$W"
log() { echo "$(date -u +%FT%TZ) $* (load $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$W/results.txt"; }
log "generating $N requests"
python3 "$HERE/gen.py" "$N" "$W" "$ROOT/data/regions/regions.tsv"
AGENCY="INSERT INTO agencies (id, kind, name, region_code, created_at)
  VALUES (1, 'ppid', 'PPID Kota Banjar', '32.79', '2026-01-05T00:00:00Z');"
for b in ${BACKENDS:-sqlite postgres}; do
  if [ "$b" = postgres ]; then
    psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $PGDB" >/dev/null
    psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE $PGDB" >/dev/null
    URL=postgres://postgres@127.0.0.1:5432/$PGDB
    BALAI_DATABASE_URL=$URL "$BIN" --data-dir "$W/pg" migrate >/dev/null
    psql -X -q "$URL" -c "$AGENCY"
    t=$(date +%s.%N); psql -X -q "$URL" -f "$W/rows.sql" >/dev/null
    psql -X -q "$URL" -c "VACUUM ANALYZE info_requests"
    log "postgres: $N rows inserted in $(echo "$(date +%s.%N) - $t" | bc) s"
    log "$(python3 "$HERE/measure.py" postgres "$URL" "$W/queries.txt")"
  else
    rm -rf "$W/sqlite"; mkdir -p "$W/sqlite"
    env -u BALAI_DATABASE_URL "$BIN" --data-dir "$W/sqlite" migrate >/dev/null
    DB="$W/sqlite/balai.sqlite3"
    sqlite3 "$DB" "$AGENCY"
    t=$(date +%s.%N); sqlite3 "$DB" < "$W/rows.sql"
    sqlite3 "$DB" "ANALYZE"
    log "sqlite: $N rows inserted in $(echo "$(date +%s.%N) - $t" | bc) s"
    log "$(python3 "$HERE/measure.py" sqlite "$DB" "$W/queries.txt")"
  fi
done
