//! Scenarios 1–3 and 22: devices that disagree, a device's own edits, the same mark created
//! twice, and online edits reaching devices.

use serde_json::json;

use super::device::{Device, mark_id};
use super::oracle::pull_and_check;
use super::{co_trainer, online_mark, session_day};
use crate::fixtures::signature_png;
use crate::harness::TestApp;

/// Scenario 1, both push orders: A (trainer) records present with a signature, B (co-trainer)
/// absent, both offline. Whatever order they push in, the signed present stays, one conflict
/// keeps the absent, and both devices converge.
async fn two_devices_that_disagree_end_with_the_signed_present_whatever_the_push_order(
    mut app: TestApp,
) {
    let (admin, running) = session_day(&mut app, 2).await;
    let second = co_trainer(&app, &admin, &running).await;
    for (round, a_first) in [(0usize, true), (1, false)] {
        let trainee = running.trainees[round].id;
        let slot = running.slots[0];
        let mut a = Device::register(&app, &running.trainer).await;
        let mut b = Device::register(&app, &second).await;
        a.sync(&app).await.expect(200);
        b.sync(&app).await.expect(200);
        a.set_mark(
            &app,
            slot,
            trainee,
            Some("present"),
            Some(signature_png(7 + round as u32)),
        );
        b.set_mark(&app, slot, trainee, Some("absent"), None);
        if a_first {
            a.push(&app).await.expect(200);
            b.push(&app).await.expect(200);
        } else {
            b.push(&app).await.expect(200);
            a.push(&app).await.expect(200);
        }
        let mark = online_mark(&app, &admin, slot, trainee).await;
        assert_eq!(mark["status"], "present", "round {round}");
        assert!(mark["signature_sha256"].is_string());
        let conflicts = app.get("/api/v1/sync/conflicts", Some(&admin.token)).await;
        conflicts.expect(200);
        let about: Vec<_> = conflicts
            .body
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["entity_id"] == json!(mark_id(slot, trainee)))
            .collect();
        assert_eq!(
            about.len(),
            1,
            "one conflict per disagreement: {}",
            conflicts.text
        );
        assert_eq!(about[0]["rule"], "signed_evidence");
        assert_eq!(about[0]["winner"]["status"], "present");
        assert_eq!(about[0]["loser"]["status"], "absent", "the loser is kept");
        pull_and_check(&app, &mut a).await;
        pull_and_check(&app, &mut b).await;
        for device in [&a, &b] {
            let row = device
                .view("attendance_mark", mark_id(slot, trainee))
                .unwrap();
            assert_eq!(row["status"], "present");
            assert!(
                device
                    .base
                    .keys()
                    .any(|(t, id)| t == "sync_conflict" && json!(id) == about[0]["id"]),
                "both devices pull the conflict"
            );
        }
    }
}
db_test!(two_devices_that_disagree_end_with_the_signed_present_whatever_the_push_order);

/// Scenario 1, unsigned: the later clock wins, the same whichever device pushes first.
async fn of_two_unsigned_marks_the_later_clock_wins_in_either_order(mut app: TestApp) {
    let (admin, running) = session_day(&mut app, 2).await;
    let second = co_trainer(&app, &admin, &running).await;
    for (round, early_first) in [(0usize, true), (1, false)] {
        let trainee = running.trainees[round].id;
        let slot = running.slots[0];
        let mut early = Device::register(&app, &running.trainer).await;
        let mut late = Device::register(&app, &second).await;
        early.set_mark(&app, slot, trainee, Some("absent"), None);
        running.clock.advance(chrono::Duration::seconds(30));
        late.set_mark(&app, slot, trainee, Some("excused"), None);
        let (first, then) = if early_first {
            (&mut early, &mut late)
        } else {
            (&mut late, &mut early)
        };
        first.push(&app).await.expect(200);
        let reply = then.push(&app).await;
        reply.expect(200);
        assert_eq!(reply.body["results"][0]["status"], "conflict");
        assert_eq!(reply.body["results"][0]["conflict"]["rule"], "later_clock");
        let mark = online_mark(&app, &admin, slot, trainee).await;
        assert_eq!(
            mark["status"], "excused",
            "round {round}: the later edit stays"
        );
    }
}
db_test!(of_two_unsigned_marks_the_later_clock_wins_in_either_order);

