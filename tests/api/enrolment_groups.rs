//! Enrolment requests that arrive together are decided in one transaction (group commit); each
//! must get the answer it would have had alone, in arrival order.

use std::sync::Arc;

use passerelle::clock::Clock;
use passerelle::db::write;
use passerelle::enrolment::model::{EnrolRequest, FundingSource, TraineeType};
use passerelle::enrolment::service::{self, EnrolJob, EnrolmentError};
use serde_json::json;
use uuid::Uuid;

use crate::fixtures::User;
use crate::harness::{Reply, TestApp};
use crate::oracle::assert_every_synced_row_is_stamped;

fn request(session_id: Uuid, person_id: Uuid, key: Option<&str>) -> EnrolRequest {
    EnrolRequest {
        session_id,
        person_id: Some(person_id),
        trainee_type: TraineeType::Employee,
        funding_source: FundingSource::Employer,
        funding_amount_cents: None,
        needs: String::new(),
        idempotency_key: key.map(str::to_owned),
    }
}

async fn one_group_decides_its_requests_as_if_they_came_one_after_the_other(app: TestApp) {
    let admin = app.admin().await;
    let session = app.open_session(&admin, 1).await;
    let (a, b, c) = (
        app.person_in(None).await,
        app.person_in(None).await,
        app.person_in(None).await,
    );
    let principal =
        passerelle::accounts::service::authenticate(app.db(), chrono::Utc::now(), &admin.token)
            .await
            .unwrap();
    let mut jobs = Vec::new();
    for (person, key) in [
        (a, Some("key-a")),
        (a, None),
        (b, Some("key-b")),
        (b, Some("key-b")),
        (c, Some("key-a")),
        (c, None),
    ] {
        let prepared = service::prepare_enrolment(request(session, person, key)).unwrap();
        jobs.push(EnrolJob {
            principal: principal.clone(),
            prepared,
        });
    }

    let answers = write::run(app.db(), &Clock::system(), async |tx| {
        service::enrol_group(tx, session, &jobs).await
    })
    .await
    .unwrap();

    let [first, again, waiting, retry, reused, third] = &answers[..] else {
        panic!("six answers, got {}", answers.len());
    };
    let first = first.as_ref().unwrap();
    assert_eq!(first.enrolment.person_id, a);
    assert!(first.enrolment.waitlist_position.is_none(), "the one seat");
    assert!(!first.replayed);
    assert!(matches!(again, Err(EnrolmentError::AlreadyEnrolled)));
    let waiting = waiting.as_ref().unwrap();
    assert_eq!(waiting.enrolment.waitlist_position, Some(1));
    let retry = retry.as_ref().unwrap();
    assert!(retry.replayed, "the same key again is a replay");
    assert_eq!(retry.enrolment.id, waiting.enrolment.id);
    assert!(matches!(reused, Err(EnrolmentError::IdempotencyKeyReused)));
    let third = third.as_ref().unwrap();
    assert_eq!(third.enrolment.waitlist_position, Some(2));
    let roster = app.roster(&admin, session).await;
    assert_eq!(roster.len(), 3, "three people, each once");
    let seats = app
        .get(&format!("/api/v1/sessions/{session}"), Some(&admin.token))
        .await;
    assert_eq!(seats.body["seats_taken"], 1);
    assert_every_synced_row_is_stamped(app.db()).await;
}
db_test!(one_group_decides_its_requests_as_if_they_came_one_after_the_other);

/// Sends `count` requests at once, `send(i)` each.
async fn at_once<F, Fut>(count: usize, send: F) -> Vec<Reply>
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = Reply> + Send + 'static,
{
    let calls: Vec<_> = (0..count).map(|i| tokio::spawn(send(i))).collect();
    let mut replies = Vec::new();
    for call in calls {
        replies.push(call.await.unwrap());
    }
    replies
}

