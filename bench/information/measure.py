#!/usr/bin/env python3
"""Time the archive search (the SQL of crates/balai-information/src/store/search.rs: every
word, newest first, page 1 of 20 plus one) for every line of queries.txt, on SQLite (Python's sqlite3) or PostgreSQL (psql
with \\timing, one session). Prints n, p50, p95, p99 and max in ms.

BENCH_NICE=-15 (root only) runs the timed process (this script for SQLite, the PostgreSQL
backend of the session) at that priority, so that other work on a shared machine (compilers)
takes less of the cores during the timings: it approximates an idle machine, it does not
make the query cheaper. The line printed says which."""
import os
import re
import sqlite3
import subprocess
import sys
import time

COLS = ("r.id, r.registration_number, r.agency_id, a.name AS agency_name, r.status, "
        "r.information, CASE WHEN r.answer_private_reason IS NULL THEN r.answer END AS answer, "
        "r.received_on, r.answered_on")
PUBLIC = "r.private_reason IS NULL"


def words(q):
    return [w.lower() for w in re.split(r"[^\w]+", q) if len(w) >= 2 and not w == "_"][:12]


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def sqlite_times(db, queries):
    c = sqlite3.connect(db)
    sql = (f"SELECT {COLS} FROM info_requests_fts f JOIN info_requests r ON r.id = f.rowid "
           f"JOIN agencies a ON a.id = r.agency_id WHERE info_requests_fts MATCH ? AND {PUBLIC} "
           "ORDER BY f.rowid DESC LIMIT 21 OFFSET 0")
    out = []
    for q in queries:
        m = " AND ".join(f'"{w}"' for w in words(q))
        t = time.perf_counter()
        c.execute(sql, (m,)).fetchall()
        out.append((time.perf_counter() - t) * 1000)
    return out


def pg_times(dburl, queries):
    lines = []
    if NICE:
        lines += ["SELECT pg_backend_pid() AS pid \\gset", "\\setenv BACKEND_PID :pid",
                  f"\\! renice -n {NICE} -p $BACKEND_PID >/dev/null"]
    lines += ["\\timing on", "\\o /dev/null"]
    for q in queries:
        ts = " & ".join(words(q)).replace("'", "''")
        lines.append(
            f"SELECT {COLS} FROM info_requests r JOIN agencies a ON a.id = r.agency_id "
            f"WHERE r.search @@ to_tsquery('simple', '{ts}') AND {PUBLIC} "
            "ORDER BY r.id DESC LIMIT 21 OFFSET 0;")
    res = subprocess.run(["psql", "-X", "-q", dburl], input="\n".join(lines), text=True,
                         capture_output=True, check=True)
    return [float(x) for x in re.findall(r"Time: ([0-9.]+) ms", res.stdout)]



NICE = os.environ.get("BENCH_NICE", "")
backend, target, qfile = sys.argv[1:4]
if NICE and backend == "sqlite":
    os.nice(int(NICE))
qs = [l.strip() for l in open(qfile, encoding="utf-8") if l.strip()]
ts = sqlite_times(target, qs) if backend == "sqlite" else pg_times(target, qs)
print(f"{backend}{' nice ' + NICE if NICE else ''}: n={len(ts)} p50={pct(ts, 50):.2f} p95={pct(ts, 95):.2f} "
      f"p99={pct(ts, 99):.2f} max={max(ts):.2f} ms")
