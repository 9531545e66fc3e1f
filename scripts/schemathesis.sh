#!/usr/bin/env bash
# Fuzz the whole JSON API and Open311 against the served OpenAPI document with schemathesis
# (`--checks all`): a fresh demo world, a `balai serve` on a free loopback port, one run as the
# super-admin, one as a KPU officer of Kota Banjar and one without a token on SQLite; the
# super-admin's again on PostgreSQL when BALAI_TEST_POSTGRES names a database. Each run is
# bounded by examples and time (at most about 9 minutes in all). Fails on any failure.
#
#   ./scripts/schemathesis.sh                    # after a build (scripts/test.sh calls it)
#   BALAI_SCHEMATHESIS_INCLUDE='^/api/v1/kinerja' ./scripts/schemathesis.sh   # only these paths
#
# Environment (all optional):
#   BALAI_BIN                        the balai binary (default: $CARGO_TARGET_DIR/debug/balai)
#   BALAI_TEST_POSTGRES              postgres://… of an empty database for the PostgreSQL pass
#   BALAI_SCHEMATHESIS_EXAMPLES      examples per operation and phase (default 25)
#   BALAI_SCHEMATHESIS_MAX_TIME      time budget, seconds, of each group of phases (examples and
#                                    coverage; fuzzing; stateful) per caller (default 40)
#   BALAI_SCHEMATHESIS_SEED          the seed (default: a fixed one, so CI is repeatable)
#   BALAI_TEST_PYTHON                Python 3 for the schemathesis virtualenv (python3)
#   BALAI_SCHEMATHESIS_OUT           where the logs and reports go ($CARGO_TARGET_DIR/schemathesis)
#   BALAI_SCHEMATHESIS_INCLUDE       a regular expression: test only the operations whose path
#                                    matches it (schemathesis --include-path-regex), e.g. a
#                                    feature's own routes while it is written (docs/TESTING.md)
# Settings per operation (and why) are in scripts/schemathesis.toml. schemathesis keeps the
# failures it found under $BALAI_SCHEMATHESIS_OUT/.schemathesis and tries them first next time.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SCHEMATHESIS_VERSION="4.32.5"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
BIN="${BALAI_BIN:-$TARGET/debug/balai}"
EXAMPLES="${BALAI_SCHEMATHESIS_EXAMPLES:-25}"
MAX_TIME="${BALAI_SCHEMATHESIS_MAX_TIME:-40}"
SEED="${BALAI_SCHEMATHESIS_SEED:-20261205}"
PYTHON="${BALAI_TEST_PYTHON:-python3}"
PG_URL="${BALAI_TEST_POSTGRES:-}"
VENV="$TARGET/schemathesis-venv"
OUT="${BALAI_SCHEMATHESIS_OUT:-$TARGET/schemathesis}"
INCLUDE="${BALAI_SCHEMATHESIS_INCLUDE:-}"
# Operations not yet clean under schemathesis would be left out of the default run here, each
# listed with the reason; none are today. BALAI_SCHEMATHESIS_EXCLUDE='' fuzzes everything.
DEFAULT_EXCLUDE=''
EXCLUDE="${BALAI_SCHEMATHESIS_EXCLUDE-$DEFAULT_EXCLUDE}"
# The server reads every BALAI_* variable as a setting: keep this script's own out of its way.
while read -r var; do unset "$var"; done < <(compgen -e | grep '^BALAI_' || true)

log() { printf '\n==> %s\n' "$*"; }
die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

[ -x "$BIN" ] || die "no balai binary at $BIN (build first, or set BALAI_BIN)"

# --- schemathesis, pinned, in its own virtualenv ------------------------------
ST="$VENV/bin/schemathesis"
if [ ! -x "$ST" ] || [ "$("$ST" --version 2>/dev/null)" != "schemathesis, version $SCHEMATHESIS_VERSION" ]; then
    log "Installing schemathesis $SCHEMATHESIS_VERSION into $VENV"
    "$PYTHON" -m venv "$VENV"
    PIP_DISABLE_PIP_VERSION_CHECK=1 "$VENV/bin/pip" install --quiet "schemathesis==$SCHEMATHESIS_VERSION"
fi

SERVER_PID=""
WORK=""
cleanup() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    [ -n "$WORK" ] && rm -rf "$WORK"
    return 0
}
trap cleanup EXIT

