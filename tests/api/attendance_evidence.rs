//! Evidence that holds up: the server witnesses when it receives each signature (online: the
//! request; offline: the push, with the device's clock offset), the checks compare that with the
//! declared signing times, no one records a half-day before it starts, and an administrator's
//! change after a half-day is a correction with its reason, printed on the sheet's audit page.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use crate::attendance_checks::flags;
use crate::documents::{pdf, set_provider};
use crate::fixtures::{Running, b64, signature_png};
use crate::harness::TestApp;
use crate::sync::device::Device;

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn at(value: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(value.as_str().expect("a timestamp"))
        .expect("RFC 3339")
        .with_timezone(&Utc)
}

/// A signed present mark declaring `signed_at`.
fn signed_at(seed: u32, when: DateTime<Utc>) -> Value {
    json!({
        "status": "present",
        "signature_png": b64(&signature_png(seed)),
        "signed_at": rfc3339(when),
    })
}

async fn mark_of(app: &TestApp, running: &Running, index: usize) -> Value {
    let reply = app
        .get(
            &format!(
                "/api/v1/slots/{}/marks/{}",
                running.slots[index], running.trainees[0].id
            ),
            Some(&running.trainer.token),
        )
        .await;
    reply.expect(200);
    reply.body
}

const WITNESS_FLAGS: [&str; 3] = [
    "received_together_long_after",
    "signed_outside_half_day",
    "signing_time_unexplained",
];

fn witness_flags(codes: &[String]) -> Vec<&str> {
    codes
        .iter()
        .map(String::as_str)
        .filter(|c| WITNESS_FLAGS.contains(c))
        .collect()
}

async fn back_dated_marks_of_three_past_half_days_sent_together_are_flagged(mut app: TestApp) {
    let (_admin, running) = app.running_session(2, 1).await;
    let trainee = running.trainees[0].id;
    // Wednesday morning: the trainer sends Monday's and Tuesday's morning signatures at once,
    // each declaring a time inside its half-day.
    running.set_clock(running.starts[3] + Duration::days(1));
    for index in 0..3 {
        let declared = running.starts[index] + Duration::minutes(5);
        app.mark(
            &running.trainer,
            running.slots[index],
            trainee,
            signed_at(index as u32, declared),
        )
        .await
        .expect(201);
        running.clock.advance(Duration::milliseconds(300));
    }

    let codes = flags(&app, &running).await;
    assert_eq!(witness_flags(&codes), ["received_together_long_after"]);
    let mark = mark_of(&app, &running, 0).await;
    assert_eq!(
        at(&mark["mark"]["signed_at"]),
        running.starts[0] + Duration::minutes(5),
        "the declared time is kept as declared"
    );
    assert!(
        at(&mark["mark"]["received_at"]) > running.starts[3],
        "beside the server's receipt: {mark}"
    );
    assert!(mark["mark"]["device_clock_offset_ms"].is_null());
}
db_test!(back_dated_marks_of_three_past_half_days_sent_together_are_flagged);

async fn the_same_marks_sent_during_their_half_days_raise_no_witness_flag(mut app: TestApp) {
    let (_admin, running) = app.running_session(2, 1).await;
    let trainee = running.trainees[0].id;
    for index in 0..3 {
        running.at_slot(index, 10);
        app.mark(
            &running.trainer,
            running.slots[index],
            trainee,
            Running::present(index as u32),
        )
        .await
        .expect(201);
    }
    running.set_clock(running.starts[3] + Duration::days(1));

    let codes = flags(&app, &running).await;
    assert!(witness_flags(&codes).is_empty(), "{codes:?}");
    let mark = mark_of(&app, &running, 1).await;
    assert_eq!(
        at(&mark["mark"]["received_at"]),
        running.starts[1] + Duration::minutes(10)
    );
}
db_test!(the_same_marks_sent_during_their_half_days_raise_no_witness_flag);

async fn an_offline_push_after_a_week_in_the_field_with_a_consistent_clock_raises_no_witness_flag(
    mut app: TestApp,
) {
    let (_admin, running) = app.running_session(2, 1).await;
    let trainee = running.trainees[0].id;
    let mut tablet = Device::register(&app, &running.trainer).await;
    tablet.sync(&app).await.expect(200);
    // The tablet's clock runs two hours behind, consistently: its declared times fall outside
    // the half-days, and its offset, said at the push, explains them.
    tablet.skew_ms = -Duration::hours(2).num_milliseconds();
    for index in 0..3 {
        running.at_slot(index, 10);
        tablet.set_mark(
            &app,
            running.slots[index],
            trainee,
            Some("present"),
            Some(signature_png(index as u32)),
        );
    }
    running.set_clock(running.starts[3] + Duration::days(7));
    let pushed = tablet.push(&app).await;
    pushed.expect(200);
    for result in pushed.body["results"].as_array().unwrap() {
        assert_eq!(result["status"], "applied", "{}", pushed.text);
    }

    let codes = flags(&app, &running).await;
    assert!(witness_flags(&codes).is_empty(), "{codes:?}");
    let mark = mark_of(&app, &running, 2).await;
    assert_eq!(
        at(&mark["mark"]["received_at"]),
        running.starts[3] + Duration::days(7),
        "received at the push"
    );
    assert_eq!(
        mark["mark"]["device_clock_offset_ms"],
        -Duration::hours(2).num_milliseconds()
    );
    assert_eq!(
        at(&mark["mark"]["device_recorded_at"]),
        running.starts[2] + Duration::minutes(10) - Duration::hours(2),
        "the device's own clock when it recorded the mark"
    );
}
db_test!(an_offline_push_after_a_week_in_the_field_with_a_consistent_clock_raises_no_witness_flag);

