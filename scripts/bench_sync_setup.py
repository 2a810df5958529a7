"""Arranges the benchmark's sync scenarios (scripts/bench) through the public API.

As the demo administrator: a trainer with a password, a published session of twenty half-days
(ten days in 2031) taught by them, up to 200 people of the dataset enrolled; one signature image
uploaded as a blob. Then a file of pushes, one JSON body per line for `loadgen --bodies`: each
from its own registered device (so that pushes run side by side), each of 200 `attendance.set@1`
marks with that signature; the first half covers every (half-day, trainee) once, the second
half records them again from other devices (the same values: no conflict). Finally the trainer's
reading device is pulled up to date, for the pull scenarios.

Prints: the trainer's token, the number of pushes, the reading device's id and its up-to-date
cursor.

    python3 scripts/bench_sync_setup.py BASE_URL PASSWORD PUSHES_FILE
"""

import hashlib
import json
import random
import sys
import urllib.error
import urllib.request
import uuid

from bench_attendance_setup import signature
from bench_enrol_setup import call


def put_png(base, token, png):
    sha = hashlib.sha256(png).hexdigest()
    request = urllib.request.Request(base + f"/sync/v1/blobs/{sha}", data=png, method="PUT")
    request.add_header("Content-Type", "image/png")
    request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request):
        return sha


def main(base, password, pushes_file):
    admin = call(base, "POST", "/api/v1/auth/login", body={"email": "admin@demo.passerelle.test", "password": password})["token"]
    email = f"sync.bench.{uuid.uuid4().hex[:8]}@demo.passerelle.test"
    secret = "sync-bench-password-2031"
    trainer = call(base, "POST", "/api/v1/people", admin, {
        "email": email, "first_name": "Sync", "last_name": "Bench", "roles": ["trainer"], "password": secret,
    })["id"]
    token = call(base, "POST", "/api/v1/auth/login", body={"email": email, "password": secret})["token"]
    training = call(base, "GET", "/api/v1/trainings?status=published&limit=1", admin)["items"][0]["id"]
    room = call(base, "POST", "/api/v1/rooms", admin, {
        "name": "Sync hall", "is_online": False, "address": "3 rue du Banc", "city": "Paris",
        "country": "FR", "capacity": 400, "accessibility": "Step-free access",
    })["id"]
    slots = []
    for day in [3, 4, 5, 6, 7, 10, 11, 12, 13, 14]:  # two working weeks
        date = f"2031-03-{day:02d}"
        slots.append({"date": date, "period": "morning", "start": "09:00", "end": "12:30"})
        slots.append({"date": date, "period": "afternoon", "start": "14:00", "end": "17:30"})
    session = call(base, "POST", "/api/v1/sessions", admin, {
        "training_id": training, "room_id": room, "capacity": 200, "trainer_ids": [trainer],
        "duration_note": "sync benchmark session", "slots": slots,
    })["id"]
    call(base, "POST", f"/api/v1/sessions/{session}/publish", admin)
    people = [p["id"] for p in call(base, "GET", "/api/v1/people?limit=200", admin)["items"] if p.get("active", True)]
    trainees = []
    for person in people:
        try:
            if call(base, "POST", f"/api/v1/sessions/{session}/enrolments", admin, {"person_id": person})["status"] == "confirmed":
                trainees.append(person)
        except urllib.error.HTTPError:
            pass
    sheet = call(base, "GET", f"/api/v1/sessions/{session}/attendance", admin)
    sha = put_png(base, token, signature(random.Random(2031)))
    marks = [(slot["id"], person) for slot in sheet["slots"] for person in trainees]
    batches = [marks[i:i + 200] for i in range(0, len(marks), 200)]
    pushes = 0
    with open(pushes_file, "w") as out:
        for batch in batches + batches:
            device = call(base, "POST", "/api/v1/devices", token, {"name": "bench", "platform": "bench"})["id"]
            mutations = [{
                "seq": seq, "id": str(uuid.uuid4()), "name": "attendance.set@1", "hlc": 1 << 16,
                "base_version": None, "prev_local_seq": None,
                "args": {"slot_id": slot, "person_id": person, "status": "present", "signature_sha256": sha},
            } for seq, (slot, person) in enumerate(batch, start=1)]
            out.write(json.dumps({"protocol": 1, "schema_version": 1, "device_id": device, "mutations": mutations}) + "\n")
            pushes += 1
    reader = call(base, "POST", "/api/v1/devices", token, {"name": "reader", "platform": "bench"})["id"]
    print(token, pushes, reader, session)


def pull_to_end(base, token, device):
    """The reading device's cursor once up to date (after the pushes)."""
    cursor = None
    while True:
        page = call(base, "POST", "/sync/v1/pull", token, {
            "protocol": 1, "schema_version": 1, "device_id": device, "cursor": cursor, "limit": 2000})
        cursor = page["cursor"]
        if not page["has_more"]:
            return cursor


if __name__ == "__main__":
    if sys.argv[1] == "cursor":
        print(pull_to_end(sys.argv[2], sys.argv[3], sys.argv[4]))
    else:
        main(*sys.argv[1:4])
