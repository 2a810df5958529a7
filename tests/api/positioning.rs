//! Positioning (Qualiopi ind. 8): a questionnaire on the training, answered by the trainee before
//! the session, seen by the trainee, the session's trainers and administrators.

use chrono::{Duration, TimeZone, Utc};
use serde_json::{Value, json};

use crate::fixtures::{morning, session_body};
use crate::harness::TestApp;
use passerelle::principal::Role;

fn questionnaire() -> Value {
    json!({ "questions": [
        { "key": "level", "kind": "single_choice", "prompt": "Your level in budgeting?",
          "options": ["none", "some", "expert"] },
        { "key": "topics", "kind": "multiple_choice", "prompt": "Topics you need?",
          "options": ["AFD", "EU", "foundations"] },
        { "key": "confidence", "kind": "scale", "prompt": "How confident are you?",
          "scale_min": 1, "scale_max": 5 },
        { "key": "expectations", "kind": "free_text", "prompt": "What do you expect?" }
    ]})
}

fn answers() -> Value {
    json!({ "answers": [
        { "key": "level", "choices": ["some"] },
        { "key": "topics", "choices": ["AFD", "EU"] },
        { "key": "confidence", "value": 3 },
        { "key": "expectations", "text": "Write my first AFD budget" }
    ]})
}

async fn a_trainee_answers_before_the_session_and_the_trainer_sees_it_completed(mut app: TestApp) {
    let clock =
        passerelle::clock::Clock::manual(Utc.with_ymd_and_hms(2027, 3, 1, 9, 0, 0).unwrap());
    app.use_clock(clock.clone());
    let admin = app.admin().await;
    let org = app.organisation(&admin, "Ours", true).await;
    let trainee = app.member_of(org).await;
    let manager = app.manager_of(org).await;
    let other = app.user_with(&[Role::Member], None).await;
    let trainer = app.trainer().await;
    let training = app.published_training(&admin, 210).await;
    let room = app.place(&admin, 30).await;
    let mut body = session_body(training, room, 10, vec![morning("2027-03-26")]);
    body["trainer_ids"] = json!([trainer.id]);
    let session = app.published_session(&admin, body).await;
    let enrolment = app.enrol(&trainee, session, None).await;
    let id = enrolment.body["id"].as_str().unwrap().to_owned();
    let defining = format!("/api/v1/trainings/{training}/positioning");
    let answering = format!("/api/v1/enrolments/{id}/positioning");

    let by_member = app
        .put(&defining, Some(&trainee.token), questionnaire())
        .await;
    let defined = app
        .put(&defining, Some(&admin.token), questionnaire())
        .await;
    let read = app.get(&defining, Some(&trainee.token)).await;
    let before = app.get(&answering, Some(&trainer.token)).await;
    let by_manager = app.put(&answering, Some(&manager.token), answers()).await;
    let answered = app.put(&answering, Some(&trainee.token), answers()).await;
    let trainer_sees = app.get(&answering, Some(&trainer.token)).await;
    let other_sees = app.get(&answering, Some(&other.token)).await;
    let roster = app
        .all_pages(
            &format!("/api/v1/enrolments?session_id={session}"),
            Some(&trainer.token),
        )
        .await;
    clock.advance(Duration::days(25)); // past 2027-03-26 08:00Z, within the token's 30 days
    let too_late = app.put(&answering, Some(&trainee.token), answers()).await;

    by_member.expect_error(403, "enrolment.forbidden");
    defined.expect(200);
    assert_eq!(defined.body["questions"].as_array().unwrap().len(), 4);
    read.expect(200);
    assert_eq!(read.body["questions"][2]["scale_max"], 5);
    before.expect_error(404, "enrolment.positioning_not_found");
    by_manager.expect_error(404, "enrolment.not_found");
    answered.expect(200);
    assert_eq!(answered.body["answers"][1]["choices"], json!(["AFD", "EU"]));
    assert_eq!(answered.body["answered_at"], "2027-03-01T09:00:00.000Z");
    trainer_sees.expect(200);
    assert_eq!(
        trainer_sees.body["answers"][3]["text"],
        "Write my first AFD budget"
    );
    other_sees.expect_error(404, "enrolment.not_found");
    assert_eq!(
        roster[0]["positioning_answered_at"],
        "2027-03-01T09:00:00.000Z"
    );
    too_late.expect_error(409, "enrolment.session_started");
}
db_test!(a_trainee_answers_before_the_session_and_the_trainer_sees_it_completed);

async fn answers_that_do_not_fit_the_questionnaire_are_a_422_naming_them(app: TestApp) {
    let admin = app.admin().await;
    let trainee = app.user_with(&[Role::Member], None).await;
    let training = app.published_training(&admin, 210).await;
    let room = app.place(&admin, 30).await;
    let session = app
        .published_session(
            &admin,
            session_body(training, room, 10, vec![morning("2027-03-26")]),
        )
        .await;
    let enrolment = app.enrol(&trainee, session, None).await;
    let answering = format!(
        "/api/v1/enrolments/{}/positioning",
        enrolment.body["id"].as_str().unwrap()
    );
    let defining = format!("/api/v1/trainings/{training}/positioning");
    let unanswerable = app.put(&answering, Some(&trainee.token), answers()).await;
    let bad_questions = app
        .put(&defining, Some(&admin.token), json!({ "questions": [
                { "key": "a", "kind": "single_choice", "prompt": "One option only", "options": ["x"] },
                { "key": "a", "kind": "scale", "prompt": "No bounds" }
            ]}),
        )
        .await;
    app.put(&defining, Some(&admin.token), questionnaire())
        .await
        .expect(200);
    let wrong = app
        .put(
            &answering,
            Some(&trainee.token),
            json!({ "answers": [
                { "key": "level", "choices": ["guru"] },
                { "key": "topics", "choices": ["AFD", "AFD"] },
                { "key": "confidence", "value": 9 },
                { "key": "nope", "text": "?" }
            ]}),
        )
        .await;
    let unknown_training = app
        .put(
            &format!("/api/v1/trainings/{}/positioning", uuid::Uuid::now_v7()),
            Some(&admin.token),
            questionnaire(),
        )
        .await;

    unanswerable.expect_error(404, "enrolment.questionnaire_not_found");
    bad_questions.expect_error(422, "enrolment.invalid");
    assert!(
        bad_questions.body["fields"]["questions[0].options"].is_array(),
        "{}",
        bad_questions.text
    );
    assert!(
        bad_questions.body["fields"]["questions[1].key"].is_array(),
        "{}",
        bad_questions.text
    );
    assert!(
        bad_questions.body["fields"]["questions[1].scale_max"].is_array(),
        "{}",
        bad_questions.text
    );
    wrong.expect_error(422, "enrolment.invalid");
    for field in [
        "answers[0]",
        "answers[1]",
        "answers[2]",
        "answers[3].key",
        "answers",
    ] {
        assert!(
            wrong.body["fields"][field].is_array(),
            "{field} in {}",
            wrong.text
        );
    }
    unknown_training.expect_error(404, "enrolment.training_not_found");
}
db_test!(answers_that_do_not_fit_the_questionnaire_are_a_422_naming_them);
