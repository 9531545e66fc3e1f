#!/usr/bin/env python3
"""Tiny SMTP sink used by Balai's integration tests.

Usage: smtp_sink.py --port N --dir DIR [--host 127.0.0.1]

Every received message is written to DIR/<n>.eml (n = 1, 2, ...). The file
starts with two envelope headers followed by the raw message as received:

    X-Envelope-From: <sender>
    X-Envelope-To: <rcpt1>, <rcpt2>
    <raw message bytes>

Files are written to a temporary name first and then renamed, so a reader
never sees a partially written message. Prints "READY <port>" on stdout (and
flushes) once the server is listening. Exits cleanly on SIGTERM/SIGINT, and
with --watch-stdin also when stdin is closed (the parent process died).
With --port 0 an ephemeral port is chosen and reported in the READY line.
"""

import argparse
import asyncio
import itertools
import os
import signal
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP


class SinkHandler:
    def __init__(self, directory):
        self.directory = directory
        self.counter = itertools.count(1)

    async def handle_DATA(self, server, session, envelope):
        n = next(self.counter)
        content = envelope.original_content
        if content is None:
            content = envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8", "surrogateescape")
        head = "X-Envelope-From: {}\r\nX-Envelope-To: {}\r\n".format(
            envelope.mail_from or "", ", ".join(envelope.rcpt_tos)
        ).encode("utf-8")
        final = os.path.join(self.directory, "{}.eml".format(n))
        tmp = os.path.join(self.directory, ".{}.eml.tmp".format(n))
        with open(tmp, "wb") as f:
            f.write(head)
            f.write(content)
        os.replace(tmp, final)
        return "250 Message accepted for delivery"


class SinkController(Controller):
    def factory(self):
        # No TLS, no auth: this is a localhost-only test sink.
        return SMTP(
            self.handler,
            hostname="smtp-sink.test",
            decode_data=False,
            enable_SMTPUTF8=True,
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--watch-stdin",
        action="store_true",
        help="also exit when stdin reaches EOF (i.e. the parent test died)",
    )
    args = parser.parse_args()

    os.makedirs(args.dir, exist_ok=True)
    port = args.port
    if port == 0:
        import socket

        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind((args.host, 0))
            port = s.getsockname()[1]

    controller = SinkController(
        SinkHandler(args.dir), hostname=args.host, port=port, ready_timeout=10
    )
    controller.start()

    loop = asyncio.new_event_loop()
    stop = loop.create_future()

    def request_stop(*_):
        if not stop.done():
            stop.set_result(None)

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, request_stop)

    if args.watch_stdin:
        import threading

        def watch():
            try:
                while sys.stdin.buffer.read(4096):
                    pass
            except Exception:
                pass
            loop.call_soon_threadsafe(request_stop)

        threading.Thread(target=watch, daemon=True).start()

    print("READY {}".format(port), flush=True)
    try:
        loop.run_until_complete(stop)
    finally:
        controller.stop()
        loop.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
