#!/usr/bin/env python3
"""A synthetic voter list (DPT) for the import and look-up benchmarks.

Usage: gen.py VOTERS PROVINCE_OR_REGENCY OUT.csv [LOOKUPS.tsv]

Spreads VOTERS over the real villages of data/regions/regions.tsv under the given region code,
TPS of about 280 voters (at most 600), and gives every voter a NIK of valid structure: the
district's code (PP KK CC), a real date of birth (DDMMYY, day + 40 for women) and a serial
unique within the district and date. Names are drawn from short lists. Deterministic. With
LOOKUPS.tsv, writes one in every 1,000 voters' NIK and name there (for the look-up driver).
"""
import os
import sys
from datetime import date, timedelta

GIVEN = ["Agus", "Budi", "Cahya", "Dedi", "Eka", "Fajar", "Gita", "Hendra", "Indah", "Joko",
         "Kartika", "Lina", "Maya", "Nanda", "Oki", "Putri", "Rina", "Sari", "Teguh", "Wulan"]
FAMILY = ["Saputra", "Lestari", "Hidayat", "Rahmawati", "Nugraha", "Permana", "Kusuma",
          "Wijaya", "Siregar", "Nasution", "Simanjuntak", "Harahap"]
PER_TPS = 280
BASE = date(1940, 1, 1)


def villages(root, region):
    path = os.path.join(root, "data", "regions", "regions.tsv")
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            code = line.split("\t", 1)[0]
            if code.count(".") == 3 and (code + ".").startswith(region + "."):
                out.append(code)
    return out


def dates():
    """Per day offset: (DDMMYY of a man, DDMMYY of a woman, ISO date), computed once."""
    out = []
    for d in range(23000):
        born = BASE + timedelta(days=d)
        yy = born.year % 100
        out.append((f"{born.day:02d}{born.month:02d}{yy:02d}",
                    f"{born.day + 40:02d}{born.month:02d}{yy:02d}", born.isoformat()))
    return out


def main():
    n, region, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    lookups = sys.argv[4] if len(sys.argv) > 4 else None
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    vs = villages(root, region)
    if not vs:
        sys.exit(f"no villages under {region}")
    per_village = max(1, n // len(vs))
    per_district = {}
    days = dates()
    names = [f"{g} {f}" for g in GIVEN for f in FAMILY]
    lk = open(lookups, "w", encoding="utf-8") if lookups else None
    with open(out, "w", encoding="utf-8", buffering=1 << 22) as f:
        f.write("nik,nkk,name,birth_place,birth_date,sex,village_code,tps_number,address\n")
        i = 0
        for v in vs:
            if i >= n:
                break
            district = v[:8].replace(".", "")
            k = per_district.get(district, 0)
            count = min(per_village, n - i) if v != vs[-1] else n - i
            rows = []
            for j in range(count):
                male, female_day, iso = days[(k // 9999) % 23000]
                female = (i % 2) == 0
                nik = f"{district}{female_day if female else male}{k % 9999 + 1:04d}"
                name = names[(i % 20) * 12 + (i // 7) % 12]
                tps = j // PER_TPS + 1
                rows.append(f"{nik},{district}{(k // 4) % 10**10:010d},{name},Kota,{iso},"
                            f"{'P' if female else 'L'},{v},{tps},RT 0{tps % 9 + 1}/RW 0{j % 9 + 1}\n")
                if lk and i % 1000 == 0:
                    lk.write(f"{nik}\t{name}\n")
                i += 1
                k += 1
            per_district[district] = k
            f.write("".join(rows))
    if lk:
        lk.close()


if __name__ == "__main__":
    main()
