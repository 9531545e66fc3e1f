#!/usr/bin/env bash
# Balai test suite: the one command to run all checks and tests.
#
#   ./scripts/test.sh                       # fmt + clippy + every test
#   ./scripts/test.sh -E 'test(audit)'      # extra args go to `cargo nextest run`
#   BALAI_SKIP_LINT=1 ./scripts/test.sh     # skip fmt/clippy (quick local runs)
#
# What it does:
#   1. installs missing system test dependencies (idempotent):
#      Chromium + chromedriver (Debian packages), Python's aiosmtpd and axe-core (npm, the
#      version pinned in tests/axe/package-lock.json, into $CARGO_TARGET_DIR/axe);
#   2. makes sure PostgreSQL answers on 127.0.0.1:5432 (starts the local
#      cluster if needed) and creates a fresh database for this run, dropped
#      again on exit;
#   3. runs `cargo fmt --check`, `cargo clippy -D warnings` and
#      `cargo nextest run --workspace` (DB tests run on SQLite and PostgreSQL);
#   4. runs the fault-injection suite, scripts/faults.py (kill -9 under keyed load on both
#      backends, held connections, SIGTERM with half-sent requests, a full disk on a tmpfs),
#      unless the run was narrowed with extra arguments;
#   5. fuzzes the whole API against its OpenAPI document with schemathesis (`--checks all`,
#      scripts/schemathesis.sh: as super-admin, KPU officer and anonymous on SQLite, as
#      super-admin on PostgreSQL; at most about 9 minutes; installs a pinned schemathesis in a
#      virtualenv under the target directory), unless the run was narrowed with extra
#      arguments. Any failure fails the suite. docs/TESTING.md: running it on a feature's
#      own operations.
#
# Environment (all optional):
#   BALAI_SKIP_LINT=1            skip fmt and clippy
#   BALAI_SKIP_FAULTS=1          skip the fault-injection suite
#   BALAI_SKIP_SCHEMATHESIS=1    skip the schemathesis run (quick local runs; never in CI)
#   BALAI_TEST_PG_HOST/PORT/USER PostgreSQL server (127.0.0.1 / 5432 / postgres)
#   BALAI_TEST_CHROMIUM          Chromium binary     (/usr/bin/chromium)
#   BALAI_TEST_CHROMEDRIVER      chromedriver binary (/usr/bin/chromedriver)
#   BALAI_TEST_PYTHON            Python 3 interpreter for the SMTP sink (python3)
#   BALAI_TEST_AXE               axe.min.js for the accessibility checks (installed from npm)
# Exported to the tests: BALAI_TEST_POSTGRES, BALAI_TEST_CHROMIUM,
#   BALAI_TEST_CHROMEDRIVER, BALAI_TEST_SMTP_SINK, BALAI_TEST_PYTHON, BALAI_TEST_AXE.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

AIOSMTPD_VERSION="1.4.6"
PG_HOST="${BALAI_TEST_PG_HOST:-127.0.0.1}"
PG_PORT="${BALAI_TEST_PG_PORT:-5432}"
PG_USER="${BALAI_TEST_PG_USER:-postgres}"
CHROMIUM="${BALAI_TEST_CHROMIUM:-/usr/bin/chromium}"
CHROMEDRIVER="${BALAI_TEST_CHROMEDRIVER:-/usr/bin/chromedriver}"
PYTHON="${BALAI_TEST_PYTHON:-python3}"

START_TIME=$SECONDS
# Read once and keep out of the tests' environment: the app treats BALAI_* as settings.
SKIP_LINT="${BALAI_SKIP_LINT:-0}"
SKIP_FAULTS="${BALAI_SKIP_FAULTS:-0}"
SKIP_SCHEMATHESIS="${BALAI_SKIP_SCHEMATHESIS:-0}"
unset BALAI_SKIP_LINT BALAI_SKIP_FAULTS BALAI_SKIP_SCHEMATHESIS
# The schemathesis script's own settings (BALAI_SCHEMATHESIS_*) go to it alone (step 5).
SCHEMATHESIS_SETTINGS=()
while IFS= read -r var; do
    SCHEMATHESIS_SETTINGS+=("$var=${!var}")
    unset "$var"
done < <(compgen -e | grep '^BALAI_SCHEMATHESIS_' || true)
STEP="setup"
RUN_DB=""

log() { printf '\n==> %s\n' "$*"; }
die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

