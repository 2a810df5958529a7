#!/usr/bin/env python3
"""A local SMTP server for the integration tests (tests/api/fixtures/smtp.rs drives it).

    smtp_sink.py --port P --dir D

Listens on 127.0.0.1:P (aiosmtpd 1.4.6, no TLS, no AUTH) and, for each message (at DATA), reads
D/mode at that moment:
  - absent, empty or "accept": stores the message and answers 250 OK;
  - "tempfail": answers 451 4.3.0 try again later and stores nothing;
  - "reject": answers 550 5.7.1 rejected and stores nothing;
  - anything else: answers 451 4.3.0 unknown sink mode, stores nothing (a broken test shows).

A stored message is D/<n>.eml (n: a counter from 1, six digits, continuing after the files already
in D, so a restart on the same directory keeps the order) holding the message bytes exactly as
received, and D/<n>.rcpt holding the envelope recipients, one a line. Both are written to a
temporary name then renamed, the .rcpt first: a reader that sees <n>.eml sees complete files.
Every DATA attempt, whatever the mode, appends "<mode> <recipient> <recipient>…" to D/attempts.log.

Prints "ready" (flushed) once listening; exits with status 0 on SIGTERM or SIGINT.
"""

import argparse
import os
import re
import signal
import sys
import threading

from aiosmtpd.controller import Controller

ANSWERS = {
    "accept": "250 OK",
    "tempfail": "451 4.3.0 try again later",
    "reject": "550 5.7.1 rejected",
}


def write_atomically(path, data):
    temporary = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".tmp")
    with open(temporary, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    os.rename(temporary, path)


class Sink:
    """The aiosmtpd handler: answers DATA by the mode file, stores accepted messages."""

    def __init__(self, directory):
        self.directory = directory
        self.lock = threading.Lock()
        numbers = [int(m.group(1)) for m in map(re.compile(r"^(\d+)\.eml$").match, os.listdir(directory)) if m]
        self.counter = max(numbers, default=0)

    def mode(self):
        try:
            with open(os.path.join(self.directory, "mode"), encoding="utf-8") as file:
                return file.read().strip() or "accept"
        except FileNotFoundError:
            return "accept"

    async def handle_DATA(self, server, session, envelope):
        mode = self.mode()
        recipients = list(envelope.rcpt_tos)
        with self.lock:
            with open(os.path.join(self.directory, "attempts.log"), "a", encoding="utf-8") as log:
                log.write(" ".join([mode, *recipients]) + "\n")
            if mode not in ANSWERS:
                return "451 4.3.0 unknown sink mode"
            if mode != "accept":
                return ANSWERS[mode]
            self.counter += 1
            stem = os.path.join(self.directory, f"{self.counter:06d}")
            raw = envelope.original_content
            if raw is None:
                raw = envelope.content if isinstance(envelope.content, bytes) else envelope.content.encode()
            write_atomically(stem + ".rcpt", "".join(r + "\n" for r in recipients).encode())
            write_atomically(stem + ".eml", raw)
        return ANSWERS["accept"]


def main():
    parser = argparse.ArgumentParser(description="A local SMTP sink for the integration tests.")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    arguments = parser.parse_args()
    os.makedirs(arguments.dir, exist_ok=True)

    # Blocked before the server thread starts, so it inherits the mask and only sigwait sees them.
    stops = {signal.SIGTERM, signal.SIGINT}
    signal.pthread_sigmask(signal.SIG_BLOCK, stops)
    controller = Controller(
        Sink(arguments.dir), hostname="127.0.0.1", port=arguments.port, enable_SMTPUTF8=True
    )
    controller.start()
    print("ready", flush=True)
    signal.sigwait(stops)
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
