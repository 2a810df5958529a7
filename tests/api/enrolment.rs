//! Enrolment: seats never over capacity whatever the concurrency, a first-come waitlist that
//! moves up when a seat frees, prices fixed at enrolment, and who may enrol and see whom.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use poem::http::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::fixtures::{morning, programme, session_body};
use crate::harness::TestApp;
use crate::oracle::assert_every_synced_row_is_stamped;

fn statuses(roster: &[Value]) -> (Vec<&Value>, Vec<&Value>) {
    let confirmed = roster
        .iter()
        .filter(|e| e["status"] == "confirmed")
        .collect();
    let waiting = roster
        .iter()
        .filter(|e| e["status"] == "waitlisted")
        .collect();
    (confirmed, waiting)
}

/// The waitlist's positions, sorted (they must be 1, 2, 3… with no gap and no duplicate).
fn positions(waiting: &[&Value]) -> Vec<i64> {
    let mut positions: Vec<i64> = waiting
        .iter()
        .map(|e| e["waitlist_position"].as_i64().unwrap())
        .collect();
    positions.sort_unstable();
    positions
}

async fn sixty_four_concurrent_enrolments_in_a_ten_seat_session_confirm_ten_and_queue_fifty_four(
    app: TestApp,
) {
    let admin = app.admin().await;
    let session = app.open_session(&admin, 10).await;
    let mut people = Vec::new();
    for _ in 0..64 {
        people.push(app.person_in(None).await);
    }
    let app = Arc::new(app);
    let admin = Arc::new(admin);

    let calls: Vec<_> = people
        .iter()
        .map(|&person| {
            let (app, admin) = (app.clone(), admin.clone());
            tokio::spawn(async move { app.enrol(&admin, session, Some(person)).await })
        })
        .collect();
    let mut answered = Vec::new();
    for call in calls {
        answered.push(call.await.unwrap());
    }

    assert!(
        answered.iter().all(|r| r.status == 201),
        "every enrolment answered 201"
    );
    let roster = app.roster(&admin, session).await;
    assert_eq!(roster.len(), 64);
    let (confirmed, waiting) = statuses(&roster);
    assert_eq!(confirmed.len(), 10, "exactly the capacity is confirmed");
    assert_eq!(waiting.len(), 54);
    assert_eq!(positions(&waiting), (1..=54).collect::<Vec<_>>());
    let enrolled: BTreeSet<&str> = roster
        .iter()
        .map(|e| e["person_id"].as_str().unwrap())
        .collect();
    assert_eq!(enrolled.len(), 64, "nobody enrolled twice");
    let public = app
        .get(&format!("/api/v1/catalogue/sessions/{session}"), None)
        .await;
    assert_eq!(public.body["seats_left"], 0);
    assert_every_synced_row_is_stamped(app.db()).await;
}
db_test!(sixty_four_concurrent_enrolments_in_a_ten_seat_session_confirm_ten_and_queue_fifty_four);

