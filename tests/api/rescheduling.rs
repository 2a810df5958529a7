//! Rescheduling keeps the evidence: half-days that hold marks or a countersignature are not
//! removed or moved without saying what becomes of them (`keep_history` archives them, still
//! readable through the API and on the sheet's PDF), and a session that has started with
//! confirmed trainees keeps its start.

use serde_json::{Value, json};

use crate::documents::{pdf, rename, set_provider};
use crate::fixtures::{Running, User, afternoon, half_day, morning};
use crate::harness::{Reply, TestApp};
use crate::oracle::assert_every_synced_row_is_stamped;

db_test!(rescheduling_a_half_day_that_holds_a_mark_is_refused_naming_it_unless_its_history_is_kept);
db_test!(
    a_started_session_with_confirmed_trainees_keeps_its_start_and_archives_a_countersigned_half_day
);

async fn replace(app: &TestApp, admin: &User, running: &Running, slots: Vec<Value>) -> Reply {
    replace_with(app, admin, running, json!({ "slots": slots })).await
}

async fn replace_with(app: &TestApp, admin: &User, running: &Running, body: Value) -> Reply {
    app.put(
        &format!("/api/v1/sessions/{}/slots", running.session),
        Some(&admin.token),
        body,
    )
    .await
}

async fn archive(app: &TestApp, admin: &User, running: &Running) -> Reply {
    app.get(
        &format!("/api/v1/sessions/{}/attendance/archive", running.session),
        Some(&admin.token),
    )
    .await
}

async fn rescheduling_a_half_day_that_holds_a_mark_is_refused_naming_it_unless_its_history_is_kept(
    mut app: TestApp,
) {
    let (admin, running) = app.running_session(2, 2).await;
    set_provider(&app, &admin).await;
    let trainee = &running.trainees[0];
    rename(&app, &admin, trainee.id, "Inès", "Delacroix").await;
    // The second afternoon: she is excused (a mark is recorded once its half-day has started).
    running.at_slot(3, 10);
    app.mark(
        &admin,
        running.slots[3],
        trainee.id,
        json!({ "status": "excused" }),
    )
    .await
    .expect(201);
    let mark_path = format!("/api/v1/slots/{}/marks/{}", running.slots[3], trainee.id);
    let later_afternoon = half_day("2027-03-09", "afternoon", "14:30", "18:00");
    let moved = vec![
        morning("2027-03-08"),
        afternoon("2027-03-08"),
        morning("2027-03-09"),
        later_afternoon.clone(),
    ];

    let refused_move = replace(&app, &admin, &running, moved.clone()).await;
    let refused_removal = replace(
        &app,
        &admin,
        &running,
        vec![
            morning("2027-03-08"),
            afternoon("2027-03-08"),
            morning("2027-03-10"),
            afternoon("2027-03-10"),
        ],
    )
    .await;
    let still_there = app.get(&mark_path, Some(&admin.token)).await;
    let kept = replace_with(
        &app,
        &admin,
        &running,
        json!({ "slots": moved, "on_marks": "keep_history" }),
    )
    .await;
    let gone_from_the_sheet = app.get(&mark_path, Some(&admin.token)).await;
    let archived = archive(&app, &admin, &running).await;
    let sheet = pdf(
        &app,
        &admin,
        &format!("/api/v1/sessions/{}/attendance-sheet", running.session),
    )
    .await;

    refused_move.expect_error(409, "catalogue.slots_hold_marks");
    assert_eq!(
        refused_move.body["fields"]["slot_ids"],
        json!([running.slots[3]]),
        "{}",
        refused_move.text
    );
    refused_removal.expect_error(409, "catalogue.slots_hold_marks");
    assert_eq!(
        refused_removal.body["fields"]["slot_ids"],
        json!([running.slots[3]])
    );
    still_there.expect(200);
    assert_eq!(still_there.body["mark"]["status"], "excused");
    kept.expect(200);
    let afternoon_now = kept.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == running.slots[3].to_string())
        .expect("the moved half-day keeps its id");
    assert_eq!(afternoon_now["local_start"], "14:30");
    gone_from_the_sheet.expect_error(404, "attendance.mark_not_found");
    archived.expect(200);
    let marks = archived.body["marks"].as_array().unwrap();
    assert_eq!(marks.len(), 1, "{}", archived.text);
    let mark = &marks[0];
    assert_eq!(mark["person_id"], trainee.id.to_string());
    assert_eq!(mark["last_name"], "Delacroix");
    assert_eq!(mark["status"], "excused");
    assert_eq!(mark["archived_by"], admin.id.to_string());
    assert_eq!(mark["half_day"]["slot_id"], running.slots[3].to_string());
    assert_eq!(mark["half_day"]["start"], "14:00");
    assert_eq!(mark["half_day"]["change"], "moved");
    assert!(
        mark["reason"].as_str().unwrap().starts_with("rescheduled"),
        "{}",
        mark["reason"]
    );
    sheet.assert_says("Émargements archivés");
    sheet.assert_says(
        "Inès Delacroix — 09/03/2027 après-midi (14:00–17:30), demi-journée déplacée : excusé",
    );
}

