#!/usr/bin/env bash
# Elections benchmark: ingest, freshness of totals, read throughput vs nginx, peak memory.
#   bench/elections/run.sh [TPS_COUNT] [PROVINCE] 
#   TPS_COUNT: default 823000 (national scale); PROVINCE: e.g. 32 to put every TPS in one
#   province (one gubernur election); empty = every province, one election each.
#   Env: BACKENDS ("sqlite postgres"), CONC (wrk connections, 64), READ_SECS (10),
#        SINGLE_CONC (wrk connections of the one-form-per-request run, CONC: operators
#        submitting at the same time),
#        SINGLE_SECS (20: the one-form-per-request run lasts this long or until the forms
#        run out; forms/s = forms accepted / wall time),
#        BATCH (1000), BATCH_WORKERS (2), TOKENS (64: API tokens the single forms use in turn), BENCH_WORK (/tmp/balai-bench),
#        BENCH_BALAI_BIN (use this binary instead of building the release one),
#        PHASES ("single batch reads"; e.g. PHASES=single for A/B runs of one phase).
# Needs: cargo, python3, wrk and nginx (Debian packages), PostgreSQL on 127.0.0.1:5432
# (trust auth) for the postgres run. Only 127.0.0.1 is contacted; every wait is bounded.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SCALE=${1:-823000}
PROVINCE=${2:-}
BACKENDS=${BACKENDS:-"sqlite postgres"}
CONC=${CONC:-64}
SINGLE_CONC=${SINGLE_CONC:-$CONC}
READ_SECS=${READ_SECS:-10}
SINGLE_SECS=${SINGLE_SECS:-20}
BATCH=${BATCH:-1000}
TOKENS=${TOKENS:-64}
BATCH_WORKERS=${BATCH_WORKERS:-2}
WORK=${BENCH_WORK:-/tmp/balai-bench}
PHASES=" ${PHASES:-single batch reads} "
phase() { [[ "$PHASES" == *" $1 "* ]]; }
PORT=18080
BASE=http://127.0.0.1:$PORT
mkdir -p "$WORK"
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$WORK/results.txt"; }

if [ -z "${BENCH_BALAI_BIN:-}" ]; then
  (cd "$ROOT" && cargo build --release -p balai)
fi
BIN=${BENCH_BALAI_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/release/balai}

DATA=$WORK/data-$SCALE-${PROVINCE:-all}
if [ ! -f "$DATA/provinces.txt" ]; then
  python3 "$HERE/gen.py" --tps "$SCALE" --out "$DATA" ${PROVINCE:+--province "$PROVINCE"}
fi
log "scale: $SCALE TPS, province: ${PROVINCE:-all}, cores: $(nproc), wrk -c$CONC (single forms -c$SINGLE_CONC)"
# Other work on the machine competes for the cores: record the load with every phase.
load() { echo "(load $(cut -d' ' -f1-3 /proc/loadavg))"; }
# CPU ticks (1/100 s) so far: the machine's busy, idle and stolen-by-the-host time
# (/proc/stat), and the balai process's own (/proc/PID/stat, user + system).
ticks() {
  awk '/^cpu / {print $2+$3+$4+$7+$8, $5+$6, $9}' /proc/stat
  awk '{print $14+$15}' "/proc/$1/stat"
}
# Where the CPU went between two `ticks` readings, for N forms.
cpu_per_form() {
  local a b
  read -r -a a <<<"$(echo $1)"; read -r -a b <<<"$(echo $2)"
  awk -v n="$3" -v bu=$((b[0]-a[0])) -v id=$((b[1]-a[1])) -v st=$((b[2]-a[2])) -v ba=$((b[3]-a[3])) 'BEGIN {
    t = bu + id + st; if (t == 0 || n == 0) { print "(no cpu reading)"; exit }
    printf "machine busy %.0f %%, idle %.0f %%, stolen %.0f %%; CPU per form: machine %.0f us, balai %.0f us\n",
      100*bu/t, 100*id/t, 100*st/t, bu*1e4/n, ba*1e4/n }'
}

SERVER=
NGINX=
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true
  [ -n "$NGINX" ] && kill "$NGINX" 2>/dev/null || true
}
trap cleanup EXIT

