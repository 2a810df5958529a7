//! Accommodation requests (Qualiopi ind. 26): asked by the trainee or their manager, handled by
//! the training's disability referent, seen by nobody else but administrators.

use serde_json::json;

use crate::harness::TestApp;
use passerelle::principal::Role;

async fn a_trainees_request_is_handled_by_the_referent_and_hidden_from_trainers_and_others(
    app: TestApp,
) {
    let admin = app.admin().await;
    let org = app.organisation(&admin, "Ours", true).await;
    let trainee = app.member_of(org).await;
    let manager = app.manager_of(org).await;
    let colleague = app.member_of(org).await;
    // The programme fixture names referent@example.test as its disability referent.
    let referent = app
        .user_with_email("referent@example.test", &[Role::Member], None)
        .await;
    let session = app.open_session(&admin, 10).await;
    let enrolment = app.enrol(&trainee, session, None).await;
    let id = enrolment.body["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/enrolments/{id}/accommodations");

    let asked = app
        .post(
            &path,
            Some(&trainee.token),
            json!({ "need": "Wheelchair access to the room" }),
        )
        .await;
    let by_manager = app
        .post(
            &path,
            Some(&manager.token),
            json!({ "need": "Large-print handouts" }),
        )
        .await;
    let by_colleague = app
        .post(&path, Some(&colleague.token), json!({ "need": "Nothing" }))
        .await;
    let trainee_sees = app.all_pages(&path, Some(&trainee.token)).await;
    let manager_sees = app.all_pages(&path, Some(&manager.token)).await;
    let referent_sees = app.all_pages(&path, Some(&referent.token)).await;
    let colleague_sees = app.get(&path, Some(&colleague.token)).await;
    let handling = format!(
        "/api/v1/accommodations/{}/handling",
        asked.body["id"].as_str().unwrap()
    );
    let by_trainee = app
        .put(
            &handling,
            Some(&trainee.token),
            json!({ "response": "Done" }),
        )
        .await;
    let by_outsider = app
        .put(
            &handling,
            Some(&colleague.token),
            json!({ "response": "Done" }),
        )
        .await;
    let handled = app
        .put(
            &handling,
            Some(&referent.token),
            json!({ "response": "Room B on the ground floor booked" }),
        )
        .await;
    let after = app.all_pages(&path, Some(&trainee.token)).await;

    asked.expect(201);
    assert_eq!(asked.body["requested_by"], trainee.id.to_string());
    assert_eq!(asked.body["response"], serde_json::Value::Null);
    assert!(
        asked
            .header("location")
            .unwrap()
            .ends_with(asked.body["id"].as_str().unwrap())
    );
    by_manager.expect(201);
    by_colleague.expect_error(404, "enrolment.not_found");
    assert_eq!(trainee_sees.len(), 2);
    assert_eq!(referent_sees.len(), 2);
    assert_eq!(
        manager_sees.len(),
        1,
        "a manager sees the requests they made"
    );
    assert_eq!(manager_sees[0]["need"], "Large-print handouts");
    colleague_sees.expect_error(404, "enrolment.not_found");
    by_trainee.expect_error(403, "enrolment.forbidden");
    by_outsider.expect_error(404, "enrolment.accommodation_not_found");
    handled.expect(200);
    assert_eq!(
        handled.body["response"],
        "Room B on the ground floor booked"
    );
    assert_eq!(handled.body["handled_by"], referent.id.to_string());
    assert!(handled.body["handled_at"].is_string());
    let mine = after.iter().find(|a| a["id"] == asked.body["id"]).unwrap();
    assert_eq!(mine["response"], "Room B on the ground floor booked");
}
db_test!(a_trainees_request_is_handled_by_the_referent_and_hidden_from_trainers_and_others);

async fn the_trainer_of_the_session_never_sees_accommodation_requests(app: TestApp) {
    let admin = app.admin().await;
    let trainee = app.user_with(&[Role::Member], None).await;
    let trainer = app.trainer().await;
    let training = app.published_training(&admin, 210).await;
    let room = app.place(&admin, 30).await;
    let mut body = crate::fixtures::session_body(
        training,
        room,
        10,
        vec![crate::fixtures::morning("2027-03-26")],
    );
    body["trainer_ids"] = json!([trainer.id]);
    let session = app.published_session(&admin, body).await;
    let enrolment = app.enrol(&trainee, session, None).await;
    let path = format!(
        "/api/v1/enrolments/{}/accommodations",
        enrolment.body["id"].as_str().unwrap()
    );
    app.post(
        &path,
        Some(&trainee.token),
        json!({ "need": "A hearing loop" }),
    )
    .await
    .expect(201);

    let roster_entry = app
        .get(
            &format!(
                "/api/v1/enrolments/{}",
                enrolment.body["id"].as_str().unwrap()
            ),
            Some(&trainer.token),
        )
        .await;
    let requests = app.get(&path, Some(&trainer.token)).await;
    let blank = app
        .post(&path, Some(&trainee.token), json!({ "need": "   " }))
        .await;
    let admin_sees = app.all_pages(&path, Some(&admin.token)).await;

    roster_entry.expect(200);
    requests.expect_error(404, "enrolment.not_found");
    blank.expect_error(422, "enrolment.invalid");
    assert_eq!(admin_sees.len(), 1);
}
db_test!(the_trainer_of_the_session_never_sees_accommodation_requests);
