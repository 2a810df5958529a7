"""Arranges the benchmark's documents scenarios (scripts/bench) through the public API.

As the demo administrator: a trainer with a password, a session of ten half-days (five weekdays
of June 2025, 09:00-12:30 and 14:00-17:30 in Paris) taught by them, twenty people of the dataset
enrolled and confirmed, each of the 200 marks present with its own signature (a PNG of about
8 KiB), every half-day countersigned by the trainer, and the session closed. A session's
trainees keep its start once it has begun, so the session is planned from the start with its
June 2025 half-days plus one in 2032 (it is still running: an administrator enrols late, from
its first half-day); the trainer records and countersigns June, the 2032 half-day (unmarked) is
removed, and the session is closed with a justification for the checks' flags.

Then a file of twenty lines `/api/v1/enrolments/{id}/certificate<TAB>` (one per trainee, an
empty body: a GET) for `loadgen --path-per-body`; the first download of each issues and stores
the certificate. Prints the session id, the administrator's token and the number of lines.

    python3 scripts/bench_documents_setup.py BASE_URL PASSWORD CERTIFICATES_FILE
"""

import base64
import random
import sys
import urllib.error

from bench_attendance_setup import signature
from bench_enrol_setup import call

TRAINEES = 20


def half_days(year, month, days):
    slots = []
    for day in days:
        date = f"{year}-{month:02d}-{day:02d}"
        slots.append({"date": date, "period": "morning", "start": "09:00", "end": "12:30"})
        slots.append({"date": date, "period": "afternoon", "start": "14:00", "end": "17:30"})
    return slots


def png64(rng):
    return base64.b64encode(signature(rng)).decode()


def main(base, password, certificates_file):
    admin = call(base, "POST", "/api/v1/auth/login", body={"email": "admin@demo.passerelle.test", "password": password})["token"]
    email = "documents.bench.trainer@demo.passerelle.test"
    secret = "documents-bench-password-2025"
    trainer = call(base, "POST", "/api/v1/people", admin, {
        "email": email, "first_name": "Documents", "last_name": "Bench", "roles": ["trainer"], "password": secret,
    })["id"]
    trainer_token = call(base, "POST", "/api/v1/auth/login", body={"email": email, "password": secret})["token"]
    training = call(base, "GET", "/api/v1/trainings?status=published&limit=1", admin)["items"][0]["id"]
    room = call(base, "POST", "/api/v1/rooms", admin, {
        "name": "Documents hall", "is_online": False, "address": "4 rue du Banc", "city": "Paris",
        "country": "FR", "capacity": 40, "accessibility": "Step-free access",
    })["id"]
    # Monday 16 to Friday 20 June 2025: weekdays, no public holiday (Whit Monday was the 9th).
    june = half_days(2025, 6, [16, 17, 18, 19, 20])
    session = call(base, "POST", "/api/v1/sessions", admin, {
        "training_id": training, "room_id": room, "capacity": TRAINEES, "trainer_ids": [trainer],
        "duration_note": "documents benchmark session",
        "slots": june + half_days(2032, 6, [7])[:1],
    })["id"]
    call(base, "POST", f"/api/v1/sessions/{session}/publish", admin)
    first = call(base, "GET", f"/api/v1/sessions/{session}/attendance", admin)["slots"][0]["id"]
    people = [p["id"] for p in call(base, "GET", "/api/v1/people?limit=200", admin)["items"]
              if p.get("active", True) and p["id"] != trainer]
    enrolments = []  # (enrolment id, person id)
    for person in people:
        if len(enrolments) == TRAINEES:
            break
        try:
            enrolment = call(base, "POST", f"/api/v1/sessions/{session}/enrolments", admin,
                             {"person_id": person, "first_slot_id": first})
        except urllib.error.HTTPError:
            continue  # an inactive demo account, say
        if enrolment["status"] == "confirmed":
            enrolments.append((enrolment["id"], person))
    sheet = call(base, "GET", f"/api/v1/sessions/{session}/attendance", admin)
    rng = random.Random(2025)
    for slot in sheet["slots"][:-1]:  # June; the 2032 half-day is removed unmarked
        for _, person in enrolments:
            # The trainer records them: an administrator's change after a half-day would be a
            # correction (a reason, no signature).
            call(base, "PUT", f"/api/v1/slots/{slot['id']}/marks/{person}", trainer_token,
                 {"status": "present", "signature_png": png64(rng)})
        call(base, "POST", f"/api/v1/slots/{slot['id']}/countersign", trainer_token, {"signature_png": png64(rng)})
    call(base, "PUT", f"/api/v1/sessions/{session}/slots", admin, {"slots": june})
    call(base, "POST", f"/api/v1/sessions/{session}/close", admin, {"justification": "benchmark"})
    with open(certificates_file, "w") as out:
        for enrolment, _ in enrolments:
            out.write(f"/api/v1/enrolments/{enrolment}/certificate\t\n")
    print(session, admin, len(enrolments))


if __name__ == "__main__":
    main(*sys.argv[1:4])
