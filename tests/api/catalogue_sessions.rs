//! Sessions and their half-days: planned in local time, stored in UTC, added up exactly; and the
//! trainers who teach them.

use std::collections::HashSet;

use chrono::{TimeZone, Utc};
use poem::http::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::fixtures::{afternoon, half_day, ids_of, instant, morning, session_body};
use crate::harness::TestApp;

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

fn slots(reply: &Value) -> &Vec<Value> {
    reply["slots"]
        .as_array()
        .unwrap_or_else(|| panic!("no slots in {reply}"))
}

async fn paris_half_days_stay_at_nine_local_across_the_spring_daylight_saving_change(app: TestApp) {
    let admin = app.admin().await;
    let training = app.published_training(&admin, 630).await;
    let room = app.place(&admin, 12).await;
    let body = session_body(
        training,
        room,
        12,
        vec![
            morning("2027-03-26"),
            morning("2027-03-28"),
            morning("2027-03-29"),
        ],
    );

    let created = app.post("/api/v1/sessions", Some(&admin.token), body).await;

    created.expect(201);
    assert_eq!(created.body["time_zone"], "Europe/Paris");
    let slots = slots(&created.body);
    let dates: Vec<_> = slots.iter().map(|s| s["date"].as_str().unwrap()).collect();
    assert_eq!(dates, vec!["2027-03-26", "2027-03-28", "2027-03-29"]);
    for slot in slots {
        assert_eq!(slot["local_start"], "09:00", "{slot}");
        assert_eq!(slot["local_end"], "12:30", "{slot}");
        assert_eq!(slot["minutes"], 210, "{slot}");
    }
    assert_eq!(instant(&slots[0]["starts_at"]), utc(2027, 3, 26, 8, 0));
    assert_eq!(instant(&slots[0]["ends_at"]), utc(2027, 3, 26, 11, 30));
    assert_eq!(instant(&slots[1]["starts_at"]), utc(2027, 3, 28, 7, 0));
    assert_eq!(instant(&slots[2]["starts_at"]), utc(2027, 3, 29, 7, 0));
    assert_eq!(instant(&created.body["starts_at"]), utc(2027, 3, 26, 8, 0));
    assert_eq!(instant(&created.body["ends_at"]), utc(2027, 3, 29, 10, 30));
    assert_eq!(created.body["planned_minutes"], 630);
}
db_test!(paris_half_days_stay_at_nine_local_across_the_spring_daylight_saving_change);

async fn paris_half_days_stay_at_nine_local_across_the_autumn_daylight_saving_change(app: TestApp) {
    let admin = app.admin().await;
    let training = app.published_training(&admin, 420).await;
    let room = app.place(&admin, 12).await;
    let body = session_body(
        training,
        room,
        12,
        vec![morning("2027-10-29"), morning("2027-11-02")],
    );

    let created = app.post("/api/v1/sessions", Some(&admin.token), body).await;

    created.expect(201);
    let slots = slots(&created.body);
    assert_eq!(instant(&slots[0]["starts_at"]), utc(2027, 10, 29, 7, 0));
    assert_eq!(instant(&slots[1]["starts_at"]), utc(2027, 11, 2, 8, 0));
    assert!(
        slots
            .iter()
            .all(|s| s["local_start"] == "09:00" && s["minutes"] == 210),
        "{slots:?}"
    );
}
db_test!(paris_half_days_stay_at_nine_local_across_the_autumn_daylight_saving_change);

async fn a_half_day_across_the_spring_forward_hour_counts_its_real_elapsed_minutes(app: TestApp) {
    let admin = app.admin().await;
    let training = app.published_training(&admin, 180).await;
    let room = app.place(&admin, 12).await;
    let mut body = session_body(
        training,
        room,
        12,
        vec![half_day("2027-03-28", "morning", "01:30", "04:30")],
    );
    body["duration_note"] = json!("Night shift exercise: the clocks go forward during it");

    let created = app.post("/api/v1/sessions", Some(&admin.token), body).await;

    created.expect(201);
    let slot = &slots(&created.body)[0];
    assert_eq!(slot["minutes"], 120, "{slot}");
    assert_eq!(instant(&slot["starts_at"]), utc(2027, 3, 28, 0, 30));
    assert_eq!(instant(&slot["ends_at"]), utc(2027, 3, 28, 2, 30));
    assert_eq!(created.body["planned_minutes"], 120);
}
db_test!(a_half_day_across_the_spring_forward_hour_counts_its_real_elapsed_minutes);

