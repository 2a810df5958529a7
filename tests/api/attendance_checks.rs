//! The checks of an attendance sheet (the red flags courts rejected sheets for), and closing a
//! session: each flag is raised by a session built to show it and by no clean session; closing
//! fixes each trainee's minutes and outcome.

use chrono::{TimeZone, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::fixtures::{Running, User, b64, programme, signature_png};
use crate::harness::TestApp;
use crate::oracle::assert_every_synced_row_is_stamped;

/// Records every half-day as the trainer would, `body(trainee, half_day)` per mark (`None`:
/// nothing), and countersigns each one unless `unsigned` lists it.
async fn record(
    app: &TestApp,
    running: &Running,
    body: impl Fn(usize, usize) -> Option<Value>,
    unsigned: &[usize],
) {
    for (index, slot) in running.slots.iter().enumerate() {
        running.at_slot(index, 20);
        for (n, trainee) in running.trainees.iter().enumerate() {
            if let Some(body) = body(n, index) {
                let reply = app.mark(&running.trainer, *slot, trainee.id, body).await;
                assert!(reply.status == 200 || reply.status == 201, "{}", reply.text);
            }
        }
        if !unsigned.contains(&index) {
            running.at_slot(index, 200);
            app.countersign(&running.trainer, *slot, 7000 + index as u32)
                .await
                .expect(200);
        }
    }
}

/// Each trainee signs each half-day with an image of their own.
fn signed(n: usize, index: usize) -> Option<Value> {
    Some(Running::present((n * 1000 + index) as u32))
}

pub async fn flags(app: &TestApp, running: &Running) -> Vec<String> {
    let reply = app
        .get(
            &format!("/api/v1/sessions/{}/checks", running.session),
            Some(&running.trainer.token),
        )
        .await;
    reply.expect(200);
    let codes: Vec<String> = reply.body["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(reply.body["clean"], codes.is_empty());
    codes
}

async fn enrolment_of(app: &TestApp, admin: &User, session: Uuid, person: Uuid) -> Value {
    app.roster(admin, session)
        .await
        .into_iter()
        .find(|e| e["person_id"] == person.to_string())
        .unwrap()
}

async fn a_clean_session_raises_no_flag_and_closing_it_completes_its_enrolments(mut app: TestApp) {
    let (admin, running) = app.running_session(1, 3).await;
    let late = |n: usize, index: usize| match (n, index) {
        (1, 1) => Some(json!({
            "status": "late", "late_minutes": 30,
            "signature_png": b64(&signature_png(4242)),
        })),
        (2, _) => Some(json!({ "status": "absent" })),
        _ => signed(n, index),
    };
    record(&app, &running, late, &[]).await;
    let close = format!("/api/v1/sessions/{}/close", running.session);

    let clean = flags(&app, &running).await;
    let too_soon = app.post(&close, Some(&admin.token), json!({})).await;
    running.at_slot(1, 240);
    let by_trainer = app
        .post(&close, Some(&running.trainer.token), json!({}))
        .await;
    let closed = app.post(&close, Some(&admin.token), json!({})).await;
    let after = app
        .mark(
            &running.trainer,
            running.slots[0],
            running.trainees[2].id,
            Running::present(1),
        )
        .await;

    assert!(clean.is_empty(), "no flag on a clean session: {clean:?}");
    too_soon.expect_error(409, "attendance.session_not_over");
    by_trainer.expect_error(403, "attendance.forbidden");
    closed.expect(200);
    assert_eq!(closed.body["flags"], json!([]));
    let (t0, t1, t2) = (
        enrolment_of(&app, &admin, running.session, running.trainees[0].id).await,
        enrolment_of(&app, &admin, running.session, running.trainees[1].id).await,
        enrolment_of(&app, &admin, running.session, running.trainees[2].id).await,
    );
    assert_eq!(t0["status"], "completed");
    assert_eq!(
        (t0["attended_minutes"].as_i64(), t0["outcome"].as_str()),
        (Some(420), Some("completed"))
    );
    assert_eq!(
        (t1["attended_minutes"].as_i64(), t1["outcome"].as_str()),
        (Some(390), Some("partial"))
    );
    assert_eq!(
        (t2["attended_minutes"].as_i64(), t2["outcome"].as_str()),
        (Some(0), Some("absent"))
    );
    after.expect_error(409, "attendance.session_closed");

    let reopened = app
        .post(
            &format!("/api/v1/sessions/{}/reopen", running.session),
            Some(&admin.token),
            json!({ "reason": "a late arrival was recorded on the wrong trainee" }),
        )
        .await;
    reopened.expect(200);
    assert_eq!(
        reopened.body["reopen_reason"],
        "a late arrival was recorded on the wrong trainee"
    );
    let back = enrolment_of(&app, &admin, running.session, running.trainees[0].id).await;
    assert_eq!(back["status"], "confirmed");
    assert_eq!(back["outcome"], "pending");
    assert_every_synced_row_is_stamped(app.db()).await;
}
db_test!(a_clean_session_raises_no_flag_and_closing_it_completes_its_enrolments);

async fn a_half_day_without_countersignature_is_flagged(mut app: TestApp) {
    let (_admin, running) = app.running_session(1, 2).await;
    record(&app, &running, signed, &[1]).await;

    assert_eq!(flags(&app, &running).await, ["slot_not_countersigned"]);
}
db_test!(a_half_day_without_countersignature_is_flagged);

async fn a_present_mark_without_signature_is_flagged(mut app: TestApp) {
    let (_admin, running) = app.running_session(1, 2).await;
    let unsigned = |n, index| match (n, index) {
        (0, 1) => Some(json!({ "status": "present" })),
        _ => signed(n, index),
    };
    record(&app, &running, unsigned, &[]).await;

    assert_eq!(flags(&app, &running).await, ["signature_missing"]);
}
db_test!(a_present_mark_without_signature_is_flagged);

async fn half_days_signed_in_one_go_are_flagged(mut app: TestApp) {
    let (_admin, running) = app.running_session(1, 1).await;
    let trainee = running.trainees[0].id;
    // Both half-days recorded and signed together in the afternoon.
    running.at_slot(1, 20);
    for (index, slot) in running.slots.iter().enumerate() {
        app.mark(
            &running.trainer,
            *slot,
            trainee,
            Running::present(index as u32),
        )
        .await
        .expect(201);
    }
    for slot in &running.slots {
        app.countersign(&running.trainer, *slot, 77)
            .await
            .expect(200);
    }

    // The morning's signature, declared in the afternoon, is also outside its half-day.
    assert_eq!(
        flags(&app, &running).await,
        ["signed_in_one_go", "signed_outside_half_day"]
    );
}
db_test!(half_days_signed_in_one_go_are_flagged);

async fn a_signature_made_days_after_its_half_day_is_flagged(mut app: TestApp) {
    let (_admin, running) = app.running_session(1, 1).await;
    let trainee = running.trainees[0].id;
    running.at_slot(1, 20);
    app.mark(
        &running.trainer,
        running.slots[1],
        trainee,
        Running::present(1),
    )
    .await
    .expect(201);
    running.set_clock(Utc.with_ymd_and_hms(2027, 3, 10, 9, 0, 0).unwrap());
    app.mark(
        &running.trainer,
        running.slots[0],
        trainee,
        Running::present(2),
    )
    .await
    .expect(201);
    for slot in &running.slots {
        app.countersign(&running.trainer, *slot, 78)
            .await
            .expect(200);
    }

    assert_eq!(flags(&app, &running).await, ["signed_long_after"]);
}
db_test!(a_signature_made_days_after_its_half_day_is_flagged);

async fn a_trainee_s_identical_signature_image_on_two_half_days_is_flagged(mut app: TestApp) {
    let (_admin, running) = app.running_session(1, 2).await;
    let pasted = |n, index| match n {
        0 => Some(Running::present(4444)),
        _ => signed(n, index),
    };
    record(&app, &running, pasted, &[]).await;

    assert_eq!(flags(&app, &running).await, ["identical_signatures"]);
}
db_test!(a_trainee_s_identical_signature_image_on_two_half_days_is_flagged);

async fn a_half_day_on_easter_monday_is_flagged(mut app: TestApp) {
    let (admin, _) = app.running_session(1, 0).await;
    let trainer = app.trainer().await;
    let clock = app.state.clock.clone();
    // 29 March 2027 is Easter Monday (Easter falls on 28 March that year).
    let running = app
        .session_taught_by(&admin, &trainer, 1, 1, 29, clock)
        .await;
    record(&app, &running, signed, &[]).await;

    assert_eq!(
        flags(&app, &running).await,
        ["public_holiday", "public_holiday"]
    );
}
db_test!(a_half_day_on_easter_monday_is_flagged);

async fn a_trainer_teaching_two_sessions_at_once_is_flagged(mut app: TestApp) {
    let (admin, running) = app.running_session(1, 1).await;
    let clock = running.clock.clone();
    let elsewhere = app
        .session_taught_by(&admin, &running.trainer, 1, 1, 8, clock)
        .await;
    record(&app, &running, signed, &[]).await;

    assert_eq!(flags(&app, &running).await, ["trainer_double_booked"]);
    let other = app
        .get(
            &format!("/api/v1/sessions/{}/checks", elsewhere.session),
            Some(&admin.token),
        )
        .await;
    assert!(
        other.text.contains("trainer_double_booked"),
        "both sessions show it"
    );
}
db_test!(a_trainer_teaching_two_sessions_at_once_is_flagged);

async fn more_people_present_than_the_room_holds_is_flagged(mut app: TestApp) {
    let (admin, running) = app.running_session(1, 3).await;
    record(&app, &running, signed, &[]).await;
    // The room's record is corrected afterwards (as an import would): it holds two.
    let session = app
        .get(
            &format!("/api/v1/sessions/{}", running.session),
            Some(&admin.token),
        )
        .await;
    let room: Uuid = session.body["room"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    passerelle::db::write::run(app.db(), &running.clock, async |tx| {
        use sea_orm::{EntityTrait, IntoActiveModel, Set};
        let before = entity::room::Entity::find_by_id(room)
            .one(tx.conn())
            .await?
            .unwrap();
        let mut row = before.clone().into_active_model();
        row.capacity = Set(Some(2));
        tx.update::<entity::room::Entity, _>(&before, row).await
    })
    .await
    .unwrap();

    assert_eq!(
        flags(&app, &running).await,
        ["over_room_capacity", "over_room_capacity"]
    );
}
db_test!(more_people_present_than_the_room_holds_is_flagged);

async fn a_convocation_naming_the_training_differently_is_flagged(mut app: TestApp) {
    let (admin, running) = app.running_session(1, 1).await;
    let enrolment = enrolment_of(&app, &admin, running.session, running.trainees[0].id).await;
    app.post(
        &format!(
            "/api/v1/enrolments/{}/convocation",
            enrolment["id"].as_str().unwrap()
        ),
        Some(&admin.token),
        json!({}),
    )
    .await
    .expect(201);
    let session = app
        .get(
            &format!("/api/v1/sessions/{}", running.session),
            Some(&admin.token),
        )
        .await;
    let training = session.body["training_id"].as_str().unwrap();
    app.put(
        &format!("/api/v1/trainings/{training}"),
        Some(&admin.token),
        programme("Gestion financière — nouvelle formule", 420),
    )
    .await
    .expect(200);
    record(&app, &running, signed, &[]).await;

    assert_eq!(flags(&app, &running).await, ["title_mismatch"]);
}
db_test!(a_convocation_naming_the_training_differently_is_flagged);

async fn closing_a_flagged_session_needs_a_justification_which_is_kept(mut app: TestApp) {
    let (admin, running) = app.running_session(1, 1).await;
    record(&app, &running, signed, &[1]).await;
    running.at_slot(1, 240);
    let close = format!("/api/v1/sessions/{}/close", running.session);

    let refused = app.post(&close, Some(&admin.token), json!({})).await;
    let blank = app
        .post(
            &close,
            Some(&admin.token),
            json!({ "justification": "   " }),
        )
        .await;
    let closed = app
        .post(
            &close,
            Some(&admin.token),
            json!({ "justification": "the trainer fell ill; the director countersigned on paper" }),
        )
        .await;
    let read = app
        .get(
            &format!("/api/v1/sessions/{}/closure", running.session),
            Some(&running.trainer.token),
        )
        .await;

    refused.expect_error(409, "attendance.flags_need_justification");
    let listed = refused.body["fields"]["justification"].as_array().unwrap();
    assert!(
        listed[0]
            .as_str()
            .unwrap()
            .starts_with("slot_not_countersigned")
    );
    blank.expect_error(409, "attendance.flags_need_justification");
    closed.expect(200);
    read.expect(200);
    assert_eq!(
        read.body["justification"],
        "the trainer fell ill; the director countersigned on paper"
    );
    assert_eq!(read.body["flags"][0]["code"], "slot_not_countersigned");
    assert_eq!(read.body["closed_by"], admin.id.to_string());
}
db_test!(closing_a_flagged_session_needs_a_justification_which_is_kept);
