#!/usr/bin/env python3
"""Re-run two rows of the 2026-12-05 reliability review against one `balai` binary (SQLite).

  stderr  (row 4e): `balai serve 2>/dev/full` with BALAI_LOG=warn; the SMS gateway is down for
          the first 3 s (deliveries fail and log warnings); one keyed report is sent 3 times
          and 20 unkeyed ones; after 25 s: were the keyed retries answered, how many SMS sent,
          what /readyz says.
  kill    (rows 3a/3b): N keyed reports, each queueing one SMS, to a gateway stand-in that
          answers after 0.3 s; kill -9 of the server while deliveries are with the gateway,
          3 times, each followed by a restart; then wait until no delivery job is left and
          count the phone numbers the gateway got more than once.

Usage: logging_sms.py BINARY {stderr|kill} [--reports N] [--lease S] [--keys]
Prints one JSON line. Everything runs on 127.0.0.1 in a temporary directory.
"""
import argparse
import http.server
import json
import os
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor


def free_port():
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


class Gateway:
    """Records the `to` of every message; answers 200 after `delay` seconds. With `dedupe` it
    sends a message once per Idempotency-Key (a repeated key is answered 200, not sent)."""

    def __init__(self, port, delay, dedupe=False):
        self.got = []
        self.keys = set()
        self.repeats = 0
        gw = self

        class H(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                n = int(self.headers.get("content-length", 0))
                body = self.rfile.read(n).decode()
                to = urllib.parse.parse_qs(body).get("to", [""])[0]
                key = self.headers.get("idempotency-key")
                if dedupe and key in gw.keys:
                    gw.repeats += 1
                else:
                    gw.keys.add(key)
                    gw.got.append(to)
                time.sleep(delay)
                try:
                    self.send_response(200)
                    self.send_header("content-length", "2")
                    self.end_headers()
                    self.wfile.write(b"OK")
                except OSError:
                    pass  # the server was killed while waiting

            def log_message(self, *a):
                pass

        class S(http.server.ThreadingHTTPServer):
            request_queue_size = 1024
            daemon_threads = True

        self.srv = S(("127.0.0.1", port), H)
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()


def run(binary, data, args, stdin=None):
    return subprocess.run([binary, "--data-dir", data] + args, input=stdin,
                          capture_output=True, text=True, check=True).stdout


def setup(binary, data):
    run(binary, data, ["migrate"])
    run(binary, data, ["user", "add", "rel", "--superadmin"])
    return run(binary, data, ["token", "create", "--user", "rel"]).strip()


def serve(binary, data, port, env, stderr):
    e = {k: v for k, v in os.environ.items() if not k.startswith("BALAI_")}
    e.update(env)
    p = subprocess.Popen([binary, "--data-dir", data, "serve", "--listen", f"127.0.0.1:{port}"],
                         env=e, stdout=subprocess.DEVNULL, stderr=stderr)
    for _ in range(300):
        if p.poll() is not None:
            return p
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return p
        except Exception:
            time.sleep(0.05)
    return p


def post(port, token, n, key, timeout=10):
    body = json.dumps({
        "category": "infrastruktur", "village_code": "32.79.01.1001",
        "description": f"Lampu jalan mati di gang {n}, mohon segera diperbaiki. REL-{n}",
        "contact_phone": "0812%08d" % n}).encode()
    h = {"content-type": "application/json", "authorization": f"Bearer {token}"}
    if key:
        h["idempotency-key"] = key
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/complaints", body, h)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.loads(r.read()).get("tracking_code")
    except urllib.error.HTTPError as e:
        return e.code, None
    except Exception as e:
        return type(e).__name__, None


def readyz(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=3) as r:
            return r.status, r.read().decode()[:300]
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()[:300]
    except Exception as e:
        return type(e).__name__, ""


def statuses(data):
    db = sqlite3.connect(os.path.join(data, "balai.sqlite3"))
    out = dict(db.execute("SELECT status, COUNT(*) FROM notifications GROUP BY status"))
    jobs = dict(db.execute(
        "SELECT status, COUNT(*) FROM jobs WHERE kind = 'notify.deliver' GROUP BY status"))
    db.close()
    return out, jobs


def exp_stderr(binary, tmp):
    data = os.path.join(tmp, "data")
    token = setup(binary, data)
    port, gport = free_port(), free_port()
    env = {"BALAI_LOG": "warn", "BALAI_SMS__GATEWAY_URL": f"http://127.0.0.1:{gport}/send",
           "BALAI_JOBS__BACKOFF_BASE_SECONDS": "1"}
    with open("/dev/full", "w") as full:
        p = serve(binary, data, port, env, full)
    keyed = [post(port, token, 1, "rel-keyed-1") for _ in range(3)]
    unkeyed = [post(port, token, 100 + i, None) for i in range(20)]
    time.sleep(3)
    gw = Gateway(gport, 0.0)
    time.sleep(25)
    ready = readyz(port)
    notes, jobs = statuses(data)
    alive = p.poll() is None
    p.send_signal(signal.SIGTERM)
    try:
        p.wait(30)
    except subprocess.TimeoutExpired:
        p.kill()
    return {"keyed_answers": [k[0] for k in keyed],
            "keyed_same_code": len({k[1] for k in keyed}) == 1 and keyed[0][1] is not None,
            "unkeyed_201": sum(1 for u in unkeyed if u[0] == 201),
            "sms_delivered": len(gw.got), "notifications": notes, "jobs": jobs,
            "readyz": ready, "alive_after_25s": alive}


def exp_kill(binary, tmp, reports, lease, keys):
    data = os.path.join(tmp, "data")
    token = setup(binary, data)
    port, gport = free_port(), free_port()
    gw = Gateway(gport, 0.3, dedupe=keys)
    env = {"BALAI_LOG": "warn", "BALAI_SMS__GATEWAY_URL": f"http://127.0.0.1:{gport}/send",
           "BALAI_JOBS__LEASE_SECONDS": str(lease)}
    if keys:
        env["BALAI_SMS__GATEWAY_IDEMPOTENCY_KEY"] = "true"
    log = open(os.path.join(tmp, "serve.log"), "a")
    p = serve(binary, data, port, env, log)
    acked = []
    kills = 0

    def one(n):
        for _ in range(200):
            st, code = post(port, token, n, f"rel-{n}")
            if st == 201:
                return n
            time.sleep(0.1)
        return None

    with ThreadPoolExecutor(8) as ex:
        futures = [ex.submit(one, n) for n in range(reports)]
        for step in range(3):
            time.sleep(2.0)
            # Kill while messages are with the gateway (it answers after 0.3 s).
            before = len(gw.got)
            while len(gw.got) == before:
                time.sleep(0.01)
            p.kill()
            p.wait()
            kills += 1
            time.sleep(0.2)
            p = serve(binary, data, port, env, log)
        acked = [f.result() for f in futures]
    deadline = time.time() + lease + 120
    while time.time() < deadline:
        notes, jobs = statuses(data)
        if not jobs.get("queued") and not jobs.get("running"):
            break
        time.sleep(0.5)
    notes, jobs = statuses(data)
    p.send_signal(signal.SIGTERM)
    p.wait(30)
    per_phone = Counter(gw.got)
    return {"reports_acked": sum(1 for a in acked if a is not None), "kills": kills,
            "lease_seconds": lease, "phones_reached": len(per_phone),
            "sms_twice": sum(1 for c in per_phone.values() if c > 1),
            "deliveries": len(gw.got), "repeated_keys_dropped_by_gateway": gw.repeats,
            "notifications": notes, "jobs": jobs}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("exp", choices=["stderr", "kill"])
    ap.add_argument("--reports", type=int, default=600)
    ap.add_argument("--lease", type=int, default=5)
    ap.add_argument("--keys", action="store_true",
                    help="the gateway honours Idempotency-Key (and Balai is told so)")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if a.exp == "stderr":
            r = exp_stderr(a.binary, tmp)
        else:
            r = exp_kill(a.binary, tmp, a.reports, a.lease, a.keys)
    print(json.dumps({"binary": a.binary, "exp": a.exp, **r}))


if __name__ == "__main__":
    main()