async fn a_half_day_across_the_fall_back_hour_counts_its_real_elapsed_minutes(app: TestApp) {
    let admin = app.admin().await;
    let training = app.published_training(&admin, 240).await;
    let room = app.place(&admin, 12).await;
    let body = session_body(
        training,
        room,
        12,
        vec![half_day("2027-10-31", "morning", "01:00", "04:00")],
    );

    let created = app.post("/api/v1/sessions", Some(&admin.token), body).await;

    created.expect(201);
    let slot = &slots(&created.body)[0];
    assert_eq!(slot["minutes"], 240, "{slot}");
    assert_eq!(instant(&slot["starts_at"]), utc(2027, 10, 30, 23, 0));
    assert_eq!(instant(&slot["ends_at"]), utc(2027, 10, 31, 3, 0));
}
db_test!(a_half_day_across_the_fall_back_hour_counts_its_real_elapsed_minutes);

async fn a_local_time_that_does_not_exist_in_paris_is_a_422_on_that_half_day(app: TestApp) {
    let admin = app.admin().await;
    let training = app.published_training(&admin, 90).await;
    let room = app.place(&admin, 12).await;
    let body = session_body(
        training,
        room,
        12,
        vec![half_day("2027-03-28", "morning", "02:30", "04:00")],
    );

    let reply = app.post("/api/v1/sessions", Some(&admin.token), body).await;

    reply.expect_error(422, "catalogue.invalid");
    assert!(
        reply.body["fields"]["slots[0].start"].is_array(),
        "{}",
        reply.text
    );
    assert_eq!(
        app.get("/api/v1/sessions", Some(&admin.token)).await.body["items"],
        json!([])
    );
}
db_test!(a_local_time_that_does_not_exist_in_paris_is_a_422_on_that_half_day);

async fn a_lome_session_is_at_the_same_time_in_utc(app: TestApp) {
    let admin = app.admin().await;
    let training = app.published_training(&admin, 420).await;
    let room = app.place_in(&admin, "Lomé", 20).await;
    let mut body = session_body(
        training,
        room,
        20,
        vec![morning("2027-03-26"), afternoon("2027-03-26")],
    );
    body["time_zone"] = json!("Africa/Lome");

    let created = app.post("/api/v1/sessions", Some(&admin.token), body).await;

    created.expect(201);
    assert_eq!(created.body["time_zone"], "Africa/Lome");
    let slots = slots(&created.body);
    assert_eq!(instant(&slots[0]["starts_at"]), utc(2027, 3, 26, 9, 0));
    assert_eq!(instant(&slots[1]["starts_at"]), utc(2027, 3, 26, 14, 0));
    assert_eq!(instant(&slots[1]["ends_at"]), utc(2027, 3, 26, 17, 30));
}
db_test!(a_lome_session_is_at_the_same_time_in_utc);

async fn a_montreal_session_in_january_is_five_hours_behind_utc(app: TestApp) {
    let admin = app.admin().await;
    let training = app.published_training(&admin, 210).await;
    let room = app.online_room(&admin).await;
    let mut body = session_body(training, room, 30, vec![morning("2027-01-14")]);
    body["time_zone"] = json!("America/Montreal");

    let created = app.post("/api/v1/sessions", Some(&admin.token), body).await;

    created.expect(201);
    let slot = &slots(&created.body)[0];
    assert_eq!(slot["local_start"], "09:00");
    assert_eq!(instant(&slot["starts_at"]), utc(2027, 1, 14, 14, 0));
    assert_eq!(instant(&slot["ends_at"]), utc(2027, 1, 14, 17, 30));
}
db_test!(a_montreal_session_in_january_is_five_hours_behind_utc);

async fn changing_a_sessions_time_zone_keeps_its_local_times_and_moves_it_in_utc(app: TestApp) {
    let admin = app.admin().await;
    let training = app.published_training(&admin, 210).await;
    let room = app.online_room(&admin).await;
    let id = app
        .draft_session(
            &admin,
            session_body(training, room, 30, vec![morning("2027-01-14")]),
        )
        .await;

    let moved = app
        .patch(
            &format!("/api/v1/sessions/{id}"),
            Some(&admin.token),
            json!({ "time_zone": "Africa/Lome" }),
        )
        .await;

    moved.expect(200);
    assert_eq!(moved.body["time_zone"], "Africa/Lome");
    let slot = &slots(&moved.body)[0];
    assert_eq!(slot["local_start"], "09:00");
    assert_eq!(instant(&slot["starts_at"]), utc(2027, 1, 14, 9, 0));
    let listed = app
        .get(&format!("/api/v1/sessions/{id}/slots"), Some(&admin.token))
        .await;
    assert_eq!(listed.body["time_zone"], "Africa/Lome");
    assert_eq!(
        instant(&listed.body["items"][0]["starts_at"]),
        utc(2027, 1, 14, 9, 0)
    );
}
db_test!(changing_a_sessions_time_zone_keeps_its_local_times_and_moves_it_in_utc);

