//! Convocations (Qualiopi ind. 9): issued by an administrator to confirmed trainees, with the
//! place, the half-days, the contacts and access, and the moment they were issued.

use chrono::{Duration, TimeZone, Utc};
use serde_json::json;

use crate::harness::TestApp;
use passerelle::principal::Role;

async fn a_confirmed_trainee_is_convoked_with_place_hours_contacts_and_the_moment_of_issue(
    mut app: TestApp,
) {
    let clock =
        passerelle::clock::Clock::manual(Utc.with_ymd_and_hms(2027, 3, 1, 9, 0, 0).unwrap());
    app.use_clock(clock.clone());
    let admin = app.admin().await;
    let trainee = app.user_with(&[Role::Member], None).await;
    let waiting = app.user_with(&[Role::Member], None).await;
    let stranger = app.user_with(&[Role::Member], None).await;
    let session = app.open_session(&admin, 1).await;
    let confirmed = app.enrol(&trainee, session, None).await;
    let waitlisted = app.enrol(&waiting, session, None).await;
    let path = |reply: &crate::harness::Reply| {
        format!(
            "/api/v1/enrolments/{}/convocation",
            reply.body["id"].as_str().unwrap()
        )
    };

    let before = app.get(&path(&confirmed), Some(&trainee.token)).await;
    let by_trainee = app
        .post(&path(&confirmed), Some(&trainee.token), json!({}))
        .await;
    let issued = app
        .call(
            poem::http::Method::POST,
            &path(&confirmed),
            Some(&admin.token),
            None,
        )
        .await;
    let read = app.get(&path(&confirmed), Some(&trainee.token)).await;
    let peek = app.get(&path(&confirmed), Some(&stranger.token)).await;
    let not_confirmed = app
        .call(
            poem::http::Method::POST,
            &path(&waitlisted),
            Some(&admin.token),
            None,
        )
        .await;
    clock.advance(Duration::days(2));
    let again = app
        .call(
            poem::http::Method::POST,
            &path(&confirmed),
            Some(&admin.token),
            None,
        )
        .await;

    before.expect_error(404, "enrolment.convocation_not_found");
    by_trainee.expect_error(403, "enrolment.forbidden");
    issued.expect(201);
    assert_eq!(issued.body["training_title"], "Monter un projet AFD");
    assert_eq!(issued.body["city"], "Lyon");
    assert_eq!(issued.body["time_zone"], "Europe/Paris");
    let half_days = issued.body["half_days"].as_array().unwrap();
    assert_eq!(half_days.len(), 2);
    assert_eq!(half_days[0]["date"], "2027-03-26");
    assert_eq!(half_days[0]["start"], "09:00");
    assert_eq!(issued.body["contact"]["email"], "trainings@example.test");
    assert_eq!(
        issued.body["disability_referent"]["email"],
        "referent@example.test"
    );
    assert_eq!(issued.body["issued_at"], "2027-03-01T09:00:00.000Z");
    assert_eq!(issued.body["issued_by"], admin.id.to_string());
    read.expect(200);
    assert_eq!(read.body, issued.body);
    peek.expect_error(404, "enrolment.not_found");
    not_confirmed.expect_error(409, "enrolment.not_confirmed");
    again.expect(201);
    assert_eq!(
        again.body["issued_at"], "2027-03-03T09:00:00.000Z",
        "issuing again is recorded"
    );
}
db_test!(a_confirmed_trainee_is_convoked_with_place_hours_contacts_and_the_moment_of_issue);
