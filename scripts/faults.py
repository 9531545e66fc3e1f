#!/usr/bin/env python3
"""Balai's fault-injection suite (standard library only); ./scripts/test.sh runs it.

    faults.py --bin PATH [--only NAME ...] [--legacy] [--work DIR]

Checks, each on a `balai serve` child process on 127.0.0.1 (nothing else is contacted):
  kill-sqlite, kill-postgres  keyed forms under load while the server is killed with SIGKILL
                              three times and restarted: acknowledged = stored, no duplicates,
                              `audit verify` and `verify-log` pass, no Idempotency-Key left
                              running (PostgreSQL: BALAI_TEST_POSTGRES names the server; the
                              check makes its own database beside it)
  held-connections            more connections held open than the server's open-file limit
                              (prlimit --nofile=256:256): /healthz still answers
  sigterm-held                SIGTERM with half-sent requests: exits within the grace period
  disk-full                   SQLite on a small tmpfs filled up: writes answer 503 with
                              Retry-After, and succeed again after 20 MB are freed, without a
                              restart (skipped with a message where tmpfs cannot be mounted)

--legacy runs the checks against a binary without the [http]/[disk] settings (the build
before they existed), to show which checks fail there. Every loop is bounded in count and
time; the last line is "faults: N passed, N failed".
"""
import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOST = "127.0.0.1"


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Fail(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Fail(what)


class Target:
    """Where the database is: a data dir, and for PostgreSQL a URL too."""

    def __init__(self, binary, data_dir, url=None, legacy=False):
        self.bin, self.dir, self.url, self.legacy = binary, data_dir, url, legacy
        os.makedirs(data_dir, exist_ok=True)

    def env(self, extra=None):
        env = {k: v for k, v in os.environ.items() if not k.startswith("BALAI_") or k.startswith("BALAI_TEST_")}
        env["BALAI_LOG"] = "warn"
        if self.url:
            env["BALAI_DATABASE_URL"] = self.url
        for k, v in (extra or {}).items():
            if not (self.legacy and (k.startswith("BALAI_HTTP__") or k.startswith("BALAI_DISK__"))):
                env[k] = v
        return env

    def run(self, *args, stdin=None, ok=True):
        r = subprocess.run([self.bin, "--data-dir", self.dir, *args], input=stdin, cwd=self.dir,
                           env=self.env(), capture_output=True, text=True, timeout=120)
        if ok and r.returncode != 0:
            raise Fail(f"balai {' '.join(args)} exited {r.returncode}: {r.stdout}{r.stderr}")
        return r

    def scalar(self, sql):
        if self.url:
            r = subprocess.run(["psql", self.url, "-X", "-At", "-c", sql], capture_output=True, text=True, timeout=60)
            if r.returncode != 0:
                raise Fail(f"psql: {r.stderr}")
            return int(r.stdout.strip() or 0)
        con = sqlite3.connect(os.path.join(self.dir, "balai.sqlite3"), timeout=30)
        try:
            return int(con.execute(sql).fetchone()[0])
        finally:
            con.close()


class Server:
    def __init__(self, target, env=None, prefix=(), log_dir=None):
        self.t, self.env, self.prefix = target, env or {}, list(prefix)
        self.port = free_port()
        self.proc = None
        self.log = open(os.path.join(log_dir or target.dir, f"serve-{self.port}.log"), "ab")

    def start(self, ready_within=60):
        cmd = self.prefix + [self.t.bin, "--data-dir", self.t.dir, "serve", "--listen", f"{HOST}:{self.port}"]
        self.proc = subprocess.Popen(cmd, cwd=self.t.dir, env=self.t.env(self.env), stdin=subprocess.DEVNULL,
                                     stdout=self.log, stderr=self.log)
        t0 = time.time()
        while time.time() - t0 < ready_within:
            check(self.proc.poll() is None, f"balai serve exited early ({self.proc.returncode}); log {self.log.name}")
            try:
                if get(self.port, "/readyz", timeout=2)[0] == 200:
                    return time.time() - t0
            except OSError:
                pass
            time.sleep(0.05)
        raise Fail("balai serve not ready within 60 s")

    def signal(self, sig):
        self.proc.send_signal(sig)

    def wait(self, timeout):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            if self.wait(40) is None:
                self.kill()


def get(port, path, timeout=5):
    c = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        c.request("GET", path)
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


def api(port, method, path, token, body, ctype="application/json"):
    c = http.client.HTTPConnection(HOST, port, timeout=120)
    try:
        c.request(method, path, body=body.encode(), headers={"Authorization": "Bearer " + token, "Content-Type": ctype})
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


def setup_election(target, port, tps, work):
    """A superadmin token, a gubernur election for province 32 with 3 paslon and `tps` TPS;
    returns (token, election id, form bodies)."""
    target.run("user", "add", "fault", "--superadmin", "--password-stdin", stdin="fault-password-123\n")
    token = target.run("token", "create", "--user", "fault").stdout.strip()
    gen = os.path.join(work, f"gen-{tps}")
    if not os.path.exists(os.path.join(gen, "forms-32.jsonl")):
        subprocess.run([sys.executable, os.path.join(ROOT, "bench/elections/gen.py"), "--tps", str(tps),
                        "--province", "32", "--out", gen], check=True, capture_output=True, timeout=120)
    s, b = api(port, "POST", "/api/v1/elections", token, json.dumps(
        {"kind": "gubernur", "region_code": "32", "name": "Uji gangguan", "voting_date": "2024-11-27"}))
    check(s == 201, f"create election: {s} {b[:300]!r}")
    eid = json.loads(b)["id"]
    for n in (1, 2, 3):
        s, b = api(port, "POST", f"/api/v1/elections/{eid}/candidates", token, json.dumps(
            {"ballot_number": n, "head_name": f"Calon {n}", "deputy_name": f"Wakil {n}", "parties": ["Partai"]}))
        check(s == 201, f"candidate: {s} {b[:300]!r}")
    with open(os.path.join(gen, "tps-32.csv")) as f:
        s, b = api(port, "POST", f"/api/v1/elections/{eid}/tps/import", token, f.read(), "text/csv")
    check(s == 201, f"tps import: {s} {b[:300]!r}")
    with open(os.path.join(gen, "forms-32.jsonl")) as f:
        forms = [line.strip() for line in f if line.strip()]
    return token, eid, forms


class Writers:
    """Keyed writers: each form is sent with its own Idempotency-Key until it gets 201, the
    same key and body on every retry (connection error, timeout, 5xx, 409 in progress)."""

    def __init__(self, port_of, token, eid, forms, threads, deadline):
        self.port_of, self.token, self.eid = port_of, token, eid
        self.todo = list(enumerate(forms))
        self.lock = threading.Lock()
        self.acked, self.rejected, self.statuses = set(), [], {}
        self.retry_after_missing = 0
        self.deadline = deadline
        self.key_prefix = f"fault-{os.getpid()}-{random.randrange(1 << 30)}"
        self.threads = [threading.Thread(target=self.work, daemon=True) for _ in range(threads)]

    def start(self):
        for t in self.threads:
            t.start()

    def join(self, timeout):
        end = time.time() + timeout
        for t in self.threads:
            t.join(max(0.1, end - time.time()))
        return not any(t.is_alive() for t in self.threads)

    def note(self, status):
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1

    def work(self):
        conn = None
        while True:
            with self.lock:
                if not self.todo:
                    return
                n, body = self.todo.pop()
            wait = 0.05
            while time.time() < self.deadline:
                try:
                    if conn is None:
                        conn = http.client.HTTPConnection(HOST, self.port_of(), timeout=10)
                    conn.request("POST", f"/api/v1/elections/{self.eid}/results", body=body.encode(), headers={
                        "Authorization": "Bearer " + self.token, "Content-Type": "application/json",
                        "Idempotency-Key": f"{self.key_prefix}-{n}"})
                    r = conn.getresponse()
                    data = r.read()
                    self.note(r.status)
                    if r.status == 503 and not r.getheader("Retry-After"):
                        with self.lock:
                            self.retry_after_missing += 1
                    if r.status == 201:
                        with self.lock:
                            self.acked.add(n)
                        break
                    if r.status < 500 and not (r.status == 409 and b"idempotency" in data):
                        with self.lock:
                            self.rejected.append((n, r.status, data[:200]))
                        break
                except (OSError, http.client.HTTPException):
                    self.note("conn")
                    if conn is not None:
                        conn.close()
                    conn = None
                time.sleep(wait)
                wait = min(1.0, wait * 2)


def verify_stored(target, eid, acked, total):
    """Acknowledged = stored, once each; chains verify; no key left running."""
    stored = target.scalar(f"SELECT COUNT(*) FROM result_entries WHERE election_id = {eid}")
    tps = target.scalar(f"SELECT COUNT(DISTINCT tps_id) FROM result_entries WHERE election_id = {eid}")
    running = target.scalar("SELECT COUNT(*) FROM idempotency_keys WHERE status = 'running'")
    check(stored == tps, f"{stored - tps} forms stored twice")
    check(stored >= acked, f"{acked - stored} acknowledged forms lost ({acked} acknowledged, {stored} stored)")
    check(stored <= total, f"more stored ({stored}) than sent ({total})")
    check(running == 0, f"{running} Idempotency-Keys left running")
    target.run("audit", "verify")
    target.run("verify-log", "--election", str(eid))
    return stored


def kill_test(binary, work, legacy, backend):
    url = None
    if backend == "postgres":
        base = os.environ.get("BALAI_TEST_POSTGRES")
        if not base:
            return "skipped: BALAI_TEST_POSTGRES is not set"
        u = urllib.parse.urlsplit(base)
        name = u.path.lstrip("/") + f"_fault{os.getpid()}"
        admin = urllib.parse.urlunsplit(u._replace(path="/postgres"))
        subprocess.run(["psql", admin, "-X", "-q", "-c", f'CREATE DATABASE "{name}"'], check=True, capture_output=True)
        url = urllib.parse.urlunsplit(u._replace(path="/" + name))
    t = Target(binary, os.path.join(work, f"kill-{backend}"), url, legacy)
    t.run("migrate")
    srv = Server(t)
    srv.start()
    try:
        token, eid, forms = setup_election(t, srv.port, 1500, work)
        w = Writers(lambda: srv.port, token, eid, forms, 12, time.time() + 150)
        w.start()
        downs = []
        for _ in range(3):
            time.sleep(random.uniform(1.0, 2.5))
            srv.kill()
            t0 = time.time()
            time.sleep(random.uniform(0.0, 0.3))
            srv.start()
            downs.append(time.time() - t0)
        check(w.join(150), "writers did not finish within 150 s")
        srv.stop()
        check(not w.rejected, f"forms refused: {w.rejected[:3]}")
        check(len(w.acked) == len(forms), f"{len(forms) - len(w.acked)} forms never acknowledged")
        stored = verify_stored(t, eid, len(w.acked), len(forms))
        return (f"{len(w.acked)} acknowledged = {stored} stored, 3 × SIGKILL (down "
                f"{min(downs):.2f}-{max(downs):.2f} s), answers {w.statuses}")
    finally:
        srv.kill()


def hold(port, n, partial_every=2):
    """Open `n` connections: every `partial_every`-th sends half a request head, the rest
    nothing."""
    socks = []
    for i in range(n):
        try:
            s = socket.create_connection((HOST, port), timeout=5)
            if i % partial_every == 1:
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            socks.append(s)
        except OSError:
            break
    return socks


def closed_by_server(socks):
    gone = 0
    for s in socks:
        s.setblocking(False)
        try:
            if s.recv(1024) == b"":
                gone += 1
        except BlockingIOError:
            pass
        except OSError:
            gone += 1
    return gone


def held_connections_test(binary, work, legacy):
    t = Target(binary, os.path.join(work, "held"), legacy=legacy)
    t.run("migrate")
    srv = Server(t, env={"BALAI_HTTP__HEADER_READ_TIMEOUT_SECONDS": "3"}, prefix=["prlimit", "--nofile=256:256", "--"])
    srv.start()
    socks = []
    try:
        socks = hold(srv.port, 400)
        check(len(socks) >= 300, f"only {len(socks)} connections opened")
        ok, probes, t0 = 0, 0, time.time()
        last_ok = False
        while time.time() - t0 < 12:
            probes += 1
            try:
                last_ok = get(srv.port, "/healthz", timeout=5)[0] == 200
            except OSError:
                last_ok = False
            ok += last_ok
            time.sleep(0.5)
        gone = closed_by_server(socks)
        check(srv.proc.poll() is None, "the server died")
        check(ok * 2 >= probes and last_ok, f"/healthz answered {ok} of {probes} probes with {len(socks)} connections held")
        return f"{len(socks)} held with nofile 256: /healthz {ok}/{probes}, {gone} held connections closed by the server"
    finally:
        for s in socks:
            s.close()
        srv.kill()


def sigterm_test(binary, work, legacy):
    t = Target(binary, os.path.join(work, "sigterm"), legacy=legacy)
    t.run("migrate")
    srv = Server(t, env={"BALAI_HTTP__SHUTDOWN_GRACE_SECONDS": "3", "BALAI_HTTP__HEADER_READ_TIMEOUT_SECONDS": "60"})
    srv.start()
    socks = []
    try:
        for i in range(40):
            s = socket.create_connection((HOST, srv.port), timeout=5)
            if i % 2:
                s.sendall(b"POST /api/v1/complaints HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                          b"Content-Length: 1000\r\n\r\n{\"category\":")
            else:
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            socks.append(s)
        time.sleep(0.5)
        t0 = time.time()
        srv.signal(signal.SIGTERM)
        code = srv.wait(20)
        took = time.time() - t0
        check(code is not None, f"not exited {took:.1f} s after SIGTERM (grace 3 s) with {len(socks)} half-sent requests")
        check(took < 8, f"exited only after {took:.1f} s (grace 3 s)")
        check(code == 0, f"exit code {code}")
        return f"exited {took:.2f} s after SIGTERM with {len(socks)} half-sent requests (grace 3 s), code 0"
    finally:
        for s in socks:
            s.close()
        srv.kill()


def fill(path, leave_free, chunk_mb=20):
    """Fill the filesystem of `path` until `leave_free` bytes are free: a 20 MB file first
    (the one freed later), then the rest."""
    st = os.statvfs(path)
    free = st.f_bavail * st.f_frsize
    first = os.path.join(path, "filler-20")
    rest = os.path.join(path, "filler-rest")
    for name, size in ((first, chunk_mb << 20), (rest, max(0, free - (chunk_mb << 20) - leave_free))):
        fd = os.open(name, os.O_CREAT | os.O_WRONLY)
        try:
            # The server writes meanwhile: take a little less until it fits.
            while size > 0:
                try:
                    os.posix_fallocate(fd, 0, size)
                    break
                except OSError:
                    size -= 1 << 20
        finally:
            os.close(fd)
    return first


def disk_full_test(binary, work, legacy):
    mnt = os.path.join(work, "tmpfs")
    os.makedirs(mnt, exist_ok=True)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=96m", "tmpfs", mnt], capture_output=True, text=True)
    if r.returncode != 0:
        return f"skipped: cannot mount a tmpfs here ({r.stderr.strip() or r.returncode})"
    srv = None
    try:
        t = Target(binary, os.path.join(mnt, "data"), legacy=legacy)
        t.run("migrate")
        # The log goes elsewhere: a log on the full disk is another fault (issue #28, item 1).
        srv = Server(t, log_dir=work)
        srv.start()
        token, eid, forms = setup_election(t, srv.port, 3000, work)
        port = srv.port
        filler = fill(mnt, 1 << 20)
        # Full: every write refused with 503 + Retry-After (none acknowledged and then lost).
        first = Writers(lambda: port, token, eid, forms[:400], 4, time.time() + 8)
        first.start()
        first.join(20)
        statuses = dict(first.statuses)
        check(not first.rejected, f"forms refused while full: {first.rejected[:3]}")
        check(statuses.get(500, 0) == 0, f"answers while full: {statuses} (500 instead of 503)")
        check(statuses.get(503, 0) > 0, f"answers while full: {statuses} (no 503)")
        check(first.retry_after_missing == 0, f"{first.retry_after_missing} × 503 without Retry-After")
        # 20 MB freed: writes succeed again without a restart.
        os.remove(filler)
        freed = time.time()
        rest = [f for i, f in enumerate(forms) if i not in first.acked][:800]
        second = Writers(lambda: port, token, eid, rest, 4, time.time() + 60)
        second.start()
        check(second.join(90), "writers did not finish within 90 s of freeing 20 MB")
        check(srv.proc.poll() is None, "the server died")
        check(not second.rejected, f"forms refused after freeing: {second.rejected[:3]}")
        check(len(second.acked) == len(rest), f"{len(rest) - len(second.acked)} of {len(rest)} forms not acknowledged "
              f"within 60 s of freeing 20 MB; answers {second.statuses}")
        took = time.time() - freed
        srv.stop()
        acked = len(first.acked) + len(second.acked)
        stored = verify_stored(t, eid, acked, len(forms))
        return (f"full: {statuses}; after freeing 20 MB {len(rest)} forms acknowledged in {took:.1f} s "
                f"({second.statuses}); {acked} acknowledged = {stored} stored")
    finally:
        if srv:
            srv.kill()
        r = subprocess.run(["umount", mnt], capture_output=True, text=True)
        if r.returncode != 0:
            print(f"warning: umount {mnt}: {r.stderr.strip()}; detaching it", flush=True)
            subprocess.run(["umount", "-l", mnt], capture_output=True)


CHECKS = {
    "kill-sqlite": lambda b, w, l: kill_test(b, w, l, "sqlite"),
    "kill-postgres": lambda b, w, l: kill_test(b, w, l, "postgres"),
    "held-connections": held_connections_test,
    "sigterm-held": sigterm_test,
    "disk-full": disk_full_test,
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--legacy", action="store_true")
    ap.add_argument("--work")
    a = ap.parse_args()
    binary = os.path.abspath(a.bin)
    work = a.work or tempfile.mkdtemp(prefix="balai-faults-")
    passed = failed = 0
    t_all = time.time()
    for name, fn in CHECKS.items():
        if a.only and name not in a.only:
            continue
        t0 = time.time()
        try:
            msg = fn(binary, work, a.legacy)
            if msg.startswith("skipped"):
                print(f"SKIP {name}: {msg}", flush=True)
                continue
            print(f"PASS {name} ({time.time() - t0:.1f} s): {msg}", flush=True)
            passed += 1
        except Exception as e:  # noqa: BLE001 - every failure is reported, the suite goes on
            print(f"FAIL {name} ({time.time() - t0:.1f} s): {type(e).__name__}: {e}", flush=True)
            failed += 1
    if not a.work and failed == 0:
        shutil.rmtree(work, ignore_errors=True)
    elif failed:
        print(f"logs kept in {work}")
    print(f"fault suite took {time.time() - t_all:.0f} s")
    print(f"faults: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