async fn cancelling_a_confirmed_enrolment_gives_its_seat_to_the_first_in_line_and_says_why(
    app: TestApp,
) {
    let admin = app.admin().await;
    let session = app.open_session(&admin, 1).await;
    let holder = app
        .enrol(&admin, session, Some(app.person_in(None).await))
        .await;
    let first = app
        .enrol(&admin, session, Some(app.person_in(None).await))
        .await;
    let second = app
        .enrol(&admin, session, Some(app.person_in(None).await))
        .await;
    let public = format!("/api/v1/catalogue/sessions/{session}");
    let full = app.get(&public, None).await;

    let cancelled = app
        .cancel_enrolment(&admin, holder.body["id"].as_str().unwrap(), "Ill")
        .await;
    let after = app.get(&public, None).await;
    let promoted = app
        .get(
            &format!("/api/v1/enrolments/{}", first.body["id"].as_str().unwrap()),
            Some(&admin.token),
        )
        .await;
    let still_waiting = app
        .get(
            &format!("/api/v1/enrolments/{}", second.body["id"].as_str().unwrap()),
            Some(&admin.token),
        )
        .await;

    assert_eq!(holder.body["status"], "confirmed");
    assert_eq!(first.body["status"], "waitlisted");
    assert_eq!(first.body["waitlist_position"], 1);
    assert_eq!(second.body["waitlist_position"], 2);
    assert_eq!(full.body["seats_left"], 0);
    cancelled.expect(200);
    assert_eq!(cancelled.body["status"], "cancelled");
    assert_eq!(cancelled.body["cancel_reason"], "Ill");
    assert_eq!(cancelled.body["cancelled_by"], admin.id.to_string());
    assert_eq!(promoted.body["status"], "confirmed");
    assert_eq!(promoted.body["waitlist_position"], Value::Null);
    assert_eq!(promoted.body["promoted_by"], admin.id.to_string());
    assert!(
        promoted.body["promotion_reason"]
            .as_str()
            .unwrap()
            .contains(holder.body["id"].as_str().unwrap()),
        "the promotion names the cancellation: {}",
        promoted.text
    );
    assert!(promoted.body["promoted_at"].is_string());
    assert_eq!(still_waiting.body["waitlist_position"], 1, "moved up");
    assert_eq!(
        after.body["seats_left"], 0,
        "the seat went to the first in line"
    );
    let again = app
        .cancel_enrolment(&admin, holder.body["id"].as_str().unwrap(), "Twice")
        .await;
    again.expect_error(409, "enrolment.already_cancelled");
    assert_every_synced_row_is_stamped(app.db()).await;
}
db_test!(cancelling_a_confirmed_enrolment_gives_its_seat_to_the_first_in_line_and_says_why);

async fn concurrent_cancellations_and_enrolments_never_leave_a_free_seat_while_someone_waits(
    app: TestApp,
) {
    let admin = app.admin().await;
    let session = app.open_session(&admin, 5).await;
    let mut enrolments = Vec::new();
    for _ in 0..12 {
        let reply = app
            .enrol(&admin, session, Some(app.person_in(None).await))
            .await;
        enrolments.push(reply.body["id"].as_str().unwrap().to_owned());
    }
    let mut newcomers = Vec::new();
    for _ in 0..6 {
        newcomers.push(app.person_in(None).await);
    }
    let app = Arc::new(app);
    let admin = Arc::new(admin);

    // Three confirmed and two waitlisted cancel while six more enrol.
    let mut calls = Vec::new();
    for id in enrolments[..3].iter().chain(&enrolments[6..8]) {
        let (app, admin, id) = (app.clone(), admin.clone(), id.clone());
        calls.push(tokio::spawn(async move {
            app.cancel_enrolment(&admin, &id, "Changed plans")
                .await
                .status
                .as_u16()
        }));
    }
    for person in newcomers {
        let (app, admin) = (app.clone(), admin.clone());
        calls.push(tokio::spawn(async move {
            app.enrol(&admin, session, Some(person))
                .await
                .status
                .as_u16()
        }));
    }
    for call in calls {
        let status = call.await.unwrap();
        assert!(status == 200 || status == 201, "answered {status}");
    }

    let roster = app.roster(&admin, session).await;
    let (confirmed, waiting) = statuses(&roster);
    assert_eq!(confirmed.len(), 5, "every seat is taken, none twice");
    assert_eq!(waiting.len(), 18 - 5 - 5);
    assert_eq!(
        positions(&waiting),
        (1..=i64::try_from(waiting.len()).unwrap()).collect::<Vec<_>>()
    );
    let admin_view = app
        .get(&format!("/api/v1/sessions/{session}"), Some(&admin.token))
        .await;
    assert_eq!(admin_view.body["seats_taken"], 5);
    assert_every_synced_row_is_stamped(app.db()).await;
}
db_test!(concurrent_cancellations_and_enrolments_never_leave_a_free_seat_while_someone_waits);