/// Scenario 2: one device changes the same mark twice while offline: no conflict with itself.
async fn a_devices_second_offline_edit_of_a_mark_is_no_conflict_with_its_first(mut app: TestApp) {
    let (admin, running) = session_day(&mut app, 1).await;
    let trainee = running.trainees[0].id;
    let slot = running.slots[0];
    let mut device = Device::register(&app, &running.trainer).await;
    device.sync(&app).await.expect(200);
    device.set_mark(&app, slot, trainee, Some("absent"), None);
    device.push(&app).await.expect(200);
    // Offline again: two more edits on top of its own, without pulling in between.
    device.set_mark(&app, slot, trainee, Some("late"), None);
    device.outbox[0].args["late_minutes"] = json!(20);
    device.set_mark(&app, slot, trainee, Some("excused"), None);
    let reply = device.push(&app).await;
    reply.expect(200);
    for result in reply.body["results"].as_array().unwrap() {
        assert_eq!(result["status"], "applied", "{}", reply.text);
    }
    assert_eq!(
        online_mark(&app, &admin, slot, trainee).await["status"],
        "excused"
    );
    let conflicts = app.get("/api/v1/sync/conflicts", Some(&admin.token)).await;
    assert_eq!(conflicts.body, json!([]));
}
db_test!(a_devices_second_offline_edit_of_a_mark_is_no_conflict_with_its_first);

/// Scenario 3: two devices create the same mark offline: one row (its id is the same UUIDv5
/// on both), never two.
async fn two_devices_creating_the_same_mark_make_one_row(mut app: TestApp) {
    let (admin, running) = session_day(&mut app, 1).await;
    let second = co_trainer(&app, &admin, &running).await;
    let trainee = running.trainees[0].id;
    let slot = running.slots[0];
    let mut a = Device::register(&app, &running.trainer).await;
    let mut b = Device::register(&app, &second).await;
    a.set_mark(&app, slot, trainee, Some("present"), None);
    b.set_mark(&app, slot, trainee, Some("present"), None);
    a.push(&app).await.expect(200);
    let reply = b.push(&app).await;
    reply.expect(200);
    assert_eq!(
        reply.body["results"][0]["status"], "applied",
        "the same value is no conflict"
    );
    pull_and_check(&app, &mut a).await;
    pull_and_check(&app, &mut b).await;
    let marks: Vec<_> = a
        .base
        .keys()
        .filter(|(t, _)| t == "attendance_mark")
        .collect();
    assert_eq!(marks.len(), 1);
    assert_eq!(marks[0].1, mark_id(slot, trainee));
}
db_test!(two_devices_creating_the_same_mark_make_one_row);

/// Scenario 22: an administrator's online edit (through the ordinary API) gets a version and
/// reaches the trainer's device at its next pull.
async fn an_online_edit_by_an_administrator_reaches_the_trainers_device(mut app: TestApp) {
    let (admin, running) = session_day(&mut app, 1).await;
    let trainee = running.trainees[0].id;
    let slot = running.slots[0];
    let mut device = Device::register(&app, &running.trainer).await;
    pull_and_check(&app, &mut device).await;
    assert!(
        device
            .base
            .contains_key(&("session".to_owned(), running.session))
    );
    app.mark(&admin, slot, trainee, json!({ "status": "excused" }))
        .await
        .expect(201);
    pull_and_check(&app, &mut device).await;
    let row = &device.base[&("attendance_mark".to_owned(), mark_id(slot, trainee))];
    assert_eq!(row.data["status"], "excused");
    assert_eq!(row.data["recorded_as"], "admin");
}
db_test!(an_online_edit_by_an_administrator_reaches_the_trainers_device);
