//! What devices pull of enrolment: a person's devices their own enrolments (whole, but the
//! idempotency key, which is its caller's and no device's); a session's trainers' devices its
//! roster — who (the pull adds their names), whether they are in, from which half-day when they
//! joined late, and whether they answered the positioning questionnaire; never the price, the funding or the needs the trainee stated.

use crate::db::scope::Scope;
use crate::synced;

synced!(
    enrolment,
    "enrolment",
    hide["idempotency_key"],
    fields {
        Session => [
            "id",
            "session_id",
            "person_id",
            "status",
            "positioning_answered_at",
            "late_first_slot_id",
            "version",
        ],
    },
    |row| vec![Scope::Person(row.person_id), Scope::Session(row.session_id)]
);