async fn member_staff_pay_the_member_price_others_the_non_member_price_and_it_is_kept(
    app: TestApp,
) {
    let admin = app.admin().await;
    let member_org = app.organisation(&admin, "Réseau Solidaire", true).await;
    let other_org = app.organisation(&admin, "Voisins", false).await;
    let training = app.published_training(&admin, 210).await;
    let room = app.place(&admin, 30).await;
    let session = app
        .published_session(
            &admin,
            session_body(training, room, 10, vec![morning("2027-03-26")]),
        )
        .await;
    let staff = app.member_of(member_org).await;
    let outsider = app.member_of(other_org).await;
    let loner = app
        .user_with(&[passerelle::principal::Role::Member], None)
        .await;

    let paid = [
        app.enrol(&staff, session, None).await,
        app.enrol(&outsider, session, None).await,
        app.enrol(&loner, session, None).await,
    ];
    let mut dearer = programme("Monter un projet AFD", 210);
    dearer["member_price"] = json!({ "amount_cents": 60000, "currency": "EUR" });
    app.call(
        Method::PUT,
        &format!("/api/v1/trainings/{training}"),
        Some(&admin.token),
        Some(dearer),
    )
    .await
    .expect(200);
    let later = app
        .get(
            &format!(
                "/api/v1/enrolments/{}",
                paid[0].body["id"].as_str().unwrap()
            ),
            Some(&staff.token),
        )
        .await;

    assert_eq!(paid[0].body["price_kind"], "member");
    assert_eq!(paid[0].body["price_cents"], 45000);
    assert_eq!(paid[0].body["price_currency"], "EUR");
    assert_eq!(paid[0].body["organisation_id"], member_org.to_string());
    assert_eq!(paid[1].body["price_kind"], "non_member");
    assert_eq!(paid[1].body["price_cents"], 90000);
    assert_eq!(paid[2].body["price_kind"], "non_member");
    assert_eq!(
        later.body["price_cents"], 45000,
        "a later price change does not alter it"
    );
}
db_test!(member_staff_pay_the_member_price_others_the_non_member_price_and_it_is_kept);

async fn an_org_manager_enrols_colleagues_but_neither_enrols_nor_sees_other_organisations_people(
    app: TestApp,
) {
    let admin = app.admin().await;
    let ours = app.organisation(&admin, "Ours", true).await;
    let theirs = app.organisation(&admin, "Theirs", true).await;
    let manager = app.manager_of(ours).await;
    let colleague = app.member_of(ours).await;
    let stranger = app.member_of(theirs).await;
    let session = app.open_session(&admin, 10).await;

    let for_colleague = app.enrol(&manager, session, Some(colleague.id)).await;
    let for_stranger = app.enrol(&manager, session, Some(stranger.id)).await;
    let strangers_own = app.enrol(&stranger, session, None).await;
    let seen = app
        .get(
            &format!(
                "/api/v1/enrolments/{}",
                strangers_own.body["id"].as_str().unwrap()
            ),
            Some(&manager.token),
        )
        .await;
    let listed = app
        .all_pages("/api/v1/enrolments", Some(&manager.token))
        .await;
    let cancel_theirs = app
        .cancel_enrolment(&manager, strangers_own.body["id"].as_str().unwrap(), "No")
        .await;

    for_colleague.expect(201);
    assert_eq!(for_colleague.body["person_id"], colleague.id.to_string());
    assert_eq!(for_colleague.body["enrolled_by"], manager.id.to_string());
    assert!(for_colleague.header("location").is_some());
    for_stranger.expect_error(404, "enrolment.person_not_found");
    strangers_own.expect(201);
    seen.expect_error(404, "enrolment.not_found");
    cancel_theirs.expect_error(404, "enrolment.not_found");
    let ids: Vec<&str> = listed.iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec![for_colleague.body["id"].as_str().unwrap()]);
}
db_test!(an_org_manager_enrols_colleagues_but_neither_enrols_nor_sees_other_organisations_people);

