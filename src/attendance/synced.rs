//! What devices pull of attendance: a session's marks and countersignatures are in the session's
//! scope (its trainers' devices). Club meetings' marks will be in their club's scope when clubs
//! land (the mark's `activity_kind` says which).

use entity::status::ActivityKind;

use crate::db::scope::Scope;
use crate::synced;

synced!(
    attendance_mark,
    "attendance_mark",
    |row| match row.activity_kind {
        ActivityKind::Slot => vec![Scope::Session(row.context_id)],
        ActivityKind::Meeting => Vec::new(),
    }
);

synced!(slot_signoff, "slot_signoff", |row| vec![Scope::Session(
    row.session_id
)]);