async fn keyed_enrol(app: &Arc<TestApp>, user: &User, session: Uuid, key: &str) -> Reply {
    TestApp::read(
        app.client
            .post(format!("/api/v1/sessions/{session}/enrolments"))
            .header("authorization", format!("Bearer {}", user.token))
            .header("idempotency-key", key)
            .body_json(&json!({ "needs": "Budget" }))
            .send()
            .await,
    )
    .await
}

async fn sixteen_simultaneous_retries_with_one_key_enrol_once_and_all_answer_that_enrolment(
    app: TestApp,
) {
    let admin = app.admin().await;
    let member = app
        .user_with(&[passerelle::principal::Role::Member], None)
        .await;
    let session = app.open_session(&admin, 10).await;
    let app = Arc::new(app);
    let member = Arc::new(member);

    let replies = at_once(16, |_| {
        let (app, member) = (app.clone(), member.clone());
        async move { keyed_enrol(&app, &member, session, "double-tap").await }
    })
    .await;

    let created = replies.iter().filter(|r| r.status == 201).count();
    let replayed = replies.iter().filter(|r| r.status == 200).count();
    assert_eq!(
        (created, replayed),
        (1, 15),
        "one enrolment, fifteen replays"
    );
    let ids: std::collections::BTreeSet<Uuid> = replies.iter().map(Reply::id).collect();
    assert_eq!(ids.len(), 1, "every reply names the same enrolment");
    assert_eq!(app.roster(&admin, session).await.len(), 1);
}
db_test!(sixteen_simultaneous_retries_with_one_key_enrol_once_and_all_answer_that_enrolment);

async fn sixteen_simultaneous_enrolments_of_one_person_make_one_and_fifteen_conflicts(
    app: TestApp,
) {
    let admin = app.admin().await;
    let session = app.open_session(&admin, 10).await;
    let person = app.person_in(None).await;
    let app = Arc::new(app);
    let admin = Arc::new(admin);

    let replies = at_once(16, |_| {
        let (app, admin) = (app.clone(), admin.clone());
        async move { app.enrol(&admin, session, Some(person)).await }
    })
    .await;

    assert_eq!(replies.iter().filter(|r| r.status == 201).count(), 1);
    for reply in replies.iter().filter(|r| r.status != 201) {
        reply.expect_error(409, "enrolment.already_enrolled");
    }
    let seats = app
        .get(&format!("/api/v1/sessions/{session}"), Some(&admin.token))
        .await;
    assert_eq!(seats.body["seats_taken"], 1, "one seat taken");
}
db_test!(sixteen_simultaneous_enrolments_of_one_person_make_one_and_fifteen_conflicts);

async fn one_key_sent_to_sixteen_sessions_at_once_enrols_in_one_and_refuses_the_rest(app: TestApp) {
    let admin = app.admin().await;
    let member = app
        .user_with(&[passerelle::principal::Role::Member], None)
        .await;
    let mut sessions = Vec::new();
    for _ in 0..16 {
        sessions.push(app.open_session(&admin, 5).await);
    }
    let app = Arc::new(app);
    let member = Arc::new(member);
    let sessions = Arc::new(sessions);

    let replies = at_once(16, |i| {
        let (app, member, sessions) = (app.clone(), member.clone(), sessions.clone());
        async move { keyed_enrol(&app, &member, sessions[i], "one-key").await }
    })
    .await;

    assert_eq!(replies.iter().filter(|r| r.status == 201).count(), 1);
    for reply in replies.iter().filter(|r| r.status != 201) {
        reply.expect_error(422, "enrolment.idempotency_key_reused");
    }
    let mine = app
        .all_pages("/api/v1/enrolments", Some(&member.token))
        .await;
    assert_eq!(mine.len(), 1, "enrolled in one session only");
    assert_every_synced_row_is_stamped(app.db()).await;
}
db_test!(one_key_sent_to_sixteen_sessions_at_once_enrols_in_one_and_refuses_the_rest);
