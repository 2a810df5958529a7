"""Arranges the benchmark's enrolment scenario (scripts/bench) through the public API.

As the demo administrator: a room of 10,000 places, a published session of 5,000 of a published
training, and a file of enrolment bodies, one per person of the dataset (one enrolment each, so
no request repeats). The first 5,000 are confirmed, the rest waitlisted: both paths are measured.
Prints the session id and the administrator's token.

    python3 scripts/bench_enrol_setup.py BASE_URL PASSWORD BODIES_FILE
"""

import json
import sys
import urllib.request


def call(base, method, path, token=None, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request) as reply:
        return json.loads(reply.read() or b"null")


def main(base, password, bodies_file):
    token = call(base, "POST", "/api/v1/auth/login", body={"email": "admin@demo.passerelle.test", "password": password})["token"]
    training = call(base, "GET", "/api/v1/trainings?status=published&limit=1", token)["items"][0]["id"]
    room = call(base, "POST", "/api/v1/rooms", token, {
        "name": "Benchmark hall", "is_online": False, "address": "1 rue du Banc", "city": "Paris",
        "country": "FR", "capacity": 10000, "accessibility": "Step-free access",
    })["id"]
    session = call(base, "POST", "/api/v1/sessions", token, {
        "training_id": training, "room_id": room, "capacity": 5000,
        "duration_note": "benchmark session", "slots": [
            {"date": "2030-06-03", "period": "morning", "start": "09:00", "end": "12:30"},
        ],
    })["id"]
    call(base, "POST", f"/api/v1/sessions/{session}/publish", token)
    people, cursor = [], None
    while True:
        page = call(base, "GET", "/api/v1/people?limit=200" + (f"&cursor={cursor}" if cursor else ""), token)
        people += [p["id"] for p in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    with open(bodies_file, "w") as out:
        for person in people:
            out.write(json.dumps({"person_id": person, "needs": "Build a budget"}) + "\n")
    print(session, token)


if __name__ == "__main__":
    main(*sys.argv[1:4])