# Run a command as root (sudo only when we are not root already).
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root privileges (or sudo) to run: $*"
    fi
}

apt_install() {
    command -v apt-get >/dev/null 2>&1 || die "apt-get not available; please install: $*"
    log "Installing system packages: $*"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        -o DPkg::Lock::Timeout=300 "$@"
}

psql_admin() {
    psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres \
        -X -q -v ON_ERROR_STOP=1 "$@"
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [ -n "$RUN_DB" ]; then
        # Drop the run database plus any per-test databases named after it.
        local dbs
        dbs="$(psql_admin -At -c \
            "SELECT datname FROM pg_database WHERE datname = '$RUN_DB' OR datname LIKE '${RUN_DB}\\_%'" \
            2>/dev/null || true)"
        local db
        for db in $dbs; do
            psql_admin -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 ||
                psql_admin -c "DROP DATABASE IF EXISTS \"$db\"" >/dev/null 2>&1 ||
                printf 'warning: could not drop database %s\n' "$db" >&2
        done
    fi
    local elapsed=$((SECONDS - START_TIME))
    echo
    if [ "$rc" -eq 0 ]; then
        echo "==> balai test suite: PASSED (${elapsed}s)"
    else
        echo "==> balai test suite: FAILED at step '${STEP}' (exit code ${rc}, ${elapsed}s)"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- 1. system dependencies -------------------------------------------------
STEP="system dependencies"

if [ ! -x "$CHROMIUM" ] || [ ! -x "$CHROMEDRIVER" ]; then
    if [ "$CHROMIUM" = /usr/bin/chromium ] && [ "$CHROMEDRIVER" = /usr/bin/chromedriver ]; then
        apt_install chromium chromium-driver
    fi
    [ -x "$CHROMIUM" ] || die "Chromium not found at $CHROMIUM"
    [ -x "$CHROMEDRIVER" ] || die "chromedriver not found at $CHROMEDRIVER"
fi

command -v "$PYTHON" >/dev/null 2>&1 || apt_install python3
if ! "$PYTHON" -c 'import aiosmtpd' >/dev/null 2>&1; then
    log "Installing Python package aiosmtpd==${AIOSMTPD_VERSION}"
    if ! PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1 \
        "$PYTHON" -m pip install --quiet "aiosmtpd==${AIOSMTPD_VERSION}"; then
        # Debian's system Python refuses pip installs (PEP 668): use its package.
        echo "pip install failed; trying the Debian package python3-aiosmtpd" >&2
        apt_install python3-aiosmtpd
    fi
    "$PYTHON" -c 'import aiosmtpd' ||
        die "aiosmtpd is not importable by $PYTHON (set BALAI_TEST_PYTHON to a Python with aiosmtpd)"
fi

# axe-core, injected by the browser tests through WebDriver (it works with page JavaScript off).
# The version and its checksum are pinned by tests/axe/package-lock.json; `npm ci` installs
# exactly that, once, into the target directory.
AXE_DIR="${CARGO_TARGET_DIR:-$ROOT/target}/axe"
if [ -z "${BALAI_TEST_AXE:-}" ]; then
    if ! cmp -s tests/axe/package-lock.json "$AXE_DIR/package-lock.json" ||
        [ ! -f "$AXE_DIR/node_modules/axe-core/axe.min.js" ]; then
        command -v npm >/dev/null 2>&1 || apt_install npm
        log "Installing axe-core (tests/axe/package-lock.json) into $AXE_DIR"
        mkdir -p "$AXE_DIR"
        cp tests/axe/package.json tests/axe/package-lock.json "$AXE_DIR/"
        (cd "$AXE_DIR" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
    fi
    BALAI_TEST_AXE="$AXE_DIR/node_modules/axe-core/axe.min.js"
fi
[ -f "$BALAI_TEST_AXE" ] || die "axe-core not found at $BALAI_TEST_AXE"
export BALAI_TEST_AXE

if ! command -v psql >/dev/null 2>&1 || ! command -v pg_isready >/dev/null 2>&1; then
    apt_install postgresql-client
fi

for component in rustfmt clippy; do
    if [ "$SKIP_LINT" != 1 ] && command -v rustup >/dev/null 2>&1 &&
        ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
        log "Installing Rust component $component"
        rustup component add "$component"
    fi
done
cargo nextest --version >/dev/null 2>&1 ||
    die "cargo-nextest is missing: cargo install cargo-nextest --locked"

# --- 2. PostgreSQL ----------------------------------------------------------
STEP="postgresql"

if ! pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; then
    if [ -d /etc/postgresql ] && command -v pg_ctlcluster >/dev/null 2>&1; then
        PG_VERSION="$(find /etc/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n 1)"
        log "Starting PostgreSQL cluster ${PG_VERSION}/main"
        as_root pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main start || true
    fi
    for _ in $(seq 1 30); do
        pg_isready -q -h "$PG_HOST" -p "$PG_PORT" && break
        sleep 1
    done
    pg_isready -q -h "$PG_HOST" -p "$PG_PORT" ||
        die "PostgreSQL is not reachable on ${PG_HOST}:${PG_PORT} (waited 30 s)"
fi

RUN_DB="balai_test_$(date +%Y%m%d%H%M%S)_$$"
psql_admin -c "CREATE DATABASE \"$RUN_DB\"" ||
    die "could not create database $RUN_DB as $PG_USER@${PG_HOST}:${PG_PORT}"
log "Created database $RUN_DB"

export BALAI_TEST_POSTGRES="postgres://${PG_USER}@${PG_HOST}:${PG_PORT}/${RUN_DB}"
export BALAI_TEST_CHROMEDRIVER="$CHROMEDRIVER"
export BALAI_TEST_CHROMIUM="$CHROMIUM"
export BALAI_TEST_SMTP_SINK="$ROOT/crates/balai/tests/it/support/smtp_sink.py"
BALAI_TEST_PYTHON="$("$PYTHON" -c 'import sys; print(sys.executable)')"
export BALAI_TEST_PYTHON
export RUST_BACKTRACE="${RUST_BACKTRACE:-1}"

# --- 3. lint and test -------------------------------------------------------
if [ "$SKIP_LINT" = 1 ]; then
    log "Skipping cargo fmt / clippy (BALAI_SKIP_LINT=1)"
else
    STEP="cargo fmt"
    log "cargo fmt --all -- --check"
    cargo fmt --all -- --check

    STEP="cargo clippy"
    log "cargo clippy --workspace --all-targets -- -D warnings"
    cargo clippy --workspace --all-targets -- -D warnings
fi

STEP="cargo nextest"
log "cargo nextest run --workspace --no-fail-fast $*"
cargo nextest run --workspace --no-fail-fast "$@"

# --- 4. fault injection -----------------------------------------------------
if [ "$SKIP_FAULTS" = 1 ] || [ "$#" -gt 0 ]; then
    log "Skipping the fault-injection suite (BALAI_SKIP_FAULTS=1 or a narrowed run)"
else
    STEP="fault suite"
    command -v prlimit >/dev/null 2>&1 || apt_install util-linux
    cargo build -p balai --bin balai
    log "scripts/faults.py (kill -9, held connections, SIGTERM, full disk)"
    "$PYTHON" scripts/faults.py --bin "${CARGO_TARGET_DIR:-$ROOT/target}/debug/balai"
fi

# --- 5. the API against its document -----------------------------------------
# A filtered run (extra arguments) is a quick local iteration: no fuzzing then. CI always runs it.
if [ "${CI:-}" = true ] && [ "$SKIP_SCHEMATHESIS" = 1 ]; then
    log "CI: BALAI_SKIP_SCHEMATHESIS is for local runs only; running schemathesis"
    SKIP_SCHEMATHESIS=0
fi
if [ "$SKIP_SCHEMATHESIS" = 1 ] || [ "$#" -gt 0 ]; then
    log "Skipping schemathesis (BALAI_SKIP_SCHEMATHESIS=1 or a narrowed run)"
else
    STEP="schemathesis"
    command -v curl >/dev/null 2>&1 || apt_install curl
    "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1 || apt_install python3-venv
    log "scripts/schemathesis.sh (the API against its OpenAPI document)"
    cargo build -p balai --bin balai
    # Its own database (dropped with the run's, see cleanup).
    psql_admin -c "CREATE DATABASE \"${RUN_DB}_schemathesis\""
    SCHEMATHESIS_START=$SECONDS
    env "${SCHEMATHESIS_SETTINGS[@]}" \
        BALAI_TEST_POSTGRES="postgres://${PG_USER}@${PG_HOST}:${PG_PORT}/${RUN_DB}_schemathesis" \
        ./scripts/schemathesis.sh
    log "schemathesis took $((SECONDS - SCHEMATHESIS_START)) s"
fi
STEP="done"
