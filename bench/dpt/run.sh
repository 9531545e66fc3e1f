#!/bin/bash
# Usage: run.sh sqlite|postgres CSV LOOKUPS LABEL
# An empty PostgreSQL database PGDB (dropped and created) on 127.0.0.1; the demo's Jawa Barat election (id 1).
set -u
B=${BALAI:-target/release/balai}
be=$1; csv=$2; lk=$3; label=$4
D=${WORK:-/tmp/dpt-bench}/data-$be
OUT=${WORK:-/tmp/dpt-bench}/$label-$be.log
rm -rf $D; mkdir -p $D
{
echo "== $label $be $(date -u +%FT%TZ) rows=$(($(wc -l < $csv)-1)) csv_bytes=$(stat -c %s $csv)"
echo "load before: $(cat /proc/loadavg)"
cfg=${WORK:-/tmp/dpt-bench}/$be.toml
printf '[voters]\nlookups_per_minute = 1000000\nfailures_per_nik_per_hour = 1000000\nbreaker_min_lookups = 1000000\n' > $cfg
if [ $be = postgres ]; then
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS ${PGDB:-dpt_bench}" -c "CREATE DATABASE ${PGDB:-dpt_bench}"
  sed -i '1i database_url = "postgres://postgres@127.0.0.1:5432/${PGDB:-dpt_bench}"' $cfg
fi
$B --data-dir $D --config $cfg demo > /dev/null 2>&1 || echo "demo failed"
/usr/bin/time -f "import peak_rss_kb=%M wall=%e user=%U sys=%S" $B --data-dir $D --config $cfg import dpt --election 1 $csv 2>&1 | grep -v "^  32\." | head -40
echo "load after import: $(cat /proc/loadavg)"
if [ $be = sqlite ]; then
  db=$(ls $D/*.db $D/*.sqlite* 2>/dev/null | head -1)
  sqlite3 $db "SELECT 'voter_index bytes', SUM(pgsize) FROM dbstat WHERE name = 'voter_index'; SELECT 'voter_records bytes', SUM(pgsize) FROM dbstat WHERE name = 'voter_records'; SELECT 'buckets', COUNT(*) FROM voter_index;"
  ls -la $D
else
  psql -h 127.0.0.1 -U postgres -d ${PGDB:-dpt_bench} -tAc "SELECT 'voter_index bytes', SUM(pg_total_relation_size(i.inhrelid)) FROM pg_inherits i WHERE i.inhparent = 'voter_index'::regclass" -c "SELECT 'voter_records bytes', SUM(pg_total_relation_size(i.inhrelid)) FROM pg_inherits i WHERE i.inhparent = 'voter_records'::regclass" -c "SELECT 'buckets', COUNT(*) FROM voter_index"
fi
port=18101; [ $be = postgres ] && port=18102
$B --data-dir $D --config $cfg serve --listen 127.0.0.1:$port > $D/serve.log 2>&1 &
spid=$!
for i in $(seq 60); do curl -s -o /dev/null 127.0.0.1:$port/ && break; sleep 1; done
echo "load before look-ups: $(cat /proc/loadavg)"
python3 $(dirname "$0")/drive.py 127.0.0.1:$port $lk 2000
python3 $(dirname "$0")/drive.py 127.0.0.1:$port $lk 20000 2000
echo "load after look-ups: $(cat /proc/loadavg)"
kill $spid
echo "== end $(date -u +%FT%TZ)"
} > $OUT 2>&1
