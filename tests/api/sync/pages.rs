//! Scenario 8 (page boundaries) and the pull's basic promises: only the device's scopes, and
//! never cached.

use serde_json::json;

use super::device::Device;
use super::oracle::{assert_converged, server_state};
use super::session_day;
use crate::harness::TestApp;

/// Scenario 8: whatever the page size — 1, one less than the rows, exactly the rows, one
/// more, and pages that split one transaction's rows — the device ends with exactly the rows
/// it may see, and a second pull brings nothing.
async fn pages_of_any_size_bring_exactly_the_missing_rows(mut app: TestApp) {
    let (admin, running) = session_day(&mut app, 3).await;
    // One transaction writing many rows: a countersignature-free day of marks by the admin.
    for slot in &running.slots {
        for trainee in &running.trainees {
            app.mark(&admin, *slot, trainee.id, json!({ "status": "absent" }))
                .await
                .expect(201);
        }
    }
    let mut reference = Device::register(&app, &running.trainer).await;
    reference.pull(&app, None).await.expect(200);
    let total = reference.base.len() as u32;
    assert!(total > 10, "{total} rows");
    let server = server_state(app.db(), &reference.scopes).await;
    assert_converged(&reference, &server);
    for limit in [1, 2, total - 1, total, total + 1, total / 3] {
        let mut device = Device::register(&app, &running.trainer).await;
        let last = device.pull(&app, Some(limit)).await;
        last.expect(200);
        assert_converged(&device, &server);
        let again = device.pull_page(&app, Some(limit)).await;
        assert_eq!(
            again.body["changes"],
            json!([]),
            "limit {limit}: nothing twice"
        );
        assert_eq!(again.body["has_more"], false);
    }
}
db_test!(pages_of_any_size_bring_exactly_the_missing_rows);

/// A trainer's device gets the sessions they teach and the catalogue, not another trainer's
/// session; every answer says `no-store`.
async fn a_device_pulls_only_what_its_person_may_see(mut app: TestApp) {
    let (admin, running) = session_day(&mut app, 1).await;
    let other_trainer = app.trainer().await;
    let clock = running.clock.clone();
    let other = app
        .session_taught_by(&admin, &other_trainer, 1, 1, 15, clock)
        .await;
    let mut device = Device::register(&app, &running.trainer).await;
    let reply = device.pull(&app, None).await;
    reply.expect(200);
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    assert!(
        device
            .scopes
            .contains(&format!("session:{}", running.session))
    );
    assert!(
        !device
            .scopes
            .contains(&format!("session:{}", other.session))
    );
    let slots_of = |session: uuid::Uuid| {
        device
            .base
            .iter()
            .filter(|((t, _), row)| t == "slot" && row.data["session_id"] == json!(session))
            .count()
    };
    assert_eq!(slots_of(running.session), 2);
    assert_eq!(
        slots_of(other.session),
        0,
        "another trainer's half-days stay theirs"
    );
    assert!(
        device
            .base
            .keys()
            .all(|(t, _)| t != "person" || device.base.len() > 1),
        "rows came"
    );
    let person = device
        .base
        .iter()
        .find(|((t, id), _)| t == "person" && *id == running.trainer.id)
        .expect("the trainer's own record");
    assert!(
        person.1.data.get("password_hash").is_none(),
        "secrets never travel"
    );
    let roster: Vec<_> = device
        .base
        .iter()
        .filter(|((t, _), _)| t == "enrolment")
        .collect();
    assert_eq!(roster.len(), 1);
    assert!(
        roster[0].1.data["person_last_name"]
            .as_str()
            .is_some_and(|n| !n.is_empty()),
        "a roster shows names: {:?}",
        roster[0].1.data
    );
}
db_test!(a_device_pulls_only_what_its_person_may_see);