/// 210 + 210 + 180 + 180 = 780 minutes.
fn four_half_days() -> Vec<Value> {
    vec![
        half_day("2027-05-10", "morning", "09:00", "12:30"),
        half_day("2027-05-10", "afternoon", "14:00", "17:30"),
        half_day("2027-05-11", "morning", "09:00", "12:00"),
        half_day("2027-05-11", "afternoon", "13:30", "16:30"),
    ]
}

async fn half_days_that_add_up_to_the_trainings_duration_are_accepted_with_the_exact_total(
    app: TestApp,
) {
    let admin = app.admin().await;
    let training = app.published_training(&admin, 780).await;
    let room = app.place(&admin, 12).await;

    let created = app
        .post(
            "/api/v1/sessions",
            Some(&admin.token),
            session_body(training, room, 12, four_half_days()),
        )
        .await;

    created.expect(201);
    assert_eq!(created.body["planned_minutes"], 780);
    let minutes: Vec<_> = slots(&created.body)
        .iter()
        .map(|s| s["minutes"].as_i64().unwrap())
        .collect();
    assert_eq!(minutes, vec![210, 210, 180, 180]);
    assert_eq!(created.body["status"], "draft");
    assert_eq!(
        created.header("location").unwrap(),
        format!("/api/v1/sessions/{}", created.id())
    );
}
db_test!(half_days_that_add_up_to_the_trainings_duration_are_accepted_with_the_exact_total);

async fn half_days_that_fall_short_of_the_duration_need_a_duration_note(app: TestApp) {
    let admin = app.admin().await;
    let training = app.published_training(&admin, 840).await;
    let room = app.place(&admin, 12).await;
    let body = session_body(training, room, 12, four_half_days());

    let refused = app
        .post("/api/v1/sessions", Some(&admin.token), body.clone())
        .await;
    let mut noted = body;
    noted["duration_note"] = json!("One hour of remote work before the first half-day");
    let accepted = app
        .post("/api/v1/sessions", Some(&admin.token), noted)
        .await;

    refused.expect_error(422, "catalogue.invalid");
    let message = refused.body["fields"]["slots"][0]
        .as_str()
        .unwrap_or_default();
    assert!(
        message.contains("780") && message.contains("840"),
        "{}",
        refused.text
    );
    accepted.expect(201);
    assert_eq!(accepted.body["planned_minutes"], 780);
    assert_eq!(
        accepted.body["duration_note"],
        "One hour of remote work before the first half-day"
    );
    let all = app.get("/api/v1/sessions", Some(&admin.token)).await;
    assert_eq!(ids_of(&all), vec![accepted.id().to_string()]);
}
db_test!(half_days_that_fall_short_of_the_duration_need_a_duration_note);

/// A session of 12 places on one day (morning and afternoon), then `change`d.
fn one_day_session_with(training: Uuid, room: Uuid, change: &dyn Fn(&mut Value)) -> Value {
    let mut body = session_body(
        training,
        room,
        12,
        vec![morning("2027-03-26"), afternoon("2027-03-26")],
    );
    change(&mut body);
    body
}