async fn a_session_not_yet_started_moves_a_week_later_with_its_confirmed_trainees(
    mut app: TestApp,
) {
    let (admin, running) = app.running_session(2, 2).await;

    let a_week_later = replace(
        &app,
        &admin,
        &running,
        vec![
            morning("2027-03-15"),
            afternoon("2027-03-15"),
            morning("2027-03-16"),
            afternoon("2027-03-16"),
        ],
    )
    .await;

    a_week_later.expect(200);
    let dates: Vec<&str> = a_week_later.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["date"].as_str().unwrap())
        .collect();
    assert_eq!(
        dates,
        ["2027-03-15", "2027-03-15", "2027-03-16", "2027-03-16"]
    );
}
db_test!(a_session_not_yet_started_moves_a_week_later_with_its_confirmed_trainees);

async fn a_started_session_with_confirmed_trainees_keeps_its_start_and_archives_a_countersigned_half_day(
    mut app: TestApp,
) {
    let (admin, running) = app.running_session(2, 1).await;
    set_provider(&app, &admin).await;
    let trainee = &running.trainees[0];
    for index in [0, 1] {
        running.at_slot(index, 15);
        app.mark(
            &running.trainer,
            running.slots[index],
            trainee.id,
            Running::present(index as u32),
        )
        .await
        .expect(201);
        running.at_slot(index, 200);
        app.countersign(&running.trainer, running.slots[index], 500 + index as u32)
            .await
            .expect(200);
    }

    let first_moved = replace(
        &app,
        &admin,
        &running,
        vec![
            half_day("2027-03-08", "morning", "09:30", "13:00"),
            afternoon("2027-03-08"),
            morning("2027-03-09"),
            afternoon("2027-03-09"),
        ],
    )
    .await;
    let new_zone = app
        .patch(
            &format!("/api/v1/sessions/{}", running.session),
            Some(&admin.token),
            json!({ "time_zone": "Europe/London", "on_marks": "keep_history" }),
        )
        .await;
    // The first afternoon (marked and countersigned) moves to a third day.
    let afternoon_moved = vec![
        morning("2027-03-08"),
        morning("2027-03-09"),
        afternoon("2027-03-09"),
        afternoon("2027-03-10"),
    ];
    let refused = replace(&app, &admin, &running, afternoon_moved.clone()).await;
    let kept = replace_with(
        &app,
        &admin,
        &running,
        json!({ "slots": afternoon_moved, "on_marks": "keep_history" }),
    )
    .await;
    let archived = archive(&app, &admin, &running).await;
    let attendance = app
        .get(
            &format!("/api/v1/sessions/{}/attendance", running.session),
            Some(&admin.token),
        )
        .await;
    let morning_mark = app
        .get(
            &format!("/api/v1/slots/{}/marks/{}", running.slots[0], trainee.id),
            Some(&admin.token),
        )
        .await;
    let sheet = pdf(
        &app,
        &admin,
        &format!("/api/v1/sessions/{}/attendance-sheet", running.session),
    )
    .await;

    first_moved.expect_error(409, "catalogue.session_started");
    new_zone.expect_error(409, "catalogue.session_started");
    refused.expect_error(409, "catalogue.slots_hold_marks");
    assert_eq!(
        refused.body["fields"]["slot_ids"],
        json!([running.slots[1]])
    );
    kept.expect(200);
    archived.expect(200);
    assert_eq!(archived.body["marks"].as_array().unwrap().len(), 1);
    assert_eq!(archived.body["marks"][0]["status"], "present");
    assert_eq!(archived.body["marks"][0]["half_day"]["change"], "removed");
    let countersignatures = archived.body["countersignatures"].as_array().unwrap();
    assert_eq!(countersignatures.len(), 1, "{}", archived.text);
    assert_eq!(
        countersignatures[0]["trainer_id"],
        running.trainer.id.to_string()
    );
    attendance.expect(200);
    let slots: Vec<&str> = attendance.body["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert!(!slots.contains(&running.slots[1].to_string().as_str()));
    morning_mark.expect(200);
    sheet.assert_says("Émargements archivés");
    sheet.assert_says("demi-journée supprimée : présent");
    sheet.assert_says("Contreseing de");
    // The mark and the countersignature left through the synced delete: devices get tombstones.
    assert_every_synced_row_is_stamped(app.db()).await;
}
