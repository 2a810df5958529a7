"""Arranges the benchmark's survey scenarios (scripts/bench) through the public API.

As the demo administrator: a federation-wide hot-survey template; a trainee with a password;
a session of the first published training whose only half-day was yesterday morning (Paris), so
its hot survey is open now. A session's trainees keep its start once it has begun, so it is
planned with a second half-day in 2032 and the trainee enrolled late from the first, then the
2032 half-day is removed. The trainee reads their invitations (which opens the survey).

Prints the invitation id, the trainee's token and the training id.

    python3 scripts/bench_surveys_setup.py BASE_URL PASSWORD
"""

import datetime
import sys
import zoneinfo

from bench_enrol_setup import call

TEMPLATE = {
    "title": "Votre avis à chaud (benchmark)",
    "kind": "hot",
    "questions": [
        {"key": "overall", "label": "Satisfaction globale", "type": "scale_5", "required": True, "satisfaction": True},
        {"key": "useful", "label": "Utile ?", "type": "single_choice", "required": False, "choices": ["oui", "en partie", "non"]},
        {"key": "recommend", "label": "Recommanderiez-vous ?", "type": "scale_10", "required": False},
        {"key": "comment", "label": "Commentaire", "type": "text", "required": False},
    ],
}


def main(base, password):
    admin = call(base, "POST", "/api/v1/auth/login", body={"email": "admin@demo.passerelle.test", "password": password})["token"]
    call(base, "POST", "/api/v1/surveys/templates", admin, TEMPLATE)
    email = "surveys.bench.trainee@demo.passerelle.test"
    secret = "surveys-bench-password-2026"
    trainee = call(base, "POST", "/api/v1/people", admin, {
        "email": email, "first_name": "Surveys", "last_name": "Bench", "roles": ["member"], "password": secret,
    })["id"]
    trainee_token = call(base, "POST", "/api/v1/auth/login", body={"email": email, "password": secret})["token"]
    training = call(base, "GET", "/api/v1/trainings?status=published&limit=1", admin)["items"][0]["id"]
    room = call(base, "POST", "/api/v1/rooms", admin, {
        "name": "Surveys hall", "is_online": False, "address": "5 rue du Banc", "city": "Paris",
        "country": "FR", "capacity": 40, "accessibility": "Step-free access",
    })["id"]
    yesterday = (datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Paris")) - datetime.timedelta(days=1)).date()
    held = {"date": yesterday.isoformat(), "period": "morning", "start": "09:00", "end": "12:30"}
    later = {"date": "2032-06-08", "period": "morning", "start": "09:00", "end": "12:30"}
    session = call(base, "POST", "/api/v1/sessions", admin, {
        "training_id": training, "room_id": room, "capacity": 20, "duration_note": "surveys benchmark session",
        "slots": [held, later],
    })["id"]
    call(base, "POST", f"/api/v1/sessions/{session}/publish", admin)
    first = call(base, "GET", f"/api/v1/sessions/{session}/attendance", admin)["slots"][0]["id"]
    call(base, "POST", f"/api/v1/sessions/{session}/enrolments", admin, {"person_id": trainee, "first_slot_id": first})
    call(base, "PUT", f"/api/v1/sessions/{session}/slots", admin, {"slots": [held]})
    invitations = call(base, "GET", "/api/v1/surveys/invitations", trainee_token)["items"]
    hot = [i for i in invitations if i["kind"] == "hot" and i["session_id"] == session]
    print(hot[0]["id"], trainee_token, training)


if __name__ == "__main__":
    main(*sys.argv[1:3])