async fn an_invalid_session_is_a_422_naming_the_offending_field_and_nothing_is_stored(
    app: TestApp,
) {
    let admin = app.admin().await;
    let training = app.published_training(&admin, 420).await;
    let room = app.place(&admin, 12).await;
    let with = |change: &dyn Fn(&mut Value)| one_day_session_with(training, room, change);
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "overlapping half-days",
            with(&|b| {
                b["slots"] = json!([
                    half_day("2027-03-26", "morning", "09:00", "13:30"),
                    half_day("2027-03-26", "afternoon", "13:00", "15:30")
                ])
            }),
            "slots[1]",
        ),
        (
            "capacity above the room's",
            with(&|b| b["capacity"] = json!(20)),
            "capacity",
        ),
        (
            "end before start",
            with(&|b| {
                b["slots"] = json!([
                    half_day("2027-03-26", "morning", "12:30", "09:00"),
                    afternoon("2027-03-26")
                ])
            }),
            "slots[0].end",
        ),
        (
            "two mornings on one date",
            with(&|b| {
                b["slots"] = json!([
                    morning("2027-03-26"),
                    half_day("2027-03-26", "morning", "08:00", "08:30")
                ])
            }),
            "slots[1].period",
        ),
        (
            "an afternoon starting in the morning",
            with(&|b| {
                b["slots"] = json!([
                    morning("2027-03-26"),
                    half_day("2027-03-27", "afternoon", "09:00", "12:30")
                ])
            }),
            "slots[1].period",
        ),
        (
            "a deadline after the first half-day",
            with(&|b| b["enrolment_deadline"] = json!("2027-03-26T10:00:00Z")),
            "enrolment_deadline",
        ),
        (
            "unknown training",
            with(&|b| b["training_id"] = json!(uuid::Uuid::now_v7())),
            "training_id",
        ),
        (
            "unknown room",
            with(&|b| b["room_id"] = json!(uuid::Uuid::now_v7())),
            "room_id",
        ),
        (
            "a trainer who is not one",
            with(&|b| b["trainer_ids"] = json!([admin.id])),
            "trainer_ids",
        ),
    ];

    for (case, body, field) in cases {
        let reply = app.post("/api/v1/sessions", Some(&admin.token), body).await;

        assert_eq!(reply.status.as_u16(), 422, "{case}: {}", reply.text);
        assert_eq!(reply.code(), "catalogue.invalid", "{case}: {}", reply.text);
        assert!(
            reply.body["fields"][field].is_array(),
            "{case}: {field} missing in {}",
            reply.text
        );
        let all = app.get("/api/v1/sessions", Some(&admin.token)).await;
        assert_eq!(all.body["items"], json!([]), "{case}: something was stored");
    }
    let no_capacity = app
        .post(
            "/api/v1/sessions",
            Some(&admin.token),
            with(&|b| b["capacity"] = json!(0)),
        )
        .await;
    no_capacity.expect_error(422, "request.invalid");
    assert!(
        no_capacity.body["fields"]["capacity"].is_array(),
        "{}",
        no_capacity.text
    );
    app.post("/api/v1/sessions", Some(&admin.token), with(&|_| {}))
        .await
        .expect(201);
}
db_test!(an_invalid_session_is_a_422_naming_the_offending_field_and_nothing_is_stored);

async fn a_value_outside_its_schema_is_a_400_that_names_it_and_nothing_is_stored(app: TestApp) {
    let admin = app.admin().await;
    let training = app.published_training(&admin, 420).await;
    let room = app.place(&admin, 12).await;
    let with = |change: &dyn Fn(&mut Value)| one_day_session_with(training, room, change);
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "a time zone the schema does not enumerate",
            with(&|b| b["time_zone"] = json!("Europe/Lyon")),
            "Europe/Lyon",
        ),
        (
            "an empty date",
            with(&|b| b["slots"][0]["date"] = json!("")),
            "is not a date",
        ),
        (
            "a day the calendar does not have",
            with(&|b| b["slots"][0]["date"] = json!("2027-02-30")),
            "2027-02-30",
        ),
        (
            "a null time zone",
            with(&|b| b["time_zone"] = Value::Null),
            "TimeZoneName",
        ),
    ];
    for (case, body, named) in cases {
        let reply = app.post("/api/v1/sessions", Some(&admin.token), body).await;
        reply.expect_error(400, "request.malformed");
        assert!(
            reply.body["message"].as_str().unwrap().contains(named),
            "{case}: {}",
            reply.text
        );
    }
    let all = app.get("/api/v1/sessions", Some(&admin.token)).await;
    assert_eq!(all.body["items"], json!([]), "something was stored");
    let africa = app
        .post(
            "/api/v1/sessions",
            Some(&admin.token),
            with(&|b| b["time_zone"] = json!("Africa/Lome")),
        )
        .await;
    africa.expect(201);
    assert_eq!(africa.body["time_zone"], "Africa/Lome");
}
db_test!(a_value_outside_its_schema_is_a_400_that_names_it_and_nothing_is_stored);

