#!/usr/bin/env bash
# Denial-of-service bench (issue 21): a login burst and a photo bomb against one release
# binary, each scenario on a fresh server process (SQLite), measuring the server's peak RSS
# (VmHWM), its CPU seconds during the scenario (utime + stime from /proc) and, for logins,
# the guesses recorded (rows of login_failures).
#   bench/dos/run.sh LABEL BIN [LABEL BIN ...]   e.g. before /tmp/main/balai after target/release/balai
#   Env: LOGINS (200), PHOTOS (50), SCENARIOS ("login-one login-many bomb large"),
#        ROUNDS (1: each binary runs every scenario ROUNDS times, binaries alternating),
#        BENCH_WORK (/tmp/balai-bench-dos).
# Needs python3 and sqlite3. Only 127.0.0.1 is contacted; every step is bounded.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
LOGINS=${LOGINS:-200}
PHOTOS=${PHOTOS:-50}
SCENARIOS=${SCENARIOS:-"login-one login-many bomb large"}
ROUNDS=${ROUNDS:-1}
WORK=${BENCH_WORK:-/tmp/balai-bench-dos}
PORT=18095
BASE=http://127.0.0.1:$PORT
TICK=$(getconf CLK_TCK)
mkdir -p "$WORK"
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$WORK/results.txt"; }
VILLAGE=$(awk -F'\t' '$1 ~ /^32\.79\.[0-9][0-9]\.[0-9][0-9][0-9][0-9]$/ {print $1; exit}' "$ROOT/data/regions/regions.tsv")

SERVER=
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true; }
trap cleanup EXIT

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hwm_mb() { awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

# One prepared data directory per binary (demo data, one account to guess at).
prepare() { # label bin
  local dir=$WORK/$1-template
  rm -rf "$dir"; mkdir -p "$dir"
  "$2" --data-dir "$dir" demo >/dev/null
  echo 'bench-password-123' | "$2" --data-dir "$dir" user add victim --superadmin --password-stdin >/dev/null
}

scenario() { # label bin scenario
  local label=$1 bin=$2 s=$3 dir=$WORK/$1-run
  rm -rf "$dir"; cp -r "$WORK/$label-template" "$dir"
  BALAI_LOG=warn "$bin" --data-dir "$dir" serve --listen 127.0.0.1:$PORT >"$dir/serve.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 100); do curl -fs "$BASE/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
  local t0 out
  t0=$(cpu_ticks "$SERVER")
  case $s in
    login-one) out=$(python3 "$HERE/drive.py" "$BASE" login-one "$LOGINS" victim) ;;
    login-many) out=$(python3 "$HERE/drive.py" "$BASE" login-many "$LOGINS") ;;
    bomb | large) out=$(python3 "$HERE/drive.py" "$BASE" photos "$PHOTOS" "$s" "$VILLAGE") ;;
  esac
  sleep 1 # requests that outlive their client (none expected) finish
  local cpu hwm guesses
  cpu=$(awk -v a="$t0" -v b="$(cpu_ticks "$SERVER")" -v t="$TICK" 'BEGIN {printf "%.2f", (b - a) / t}')
  hwm=$(hwm_mb "$SERVER")
  guesses=$(sqlite3 "$dir/balai.sqlite3" "SELECT COUNT(*) FROM login_failures")
  stored=$(sqlite3 "$dir/balai.sqlite3" "SELECT COUNT(*) FROM complaint_photos")
  log "$label $s: peak RSS ${hwm} MB, server CPU ${cpu} s, guesses recorded $guesses, photos stored $stored, $out (load $(cut -d' ' -f1 /proc/loadavg))"
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=
}

args=("$@")
[ ${#args[@]} -ge 2 ] || { sed -n 2,10p "$0"; exit 1; }
log "cores: $(nproc); logins at once: $LOGINS; photos at once: $PHOTOS; scenarios: $SCENARIOS"
for ((i = 0; i < ${#args[@]}; i += 2)); do prepare "${args[i]}" "${args[i+1]}"; done
for _ in $(seq 1 "$ROUNDS"); do
  for s in $SCENARIOS; do
    for ((i = 0; i < ${#args[@]}; i += 2)); do scenario "${args[i]}" "${args[i+1]}" "$s"; done
  done
done