for B in $BACKENDS; do
  DIR=$WORK/$B
  rm -rf "$DIR"; mkdir -p "$DIR"
  if [ "$B" = postgres ]; then
    psql -q -h 127.0.0.1 -U postgres -c 'DROP DATABASE IF EXISTS balai_bench' >/dev/null
    psql -q -h 127.0.0.1 -U postgres -c 'CREATE DATABASE balai_bench' >/dev/null
    export BALAI_DATABASE_URL=postgres://postgres@127.0.0.1:5432/balai_bench
  else
    unset BALAI_DATABASE_URL
  fi
  "$BIN" --data-dir "$DIR" migrate >/dev/null
  echo 'bench-password-123' | "$BIN" --data-dir "$DIR" user add bench --superadmin --password-stdin >/dev/null
  TOKEN=$("$BIN" --data-dir "$DIR" token create --user bench)
  # The one-form-per-request run sends with TOKENS tokens in turn (operators on election night
  # each have their own; every request's token is looked up).
  : >"$DIR/tokens.txt"
  for _ in $(seq 1 "$TOKENS"); do
    "$BIN" --data-dir "$DIR" token create --user bench >>"$DIR/tokens.txt"
  done
  BALAI_LOG=warn "$BIN" --data-dir "$DIR" serve --listen 127.0.0.1:$PORT >"$DIR/serve.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 100); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.2; done
  rm -f "$DATA"/elections-"$B"-* "$DATA"/wrk-"$B"-*

  log "$B start $(load)"
  # 1. One form per request (wrk, 2 threads, SINGLE_CONC connections).
  if phase single; then
  python3 "$HERE/drive.py" setup "$BASE" "$TOKEN" "$DATA" "$B-single" | tee -a "$WORK/results.txt"
  python3 "$HERE/drive.py" split "$BASE" "$DATA" "$B-single" 2 >/dev/null
  T0=$(date +%s.%N)
  C0=$(ticks "$SERVER")
  BENCH_FILES="$DATA/wrk-$B-single-" BENCH_TOKENS="$DIR/tokens.txt" \
    wrk -t2 -c"$SINGLE_CONC" -d"${SINGLE_SECS}s" --timeout 30s -s "$HERE/post.lua" "$BASE" >"$DIR/wrk-single.txt" 2>&1
  T1=$(date +%s.%N)
  C1=$(ticks "$SERVER")
  OK=$(awk '/forms_ok/ {print $2}' "$DIR/wrk-single.txt")
  BAD=$(awk '/forms_ok/ {print $4}' "$DIR/wrk-single.txt")
  # wrk's own clock starts after each thread has read its request file (seconds at national
  # scale); the wall time includes that reading.
  WRK_S=$(sed -n 's/.* requests in \([0-9.]*\)s,.*/\1/p' "$DIR/wrk-single.txt")
  log "$B single: $OK forms accepted, $BAD refused in $WRK_S s of sending = $(echo "$OK / $WRK_S" | bc) forms/s ($(echo "$T1 - $T0" | bc) s wall with reading the request files = $(echo "$OK / ($T1 - $T0)" | bc) forms/s); $(grep latency_p50 "$DIR/wrk-single.txt") $(load)"
  log "$B single: $(cpu_per_form "$C0" "$C1" "$OK") (whole wrk run, request-file reading included)"
  log "$B single: top-level total $(python3 "$HERE/drive.py" wait "$BASE" "$DATA" "$B-single" "$OK" "$T1")"
  fi

  # 2. Batches (the reads use this election).
  if phase batch || phase reads; then
  python3 "$HERE/drive.py" setup "$BASE" "$TOKEN" "$DATA" "$B-batch" | tee -a "$WORK/results.txt"
  OUT=$(python3 "$HERE/drive.py" batch "$BASE" "$TOKEN" "$DATA" "$B-batch" "$BATCH" "$BATCH_WORKERS")
  log "$B $OUT $(load)"
  TL=$(echo "$OUT" | sed -n 's/.*last_write=\([0-9.]*\).*/\1/p' | head -1)
  ACC=$(echo "$OUT" | sed -n 's/^batch [^:]*: \([0-9]*\) accepted.*/\1/p' | head -1)
  log "$B batch: top-level total $(python3 "$HERE/drive.py" wait "$BASE" "$DATA" "$B-batch" "$ACC" "$TL")"
  fi

  # 3. Reads: balai and nginx, the same bytes, same load generator settings.
  if phase reads; then
  WWW=$WORK/www-$B
  rm -rf "$WWW"; mkdir -p "$WWW" "$WORK/nginx-tmp"; chmod 755 "$WWW"
  python3 "$HERE/drive.py" reads "$BASE" "$DATA" "$B-batch" "$WWW" >"$DIR/levels.txt"
  chmod 644 "$WWW"/*
  sed -e "s|@WORK@|$WORK|g" -e "s|@WWW@|$WWW|g" "$HERE/nginx.conf.in" >"$WORK/nginx.conf"
  nginx -c "$WORK/nginx.conf" &
  NGINX=$!
  sleep 1
  while read -r LEVEL PATHQ SIZE; do
    # wrk counts a response slower than its 2 s timeout as an error, not a request.
    wrk -t2 -c"$CONC" -d"${READ_SECS}s" "$BASE$PATHQ" >"$DIR/read-$LEVEL-balai.txt"
    wrk -t2 -c"$CONC" -d"${READ_SECS}s" "http://127.0.0.1:18081/$LEVEL.json" >"$DIR/read-$LEVEL-nginx.txt"
    B_RPS=$(awk '/Requests\/sec/ {print $2}' "$DIR/read-$LEVEL-balai.txt")
    N_RPS=$(awk '/Requests\/sec/ {print $2}' "$DIR/read-$LEVEL-nginx.txt")
    B_ERR=$(grep -h 'Socket errors' "$DIR/read-$LEVEL-balai.txt" || true)
    log "$B read $LEVEL ($SIZE bytes): balai $B_RPS req/s, nginx $N_RPS req/s, ratio $(echo "scale=3; $B_RPS / $N_RPS" | bc) ${B_ERR} $(load)"
  done <"$DIR/levels.txt"
  kill "$NGINX"; wait "$NGINX" 2>/dev/null || true; NGINX=
  fi

  log "$B peak RSS of balai: $(awk '/VmHWM/ {print $2, $3}' /proc/$SERVER/status)"
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=
done
log "done"