async fn replacing_the_half_days_keeps_the_id_of_those_that_stay_and_removes_the_others(
    app: TestApp,
) {
    let admin = app.admin().await;
    let training = app.published_training(&admin, 630).await;
    let room = app.place(&admin, 12).await;
    let created = app
        .post(
            "/api/v1/sessions",
            Some(&admin.token),
            session_body(
                training,
                room,
                12,
                vec![
                    morning("2027-03-22"),
                    afternoon("2027-03-22"),
                    morning("2027-03-23"),
                ],
            ),
        )
        .await;
    created.expect(201);
    let id = created.id();
    let before = slots(&created.body).clone();
    let path = format!("/api/v1/sessions/{id}/slots");

    let replaced = app
        .call(
            Method::PUT,
            &path,
            Some(&admin.token),
            Some(json!({ "slots": [half_day("2027-03-22", "morning", "09:30", "13:00"), morning("2027-03-24"), afternoon("2027-03-24")] })),
        )
        .await;

    replaced.expect(200);
    let after = replaced.body["items"].as_array().unwrap();
    assert_eq!(after.len(), 3);
    assert_eq!(
        after[0]["id"], before[0]["id"],
        "the 22nd's morning changed id"
    );
    assert_eq!(after[0]["local_start"], "09:30");
    assert_eq!(instant(&after[0]["starts_at"]), utc(2027, 3, 22, 8, 30));
    let old: HashSet<_> = before.iter().map(|s| s["id"].clone()).collect();
    assert!(
        !old.contains(&after[1]["id"]) && !old.contains(&after[2]["id"]),
        "{}",
        replaced.text
    );
    let listed = app.get(&path, Some(&admin.token)).await;
    listed.expect(200);
    let dates: Vec<_> = listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["date"].clone(), s["period"].clone()))
        .collect();
    assert_eq!(
        dates,
        vec![
            (json!("2027-03-22"), json!("morning")),
            (json!("2027-03-24"), json!("morning")),
            (json!("2027-03-24"), json!("afternoon")),
        ]
    );
    assert_eq!(listed.body["planned_minutes"], 630);
    let session = app
        .get(&format!("/api/v1/sessions/{id}"), Some(&admin.token))
        .await;
    assert_eq!(instant(&session.body["ends_at"]), utc(2027, 3, 24, 16, 30));
}
db_test!(replacing_the_half_days_keeps_the_id_of_those_that_stay_and_removes_the_others);

async fn a_published_session_cannot_lose_all_its_half_days(app: TestApp) {
    let admin = app.admin().await;
    let training = app.published_training(&admin, 210).await;
    let room = app.place(&admin, 12).await;
    let id = app
        .published_session(
            &admin,
            session_body(training, room, 12, vec![morning("2027-03-26")]),
        )
        .await;

    let reply = app
        .call(
            Method::PUT,
            &format!("/api/v1/sessions/{id}/slots"),
            Some(&admin.token),
            Some(json!({ "slots": [] })),
        )
        .await;

    reply.expect_error(422, "catalogue.invalid");
    assert!(reply.body["fields"]["slots"].is_array(), "{}", reply.text);
    let session = app
        .get(&format!("/api/v1/sessions/{id}"), Some(&admin.token))
        .await;
    assert_eq!(slots(&session.body).len(), 1);
}
db_test!(a_published_session_cannot_lose_all_its_half_days);

async fn a_session_without_half_days_cannot_be_published(app: TestApp) {
    let admin = app.admin().await;
    let training = app.published_training(&admin, 210).await;
    let room = app.place(&admin, 12).await;
    let id = app
        .draft_session(&admin, session_body(training, room, 12, vec![]))
        .await;

    let reply = app.publish(&admin, &format!("/api/v1/sessions/{id}")).await;

    reply.expect_error(422, "catalogue.invalid");
    assert!(reply.body["fields"]["slots"].is_array(), "{}", reply.text);
    app.get(&format!("/api/v1/catalogue/sessions/{id}"), None)
        .await
        .expect_error(404, "catalogue.session_not_found");
}
db_test!(a_session_without_half_days_cannot_be_published);

async fn raising_a_sessions_capacity_above_its_room_is_a_422_and_changes_nothing(app: TestApp) {
    let admin = app.admin().await;
    let training = app.published_training(&admin, 210).await;
    let room = app.place(&admin, 12).await;
    let id = app
        .draft_session(
            &admin,
            session_body(training, room, 10, vec![morning("2027-03-26")]),
        )
        .await;
    let path = format!("/api/v1/sessions/{id}");

    let reply = app
        .patch(&path, Some(&admin.token), json!({ "capacity": 13 }))
        .await;
    let lowered = app
        .patch(&path, Some(&admin.token), json!({ "capacity": 8 }))
        .await;

    reply.expect_error(422, "catalogue.invalid");
    assert!(
        reply.body["fields"]["capacity"].is_array(),
        "{}",
        reply.text
    );
    lowered.expect(200);
    assert_eq!(lowered.body["capacity"], 8);
    assert_eq!(lowered.body["seats_left"], 8);
}
db_test!(raising_a_sessions_capacity_above_its_room_is_a_422_and_changes_nothing);