async fn a_member_sees_only_their_own_enrolments_and_the_trainer_sees_the_roster(app: TestApp) {
    let admin = app.admin().await;
    let org = app.organisation(&admin, "Ours", true).await;
    let (alice, bob) = (app.member_of(org).await, app.member_of(org).await);
    let trainer = app.trainer().await;
    let training = app.published_training(&admin, 210).await;
    let room = app.place(&admin, 30).await;
    let mut body = session_body(training, room, 10, vec![morning("2027-03-26")]);
    body["trainer_ids"] = json!([trainer.id]);
    let session = app.published_session(&admin, body).await;

    let alices = app.enrol(&alice, session, None).await;
    let bobs = app.enrol(&bob, session, None).await;
    let for_bob = app.enrol(&alice, session, Some(bob.id)).await;
    let peek = app
        .get(
            &format!("/api/v1/enrolments/{}", bobs.body["id"].as_str().unwrap()),
            Some(&alice.token),
        )
        .await;
    let alice_list = app
        .all_pages("/api/v1/enrolments", Some(&alice.token))
        .await;
    let roster = app
        .all_pages(
            &format!("/api/v1/enrolments?session_id={session}"),
            Some(&trainer.token),
        )
        .await;
    let twice = app.enrol(&alice, session, None).await;

    alices.expect(201);
    for_bob.expect_error(404, "enrolment.person_not_found");
    peek.expect_error(404, "enrolment.not_found");
    assert_eq!(alice_list.len(), 1);
    assert_eq!(alice_list[0]["id"], alices.body["id"]);
    assert_eq!(
        roster.len(),
        2,
        "the trainer sees the roster of their session"
    );
    twice.expect_error(409, "enrolment.already_enrolled");
    let trainer_cancels = app
        .cancel_enrolment(&trainer, alices.body["id"].as_str().unwrap(), "No")
        .await;
    trainer_cancels.expect_error(404, "enrolment.not_found");
}
db_test!(a_member_sees_only_their_own_enrolments_and_the_trainer_sees_the_roster);

async fn the_same_idempotency_key_twice_gives_the_same_enrolment_once(app: TestApp) {
    let admin = app.admin().await;
    let member = app
        .user_with(&[passerelle::principal::Role::Member], None)
        .await;
    let session = app.open_session(&admin, 10).await;
    let other_session = app.open_session(&admin, 10).await;
    let send = |session: Uuid, key: &'static str| {
        let client = &app.client;
        let token = member.token.clone();
        async move {
            TestApp::read(
                client
                    .post(format!("/api/v1/sessions/{session}/enrolments"))
                    .header("authorization", format!("Bearer {token}"))
                    .header("idempotency-key", key)
                    .body_json(&json!({ "needs": "Build a budget" }))
                    .send()
                    .await,
            )
            .await
        }
    };

    let first = send(session, "retry-7f3a").await;
    let retry = send(session, "retry-7f3a").await;
    let elsewhere = send(other_session, "retry-7f3a").await;
    let mine = app
        .all_pages("/api/v1/enrolments", Some(&member.token))
        .await;

    first.expect(201);
    retry.expect(200);
    assert_eq!(retry.body, first.body, "the same enrolment");
    assert_eq!(first.body["needs"], "Build a budget");
    elsewhere.expect_error(422, "enrolment.idempotency_key_reused");
    assert_eq!(mine.len(), 1, "enrolled once");
}
db_test!(the_same_idempotency_key_twice_gives_the_same_enrolment_once);

async fn enrolling_after_the_deadline_in_a_cancelled_or_draft_session_is_refused_with_its_code(
    app: TestApp,
) {
    let admin = app.admin().await;
    let training = app.published_training(&admin, 210).await;
    let room = app.place(&admin, 30).await;
    let mut late = session_body(training, room, 10, vec![morning("2027-03-26")]);
    late["enrolment_deadline"] = json!("2020-01-01T00:00:00Z");
    let late = app.published_session(&admin, late).await;
    let cancelled = app.open_session(&admin, 10).await;
    app.cancel_session(&admin, cancelled, "Trainer ill").await;
    let draft = app
        .draft_session(
            &admin,
            session_body(training, room, 10, vec![morning("2027-03-27")]),
        )
        .await;
    let member = app
        .user_with(&[passerelle::principal::Role::Member], None)
        .await;

    app.enrol(&member, late, None)
        .await
        .expect_error(409, "enrolment.deadline_passed");
    app.enrol(&member, cancelled, None)
        .await
        .expect_error(409, "enrolment.session_not_open");
    app.enrol(&member, draft, None)
        .await
        .expect_error(404, "enrolment.session_not_found");
    app.enrol(&member, Uuid::now_v7(), None)
        .await
        .expect_error(404, "enrolment.session_not_found");
    assert!(
        app.all_pages("/api/v1/enrolments", Some(&member.token))
            .await
            .is_empty()
    );
}
db_test!(enrolling_after_the_deadline_in_a_cancelled_or_draft_session_is_refused_with_its_code);

