#!/usr/bin/env bash
# Aduan benchmark: durable submissions per second through the JSON API, and the tracking
# page's latency, alone and while submissions are running, on SQLite and PostgreSQL.
#   bench/complaints/run.sh
#   Env: BACKENDS ("sqlite postgres"), CONC (wrk connections for submissions, 64),
#        POST_SECS (20), READ_CONC (connections for tracking reads, 8), READ_SECS (10),
#        BENCH_WORK (/tmp/balai-bench-complaints), BENCH_BALAI_BIN (skip the release build),
#        MODES ("key nokey": submissions with and without an Idempotency-Key),
#        GATEWAY (1: an nginx on 127.0.0.1:18093 stands in for the SMS gateway and accepts
#        every message; 0: no gateway, every delivery fails and is retried with backoff).
# Needs: cargo, python3, wrk and nginx (Debian packages), PostgreSQL on 127.0.0.1:5432 (trust auth) for
# the postgres run (the script drops and creates the database balai_bench_complaints).
# Only 127.0.0.1 is contacted; every run is bounded in time.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BACKENDS=${BACKENDS:-"sqlite postgres"}
CONC=${CONC:-64}
POST_SECS=${POST_SECS:-20}
READ_CONC=${READ_CONC:-8}
READ_SECS=${READ_SECS:-10}
WORK=${BENCH_WORK:-/tmp/balai-bench-complaints}
GATEWAY=${GATEWAY:-1}
MODES=${MODES:-"key nokey"}
PORT=18090
BASE=http://127.0.0.1:$PORT
PGDB=balai_bench_complaints
mkdir -p "$WORK"
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$WORK/results.txt"; }

if [ -z "${BENCH_BALAI_BIN:-}" ]; then
  (cd "$ROOT" && cargo build --release -p balai)
fi
BIN=${BENCH_BALAI_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/release/balai}

# Villages of the demo regions (Kota Palembang 16.71, Kota Banjar 32.79): reports route there.
awk -F'\t' '$1 ~ /^(16\.71|32\.79)\.[0-9][0-9]\.[0-9][0-9][0-9][0-9]$/ {print $1}' "$ROOT/data/regions/regions.tsv" >"$WORK/villages.txt"
[ -s "$WORK/villages.txt" ] || { echo "no villages found in data/regions/regions.tsv" >&2; exit 1; }

SERVER=
GW=
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true
  [ -n "$GW" ] && kill "$GW" 2>/dev/null || true
}
trap cleanup EXIT

if [ "$GATEWAY" = 1 ]; then
  mkdir -p "$WORK/gateway-tmp"
  sed -e "s|@WORK@|$WORK|g" "$HERE/gateway.conf.in" >"$WORK/gateway.conf"
  nginx -c "$WORK/gateway.conf" &
  GW=$!
  export BALAI_SMS__GATEWAY_URL=http://127.0.0.1:18093/send
  for _ in $(seq 1 50); do curl -fs -X POST "$BALAI_SMS__GATEWAY_URL" >/dev/null && break; sleep 0.1; done
fi
# Notifications by state: delivered, attempted without success, never attempted yet.
notices() {
  sql "$1" "$2" "SELECT SUM(CASE WHEN status = 'sent' THEN 1 ELSE 0 END) || ' sent, '
    || SUM(CASE WHEN status <> 'sent' AND attempts > 0 THEN 1 ELSE 0 END) || ' failed, '
    || SUM(CASE WHEN attempts = 0 THEN 1 ELSE 0 END) || ' not yet attempted' FROM notifications"
}

sql() { # backend, dir, query
  if [ "$1" = postgres ]; then psql -At -h 127.0.0.1 -U postgres -d "$PGDB" -c "$3"
  else sqlite3 "$2/balai.sqlite3" "$3"; fi
}

