//! What devices pull of attendance: a session's marks and countersignatures are in the session's
//! scope (its trainers' devices); a club meeting's marks are in its club's animators' scope (the
//! mark's `activity_kind` says which; `context_id` is the session or the club).

use entity::status::ActivityKind;

use crate::db::scope::Scope;
use crate::synced;

synced!(
    attendance_mark,
    "attendance_mark",
    |row| match row.activity_kind {
        ActivityKind::Slot => vec![Scope::Session(row.context_id)],
        ActivityKind::Meeting => vec![Scope::Club(row.context_id)],
    }
);

synced!(slot_signoff, "slot_signoff", |row| vec![Scope::Session(
    row.session_id
)]);
