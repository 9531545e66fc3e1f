#!/usr/bin/env python3
"""Generate N public-information requests as SQL both backends read (bench/information).

Deterministic (seed 25). Each request: 5-9 words of an administrative vocabulary drawn with
Zipf-like weights (the commonest words match a large share of the archive, the worst case for
ranking), a real village or district name from data/regions/regions.tsv and a year; a third are
answered with an answer of the same kind. Writes rows.sql (INSERTs of 500 rows) and
queries.txt (one search text a line: one word, two words, or a place name).
"""
import random
import sys

N = int(sys.argv[1])
OUT = sys.argv[2]
REGIONS = sys.argv[3]
rng = random.Random(25)
WORDS = """anggaran dokumen pelaksanaan dinas pendidikan kesehatan salinan laporan realisasi
keuangan desa kelurahan kecamatan kontrak pengadaan barang jasa proyek jalan jembatan irigasi
sekolah puskesmas rumah sakit bantuan sosial penerima daftar nama jadwal rapat notulen pleno
penetapan pemilih tetap calon kampanye dana hibah rekapitulasi suara hasil perhitungan tps
kpu bawaslu peraturan keputusan bupati walikota gubernur perda rencana strategis kerja tahunan
aset tanah bangunan kendaraan dinas gaji tunjangan pegawai honorer formasi seleksi cpns pppk
izin mendirikan usaha lingkungan amdal tambang pasir hutan sawah pupuk subsidi beras stunting
gizi balita imunisasi air bersih sampah banjir bencana pengungsi posyandu beasiswa seragam
buku perpustakaan pasar retribusi pajak daerah pendapatan belanja modal pinjaman utang audit
bpk temuan inspektorat pengaduan layanan publik survei kepuasan standar pelayanan maklumat
transportasi angkutan terminal bus trayek lampu penerangan taman kota pemakaman rumah ibadah
""".split()
WEIGHTS = [1.0 / (i + 1) ** 0.8 for i in range(len(WORDS))]
places = []
with open(REGIONS, encoding="utf-8") as f:
    for line in f:
        code, name = line.rstrip("\n").split("\t")[:2]
        if code.count(".") >= 2:
            places.append(name.replace("'", "''"))
rng.shuffle(places)
places = places[:5000]


def text(k):
    ws = rng.choices(WORDS, WEIGHTS, k=k)
    return " ".join(ws).capitalize() + " " + rng.choice(places) + " " + str(rng.randint(2015, 2026))


with open(f"{OUT}/rows.sql", "w", encoding="utf-8") as out:
    out.write("BEGIN;\n")
    for start in range(1, N + 1, 500):
        rows = []
        for i in range(start, min(N, start + 499) + 1):
            info = text(rng.randint(5, 9))
            answer = "'" + text(rng.randint(6, 12)) + "'" if i % 3 == 0 else "NULL"
            private = "'Data pribadi'" if i % 50 == 0 else "NULL"
            rows.append(
                f"(1, 'BENCH/{i}', 'T{i:09d}', 'x', 'online', 'Pemohon {i}', 'p{i}@example.test',"
                f" '{info}', 'Penelitian', 'email', 'received', '2026-01-05', {answer}, {private},"
                f" '2026-01-05T00:00:00Z', '2026-01-05T00:00:00Z')"
            )
        out.write(
            "INSERT INTO info_requests (agency_id, registration_number, tracking_code,"
            " secret_hash, channel, requester_name, requester_email, information, purpose,"
            " delivery, status, received_on, answer, private_reason, created_at, updated_at)"
            " VALUES\n" + ",\n".join(rows) + ";\n"
        )
    out.write("COMMIT;\n")

with open(f"{OUT}/queries.txt", "w", encoding="utf-8") as out:
    for i in range(500):
        kind = i % 5
        if kind in (0, 1):
            q = rng.choices(WORDS, WEIGHTS)[0]
        elif kind in (2, 3):
            q = " ".join(rng.choices(WORDS, WEIGHTS, k=2))
        else:
            q = rng.choice(places)
        out.write(q + "\n")