log "cores: $(nproc); submissions: wrk -t2 -c$CONC -d${POST_SECS}s; reads: wrk -t1 -c$READ_CONC -d${READ_SECS}s; SMS gateway: $([ "$GATEWAY" = 1 ] && echo "nginx stand-in" || echo none)"
for B in $BACKENDS; do
  DIR=$WORK/$B
  rm -rf "$DIR"; mkdir -p "$DIR"
  if [ "$B" = postgres ]; then
    psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $PGDB" >/dev/null
    psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE $PGDB" >/dev/null
    export BALAI_DATABASE_URL=postgres://postgres@127.0.0.1:5432/$PGDB
  else
    unset BALAI_DATABASE_URL
  fi
  "$BIN" --data-dir "$DIR" demo >/dev/null
  echo 'bench-password-123' | "$BIN" --data-dir "$DIR" user add bench --superadmin --password-stdin >/dev/null
  TOKEN=$("$BIN" --data-dir "$DIR" token create --user bench)
  BALAI_LOG=warn "$BIN" --data-dir "$DIR" serve --listen 127.0.0.1:$PORT >"$DIR/serve.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 100); do curl -fs "$BASE/readyz" >/dev/null && break; sleep 0.2; done

  for MODE in $MODES; do
    BEFORE=$(sql "$B" "$DIR" "SELECT COUNT(*) FROM complaints")
    T0=$(date +%s.%N)
    BENCH_TOKEN="$TOKEN" BENCH_VILLAGES="$WORK/villages.txt" BENCH_RUN="$B-$MODE-$$" \
      BENCH_NO_KEY=$([ "$MODE" = nokey ] && echo 1 || echo 0) \
      wrk -t2 -c"$CONC" -d"${POST_SECS}s" --timeout 10s -s "$HERE/post.lua" "$BASE" >"$DIR/post-$MODE.txt" 2>&1
    T1=$(date +%s.%N)
    AFTER=$(sql "$B" "$DIR" "SELECT COUNT(*) FROM complaints")
    OK=$(awk '/^created/ {print $2}' "$DIR/post-$MODE.txt")
    BAD=$(awk '/^created/ {print $4}' "$DIR/post-$MODE.txt")
    log "$B submit ($MODE Idempotency-Key): $OK answered 201, $BAD other, $((AFTER - BEFORE)) rows stored, $(echo "scale=0; $OK / ($T1 - $T0)" | bc) submissions/s; $(grep latency_ms "$DIR/post-$MODE.txt"); notifications at the end: $(notices "$B" "$DIR"); load $(cut -d' ' -f1-3 /proc/loadavg)"
  done

  sql "$B" "$DIR" "SELECT tracking_code FROM complaints ORDER BY id DESC LIMIT 20000" >"$DIR/codes.txt"
  BENCH_CODES="$DIR/codes.txt" wrk -t1 -c"$READ_CONC" -d"${READ_SECS}s" -s "$HERE/track.lua" "$BASE" >"$DIR/track-idle.txt" 2>&1
  log "$B tracking page, no other load: $(awk '/Requests\/sec/ {print $2}' "$DIR/track-idle.txt") req/s; $(grep -h 'non200\|latency_ms' "$DIR/track-idle.txt" | tr '\n' ' ')"
  BENCH_CODES="$DIR/codes.txt" BENCH_PATH=api wrk -t1 -c"$READ_CONC" -d"${READ_SECS}s" -s "$HERE/track.lua" "$BASE" >"$DIR/track-api-idle.txt" 2>&1
  log "$B tracking JSON, no other load: $(awk '/Requests\/sec/ {print $2}' "$DIR/track-api-idle.txt") req/s; $(grep -h 'non200\|latency_ms' "$DIR/track-api-idle.txt" | tr '\n' ' ')"

  # Tracking reads while submissions run at full speed (the load the issue means).
  BENCH_TOKEN="$TOKEN" BENCH_VILLAGES="$WORK/villages.txt" BENCH_RUN="$B-mixed-$$" BENCH_NO_KEY=0 \
    wrk -t1 -c"$CONC" -d"$((READ_SECS + 2))s" --timeout 10s -s "$HERE/post.lua" "$BASE" >"$DIR/post-mixed.txt" 2>&1 &
  LOAD=$!
  sleep 1
  BENCH_CODES="$DIR/codes.txt" wrk -t1 -c"$READ_CONC" -d"${READ_SECS}s" -s "$HERE/track.lua" "$BASE" >"$DIR/track-loaded.txt" 2>&1
  wait "$LOAD" || true
  log "$B tracking page under submission load: $(awk '/Requests\/sec/ {print $2}' "$DIR/track-loaded.txt") req/s; $(grep -h 'non200\|latency_ms' "$DIR/track-loaded.txt" | tr '\n' ' '); submissions meanwhile: $(grep -h 'created\|latency_ms' "$DIR/post-mixed.txt" | tr '\n' ' ')"

  log "$B peak RSS of balai: $(awk '/VmHWM/ {print $2, $3}' /proc/$SERVER/status)"
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=
done
log "done"
