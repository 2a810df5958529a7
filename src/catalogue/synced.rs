//! What devices pull of the catalogue: published trainings, rooms and listed sessions are in the
//! catalogue scope (everyone: what the public catalogue shows — never an online room's link,
//! nor a session's internal flags); a session and its half-days are in the session's scope
//! (its trainers' devices, whole).

use entity::status::TrainingStatus;

use crate::db::scope::Scope;
use crate::synced;

synced!(training, "training", |row| {
    if row.status == TrainingStatus::Published {
        vec![Scope::Catalogue]
    } else {
        Vec::new()
    }
});

synced!(
    room,
    "room",
    fields {
        Catalogue => [
            "id",
            "name",
            "is_online",
            "address",
            "city",
            "country",
            "capacity",
            "accessibility",
            "updated_at",
            "version",
        ],
    },
    |_row| vec![Scope::Catalogue]
);

synced!(
    training_session,
    "session",
    fields {
        Catalogue => [
            "id",
            "training_id",
            "room_id",
            "time_zone",
            "capacity",
            "seats_taken",
            "enrolment_deadline",
            "status",
            "starts_at",
            "ends_at",
            "planned_minutes",
            "updated_at",
            "version",
        ],
    },
    |row| {
        let mut scopes = vec![Scope::Session(row.id)];
        if row.listed {
            scopes.push(Scope::Catalogue);
        }
        scopes
    }
);

synced!(slot, "slot", |row| vec![Scope::Session(row.session_id)]);
