"""Arranges the benchmark's attendance scenarios (scripts/bench) through the public API.

As the demo administrator: a published session of ten half-days (five days, 09:00-12:30 and
14:00-17:30 in Paris) in 2030, up to 200 people of the dataset enrolled and confirmed, and a file
of mark requests: one `PUT /api/v1/slots/{slot}/marks/{person}` per half-day and trainee, each
with its own signature (a PNG of about 8 KiB, base64), as `PATH<TAB>BODY` lines for
`loadgen --path-per-body`. Prints the session id, the administrator's token and the number of
marks.

    python3 scripts/bench_attendance_setup.py BASE_URL PASSWORD MARKS_FILE
"""

import base64
import json
import random
import struct
import sys
import urllib.request
import zlib

from bench_enrol_setup import call


def png(width, height, pixels):
    """A grayscale 8-bit PNG of `pixels` (rows of bytes)."""
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + bytes(row) for row in pixels)
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b"")


def signature(rng):
    """About 8 KiB: a white 240 x 80 sheet with a dark stroke and some grain."""
    width, height = 240, 80
    rows = [[255] * width for _ in range(height)]
    y = rng.randrange(height)
    for x in range(width):
        y = max(1, min(height - 2, y + rng.choice((-1, 0, 1))))
        rows[y][x] = rows[y + 1][x] = 20
    for _ in range(5200):
        rows[rng.randrange(height)][rng.randrange(width)] = rng.randrange(200, 256)
    return png(width, height, rows)


def main(base, password, marks_file):
    token = call(base, "POST", "/api/v1/auth/login", body={"email": "admin@demo.passerelle.test", "password": password})["token"]
    training = call(base, "GET", "/api/v1/trainings?status=published&limit=1", token)["items"][0]["id"]
    room = call(base, "POST", "/api/v1/rooms", token, {
        "name": "Attendance hall", "is_online": False, "address": "2 rue du Banc", "city": "Paris",
        "country": "FR", "capacity": 400, "accessibility": "Step-free access",
    })["id"]
    slots = []
    for day in range(3, 8):
        date = f"2030-06-{day:02d}"
        slots.append({"date": date, "period": "morning", "start": "09:00", "end": "12:30"})
        slots.append({"date": date, "period": "afternoon", "start": "14:00", "end": "17:30"})
    session = call(base, "POST", "/api/v1/sessions", token, {
        "training_id": training, "room_id": room, "capacity": 200,
        "duration_note": "attendance benchmark session", "slots": slots,
    })["id"]
    call(base, "POST", f"/api/v1/sessions/{session}/publish", token)
    page = call(base, "GET", "/api/v1/people?limit=200", token)
    people = [p["id"] for p in page["items"] if p.get("active", True)]
    trainees = []
    for person in people:
        request = urllib.request.Request(
            base + f"/api/v1/sessions/{session}/enrolments", method="POST",
            data=json.dumps({"person_id": person}).encode())
        request.add_header("Content-Type", "application/json")
        request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request) as reply:
                if json.loads(reply.read())["status"] == "confirmed":
                    trainees.append(person)
        except urllib.error.HTTPError:
            pass  # an inactive demo account, say
    sheet = call(base, "GET", f"/api/v1/sessions/{session}/attendance", token)
    rng = random.Random(2026)
    count = 0
    with open(marks_file, "w") as out:
        for slot in sheet["slots"]:
            for person in trainees:
                body = {"status": "present", "signature_png": base64.b64encode(signature(rng)).decode()}
                out.write(f"/api/v1/slots/{slot['id']}/marks/{person}\t{json.dumps(body)}\n")
                count += 1
    print(session, token, count)


if __name__ == "__main__":
    main(*sys.argv[1:4])
