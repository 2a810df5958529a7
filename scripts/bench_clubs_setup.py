"""Arranges the benchmark's club scenarios (scripts/bench) through the public API.

As the demo administrator: an open club with a public calendar, up to 200 people of the dataset
added as members, ten meetings starting in ten minutes (attendance opens 30 minutes before), and
a file of attendance requests: one `PUT /api/v1/meetings/{meeting}/attendance/{person}` per
meeting and member, as `PATH<TAB>BODY` lines for `loadgen --path-per-body`. Prints the club id,
one meeting id, the administrator's token and the number of requests.

    python3 scripts/bench_clubs_setup.py BASE_URL PASSWORD MARKS_FILE
"""

import datetime
import json
import sys
import urllib.error

from bench_enrol_setup import call


def main(base, password, marks_file):
    token = call(base, "POST", "/api/v1/auth/login", body={"email": "admin@demo.passerelle.test", "password": password})["token"]
    club = call(base, "POST", "/api/v1/clubs", token, {
        "name": "Benchmark club", "trade": "financial_management", "membership_policy": "open",
        "calendar_visibility": "public", "description": "Club of the benchmark harness.",
    })["id"]
    people = [p["id"] for p in call(base, "GET", "/api/v1/people?limit=200", token)["items"]]
    members = []
    for person in people:
        try:
            call(base, "POST", f"/api/v1/clubs/{club}/members", token, {"person_id": person})
            members.append(person)
        except urllib.error.HTTPError:
            pass  # an inactive account, say
    start = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=10)
    meetings = []
    for i in range(10):
        meetings.append(call(base, "POST", f"/api/v1/clubs/{club}/meetings", token, {
            "title": f"Benchmark meeting {i + 1}", "agenda": "1. Figures",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "ends_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "place": "Salle du banc, Paris", "online_url": "https://visio.example.org/bench",
        })["id"])
    count = 0
    with open(marks_file, "w") as out:
        for meeting in meetings:
            for person in members:
                out.write(f"/api/v1/meetings/{meeting}/attendance/{person}\t{json.dumps({'status': 'present'})}\n")
                count += 1
    print(club, meetings[0], token, count)


if __name__ == "__main__":
    main(*sys.argv[1:4])
