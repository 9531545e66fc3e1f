#!/usr/bin/env python3
"""Look-up latency of POST /api/v1/dpt/lookup: N sequential look-ups on one keep-alive
connection, half of them of listed voters (LOOKUPS.tsv from gen.py), half with a wrong name.
Prints found/not-found counts and p50/p90/p99/max in milliseconds.

With RATE, the look-ups are paced at RATE per second over 8 connections (threads), each
timed from when it was due (so a stalled server is not hidden by a client that waits).

Usage: drive.py HOST:PORT LOOKUPS.tsv N [RATE]
"""
import http.client
import json
import sys
import threading
import time


def paced(host, port, rows, n, rate, lanes=8):
    """N look-ups at RATE/s over LANES connections; latencies from each one's due time."""
    times, found, other, lock = [], [0], {}, threading.Lock()
    start = time.perf_counter() + 0.2

    def lane(k):
        conn = http.client.HTTPConnection(host, int(port))
        for i in range(k, n, lanes):
            due = start + i / rate
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            nik, name = rows[i % len(rows)]
            body = json.dumps({"nik": nik, "name": "Salah Nama" if i % 2 else name})
            conn.request("POST", "/api/v1/dpt/lookup", body, {"content-type": "application/json"})
            r = conn.getresponse()
            data = r.read()
            ms = (time.perf_counter() - due) * 1000
            with lock:
                times.append(ms)
                if r.status == 200:
                    found[0] += json.loads(data)["found"]
                else:
                    other[r.status] = other.get(r.status, 0) + 1

    threads = [threading.Thread(target=lane, args=(k,)) for k in range(lanes)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    times.sort()
    q = lambda p: times[min(len(times) - 1, int(p * len(times)))]
    print(f"lookups={n} found={found[0]} non_200={other} p50={q(.5):.2f}ms p90={q(.9):.2f}ms "
          f"p99={q(.99):.2f}ms max={times[-1]:.2f}ms offered={rate}/s achieved={n / wall:.0f}/s")


def main():
    host, port = sys.argv[1].split(":")
    rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[2], encoding="utf-8")]
    n = int(sys.argv[3])
    if len(sys.argv) > 4:
        return paced(host, port, rows, n, float(sys.argv[4]))
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
