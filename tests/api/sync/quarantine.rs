//! Accepting what a revoked device pushed applies it by the rules of a push: the version the
//! device had seen and its own previous change decide, as they would have then.

use serde_json::{Value, json};
use uuid::Uuid;

use super::device::{Device, mark_id};
use super::oracle::pull_and_check;
use super::recovery::{decide, quarantine};
use super::{co_trainer, online_mark, session_day};
use crate::fixtures::{Running, User};
use crate::harness::TestApp;

/// The trainer's device is revoked (`POST /api/v1/devices/{id}/revoke`).
async fn revoke(app: &TestApp, running: &Running, device: &Device) {
    app.post(
        &format!("/api/v1/devices/{}/revoke", device.id),
        Some(&running.trainer.token),
        json!({ "reason": "left on the train" }),
    )
    .await
    .expect(200);
}

/// Every trainee of the session marked `excused` online by the administrator.
async fn excuse_everyone(app: &TestApp, admin: &User, running: &Running, slot: Uuid) {
    for trainee in &running.trainees {
        app.mark(admin, slot, trainee.id, json!({ "status": "excused" }))
            .await
            .expect(201);
    }
}

/// A mark the device changed after pulling its current version, pushed once the device was
/// revoked, is applied when an administrator accepts it: the result is `applied`, not a
/// conflict, and the mark reads back with the device's values.
async fn an_accepted_mark_whose_device_had_seen_the_current_version_is_applied(mut app: TestApp) {
    let (admin, running) = session_day(&mut app, 1).await;
    let slot = running.slots[0];
    let trainee = running.trainees[0].id;
    excuse_everyone(&app, &admin, &running, slot).await;
    let mut device = Device::register(&app, &running.trainer).await;
    pull_and_check(&app, &mut device).await;
    let seen = device.base[&("attendance_mark".to_owned(), mark_id(slot, trainee))].version;
    device.set_mark(&app, slot, trainee, Some("absent"), None);
    assert_eq!(device.outbox[0].base_version, Some(seen));
    revoke(&app, &running, &device).await;
    device
        .push(&app)
        .await
        .expect_error(403, "sync.device_revoked");

    let waiting = quarantine(&app, &admin, None).await;
    assert_eq!(waiting.len(), 1, "{waiting:?}");
    assert_eq!(waiting[0]["base_version"], seen, "kept as pushed");
    assert_eq!(waiting[0]["prev_local_seq"], Value::Null);
    let accepted = decide(&app, &admin, device.id, 1, "accept", "recorded in the room").await;

    accepted.expect(200);
    assert_eq!(accepted.body["status"], "accepted");
    let result = &accepted.body["result"];
    assert_eq!(result["status"], "applied", "{}", accepted.text);
    assert!(result["conflict"].is_null(), "{}", accepted.text);
    assert_eq!(result["state"]["status"], "absent");
    let mark = online_mark(&app, &admin, slot, trainee).await;
    assert_eq!(mark["status"], "absent", "the device's value: {mark}");
    assert_eq!(mark["recorded_by"], json!(running.trainer.id));
    assert_eq!(mark["device_id"], json!(device.id));
}
db_test!(an_accepted_mark_whose_device_had_seen_the_current_version_is_applied);

/// A mark the device changed without seeing the office's later correction is decided, once
/// accepted, exactly as the same change pushed by a live device: the same conflict, rule and
/// resolution, and the stored mark is the winner's.
async fn an_accepted_mark_whose_device_had_not_seen_the_current_version_conflicts_as_a_push(
    mut app: TestApp,
) {
    let (admin, running) = session_day(&mut app, 2).await;
    let slot = running.slots[0];
    let (quarantined, pushed) = (running.trainees[0].id, running.trainees[1].id);
    excuse_everyone(&app, &admin, &running, slot).await;
    let second = co_trainer(&app, &admin, &running).await;
    let mut revoked = Device::register(&app, &running.trainer).await;
    let mut live = Device::register(&app, &second).await;
    pull_and_check(&app, &mut revoked).await;
    pull_and_check(&app, &mut live).await;
    revoked.set_mark(&app, slot, quarantined, Some("absent"), None);
    live.set_mark(&app, slot, pushed, Some("absent"), None);
    // The office corrects both marks after the devices pulled: signed presences.
    for (seed, person) in [(11, quarantined), (12, pushed)] {
        app.mark(&admin, slot, person, Running::present(seed))
            .await
            .expect(200);
    }
    revoke(&app, &running, &revoked).await;
    revoked
        .push(&app)
        .await
        .expect_error(403, "sync.device_revoked");

    let by_push = live.push(&app).await;
    let accepted = decide(
        &app,
        &admin,
        revoked.id,
        1,
        "accept",
        "recorded in the room",
    )
    .await;

    by_push.expect(200);
    accepted.expect(200);
    let as_pushed = &by_push.body["results"][0];
    let as_accepted = &accepted.body["result"];
    assert_eq!(as_pushed["status"], "conflict", "{}", by_push.text);
    assert_eq!(as_accepted["status"], "conflict", "{}", accepted.text);
    for field in ["rule", "resolution"] {
        assert_eq!(
            as_accepted["conflict"][field], as_pushed["conflict"][field],
            "{field}: {} vs {}",
            accepted.text, by_push.text
        );
    }
    assert_eq!(as_accepted["conflict"]["rule"], "signed_evidence");
    assert_eq!(as_accepted["conflict"]["resolution"], "server_won");
    for person in [quarantined, pushed] {
        let mark = online_mark(&app, &admin, slot, person).await;
        assert_eq!(
            mark["status"], "present",
            "the signed presence stays: {mark}"
        );
    }
}
db_test!(an_accepted_mark_whose_device_had_not_seen_the_current_version_conflicts_as_a_push);
