#!/usr/bin/env python3
"""The benchmark's HTTP client steps (standard library only); run.sh calls them in order.

  drive.py setup   BASE TOKEN DATA LABEL        one gubernur election per province in DATA,
                                                3 paslon, TPS by CSV import; writes
                                                DATA/elections-LABEL.json
  drive.py split   BASE DATA LABEL THREADS      per-thread request files for wrk (post.lua)
  drive.py batch   BASE TOKEN DATA LABEL SIZE WORKERS   forms in batches of SIZE
  drive.py wait    BASE DATA LABEL EXPECT T0    poll results until tps_entered == EXPECT;
                                                prints seconds since T0 (epoch seconds)
  drive.py reads   BASE DATA LABEL WWW          save the results bodies of each level to WWW
                                                and print "level path" lines

Every loop is bounded in count and time; only 127.0.0.1 is contacted.
"""
import concurrent.futures
import json
import os
import random
import sys
import time
import urllib.request


def req(base, method, path, token=None, body=None, ctype="application/json", timeout=300):
    assert base.startswith("http://127.0.0.1:"), base
    data = body if isinstance(body, (bytes, type(None))) else body.encode()
    r = urllib.request.Request(base + path, data=data, method=method)
    if token:
        r.add_header("Authorization", "Bearer " + token)
    if data is not None:
        r.add_header("Content-Type", ctype)
    try:
        with urllib.request.urlopen(r, timeout=timeout) as res:
            return res.status, res.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def provinces(data):
    with open(os.path.join(data, "provinces.txt")) as f:
        return [p.strip() for p in f if p.strip()]


def elections(data, label):
    with open(os.path.join(data, f"elections-{label}.json")) as f:
        return json.load(f)


def setup(base, token, data, label):
    out = {}
    first_tps = None
    t0 = time.time()
    tps_total = 0
    for p in provinces(data):
        s, b = req(base, "POST", "/api/v1/elections", token, json.dumps(
            {"kind": "gubernur", "region_code": p, "name": f"Bench {label} {p}", "voting_date": "2024-11-27"}))
        assert s == 201, (s, b)
        eid = json.loads(b)["id"]
        for n in (1, 2, 3):
            s, b = req(base, "POST", f"/api/v1/elections/{eid}/candidates", token, json.dumps(
                {"ballot_number": n, "head_name": f"Calon {n}", "deputy_name": f"Wakil {n}", "parties": ["Partai"]}))
            assert s == 201, (s, b)
        with open(os.path.join(data, f"tps-{p}.csv")) as f:
            head = f.readline()
            lines = f.readlines()
        for i in range(0, len(lines), 10000):
            s, b = req(base, "POST", f"/api/v1/elections/{eid}/tps/import", token,
                       head + "".join(lines[i:i + 10000]), "text/csv")
            assert s == 201, (s, b[:500])
            if first_tps is None:
                first_tps = json.loads(b)["ids"][0]
        tps_total += len(lines)
        out[p] = eid
    with open(os.path.join(data, f"elections-{label}.json"), "w") as f:
        json.dump(out, f)
    with open(os.path.join(data, f"firsttps-{label}.txt"), "w") as f:
        f.write(str(first_tps))
    dt = time.time() - t0
    print(f"setup {label}: {len(out)} elections, {tps_total} TPS imported in {dt:.1f} s ({tps_total / dt:.0f} TPS/s)")


def split(base, data, label, threads):
    # Election night: forms come from every province at once, in no particular order (a
    # seeded shuffle, the same every run), not province after province and village after
    # village, which would put one election's neighbouring TPS in every group commit.
    es = elections(data, label)
    lines = []
    for p, eid in es.items():
        path = f"/api/v1/elections/{eid}/results"
        with open(os.path.join(data, f"forms-{p}.jsonl")) as f:
            lines.extend(path + "\t" + line for line in f)
    random.Random(823).shuffle(lines)
    outs = [open(os.path.join(data, f"wrk-{label}-{i + 1}.txt"), "w") for i in range(threads)]
    for n, line in enumerate(lines):
        outs[n % threads].write(line)
    for o in outs:
        o.close()
    print(len(lines))


def batch(base, token, data, label, size, workers):
    es = elections(data, label)
    jobs = []
    for p, eid in es.items():
        with open(os.path.join(data, f"forms-{p}.jsonl")) as f:
            lines = f.readlines()
        for i in range(0, len(lines), size):
            jobs.append((eid, '{"items":[' + ",".join(x.strip() for x in lines[i:i + size]) + "]}"))
    t0 = time.time()
    acc = rej = 0

    def send(j):
        s, b = req(base, "POST", f"/api/v1/elections/{j[0]}/results/batch", token, j[1])
        if s != 200:
            return 0, size, f"{s} {b[:300]!r}"
        r = json.loads(b)
        return r["accepted"], r["rejected"], None

    errs = []
    with concurrent.futures.ThreadPoolExecutor(workers) as ex:
        for a, r, e in ex.map(send, jobs):
            acc += a
            rej += r
            if e and len(errs) < 3:
                errs.append(e)
    t1 = time.time()
    dt = t1 - t0
    print(f"batch {label}: {acc} accepted, {rej} rejected in {dt:.2f} s = {acc / dt:.0f} forms/s (batch {size}, {workers} workers) last_write={t1:.3f}")
    for e in errs:
        print("  error:", e)


def wait(base, data, label, expect, t0):
    es = elections(data, label)
    deadline = time.time() + 120
    polls = 0
    while time.time() < deadline and polls < 100000:
        polls += 1
        total = 0
        for p, eid in es.items():
            s, b = req(base, "GET", f"/api/v1/elections/{eid}/results?region={p}")
            if s == 200:
                total += json.loads(b)["tps_entered"]
        if total >= expect:
            print(f"current after {time.time() - t0:.3f} s ({polls} polls, tps_entered {total})")
            return
        time.sleep(0.01)
    print(f"NOT current within 120 s: tps_entered {total} of {expect}")


def reads(base, data, label, www):
    es = elections(data, label)
    p, eid = next(iter(es.items()))
    with open(os.path.join(data, f"tps-{p}.csv")) as f:
        f.readline()
        village = f.readline().split(",")[0]
    regency = village[:5]
    with open(os.path.join(data, f"firsttps-{label}.txt")) as f:
        tps_id = int(f.read().strip())
    levels = [
        ("province", f"/api/v1/elections/{eid}/results?region={p}"),
        ("regency", f"/api/v1/elections/{eid}/results?region={regency}"),
        ("village", f"/api/v1/elections/{eid}/results?region={village}"),
    ]
    levels.append(("tps", f"/api/v1/elections/{eid}/tps/{tps_id}"))
    os.makedirs(www, exist_ok=True)
    for name, path in levels:
        s, b = req(base, "GET", path)
        assert s == 200, (s, b[:300])
        with open(os.path.join(www, f"{name}.json"), "wb") as f:
            f.write(b)
        print(name, path, len(b))


def main():
    a = sys.argv[1:]
    cmd = a[0]
    if cmd == "setup":
        setup(a[1], a[2], a[3], a[4])
    elif cmd == "split":
        split(a[1], a[2], a[3], int(a[4]))
    elif cmd == "batch":
        batch(a[1], a[2], a[3], a[4], int(a[5]), int(a[6]))
    elif cmd == "wait":
        wait(a[1], a[2], a[3], int(a[4]), float(a[5]))
    elif cmd == "reads":
        reads(a[1], a[2], a[3], a[4])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
