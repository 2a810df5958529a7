//! What devices pull of the catalogue: published trainings, rooms and listed sessions are in the
//! catalogue scope; a session and its half-days are in the session's scope (its trainers'
//! devices).

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

synced!(room, "room", |_row| vec![Scope::Catalogue]);

synced!(training_session, "session", |row| {
    let mut scopes = vec![Scope::Session(row.id)];
    if row.listed {
        scopes.push(Scope::Catalogue);
    }
    scopes
});

synced!(slot, "slot", |row| vec![Scope::Session(row.session_id)]);