async fn a_cancelled_session_can_no_longer_change(app: TestApp) {
    let admin = app.admin().await;
    let training = app.published_training(&admin, 210).await;
    let room = app.place(&admin, 12).await;
    let id = app
        .published_session(
            &admin,
            session_body(training, room, 12, vec![morning("2027-03-26")]),
        )
        .await;
    let path = format!("/api/v1/sessions/{id}");
    app.post(
        &format!("{path}/cancel"),
        Some(&admin.token),
        json!({ "reason": "Trainer ill" }),
    )
    .await
    .expect(200);

    let patched = app
        .patch(&path, Some(&admin.token), json!({ "capacity": 5 }))
        .await;
    let replanned = app
        .call(
            Method::PUT,
            &format!("{path}/slots"),
            Some(&admin.token),
            Some(json!({ "slots": [morning("2027-04-02")] })),
        )
        .await;
    let republished = app.publish(&admin, &path).await;

    patched.expect_error(409, "catalogue.session_frozen");
    replanned.expect_error(409, "catalogue.session_frozen");
    republished.expect_error(409, "catalogue.session_frozen");
    let session = app.get(&path, Some(&admin.token)).await;
    assert_eq!(session.body["status"], "cancelled");
    assert_eq!(session.body["cancel_reason"], "Trainer ill");
    assert_eq!(session.body["capacity"], 12);
}
db_test!(a_cancelled_session_can_no_longer_change);

async fn a_member_cannot_create_a_session_nor_list_sessions(app: TestApp) {
    let admin = app.admin().await;
    let org = app.organisation(&admin, "Sahel", true).await;
    let member = app.member_of(org).await;
    let training = app.published_training(&admin, 210).await;
    let room = app.place(&admin, 12).await;

    let created = app
        .post(
            "/api/v1/sessions",
            Some(&member.token),
            session_body(training, room, 12, vec![morning("2027-03-26")]),
        )
        .await;
    let listed = app.get("/api/v1/sessions", Some(&member.token)).await;

    created.expect_error(403, "catalogue.forbidden");
    listed.expect_error(403, "catalogue.forbidden");
    assert_eq!(
        app.get("/api/v1/sessions", Some(&admin.token)).await.body["items"],
        json!([])
    );
}
db_test!(a_member_cannot_create_a_session_nor_list_sessions);

async fn a_trainer_sees_the_sessions_they_teach_and_no_other(app: TestApp) {
    let admin = app.admin().await;
    let training = app.published_training(&admin, 210).await;
    let room = app.place(&admin, 12).await;
    let mine = app.trainer().await;
    let colleague = app.trainer().await;
    let mut taught = session_body(training, room, 12, vec![morning("2027-03-26")]);
    taught["trainer_ids"] = json!([mine.id]);
    let mut other = session_body(training, room, 12, vec![morning("2027-04-02")]);
    other["trainer_ids"] = json!([colleague.id]);
    let taught = app.draft_session(&admin, taught).await;
    let other = app.draft_session(&admin, other).await;

    let list = app.get("/api/v1/sessions", Some(&mine.token)).await;
    let own = app
        .get(&format!("/api/v1/sessions/{taught}"), Some(&mine.token))
        .await;
    let own_slots = app
        .get(
            &format!("/api/v1/sessions/{taught}/slots"),
            Some(&mine.token),
        )
        .await;
    let foreign = app
        .get(&format!("/api/v1/sessions/{other}"), Some(&mine.token))
        .await;
    let foreign_slots = app
        .get(
            &format!("/api/v1/sessions/{other}/slots"),
            Some(&mine.token),
        )
        .await;
    let edit = app
        .patch(
            &format!("/api/v1/sessions/{taught}"),
            Some(&mine.token),
            json!({ "capacity": 5 }),
        )
        .await;

    list.expect(200);
    assert_eq!(ids_of(&list), vec![taught.to_string()]);
    own.expect(200);
    assert_eq!(own.body["trainers"][0]["id"], mine.id.to_string());
    own_slots.expect(200);
    foreign.expect_error(404, "catalogue.session_not_found");
    foreign_slots.expect_error(404, "catalogue.session_not_found");
    edit.expect_error(403, "catalogue.forbidden");
    let all = app.get("/api/v1/sessions", Some(&admin.token)).await;
    assert_eq!(ids_of(&all).len(), 2);
}
db_test!(a_trainer_sees_the_sessions_they_teach_and_no_other);

