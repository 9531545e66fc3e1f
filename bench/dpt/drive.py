#!/usr/bin/env python3
"""Look-up latency of POST /api/v1/dpt/lookup: N sequential look-ups on one keep-alive
connection, half of them of listed voters (LOOKUPS.tsv from gen.py), half with a wrong name.
Prints found/not-found counts and p50/p90/p99/max in milliseconds.

Usage: drive.py HOST:PORT LOOKUPS.tsv N
"""
import http.client
import json
import sys
import time


def main():
    host, port = sys.argv[1].split(":")
    rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[2], encoding="utf-8")]
    n = int(sys.argv[3])
    conn = http.client.HTTPConnection(host, int(port))
    times, found, other = [], 0, {}
    for i in range(n):
        nik, name = rows[i % len(rows)]
        if i % 2:
            name = "Salah Nama"
        body = json.dumps({"nik": nik, "name": name})
        t = time.perf_counter()
        conn.request("POST", "/api/v1/dpt/lookup", body, {"content-type": "application/json"})
        r = conn.getresponse()
        data = r.read()
        times.append((time.perf_counter() - t) * 1000)
        if r.status == 200:
            found += json.loads(data)["found"]
        else:
            other[r.status] = other.get(r.status, 0) + 1
    times.sort()
    q = lambda p: times[min(len(times) - 1, int(p * len(times)))]
    print(f"lookups={n} found={found} non_200={other} p50={q(.5):.2f}ms p90={q(.9):.2f}ms "
          f"p99={q(.99):.2f}ms max={times[-1]:.2f}ms rate={n / (sum(times) / 1000):.0f}/s (sequential)")


if __name__ == "__main__":
    main()