async fn raising_the_capacity_gives_the_new_seats_to_the_people_waiting(app: TestApp) {
    let admin = app.admin().await;
    let session = app.open_session(&admin, 1).await;
    let mut waiting = Vec::new();
    for _ in 0..4 {
        waiting.push(
            app.enrol(&admin, session, Some(app.person_in(None).await))
                .await,
        );
    }

    let raised = app
        .patch(
            &format!("/api/v1/sessions/{session}"),
            Some(&admin.token),
            json!({ "capacity": 3 }),
        )
        .await;
    let roster = app.roster(&admin, session).await;
    let public = app
        .get(&format!("/api/v1/catalogue/sessions/{session}"), None)
        .await;

    raised.expect(200);
    assert_eq!(raised.body["seats_taken"], 3);
    let (confirmed, still) = statuses(&roster);
    assert_eq!(confirmed.len(), 3);
    assert_eq!(still.len(), 1);
    assert_eq!(
        still[0]["id"], waiting[3].body["id"],
        "the last in line still waits"
    );
    assert_eq!(still[0]["waitlist_position"], 1);
    let promoted = confirmed
        .iter()
        .find(|e| e["id"] == waiting[1].body["id"])
        .unwrap();
    assert!(
        promoted["promotion_reason"]
            .as_str()
            .unwrap()
            .contains("capacity"),
        "{promoted}"
    );
    assert_eq!(public.body["seats_left"], 0);
}
db_test!(raising_the_capacity_gives_the_new_seats_to_the_people_waiting);

async fn the_public_seats_left_follow_every_confirmation_and_cancellation_in_the_next_read(
    app: TestApp,
) {
    let admin = app.admin().await;
    let session = app.open_session(&admin, 3).await;
    let public = format!("/api/v1/catalogue/sessions/{session}");
    let seats = async || app.get(&public, None).await.body["seats_left"].clone();

    assert_eq!(seats().await, 3);
    let first = app
        .enrol(&admin, session, Some(app.person_in(None).await))
        .await;
    assert_eq!(seats().await, 2);
    app.enrol(&admin, session, Some(app.person_in(None).await))
        .await;
    assert_eq!(seats().await, 1);
    app.cancel_enrolment(&admin, first.body["id"].as_str().unwrap(), "Moved")
        .await
        .expect(200);
    assert_eq!(seats().await, 2);
}
db_test!(the_public_seats_left_follow_every_confirmation_and_cancellation_in_the_next_read);

async fn a_cancellation_within_the_late_delay_before_the_first_half_day_is_recorded_as_late(
    mut app: TestApp,
) {
    let clock =
        passerelle::clock::Clock::manual(Utc.with_ymd_and_hms(2027, 3, 1, 9, 0, 0).unwrap());
    app.use_clock(clock.clone());
    let admin = app.admin().await;
    let session = app.open_session(&admin, 10).await; // first half-day 2027-03-26 09:00 Paris
    let early = app
        .enrol(&admin, session, Some(app.person_in(None).await))
        .await;
    let late = app
        .enrol(&admin, session, Some(app.person_in(None).await))
        .await;

    let in_time = app
        .cancel_enrolment(&admin, early.body["id"].as_str().unwrap(), "Other plans")
        .await;
    clock.advance(Duration::days(24));
    let too_late = app
        .cancel_enrolment(&admin, late.body["id"].as_str().unwrap(), "Other plans")
        .await;

    in_time.expect(200);
    assert_eq!(in_time.body["late_cancellation"], false);
    too_late.expect(200);
    assert_eq!(too_late.body["late_cancellation"], true);
    assert_eq!(too_late.body["cancelled_at"], "2027-03-25T09:00:00.000Z");
}
db_test!(a_cancellation_within_the_late_delay_before_the_first_half_day_is_recorded_as_late);