async fn an_external_trainer_needs_a_company_and_a_contract_reference(app: TestApp) {
    let admin = app.admin().await;
    let trainer = app.trainer().await;
    let path = format!("/api/v1/trainers/{}", trainer.id);

    let refused = app
        .call(
            Method::PUT,
            &path,
            Some(&admin.token),
            Some(json!({ "kind": "external" })),
        )
        .await;
    let accepted = app
        .call(Method::PUT, &path, Some(&admin.token), Some(json!({ "kind": "external", "company": "Conseil Sahel SARL", "contract_reference": "ST-2027-014" })))
        .await;

    refused.expect_error(422, "catalogue.invalid");
    assert!(
        refused.body["fields"]["company"].is_array(),
        "{}",
        refused.text
    );
    assert!(
        refused.body["fields"]["contract_reference"].is_array(),
        "{}",
        refused.text
    );
    accepted.expect(200);
    assert_eq!(accepted.body["person_id"], trainer.id.to_string());
    assert_eq!(accepted.body["kind"], "external");
    assert_eq!(accepted.body["company"], "Conseil Sahel SARL");
    assert_eq!(accepted.body["contract_reference"], "ST-2027-014");
    let fetched = app.get(&path, Some(&admin.token)).await;
    assert_eq!(fetched.body["kind"], "external");
}
db_test!(an_external_trainer_needs_a_company_and_a_contract_reference);

async fn a_recorded_competence_appears_on_the_trainers_profile(app: TestApp) {
    let admin = app.admin().await;
    let trainer = app.trainer().await;
    let path = format!("/api/v1/trainers/{}", trainer.id);

    let recorded = app
        .post(
            &format!("{path}/competences"),
            Some(&admin.token),
            json!({ "obtained_on": "2024-05-01", "title": "Formateur certifié AFD", "evidence_url": "https://example.test/cert.pdf" }),
        )
        .await;

    recorded.expect(201);
    assert_eq!(recorded.header("location").unwrap(), path);
    let fetched = app.get(&path, Some(&admin.token)).await;
    fetched.expect(200);
    assert_eq!(fetched.body["kind"], "internal");
    assert_eq!(fetched.body["email"], trainer.email);
    let competences = fetched.body["competences"].as_array().unwrap();
    assert_eq!(competences.len(), 1);
    assert_eq!(competences[0]["id"], recorded.body["id"]);
    assert_eq!(competences[0]["obtained_on"], "2024-05-01");
    assert_eq!(competences[0]["title"], "Formateur certifié AFD");
    assert_eq!(
        competences[0]["evidence_url"],
        "https://example.test/cert.pdf"
    );
    let listed = app.get("/api/v1/trainers", Some(&admin.token)).await;
    let entry = listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["person_id"] == trainer.id.to_string())
        .cloned();
    assert_eq!(entry.unwrap()["competences"].as_array().unwrap().len(), 1);
}
db_test!(a_recorded_competence_appears_on_the_trainers_profile);

async fn a_competence_obtained_in_the_future_or_with_a_bad_link_is_a_422(app: TestApp) {
    let admin = app.admin().await;
    let trainer = app.trainer().await;
    let tomorrow = (Utc::now() + chrono::Duration::days(2))
        .date_naive()
        .to_string();

    let reply = app
        .post(
            &format!("/api/v1/trainers/{}/competences", trainer.id),
            Some(&admin.token),
            json!({ "obtained_on": tomorrow, "title": " ", "evidence_url": "ftp://example.test/x" }),
        )
        .await;

    reply.expect_error(422, "catalogue.invalid");
    for field in ["obtained_on", "title", "evidence_url"] {
        assert!(
            reply.body["fields"][field].is_array(),
            "{field} missing in {}",
            reply.text
        );
    }
    let fetched = app
        .get(
            &format!("/api/v1/trainers/{}", trainer.id),
            Some(&admin.token),
        )
        .await;
    assert_eq!(fetched.body["competences"], json!([]));
}
db_test!(a_competence_obtained_in_the_future_or_with_a_bad_link_is_a_422);

