//! The complaints register (Qualiopi ind. 31): anyone files a complaint, administrators
//! acknowledge, answer and close it in that order, each step dated and by whom; those not
//! acknowledged in time are listed as overdue; public submissions are limited per address.

use chrono::Duration;
use passerelle::principal::Role;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::fixtures::{clubs_start, instant};
use crate::harness::TestApp;

fn complaint(text: &str) -> Value {
    json!({
        "channel": "form",
        "contact": "Camille Martin, camille@example.test",
        "text": text,
    })
}

async fn a_complaint_goes_through_its_states_each_dated_and_by_whom(mut app: TestApp) {
    let clock = app.on_club_clock();
    let admin = app.admin().await;
    let filer = app.user_with(&[Role::Member], None).await;
    let other = app.user_with(&[Role::Member], None).await;
    let training = app.published_training(&admin, 420).await;
    let mut body = complaint("The room was cold all day.");
    body["training_id"] = json!(training);

    let filed = app
        .post("/api/v1/complaints", Some(&filer.token), body)
        .await;
    filed.expect(201);
    let id = filed.id();
    let path = format!("/api/v1/complaints/{id}");
    assert_eq!(filed.header("location"), Some(path.as_str()));
    assert_eq!(filed.body["status"], "received");
    assert_eq!(filed.body["filed_by"], filer.id.to_string());
    assert_eq!(filed.body["training_id"], training.to_string());
    assert_eq!(instant(&filed.body["received_at"]), clubs_start());
    assert!(filed.body["acknowledged_at"].is_null());

    let answer = json!({ "answer": "We fixed the heating." });
    let outcome = json!({ "outcome": "Heating serviced; rooms checked each morning." });
    app.post(
        &format!("{path}/answer"),
        Some(&admin.token),
        answer.clone(),
    )
    .await
    .expect_error(409, "quality.complaint_not_acknowledged");
    app.post(
        &format!("{path}/closure"),
        Some(&admin.token),
        outcome.clone(),
    )
    .await
    .expect_error(409, "quality.complaint_not_acknowledged");
    app.call(
        poem::http::Method::POST,
        &format!("{path}/acknowledgement"),
        Some(&filer.token),
        None,
    )
    .await
    .expect_error(403, "quality.forbidden");

    clock.advance(Duration::hours(2));
    let acknowledged = app
        .call(
            poem::http::Method::POST,
            &format!("{path}/acknowledgement"),
            Some(&admin.token),
            None,
        )
        .await;
    acknowledged.expect(200);
    assert_eq!(acknowledged.body["status"], "acknowledged");
    assert_eq!(
        instant(&acknowledged.body["acknowledged_at"]),
        clubs_start() + Duration::hours(2)
    );
    assert_eq!(acknowledged.body["acknowledged_by"], admin.id.to_string());
    app.call(
        poem::http::Method::POST,
        &format!("{path}/acknowledgement"),
        Some(&admin.token),
        None,
    )
    .await
    .expect_error(409, "quality.complaint_step_done");
    app.post(
        &format!("{path}/closure"),
        Some(&admin.token),
        outcome.clone(),
    )
    .await
    .expect_error(409, "quality.complaint_not_answered");

    clock.advance(Duration::days(1));
    let answered = app
        .post(&format!("{path}/answer"), Some(&admin.token), answer)
        .await;
    answered.expect(200);
    assert_eq!(answered.body["status"], "answered");
    assert_eq!(answered.body["answer"], "We fixed the heating.");
    assert_eq!(
        instant(&answered.body["answered_at"]),
        clubs_start() + Duration::hours(26)
    );
    assert_eq!(answered.body["answered_by"], admin.id.to_string());

    clock.advance(Duration::days(1));
    let closed = app
        .post(
            &format!("{path}/closure"),
            Some(&admin.token),
            outcome.clone(),
        )
        .await;
    closed.expect(200);
    assert_eq!(closed.body["status"], "closed");
    assert_eq!(
        closed.body["outcome"],
        "Heating serviced; rooms checked each morning."
    );
    assert_eq!(
        instant(&closed.body["closed_at"]),
        clubs_start() + Duration::hours(50)
    );
    assert_eq!(closed.body["closed_by"], admin.id.to_string());
    app.post(&format!("{path}/closure"), Some(&admin.token), outcome)
        .await
        .expect_error(409, "quality.complaint_step_done");

    let own = app.get(&path, Some(&filer.token)).await;
    own.expect(200);
    assert_eq!(own.body["status"], "closed");
    app.get(&path, Some(&other.token))
        .await
        .expect_error(404, "quality.complaint_not_found");
    let theirs = app
        .all_pages("/api/v1/complaints", Some(&other.token))
        .await;
    assert!(theirs.is_empty(), "another member lists {theirs:?}");
    let mine = app
        .all_pages("/api/v1/complaints", Some(&filer.token))
        .await;
    assert_eq!(mine.len(), 1);
}
db_test!(a_complaint_goes_through_its_states_each_dated_and_by_whom);

