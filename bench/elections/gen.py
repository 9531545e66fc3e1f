#!/usr/bin/env python3
"""Synthetic Pilkada data for the benchmarks: TPS spread over real village codes and one
consistent C.Hasil-KWK form per TPS (passes checks 1-7 and raises no warning 8-10).

    gen.py --tps 823000 --out DIR [--province 32] [--paslon 3] [--seed 1]

Writes into DIR:
  tps-<PP>.csv     per province: village_code,number,address,dpt_l,dpt_p (the TPS import CSV)
  forms-<PP>.jsonl per province: one submission per line ({"village_code","tps_number","form"})
  results-<PP>.csv per province: the same forms as a `balai import results` / results/import CSV
  provinces.txt    the province codes present, one a line

Without --province the TPS are spread over every village of data/regions/regions.tsv
(about 84,000), so 823,000 TPS give about 10 per village, as in 2024. DPT per TPS is drawn
around 250-300 (normal, mean 275, sd 45), clipped to 40..600.
"""
import argparse
import json
import os
import random
import sys


def villages(tsv, province):
    out = []
    with open(tsv, encoding="utf-8") as f:
        for line in f:
            code = line.split("\t", 1)[0]
            # PP.KK.DD.VVVV: a village code has four parts
            if code.count(".") == 3 and (province is None or code.startswith(province + ".")):
                out.append(code)
    return out


def split(n, rng):
    l = rng.randint(n * 45 // 100, n * 55 // 100)
    return l, n - l


def form(rng, dpt_l, dpt_p, paslon):
    dpt = dpt_l + dpt_p
    dpph = (rng.randint(0, 2), rng.randint(0, 2))
    dptb = (rng.randint(0, 4), rng.randint(0, 4))
    rate = rng.uniform(0.60, 0.88)
    u_dpt = (int(dpt_l * rate), int(dpt_p * rate))
    u_dpph = (rng.randint(0, dpph[0]), rng.randint(0, dpph[1]))
    u_dptb = (rng.randint(0, dptb[0]), rng.randint(0, dptb[1]))
    pem_tot = tuple(a + b + c for a, b, c in zip((dpt_l, dpt_p), dpph, dptb))
    pen_tot = tuple(a + b + c for a, b, c in zip(u_dpt, u_dpph, u_dptb))
    used = sum(pen_tot)
    received = dpt + dpt * 25 // 1000
    returned = rng.randint(0, min(3, received - used))
    unused = received - used - returned
    invalid = rng.randint(0, max(1, used // 40))
    valid = used - invalid
    # Paslon shares: random weights, every paslon at least one vote when there are votes.
    w = [rng.uniform(0.5, 1.5) for _ in range(paslon)]
    votes = [int(valid * x / sum(w)) for x in w]
    votes[0] += valid - sum(votes)
    if valid >= paslon and min(votes) == 0:
        votes = [1] * paslon
        votes[0] += valid - paslon
    dis = (rng.randint(0, 3), rng.randint(0, 3))
    dis_u = (rng.randint(0, dis[0]), rng.randint(0, dis[1]))

    def row(t):
        return {"l": t[0], "p": t[1], "total": t[0] + t[1]}

    return {
        "pemilih_dpt": row((dpt_l, dpt_p)),
        "pemilih_dpph": row(dpph),
        "pemilih_dptb": row(dptb),
        "pemilih_total": row(pem_tot),
        "pengguna_dpt": row(u_dpt),
        "pengguna_dpph": row(u_dpph),
        "pengguna_dptb": row(u_dptb),
        "pengguna_total": row(pen_tot),
        "disabilitas_pemilih": row(dis),
        "disabilitas_pengguna": row(dis_u),
        "surat_diterima": received,
        "surat_dikembalikan": returned,
        "surat_tidak_digunakan": unused,
        "surat_digunakan": used,
        "suara_sah": valid,
        "suara_tidak_sah": invalid,
        "suara_total": used,
        "votes": {str(i + 1): v for i, v in enumerate(votes)},
    }


def flat(f):
    out = []
    for k, v in f.items():
        if isinstance(v, dict):
            for c, x in v.items():
                out.append((f"{k}.{c}", x))
        else:
            out.append((k, v))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tps", type=int, default=823000)
    ap.add_argument("--out", required=True)
    ap.add_argument("--province", default=None, help="only villages of this province, e.g. 32")
    ap.add_argument("--paslon", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--regions", default=os.path.join(os.path.dirname(__file__), "../../data/regions/regions.tsv"))
    a = ap.parse_args()
    rng = random.Random(a.seed)
    vs = villages(a.regions, a.province)
    if not vs:
        sys.exit("no villages found")
    os.makedirs(a.out, exist_ok=True)
    count = {}
    files = {}
    header = None
    for _ in range(a.tps):
        v = rng.choice(vs)
        n = count.get(v, 0) + 1
        count[v] = n
        dpt = max(40, min(600, int(rng.gauss(275, 45))))
        l, p = split(dpt, rng)
        f = form(rng, l, p, a.paslon)
        prov = v[:2]
        if prov not in files:
            files[prov] = (
                open(os.path.join(a.out, f"tps-{prov}.csv"), "w", encoding="utf-8"),
                open(os.path.join(a.out, f"forms-{prov}.jsonl"), "w", encoding="utf-8"),
                open(os.path.join(a.out, f"results-{prov}.csv"), "w", encoding="utf-8"),
            )
            files[prov][0].write("village_code,number,address,dpt_l,dpt_p\n")
            fl = flat(f)
            header = "village_code,tps_number," + ",".join(k for k, _ in fl)
            files[prov][2].write(header + "\n")
        t, j, c = files[prov]
        t.write(f"{v},{n},Jl. TPS {n},{l},{p}\n")
        j.write(json.dumps({"village_code": v, "tps_number": n, "form": f}, separators=(",", ":")) + "\n")
        c.write(f"{v},{n}," + ",".join(str(x) for _, x in flat(f)) + "\n")
    for fs in files.values():
        for x in fs:
            x.close()
    with open(os.path.join(a.out, "provinces.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(sorted(files)) + "\n")
    print(f"{a.tps} TPS over {len(count)} villages in {len(files)} provinces -> {a.out}")


if __name__ == "__main__":
    main()
