//! Offline sync, through the public API: the reference device ([`device`]), the convergence
//! oracle ([`oracle`]), and the scenarios of the protocol's acceptance list.

pub mod device;
pub mod oracle;

mod conflicts;
mod fields;
mod intents;
mod ordering;
mod pages;
mod pushes;
mod quarantine;
mod recovery;
mod refusals;
mod simulation;
mod surveys;

use serde_json::json;
use uuid::Uuid;

use crate::fixtures::{Running, User};
use crate::harness::TestApp;

/// A running session (one day, `trainees` trainees) and its trainer, the clock at the first
/// half-day's start.
pub async fn session_day(app: &mut TestApp, trainees: usize) -> (User, Running) {
    let (admin, running) = app.running_session(1, trainees).await;
    running.at_slot(0, 10);
    // The scenarios play both half-days of the day from the morning: marks open a day ahead
    // here (the setting; by default 30 minutes before a half-day).
    app.configure(|s| s.mark_opens_before_minutes = 24 * 60);
    (admin, running)
}

/// Adds a second trainer to the session; answers them.
pub async fn co_trainer(app: &TestApp, admin: &User, running: &Running) -> User {
    let second = app.trainer().await;
    app.patch(
        &format!("/api/v1/sessions/{}", running.session),
        Some(&admin.token),
        json!({ "trainer_ids": [running.trainer.id, second.id] }),
    )
    .await
    .expect(200);
    second
}

/// The mark of `person` at `slot` as an administrator reads it online.
pub async fn online_mark(
    app: &TestApp,
    admin: &User,
    slot: Uuid,
    person: Uuid,
) -> serde_json::Value {
    let reply = app
        .get(
            &format!("/api/v1/slots/{slot}/marks/{person}"),
            Some(&admin.token),
        )
        .await;
    reply.expect(200);
    reply.body["mark"].clone()
}