async fn a_device_declaring_a_signature_later_than_it_recorded_it_is_flagged(mut app: TestApp) {
    let (_admin, running) = app.running_session(1, 1).await;
    let trainee = running.trainees[0].id;
    let mut tablet = Device::register(&app, &running.trainer).await;
    tablet.sync(&app).await.expect(200);
    running.at_slot(0, 10);
    tablet.set_mark(
        &app,
        running.slots[0],
        trainee,
        Some("present"),
        Some(signature_png(5)),
    );
    // The signing time says three hours later than the tablet recorded the mark.
    tablet.outbox.last_mut().unwrap().args["signed_at"] =
        json!(rfc3339(running.starts[0] + Duration::minutes(190)));
    running.at_slot(1, 200);
    tablet.push(&app).await.expect(200);

    let codes = flags(&app, &running).await;
    assert_eq!(witness_flags(&codes), ["signing_time_unexplained"]);
}
db_test!(a_device_declaring_a_signature_later_than_it_recorded_it_is_flagged);

async fn a_mark_for_tomorrow_is_refused_and_ten_minutes_before_the_start_it_is_accepted(
    mut app: TestApp,
) {
    let (admin, running) = app.running_session(2, 1).await;
    let trainee = running.trainees[0].id;
    let tomorrow = running.slots[2];
    running.at_slot(0, 60);

    let by_trainer = app
        .mark(&running.trainer, tomorrow, trainee, Running::present(1))
        .await;
    let by_admin = app
        .mark(&admin, tomorrow, trainee, json!({ "status": "absent" }))
        .await;
    let mut tablet = Device::register(&app, &running.trainer).await;
    tablet.sync(&app).await.expect(200);
    tablet.set_mark(&app, tomorrow, trainee, Some("absent"), None);
    let pushed = tablet.push(&app).await;

    by_trainer.expect_error(409, "attendance.slot_not_started");
    by_admin.expect_error(409, "attendance.slot_not_started");
    pushed.expect(200);
    let result = &pushed.body["results"][0];
    assert_eq!(result["status"], "rejected", "{}", pushed.text);
    assert_eq!(result["reason"]["error"], "attendance.slot_not_started");
    let unrecorded = app
        .get(
            &format!("/api/v1/slots/{tomorrow}/marks/{trainee}"),
            Some(&admin.token),
        )
        .await;
    unrecorded.expect_error(404, "attendance.mark_not_found");

    running.set_clock(running.starts[2] - Duration::minutes(10));
    app.mark(&running.trainer, tomorrow, trainee, Running::present(1))
        .await
        .expect(201);
}
db_test!(a_mark_for_tomorrow_is_refused_and_ten_minutes_before_the_start_it_is_accepted);

async fn an_administrators_change_after_the_half_day_is_a_correction_with_its_reason(
    mut app: TestApp,
) {
    let (admin, running) = app.running_session(1, 1).await;
    set_provider(&app, &admin).await;
    let trainee = running.trainees[0].id;
    let slot = running.slots[0];
    running.at_slot(0, 10);
    app.mark(&running.trainer, slot, trainee, Running::present(3))
        .await
        .expect(201);
    let signed = mark_of(&app, &running, 0).await["mark"].clone();
    running.at_slot(1, 20);

    let without_reason = app
        .mark(
            &admin,
            slot,
            trainee,
            json!({ "status": "late", "late_minutes": 20 }),
        )
        .await;
    let with_signature = app
        .mark(
            &admin,
            slot,
            trainee,
            json!({
                "status": "present",
                "signature_png": b64(&signature_png(9)),
                "reason": "signed on paper",
            }),
        )
        .await;
    let corrected = app
        .mark(
            &admin,
            slot,
            trainee,
            json!({
                "status": "late", "late_minutes": 20,
                "reason": "arrived at 9:20 according to the paper sheet",
            }),
        )
        .await;

    without_reason.expect_error(422, "attendance.invalid");
    assert!(
        without_reason.body["fields"]["reason"].is_array(),
        "{}",
        without_reason.text
    );
    with_signature.expect_error(422, "attendance.invalid");
    assert!(with_signature.body["fields"]["signature_png"].is_array());
    corrected.expect(200);
    let mark = &corrected.body;
    assert_eq!(mark["status"], "late");
    assert_eq!(mark["recorded_as"], "admin");
    // The trainee's signature stays, with its times: the correction is not a signature.
    assert_eq!(mark["signature_sha256"], signed["signature_sha256"]);
    assert_eq!(mark["signed_at"], signed["signed_at"]);
    assert_eq!(mark["received_at"], signed["received_at"]);
    let history = mark_of(&app, &running, 0).await["history"].clone();
    let actions: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["set", "correct"]);
    assert_eq!(
        history[1]["reason"],
        "arrived at 9:20 according to the paper sheet"
    );

    let sheet = pdf(
        &app,
        &admin,
        &format!("/api/v1/sessions/{}/attendance-sheet", running.session),
    )
    .await;
    sheet.assert_says("JOURNAL DE PREUVE");
    sheet.assert_says("Reçu par le serveur");
    // Paris time of the trainer's receipt: 09:10 on 8 March 2027.
    sheet.assert_says("08/03/2027 09:10:00");
    sheet.assert_says("arrived at 9:20 according to the paper sheet");
}
db_test!(an_administrators_change_after_the_half_day_is_a_correction_with_its_reason);
