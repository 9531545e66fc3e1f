#!/usr/bin/env python3
"""Re-run rows 4a/4b (full disk), 5b (held connections, nofile 1024) and 6c (SIGTERM with
held connections) of the 2026-12-05 reliability review against one build; prints one line of
numbers per row. Uses the helpers of scripts/faults.py; only 127.0.0.1 is contacted, every
wait is bounded; needs root (tmpfs) and prlimit.

    rerun.py --bin PATH [--legacy] [--rows 4a 4b 5b 6c] [--disk-env K=V ...]

--legacy: a build without the [http]/[disk] settings (none are passed to it).
--disk-env: settings for the full-disk rows (e.g. BALAI_DISK__RESERVE_MB=8 on a 40 MiB disk).
"""
import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../scripts"))
import faults  # noqa: E402


def disk_row(binary, work, legacy, log_on_fs, env):
    mnt = os.path.join(work, "tmpfs")
    os.makedirs(mnt, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", mnt], check=True)
    srv = None
    try:
        t = faults.Target(binary, os.path.join(mnt, "data"), legacy=legacy)
        t.run("migrate")
        srv = faults.Server(t, env=env, log_dir=t.dir if log_on_fs else work)
        srv.start()
        token, eid, forms = faults.setup_election(t, srv.port, 6000, work)
        wal = os.path.join(t.dir, "balai.sqlite3-wal")
        peak = [0]
        stop = threading.Event()

        def sample():
            while not stop.is_set():
                try:
                    peak[0] = max(peak[0], os.path.getsize(wal))
                except OSError:
                    pass
                time.sleep(0.1)

        threading.Thread(target=sample, daemon=True).start()
        filler = faults.fill(mnt, 4 << 20)
        w = faults.Writers(lambda: srv.port, token, eid, forms[:3000], 8, time.time() + 8)
        w.start()
        w.join(30)
        full = dict(w.statuses)
        os.remove(filler)
        freed = time.time()
        rest = [f for i, f in enumerate(forms) if i not in w.acked][:2000]
        w2 = faults.Writers(lambda: srv.port, token, eid, rest, 8, time.time() + 60)
        first = [None]

        def watch():
            while first[0] is None and time.time() - freed < 60:
                if w2.acked:
                    first[0] = time.time() - freed
                time.sleep(0.05)

        threading.Thread(target=watch, daemon=True).start()
        w2.start()
        w2.join(90)
        stop.set()
        alive = srv.proc.poll() is None
        srv.stop()
        acked = len(w.acked) + len(w2.acked)
        stored = t.scalar(f"SELECT COUNT(*) FROM result_entries WHERE election_id = {eid}")
        first_s = f"{first[0]:.2f} s" if first[0] is not None else "none within 60 s"
        return (f"while full {full}; after freeing 20 MB: first 201 {first_s}, {len(w2.acked)}/{len(rest)} "
                f"acknowledged within 60 s ({w2.statuses}); WAL peak {peak[0] / 2**20:.1f} MB; server alive {alive}; "
                f"{acked} acknowledged, {stored} stored")
    finally:
        if srv:
            srv.kill()
        subprocess.run(["umount", "-l", mnt], capture_output=True)


def held_row(binary, work, legacy):
    t = faults.Target(binary, os.path.join(work, "held"), legacy=legacy)
    t.run("migrate")
    srv = faults.Server(t, prefix=["prlimit", "--nofile=1024:1024", "--"])
    srv.start()
    socks = []
    try:
        socks = faults.hold(srv.port, 1100)
        ok = probes = 0
        first = None
        t0 = time.time()
        while time.time() - t0 < 30:
            probes += 1
            try:
                good = faults.get(srv.port, "/healthz", timeout=5)[0] == 200
            except OSError:
                good = False
            if good and first is None:
                first = time.time() - t0
            ok += good
            time.sleep(0.5)
        gone = faults.closed_by_server(socks)
        with open(srv.log.name, "rb") as f:
            emfile = f.read().count(b"Too many open files")
        first_s = f"{first:.1f} s" if first is not None else "never"
        return (f"{len(socks)} held: /healthz {ok}/{probes} probes answered (first after {first_s}), "
                f"{gone} held connections closed by the server, 'Too many open files' × {emfile} in the log")
    finally:
        for s in socks:
            s.close()
        srv.kill()


def sigterm_row(binary, work, legacy):
    t = faults.Target(binary, os.path.join(work, "term"), legacy=legacy)
    t.run("migrate")
    srv = faults.Server(t)
    srv.start()
    socks = []
    try:
        for i in range(100):
            s = socket.create_connection((faults.HOST, srv.port), timeout=5)
            if i % 2:
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            socks.append(s)
        time.sleep(2)
        t0 = time.time()
        srv.signal(signal.SIGTERM)
        code = srv.wait(45)
        took = time.time() - t0
        if code is None:
            return f"still running {took:.0f} s after SIGTERM with 50 slowloris + 50 idle connections (then killed)"
        return f"exited {took:.2f} s after SIGTERM with 50 slowloris + 50 idle connections, exit code {code}"
    finally:
        for s in socks:
            s.close()
        srv.kill()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--legacy", action="store_true")
    ap.add_argument("--rows", nargs="*", default=["4a", "4b", "5b", "6c"])
    ap.add_argument("--disk-env", nargs="*", default=[])
    a = ap.parse_args()
    binary = os.path.abspath(a.bin)
    env = dict(kv.split("=", 1) for kv in a.disk_env)
    rows = {
        "4a": lambda w: disk_row(binary, w, a.legacy, True, env),
        "4b": lambda w: disk_row(binary, w, a.legacy, False, env),
        "5b": lambda w: held_row(binary, w, a.legacy),
        "6c": lambda w: sigterm_row(binary, w, a.legacy),
    }
    for r in a.rows:
        with tempfile.TemporaryDirectory(prefix=f"balai-rerun-{r}-") as w:
            try:
                print(f"{r}: {rows[r](w)}", flush=True)
            except Exception as e:  # noqa: BLE001 - a row that breaks is reported as such
                print(f"{r}: ERROR {type(e).__name__}: {e}", flush=True)


if __name__ == "__main__":
    main()