async fn once_a_session_has_started_only_an_administrator_or_an_allowed_trainer_enrols_late(
    mut app: TestApp,
) {
    let (admin, running) = app.running_session(1, 1).await;
    let member = || app.user_with(&[passerelle::principal::Role::Member], None);
    let (walk_in, early, named, unknown, too_late) = (
        member().await,
        member().await,
        member().await,
        member().await,
        member().await,
    );
    let before_the_start = app
        .enrol_with(
            &admin,
            running.session,
            json!({ "person_id": early.id, "first_slot_id": running.slots[1] }),
        )
        .await;

    running.at_slot(1, 5);
    let by_themself = app.enrol(&walk_in, running.session, None).await;
    let trainer_not_allowed = app
        .enrol(&running.trainer, running.session, Some(walk_in.id))
        .await;
    app.configure(|settings| settings.trainers_enrol_late = true);
    let trainer_allowed = app
        .enrol(&running.trainer, running.session, Some(walk_in.id))
        .await;
    let from_the_morning = app
        .enrol_with(
            &admin,
            running.session,
            json!({ "person_id": named.id, "first_slot_id": running.slots[0] }),
        )
        .await;
    let not_a_half_day = app
        .enrol_with(
            &admin,
            running.session,
            json!({ "person_id": unknown.id, "first_slot_id": Uuid::new_v4() }),
        )
        .await;
    let sheet = app
        .get(
            &format!("/api/v1/sessions/{}/attendance", running.session),
            Some(&admin.token),
        )
        .await;
    running.at_slot(1, 240);
    let after_the_end = app.enrol(&admin, running.session, Some(too_late.id)).await;

    before_the_start.expect_error(422, "enrolment.invalid");
    by_themself.expect_error(409, "enrolment.session_started");
    trainer_not_allowed.expect_error(403, "enrolment.forbidden");
    trainer_allowed.expect(201);
    assert_eq!(trainer_allowed.body["late"], true);
    assert_eq!(
        trainer_allowed.body["late_first_slot_id"],
        running.slots[1].to_string(),
        "the afternoon, the first half-day not yet ended"
    );
    from_the_morning.expect(201);
    assert_eq!(
        from_the_morning.body["late_first_slot_id"],
        running.slots[0].to_string()
    );
    not_a_half_day.expect_error(422, "enrolment.invalid");
    sheet.expect(200);
    let scheduled = |person: Uuid| {
        sheet.body["trainees"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["person_id"] == person.to_string())
            .unwrap_or_else(|| panic!("{person} on the sheet: {}", sheet.text))["scheduled_minutes"]
            .clone()
    };
    assert_eq!(scheduled(running.trainees[0].id), 420);
    assert_eq!(scheduled(walk_in.id), 210, "the afternoon only");
    assert_eq!(scheduled(named.id), 420);
    after_the_end.expect_error(409, "enrolment.session_over");
}
db_test!(once_a_session_has_started_only_an_administrator_or_an_allowed_trainer_enrols_late);

async fn a_person_who_sends_too_many_enrolment_requests_is_asked_to_wait(mut app: TestApp) {
    app.configure(|s| s.enrolments_per_person = 3);
    let admin = app.admin().await;
    let organisation = app.organisation(&admin, "Réseau Pressé", true).await;
    let member = app.member_of(organisation).await;
    let session = app.open_session(&admin, 10).await;

    app.enrol(&member, session, None).await.expect(201);
    for _ in 0..2 {
        app.enrol(&member, session, None)
            .await
            .expect_error(409, "enrolment.already_enrolled");
    }
    let limited = app.enrol(&member, session, None).await;
    limited.expect_error(429, "enrolment.rate_limited");
    let wait: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=600).contains(&wait), "Retry-After: {wait}");

    // A colleague is not held back by someone else's requests, and the office never is.
    let colleague = app.member_of(organisation).await;
    app.enrol(&colleague, session, None).await.expect(201);
    for _ in 0..5 {
        let person = app.person_in(Some(organisation)).await;
        app.enrol(&admin, session, Some(person)).await.expect(201);
    }
    assert_eq!(
        app.roster(&admin, session).await.len(),
        7,
        "the refused request enrolled nobody"
    );
}
db_test!(a_person_who_sends_too_many_enrolment_requests_is_asked_to_wait);
