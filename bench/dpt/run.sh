#!/bin/bash
# Usage: run.sh sqlite|postgres CSV LOOKUPS LABEL [all|import|lookups]
#   all (default): a fresh data directory (and, for PostgreSQL, the database PGDB dropped and
#   created), the demo, the import under /usr/bin/time, index and record sizes, then the
#   look-ups; import: the same without the look-ups; lookups: only `serve` and the look-ups,
#   on the data an earlier run left (so two builds can be compared on the same data).
# Env: BALAI (the binary, default target/release/balai), WORK (default /tmp/dpt-bench), PGDB
# (default dpt_bench), PORT (default 18101/18102), DRIVE (the Rust driver, default
# bench/dpt/drive/target/release/drive; built if missing), PYDRIVE=1 also runs drive.py.
# The demo's Jawa Barat election is id 1.
set -u
here=$(cd "$(dirname "$0")" && pwd)
B=${BALAI:-target/release/balai}
be=$1; csv=$2; lk=$3; label=$4; what=${5:-all}
W=${WORK:-/tmp/dpt-bench}
D=$W/data-$be
OUT=$W/$label-$be.log
DRIVE=${DRIVE:-$here/drive/target/release/dpt-drive}
[ -x "$DRIVE" ] || cargo build --release --offline -q --manifest-path "$here/drive/Cargo.toml" --target-dir "$here/drive/target"
cfg=$W/$be.toml
{
echo "== $label $be $what $(date -u +%FT%TZ) binary=$B rows=$(($(wc -l < $csv)-1)) csv_bytes=$(stat -c %s $csv)"
if [ $what != lookups ]; then
  rm -rf $D; mkdir -p $D
  printf '[voters]\nlookups_per_minute = 1000000\nfailures_per_nik_per_hour = 1000000\nbreaker_min_lookups = 1000000\n' > $cfg
  if [ $be = postgres ]; then
    psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS ${PGDB:-dpt_bench}" -c "CREATE DATABASE ${PGDB:-dpt_bench}"
    sed -i "1i database_url = \"postgres://postgres@127.0.0.1:5432/${PGDB:-dpt_bench}\"" $cfg
  fi
  $B --data-dir $D --config $cfg demo > /dev/null 2>&1 || echo "demo failed"
  echo "load before import: $(cat /proc/loadavg)"
  /usr/bin/time -f "import peak_rss_kb=%M wall=%e user=%U sys=%S" $B --data-dir $D --config $cfg import dpt --election 1 $csv 2>&1 | grep -v "^  32\." | head -40
  echo "load after import: $(cat /proc/loadavg)"
  if [ $be = sqlite ]; then
    db=$(ls $D/*.db $D/*.sqlite* 2>/dev/null | head -1)
    sqlite3 $db "SELECT 'voter_index bytes', SUM(pgsize) FROM dbstat WHERE name = 'voter_index'; SELECT 'voter_records bytes', SUM(pgsize) FROM dbstat WHERE name = 'voter_records'; SELECT 'buckets', COUNT(*) FROM voter_index;"
  else
    psql -h 127.0.0.1 -U postgres -d ${PGDB:-dpt_bench} -tAc "SELECT 'voter_index bytes', SUM(pg_total_relation_size(i.inhrelid)) FROM pg_inherits i WHERE i.inhparent = 'voter_index'::regclass" -c "SELECT 'voter_records bytes', SUM(pg_total_relation_size(i.inhrelid)) FROM pg_inherits i WHERE i.inhparent = 'voter_records'::regclass" -c "SELECT 'buckets', COUNT(*) FROM voter_index"
  fi
fi
if [ $what != import ]; then
  port=${PORT:-18101}; [ -z "${PORT:-}" ] && [ $be = postgres ] && port=18102
  $B --data-dir $D --config $cfg serve --listen 127.0.0.1:$port > $D/serve.log 2>&1 &
  spid=$!
  for i in $(seq 60); do curl -s -o /dev/null 127.0.0.1:$port/ && break; sleep 1; done
  "$DRIVE" 127.0.0.1:$port $lk 500 > /dev/null  # warm-up: connections, prepared statements, cache
  echo "load before look-ups: $(cat /proc/loadavg)"
  if [ "${PYDRIVE:-0}" = 1 ]; then
    echo "drive.py sequential: $(python3 $here/drive.py 127.0.0.1:$port $lk 2000)"
    echo "drive.py paced:      $(python3 $here/drive.py 127.0.0.1:$port $lk 20000 2000)"
  fi
  echo "drive sequential:    $("$DRIVE" 127.0.0.1:$port $lk 2000)"
  echo "drive paced:         $("$DRIVE" 127.0.0.1:$port $lk 20000 2000)"
  echo "load after look-ups: $(cat /proc/loadavg)"
  kill $spid; wait $spid 2>/dev/null
fi
echo "== end $(date -u +%FT%TZ)"
} >> $OUT 2>&1