async fn a_trainer_reads_their_own_profile_but_nobody_elses_and_a_member_reads_none(app: TestApp) {
    let admin = app.admin().await;
    let org = app.organisation(&admin, "Sahel", true).await;
    let member = app.member_of(org).await;
    let trainer = app.trainer().await;
    let colleague = app.trainer().await;

    let own = app
        .get(
            &format!("/api/v1/trainers/{}", trainer.id),
            Some(&trainer.token),
        )
        .await;
    let other = app
        .get(
            &format!("/api/v1/trainers/{}", colleague.id),
            Some(&trainer.token),
        )
        .await;
    let by_member = app
        .get(
            &format!("/api/v1/trainers/{}", trainer.id),
            Some(&member.token),
        )
        .await;
    let list_by_member = app.get("/api/v1/trainers", Some(&member.token)).await;
    let edit_by_trainer = app
        .call(
            Method::PUT,
            &format!("/api/v1/trainers/{}", trainer.id),
            Some(&trainer.token),
            Some(json!({ "kind": "internal" })),
        )
        .await;

    own.expect(200);
    assert_eq!(own.body["person_id"], trainer.id.to_string());
    other.expect_error(404, "catalogue.trainer_not_found");
    by_member.expect_error(404, "catalogue.trainer_not_found");
    list_by_member.expect_error(403, "catalogue.forbidden");
    edit_by_trainer.expect_error(403, "catalogue.forbidden");
}
db_test!(a_trainer_reads_their_own_profile_but_nobody_elses_and_a_member_reads_none);

async fn a_person_without_the_trainer_role_has_no_trainer_profile(app: TestApp) {
    let admin = app.admin().await;
    let org = app.organisation(&admin, "Sahel", true).await;
    let member = app.member_of(org).await;
    let path = format!("/api/v1/trainers/{}", member.id);

    let fetched = app.get(&path, Some(&admin.token)).await;
    let profiled = app
        .call(
            Method::PUT,
            &path,
            Some(&admin.token),
            Some(json!({ "kind": "internal" })),
        )
        .await;

    fetched.expect_error(404, "catalogue.trainer_not_found");
    profiled.expect_error(404, "catalogue.trainer_not_found");
    let listed = app.get("/api/v1/trainers", Some(&admin.token)).await;
    assert_eq!(listed.body["items"], json!([]));
}
db_test!(a_person_without_the_trainer_role_has_no_trainer_profile);

async fn a_place_needs_an_address_a_city_a_country_and_seats_and_an_online_room_a_link(
    app: TestApp,
) {
    let admin = app.admin().await;

    let place = app
        .post(
            "/api/v1/rooms",
            Some(&admin.token),
            json!({ "name": "Salle", "is_online": false, "accessibility": "Step-free" }),
        )
        .await;
    let online = app
        .post("/api/v1/rooms", Some(&admin.token), json!({ "name": "Visio", "is_online": true, "join_url": "meet.example.test", "accessibility": "Captions" }))
        .await;

    place.expect_error(422, "catalogue.invalid");
    for field in ["address", "city", "country", "capacity"] {
        assert!(
            place.body["fields"][field].is_array(),
            "{field} missing in {}",
            place.text
        );
    }
    online.expect_error(422, "catalogue.invalid");
    assert!(
        online.body["fields"]["join_url"].is_array(),
        "{}",
        online.text
    );
    assert_eq!(
        app.get("/api/v1/rooms", Some(&admin.token)).await.body["items"],
        json!([])
    );
}
db_test!(a_place_needs_an_address_a_city_a_country_and_seats_and_an_online_room_a_link);

async fn a_room_cannot_shrink_below_a_session_planned_in_it(app: TestApp) {
    let admin = app.admin().await;
    let training = app.published_training(&admin, 210).await;
    let room = app.place(&admin, 20).await;
    app.draft_session(
        &admin,
        session_body(training, room, 15, vec![morning("2027-03-26")]),
    )
    .await;
    let path = format!("/api/v1/rooms/{room}");
    let description = |capacity: i32| json!({ "name": "Salle Lyon", "is_online": false, "address": "12 rue de la Paix", "city": "Lyon", "country": "FR", "capacity": capacity, "accessibility": "Step-free" });

    let shrunk = app
        .call(
            Method::PUT,
            &path,
            Some(&admin.token),
            Some(description(14)),
        )
        .await;
    let trimmed = app
        .call(
            Method::PUT,
            &path,
            Some(&admin.token),
            Some(description(15)),
        )
        .await;

    shrunk.expect_error(422, "catalogue.invalid");
    assert!(
        shrunk.body["fields"]["capacity"].is_array(),
        "{}",
        shrunk.text
    );
    trimmed.expect(200);
    assert_eq!(
        app.get(&path, Some(&admin.token)).await.body["capacity"],
        15
    );
}
db_test!(a_room_cannot_shrink_below_a_session_planned_in_it);