async fn a_complaint_about_a_session_training_or_club_that_does_not_exist_is_refused(app: TestApp) {
    let mut body = complaint("About something that is not there.");
    body["session_id"] = json!(Uuid::now_v7());
    body["training_id"] = json!(Uuid::now_v7());
    body["club_id"] = json!(Uuid::now_v7());

    let refused = app.post("/api/v1/complaints", None, body).await;
    let blank = app
        .post(
            "/api/v1/complaints",
            None,
            json!({ "channel": "email", "contact": " ", "text": "x" }),
        )
        .await;

    refused.expect_error(422, "quality.invalid");
    for field in ["session_id", "training_id", "club_id"] {
        assert!(refused.body["fields"][field].is_array(), "{}", refused.text);
    }
    blank.expect_error(422, "quality.invalid");
    assert!(blank.body["fields"]["contact"].is_array(), "{}", blank.text);
}
db_test!(a_complaint_about_a_session_training_or_club_that_does_not_exist_is_refused);

async fn a_complaint_not_acknowledged_within_the_delay_is_listed_as_overdue(mut app: TestApp) {
    let clock = app.on_club_clock();
    let admin = app.admin().await;
    let late = app
        .post("/api/v1/complaints", None, complaint("Nobody called back."))
        .await;
    late.expect(201);
    let handled = app
        .post("/api/v1/complaints", None, complaint("Wrong invoice."))
        .await;
    handled.expect(201);
    app.call(
        poem::http::Method::POST,
        &format!("/api/v1/complaints/{}/acknowledgement", handled.id()),
        Some(&admin.token),
        None,
    )
    .await
    .expect(200);

    clock.advance(Duration::days(6));
    let early = app
        .all_pages("/api/v1/complaints?overdue=true", Some(&admin.token))
        .await;
    clock.advance(Duration::days(1));
    let overdue = app
        .all_pages(
            "/api/v1/complaints?overdue=true&limit=1",
            Some(&admin.token),
        )
        .await;
    let all = app
        .all_pages("/api/v1/complaints?limit=1", Some(&admin.token))
        .await;

    assert!(early.is_empty(), "overdue after 6 days: {early:?}");
    assert_eq!(overdue.len(), 1);
    assert_eq!(overdue[0]["id"], late.id().to_string());
    assert_eq!(overdue[0]["overdue"], true);
    assert_eq!(all.len(), 2);
    let acknowledged = all.iter().find(|c| c["id"] == handled.id().to_string());
    assert_eq!(acknowledged.unwrap()["overdue"], false);
}
db_test!(a_complaint_not_acknowledged_within_the_delay_is_listed_as_overdue);

async fn an_anonymous_complaint_is_accepted_and_submissions_from_one_address_are_limited(
    mut app: TestApp,
) {
    app.configure(|settings| settings.quality_submissions_per_address = 3);
    let admin = app.admin().await;

    for i in 0..3 {
        let filed = app
            .post(
                "/api/v1/complaints",
                None,
                complaint(&format!("Complaint {i}")),
            )
            .await;
        filed.expect(201);
        assert!(filed.body["filed_by"].is_null());
    }
    let limited = app
        .post("/api/v1/complaints", None, complaint("One too many"))
        .await;
    let report = app
        .post(
            "/api/v1/reports",
            None,
            json!({ "category": "harassment", "text": "Also limited." }),
        )
        .await;
    let by_phone = app
        .post(
            "/api/v1/complaints",
            Some(&admin.token),
            complaint("Received by phone"),
        )
        .await;
    let bad_token = app
        .post(
            "/api/v1/complaints",
            Some("psl_not-a-token"),
            complaint("x"),
        )
        .await;

    limited.expect_error(429, "quality.rate_limited");
    assert!(limited.header("retry-after").is_some());
    report.expect_error(429, "quality.rate_limited");
    by_phone.expect(201);
    assert_eq!(by_phone.body["filed_by"], admin.id.to_string());
    bad_token.expect(401);
    let register = app
        .all_pages("/api/v1/complaints", Some(&admin.token))
        .await;
    assert_eq!(register.len(), 4);
}
db_test!(an_anonymous_complaint_is_accepted_and_submissions_from_one_address_are_limited);