free_port() {
    "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# One backend: a fresh world and server, then a run per caller. $1 names it, $2 is the database
# URL (empty: SQLite in the data directory), the rest are the callers (admin, kpu, anonymous).
pass() {
    local name="$1" db_url="$2"
    shift 2
    WORK="$(mktemp -d)"
    local data="$WORK/data" port base
    port="$(free_port)"
    base="http://127.0.0.1:$port"
    mkdir -p "$OUT"
    export BALAI_DATABASE_URL="$db_url"
    [ -n "$db_url" ] || unset BALAI_DATABASE_URL
    "$BIN" --data-dir "$data" demo >"$OUT/$name-demo.log" 2>&1 || die "demo world ($name): see $OUT/$name-demo.log"
    local admin kpu
    admin="$("$BIN" --data-dir "$data" token create --user admin --name schemathesis 2>/dev/null | tail -n 1)"
    kpu="$("$BIN" --data-dir "$data" token create --user banjar.kpu --name schemathesis 2>/dev/null | tail -n 1)"
    [ -n "$admin" ] && [ -n "$kpu" ] || die "could not create tokens ($name)"
    "$BIN" --data-dir "$data" serve --listen "127.0.0.1:$port" >"$OUT/$name-server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 100); do
        curl -fsS "$base/readyz" >/dev/null 2>&1 && break
        kill -0 "$SERVER_PID" 2>/dev/null || die "balai serve exited ($name): see $OUT/$name-server.log"
        sleep 0.2
    done
    curl -fsS "$base/readyz" >/dev/null || die "balai serve not ready ($name)"

    local failed=0 who token
    for who in "$@"; do
        token=""
        case "$who" in
            admin) token="$admin" ;;
            kpu) token="$kpu" ;;
        esac
        log "schemathesis ($name, $who)"
        # The token goes to the document's `bearer` scheme (not a blanket header), so
        # schemathesis can also leave it out where it tests a missing credential.
        local config="$WORK/$who.toml"
        cp "$ROOT/scripts/schemathesis.toml" "$config"
        [ -n "$token" ] && printf '\n[auth.openapi.bearer]\nbearer = "%s"\n' "$token" >>"$config"
        local only=() phases budget run
        [ -n "$INCLUDE" ] && only=(--include-path-regex "$INCLUDE")
        [ -n "$EXCLUDE" ] && only+=(--exclude-path-regex "$EXCLUDE")
        # A run per group of phases, each with its own time budget, so that fuzzing and the
        # stateful phase (sequences of calls along the document's links) always get their
        # share, however long the coverage phase takes on a loaded machine.
        for phases in examples,coverage fuzzing stateful; do
            run="$name-$who-${phases##*,}"
            # Run from $OUT: schemathesis keeps its cache of found failures in ./.schemathesis.
            if ! (cd "$OUT" && SCHEMATHESIS_HOOKS="$ROOT/scripts/schemathesis_hooks.py" "$ST" --config-file "$config" run "$base/api/v1/openapi.json" \
                "${only[@]}" \
                --url "$base" \
                --checks all \
                --phases "$phases" \
                --max-examples "$EXAMPLES" \
                --max-time "$MAX_TIME" \
                --seed "$SEED" \
                --workers 1 \
                --continue-on-failure \
                --no-color \
                --report junit --report-dir "$OUT/$run" \
                >"$OUT/$run.txt" 2>&1); then
                failed=1
                # Each failure (the operation, the check, the request to reproduce it), then the
                # summary: CI keeps only what is printed here.
                sed -n '/^=* FAILURES =*$/,/^=* WARNINGS =*$/p' "$OUT/$run.txt" | head -n 200
                sed -n '/^=* SUMMARY =*$/,$p' "$OUT/$run.txt"
            else
                # The operations, each phase, the test cases, and the time.
                grep -E '^ +(Operations:|Tested:)|^ +(✅|❌|⏭|🕛) +[A-Z][a-z]+ \(in|^ +Scenarios:|[0-9]+ generated|^=+ .* in [0-9.]+s =+$' "$OUT/$run.txt" || true
            fi
        done
    done
    if grep -q 'panicked' "$OUT/$name-server.log"; then
        grep 'panicked' "$OUT/$name-server.log" | head -n 5
        failed=1
    fi
    cleanup
    SERVER_PID=""
    WORK=""
    return "$failed"
}

status=0
pass sqlite "" admin kpu anonymous || status=1
if [ -n "$PG_URL" ]; then
    pass postgres "$PG_URL" admin || status=1
fi
[ "$status" -eq 0 ] || die "schemathesis found failures (reports in $OUT)"
log "schemathesis: no failures (reports in $OUT)"
