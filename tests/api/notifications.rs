//! E-mail notifications through the outbox, delivered to a real SMTP server on 127.0.0.1
//! (aiosmtpd, `scripts/smtp_sink.py`) and parsed back as a mail client would.

use std::time::Duration;

use chrono::{TimeZone, Utc};
use poem::http::Method;
use serde_json::{Value, json};

use crate::documents::set_provider;
use crate::fixtures::smtp::{Received, SmtpSink};
use crate::fixtures::{User, clubs_start, meeting_body};
use crate::harness::TestApp;
use passerelle::principal::Role;

const WAIT: Duration = Duration::from_secs(20);

fn on_march_first(app: &mut TestApp) -> passerelle::clock::Clock {
    let clock =
        passerelle::clock::Clock::manual(Utc.with_ymd_and_hms(2027, 3, 1, 9, 0, 0).unwrap());
    app.use_clock(clock.clone());
    clock
}

/// On 1 March 2027, with the app's e-mail going to a fresh sink; and an administrator.
async fn mailing(app: &mut TestApp) -> (SmtpSink, User) {
    on_march_first(app);
    let sink = SmtpSink::start().await;
    app.send_mail_to(&sink);
    (sink, app.admin().await)
}

fn invite_of(message: &Received) -> (String, String) {
    let (kind, _, bytes) = message
        .attachments()
        .into_iter()
        .find(|(kind, _, _)| kind.starts_with("text/calendar"))
        .unwrap_or_else(|| panic!("no invite in {}", message.lossy()));
    (kind, String::from_utf8(bytes).unwrap())
}

fn uids(ics: &str) -> Vec<String> {
    let mut found: Vec<String> = ics
        .lines()
        .filter_map(|l| l.strip_prefix("UID:"))
        .map(str::to_owned)
        .collect();
    found.sort();
    found
}

fn with_subject<'a>(messages: &'a [Received], start: &str) -> Vec<&'a Received> {
    messages
        .iter()
        .filter(|m| m.subject().starts_with(start))
        .collect()
}

async fn convoke(app: &TestApp, admin: &User, enrolment: &str) {
    let reply = app
        .call(
            Method::POST,
            &format!("/api/v1/enrolments/{enrolment}/convocation"),
            Some(&admin.token),
            None,
        )
        .await;
    assert!(matches!(reply.status.as_u16(), 200 | 201), "{}", reply.text);
}

async fn an_enrolment_and_its_convocation_reach_the_trainee_once_with_the_pdf_and_the_invite_in_local_time(
    mut app: TestApp,
) {
    let (sink, admin) = mailing(&mut app).await;
    set_provider(&app, &admin).await;
    let trainee = app.user_with(&[Role::Member], None).await;
    let session = app.open_session(&admin, 5).await;
    let enrolled = app.enrol(&trainee, session, None).await;
    enrolled.expect(201);
    let enrolment = enrolled.body["id"].as_str().unwrap().to_owned();
    convoke(&app, &admin, &enrolment).await;

    app.send_notifications().await;
    let messages = sink.wait_for(2, WAIT).await;
    app.send_notifications().await;

    assert_eq!(sink.messages().len(), 2, "each message is sent once");
    let confirmed = with_subject(&messages, "Inscription confirmée");
    let convocations = with_subject(&messages, "Convocation");
    assert_eq!((confirmed.len(), convocations.len()), (1, 1));
    let convocation = convocations[0];
    assert_eq!(convocation.recipients, vec![trainee.email.clone()]);
    let text = convocation.text_body();
    assert!(
        text.contains("09:00–12:30") && text.contains("14:00–17:30"),
        "{text}"
    );
    assert!(
        text.contains("26 mars 2027") && text.contains("Europe/Paris"),
        "{text}"
    );
    assert!(convocation.html_body().unwrap().contains("lang=\"fr\""));
    let files = convocation.attachments();
    let pdf = files
        .iter()
        .find(|(kind, _, _)| kind.starts_with("application/pdf"))
        .expect("the convocation PDF");
    assert!(pdf.2.starts_with(b"%PDF"));
    let (kind, ics) = invite_of(convocation);
    assert!(kind.contains("method=REQUEST"), "{kind}");
    assert!(ics.contains("METHOD:REQUEST\r\n"));
    // 09:00 and 14:00 in Paris on 26 March 2027 (UTC+1, before the change to summer time).
    assert!(ics.contains("DTSTART:20270326T080000Z") && ics.contains("DTSTART:20270326T130000Z"));
    let unfolded = ics.replace("\r\n ", "");
    assert!(
        unfolded.contains(&format!("mailto:{}", trainee.email)),
        "{unfolded}"
    );
    assert!(
        convocation.header("List-Unsubscribe").is_none(),
        "a legal message"
    );
    let (_, confirmation_invite) = invite_of(confirmed[0]);
    assert_eq!(uids(&confirmation_invite), uids(&ics));

    let listed = app
        .notifications(&admin.token, &format!("subject_id={enrolment}"))
        .await;
    assert_eq!(listed.len(), 2);
    for row in &listed {
        assert_eq!(row["status"], "sent");
        assert_eq!(row["attempts"], 1);
        let sent = messages
            .iter()
            .find(|m| m.header("Message-ID").as_deref() == row["message_id"].as_str())
            .expect("the Message-ID the list shows is the one sent");
        assert_eq!(sent.subject(), row["subject"].as_str().unwrap());
    }
    let mine = app
        .all_pages("/api/v1/me/notifications", Some(&trainee.token))
        .await;
    assert_eq!(mine.len(), 2);
    let others = app.get("/api/v1/notifications", Some(&trainee.token)).await;
    others.expect_error(404, "notifications.not_found");
}
db_test!(an_enrolment_and_its_convocation_reach_the_trainee_once_with_the_pdf_and_the_invite_in_local_time);

async fn a_promotion_yields_one_message_and_a_cancelled_session_a_cancel_invite_with_the_feeds_uids(
    mut app: TestApp,
) {
    let (sink, admin) = mailing(&mut app).await;
    let first = app.user_with(&[Role::Member], None).await;
    let second = app.user_with(&[Role::Member], None).await;
    let session = app.open_session(&admin, 1).await;
    let seat = app.enrol(&first, session, None).await;
    app.enrol(&second, session, None).await.expect(201);
    app.send_notifications().await;
    sink.wait_for(1, WAIT).await;

    app.cancel_enrolment(&first, seat.body["id"].as_str().unwrap(), "Empêchée")
        .await
        .expect(200);
    app.send_notifications().await;
    let after_cancel = sink.wait_for(3, WAIT).await;
    let promoted = with_subject(&after_cancel, "Une place s'est libérée");
    assert_eq!(promoted.len(), 1);
    assert_eq!(promoted[0].recipients, vec![second.email.clone()]);
    let cancelled = with_subject(&after_cancel, "Inscription annulée");
    assert_eq!(cancelled[0].recipients, vec![first.email.clone()]);
    let (_, withdrawn) = invite_of(cancelled[0]);
    assert!(withdrawn.contains("METHOD:CANCEL") && withdrawn.contains("STATUS:CANCELLED"));
    assert!(cancelled[0].text_body().contains("Empêchée"));

    app.cancel_session(&admin, session, "Formatrice malade")
        .await;
    app.send_notifications().await;
    let all = sink.wait_for(4, WAIT).await;
    let session_cancelled = with_subject(&all, "Session annulée");
    assert_eq!(session_cancelled.len(), 1, "only the seat holder is told");
    assert_eq!(session_cancelled[0].recipients, vec![second.email.clone()]);
    let pending = app
        .notifications(&admin.token, "event=session_cancelled")
        .await;
    assert_eq!(pending.len(), 1, "the one who cancelled is not told again");
    let (kind, ics) = invite_of(session_cancelled[0]);
    assert!(kind.contains("method=CANCEL"), "{kind}");
    assert!(
        session_cancelled[0]
            .text_body()
            .contains("Formatrice malade")
    );
    let feed = app.get_uncached("/calendar/catalogue.ics").await;
    let feed_uids: Vec<String> = uids(&feed.text)
        .into_iter()
        .filter(|uid| ics.contains(uid.as_str()))
        .collect();
    assert_eq!(
        uids(&ics),
        feed_uids,
        "the invite cancels the feed's own events"
    );
    assert_eq!(uids(&ics).len(), 2);
}
db_test!(
    a_promotion_yields_one_message_and_a_cancelled_session_a_cancel_invite_with_the_feeds_uids
);

async fn messages_wait_while_the_relay_is_down_and_are_delivered_once_when_it_returns(
    mut app: TestApp,
) {
    let (mut sink, admin) = mailing(&mut app).await;
    sink.stop();
    let session = app.open_session(&admin, 5).await;
    for _ in 0..3 {
        let trainee = app.user_with(&[Role::Member], None).await;
        app.enrol(&trainee, session, None).await.expect(201);
    }

    app.send_notifications().await;
    let waiting = app
        .notifications(&admin.token, "event=enrolment_confirmed")
        .await;
    assert_eq!(waiting.len(), 3);
    assert!(
        waiting
            .iter()
            .all(|m| m["status"] == "failed" && m["last_error"].is_string())
    );

    sink.restart().await;
    app.send_notifications().await;
    app.send_notifications().await;
    let delivered = sink.wait_for(3, WAIT).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(sink.messages().len(), 3, "each message exactly once");
    let mut ids: Vec<String> = delivered
        .iter()
        .filter_map(|m| m.header("Message-ID"))
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 3);
    let sent = app.notifications(&admin.token, "status=sent").await;
    assert_eq!(sent.len(), 3);
    assert!(sent.iter().all(|m| m["attempts"] == 2));
}
db_test!(messages_wait_while_the_relay_is_down_and_are_delivered_once_when_it_returns);

async fn a_relay_answering_4xx_is_retried_and_5xx_makes_a_message_dead_until_an_administrator_retries_it(
    mut app: TestApp,
) {
    let (sink, admin) = mailing(&mut app).await;
    let session = app.open_session(&admin, 5).await;
    let first = app.user_with(&[Role::Member], None).await;
    sink.set_mode("tempfail");
    app.enrol(&first, session, None).await.expect(201);
    app.send_notifications().await;
    let failed = app.notifications(&admin.token, "status=failed").await;
    assert_eq!(failed.len(), 1);
    assert!(failed[0]["last_error"].as_str().unwrap().contains("451"));
    sink.set_mode("accept");
    app.send_notifications().await;
    sink.wait_for(1, WAIT).await;

    let second = app.user_with(&[Role::Member], None).await;
    sink.set_mode("reject");
    app.enrol(&second, session, None).await.expect(201);
    for _ in 0..3 {
        app.send_notifications().await;
    }
    let dead = app.notifications(&admin.token, "status=dead").await;
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0]["attempts"], 3);
    assert!(dead[0]["last_error"].as_str().unwrap().contains("550"));
    app.send_notifications().await;
    let rejected = sink
        .attempts()
        .iter()
        .filter(|a| a.starts_with("reject"))
        .count();
    assert_eq!(rejected, 3, "a dead message is not tried again by itself");

    let id = dead[0]["id"].as_str().unwrap();
    let by_member = app
        .call(
            Method::POST,
            &format!("/api/v1/notifications/{id}/retry"),
            Some(&second.token),
            None,
        )
        .await;
    by_member.expect_error(404, "notifications.not_found");
    sink.set_mode("accept");
    let retried = app
        .call(
            Method::POST,
            &format!("/api/v1/notifications/{id}/retry"),
            Some(&admin.token),
            None,
        )
        .await;
    retried.expect(200);
    assert_eq!(retried.body["status"], "queued");
    app.send_notifications().await;
    let messages = sink.wait_for(2, WAIT).await;
    assert_eq!(messages[1].recipients, vec![second.email.clone()]);
    assert_eq!(
        messages[1].header("Message-ID").as_deref(),
        dead[0]["message_id"].as_str(),
        "the retry sends the same message"
    );
    let again = app
        .call(
            Method::POST,
            &format!("/api/v1/notifications/{id}/retry"),
            Some(&admin.token),
            None,
        )
        .await;
    again.expect_error(409, "notifications.not_dead");
}
db_test!(
    a_relay_answering_4xx_is_retried_and_5xx_makes_a_message_dead_until_an_administrator_retries_it
);

async fn a_rolled_back_enrolment_sends_nothing(mut app: TestApp) {
    let (sink, admin) = mailing(&mut app).await;
    let trainee = app.user_with(&[Role::Member], None).await;
    let session = app.open_session(&admin, 5).await;
    let principal = passerelle::principal::Principal::system();
    let request = passerelle::enrolment::model::EnrolRequest {
        session_id: session,
        person_id: Some(trainee.id),
        trainee_type: passerelle::enrolment::model::TraineeType::Employee,
        funding_source: passerelle::enrolment::model::FundingSource::Employer,
        funding_amount_cents: None,
        needs: String::new(),
        idempotency_key: None,
    };
    let prepared = passerelle::enrolment::service::prepare_enrolment(request).unwrap();
    let mut tx = app.state.begin().await.unwrap();
    let enrolled = passerelle::enrolment::service::enrol(&mut tx, &principal, prepared)
        .await
        .unwrap();
    assert_eq!(
        enrolled.enrolment.status,
        passerelle::enrolment::model::EnrolmentStatus::Confirmed
    );
    drop(tx); // the transaction fails before its commit

    let (drafted, sent) = app.send_notifications().await;
    assert_eq!((drafted, sent), (0, 0));
    assert!(app.notifications(&admin.token, "").await.is_empty());
    assert!(app.roster(&admin, session).await.is_empty());
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(sink.messages().is_empty());
}
db_test!(a_rolled_back_enrolment_sends_nothing);

async fn two_senders_on_one_database_deliver_each_message_once(mut app: TestApp) {
    let (sink, admin) = mailing(&mut app).await;
    let clock = app.state.clock.clone();
    let session = app.open_session(&admin, 30).await;
    for _ in 0..12 {
        let trainee = app.user_with(&[Role::Member], None).await;
        app.enrol(&trainee, session, None).await.expect(201);
    }
    let other = passerelle::state::AppState::with_clock(
        app.second_pool().await,
        (*app.state.settings).clone(),
        clock,
    )
    .unwrap();
    let (one, two) = (
        app.sender(),
        passerelle::notifications::jobs::Sender::new(&other).unwrap(),
    );

    let (a, b) = tokio::join!(
        async {
            let mut sent = 0;
            for _ in 0..3 {
                sent += one.pass().await.unwrap().1;
            }
            sent
        },
        async {
            let mut sent = 0;
            for _ in 0..3 {
                sent += two.pass().await.unwrap().1;
            }
            sent
        }
    );

    assert_eq!(
        a + b,
        12,
        "together they sent each message once ({a} + {b})"
    );
    let received = sink.wait_for(12, WAIT).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(sink.messages().len(), 12);
    let mut ids: Vec<String> = received
        .iter()
        .filter_map(|m| m.header("Message-ID"))
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 12);
}
db_test!(two_senders_on_one_database_deliver_each_message_once);

async fn an_opted_out_member_gets_no_club_news_but_still_gets_the_convocation_and_the_link_unsubscribes_in_one_click(
    mut app: TestApp,
) {
    app.on_club_clock();
    let sink = SmtpSink::start().await;
    app.send_mail_to(&sink);
    let admin = app.admin().await;
    set_provider(&app, &admin).await;
    let (club, animator) = app.club(&admin, "open", "members").await;
    let quiet = app.club_member(club, &animator).await;
    let keen = app.club_member(club, &animator).await;
    let preferences = "/api/v1/me/notification-preferences";
    let defaults = app.get(preferences, Some(&quiet.token)).await;
    assert_eq!(
        defaults.body,
        json!({ "reminders": true, "club_news": true })
    );
    app.put(
        preferences,
        Some(&quiet.token),
        json!({ "reminders": true, "club_news": false }),
    )
    .await
    .expect(200);
    app.send_notifications().await;
    let before = sink.messages().len();

    app.meeting(
        &animator,
        club,
        meeting_body("Budget 2028", clubs_start() + chrono::Duration::days(10), 2),
    )
    .await;
    let session = app.open_session(&admin, 5).await;
    let enrolled = app.enrol(&quiet, session, None).await;
    convoke(&app, &admin, enrolled.body["id"].as_str().unwrap()).await;
    app.send_notifications().await;
    let all = sink.wait_for(before + 4, WAIT).await;
    let news: Vec<&Received> = with_subject(&all, "Rencontre du club");
    let told: Vec<String> = news.iter().flat_map(|m| m.recipients.clone()).collect();
    assert!(told.contains(&keen.email) && told.contains(&animator.email));
    assert!(!told.contains(&quiet.email), "opted out of club news");
    let convocation = with_subject(&all, "Convocation");
    assert_eq!(convocation[0].recipients, vec![quiet.email.clone()]);

    let to_keen = news
        .iter()
        .find(|m| m.recipients == vec![keen.email.clone()])
        .unwrap();
    assert_eq!(
        to_keen.header("List-Unsubscribe-Post").as_deref(),
        Some("List-Unsubscribe=One-Click")
    );
    let link = to_keen.header("List-Unsubscribe").unwrap();
    let path = link
        .trim_matches(|c| c == '<' || c == '>')
        .split_once("/api/")
        .map(|(_, rest)| format!("/api/{rest}"))
        .unwrap();
    let read = app.get(&path, None).await;
    read.expect(200);
    assert_eq!(
        read.body,
        json!({ "category": "club_news", "unsubscribed": false })
    );
    let clicked = app.call(Method::POST, &path, None, None).await;
    clicked.expect(200);
    assert_eq!(clicked.body["unsubscribed"], true);
    let now = app.get(preferences, Some(&keen.token)).await;
    assert_eq!(now.body, json!({ "reminders": true, "club_news": false }));
    let unknown = app
        .call(Method::POST, "/api/v1/unsubscribe/not-a-token", None, None)
        .await;
    unknown.expect_error(404, "notifications.unknown_link");
}
db_test!(an_opted_out_member_gets_no_club_news_but_still_gets_the_convocation_and_the_link_unsubscribes_in_one_click);

#[test]
fn a_name_or_title_with_line_breaks_cannot_add_a_header_and_non_ascii_is_encoded() {
    use lettre::message::Mailbox;
    use passerelle::notifications::render::{Envelope, Kind, Letter, compose};
    let letter = Letter {
        name: "Zoé\r\nBcc: victim@evil.test".into(),
        title: "Budget\r\nX-Injected: yes".into(),
        signature: "Passerelle".into(),
        ..Letter::default()
    };
    let rendered = Kind::MembershipAccepted.render(&letter).unwrap();
    let from: Mailbox = "Fédération <formation@federation.test>".parse().unwrap();
    let raw = compose(
        Envelope {
            from: &from,
            to: Mailbox::new(
                Some("Zoé\r\nBcc: victim@evil.test".into()),
                "zoe@example.test".parse().unwrap(),
            ),
            message_id: "<1@federation.test>",
            date: Utc::now(),
            unsubscribe: Some("https://x.test/u/1\r\nX-Other: 1"),
        },
        &rendered,
        &[],
    )
    .unwrap();
    let message = Received {
        raw: raw.clone(),
        recipients: vec![],
    };
    let names: Vec<String> = message
        .header_names()
        .iter()
        .map(|n| n.to_lowercase())
        .collect();
    for injected in ["bcc", "x-injected", "x-other"] {
        assert!(
            !names.contains(&injected.to_owned()),
            "{injected} in {names:?}"
        );
    }
    let head = String::from_utf8_lossy(&raw);
    let head = head.split("\r\n\r\n").next().unwrap();
    assert!(head.is_ascii(), "headers are RFC 2047-encoded: {head}");
    assert!(message.subject().contains("Budget X-Injected: yes"));
    assert!(message.header("To").unwrap().contains("=?utf-8?"));
}

async fn a_finished_sessions_trainees_are_invited_to_its_survey_once_and_reminded_unless_they_answered_or_opted_out(
    mut app: TestApp,
) {
    let (admin, running) = app.running_session(1, 3).await;
    let sink = SmtpSink::start().await;
    app.send_mail_to(&sink);
    app.survey_template(&admin, "hot").await;
    let [answering, waiting, quiet] = [0, 1, 2].map(|i| running.trainees[i].clone());
    app.put(
        "/api/v1/me/notification-preferences",
        Some(&quiet.token),
        json!({ "reminders": false, "club_news": true }),
    )
    .await
    .expect(200);
    let sender = app.sender();
    assert_eq!(
        sender.surveys().await.unwrap().opened,
        0,
        "not before the end"
    );

    running.set_clock(running.ends(1));
    let first = sender.surveys().await.unwrap();
    let again = sender.surveys().await.unwrap();
    app.send_notifications().await;
    let opened: Vec<Value> = app.notifications(&admin.token, "event=survey_opened").await;
    assert_eq!(
        (first.opened, again.opened),
        (3, 0),
        "each invitation opened once"
    );
    assert_eq!(opened.len(), 3);
    let all = sink.wait_for(sink.messages().len().max(3), WAIT).await;
    let invited = with_subject(&all, "Votre avis");
    assert_eq!(invited.len(), 3);
    let text = invited[0].text_body();
    assert!(
        text.contains("/api/v1/surveys/invitations/") && text.contains("à chaud"),
        "{text}"
    );
    assert!(
        invited[0].header("List-Unsubscribe").is_none(),
        "the survey itself is not optional"
    );

    let invitation = app
        .all_pages("/api/v1/surveys/invitations", Some(&answering.token))
        .await;
    let id = invitation[0]["id"].as_str().unwrap();
    app.post(
        &format!("/api/v1/surveys/invitations/{id}/submit"),
        Some(&answering.token),
        json!({ "answers": [{ "question": "overall", "scale": 5 }] }),
    )
    .await
    .expect(200);
    running.set_clock(running.ends(1) + chrono::Duration::days(19));
    let reminded = sender.surveys().await.unwrap();
    let twice = sender.surveys().await.unwrap();
    assert_eq!(
        (reminded.reminded, twice.reminded),
        (2, 0),
        "unanswered ones, once"
    );
    app.send_notifications().await;
    let reminders = app
        .notifications(&admin.token, "event=survey_reminder")
        .await;
    let told: Vec<&str> = reminders
        .iter()
        .map(|m| m["recipient"].as_str().unwrap())
        .collect();
    assert_eq!(
        told,
        vec![waiting.email.as_str()],
        "the one who opted out is not reminded"
    );
    assert_eq!(reminders[0]["category"], "reminder");
    let delivered = sink.wait_for(all.len() + 1, WAIT).await;
    let reminder = with_subject(&delivered, "Rappel");
    assert_eq!(reminder.len(), 1);
    assert!(reminder[0].header("List-Unsubscribe").is_some());
}
db_test!(a_finished_sessions_trainees_are_invited_to_its_survey_once_and_reminded_unless_they_answered_or_opted_out);

async fn trainees_are_told_when_a_half_day_moves_or_their_room_changes_address_and_waiting_people_when_the_session_is_cancelled(
    mut app: TestApp,
) {
    let (sink, admin) = mailing(&mut app).await;
    let holder = app.user_with(&[Role::Member], None).await;
    let waiting = app.user_with(&[Role::Member], None).await;
    let session = app.open_session(&admin, 1).await;
    app.enrol(&holder, session, None).await.expect(201);
    app.enrol(&waiting, session, None).await.expect(201);
    app.send_notifications().await;
    let confirmations = sink.wait_for(1, WAIT).await.len();

    let reply = app
        .put(
            &format!("/api/v1/sessions/{session}/slots"),
            Some(&admin.token),
            json!({ "slots": [
                crate::fixtures::half_day("2027-03-26", "morning", "09:30", "13:00"),
                crate::fixtures::afternoon("2027-03-26"),
            ] }),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    app.send_notifications().await;
    let moved = sink.wait_for(confirmations + 1, WAIT).await;
    let told = with_subject(&moved, "Changement d'horaire");
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].recipients, vec![holder.email.clone()]);
    assert!(
        told[0].text_body().contains("09:30–13:00"),
        "{}",
        told[0].text_body()
    );
    let (kind, ics) = invite_of(told[0]);
    assert!(kind.contains("method=REQUEST") && ics.contains("DTSTART:20270326T083000Z"));

    let room: Value = app
        .get(&format!("/api/v1/sessions/{session}"), Some(&admin.token))
        .await
        .body;
    let room_id = room["room"]["id"].as_str().unwrap().to_owned();
    let mut body = app
        .get(&format!("/api/v1/rooms/{room_id}"), Some(&admin.token))
        .await
        .body;
    body["address"] = json!("3 quai Claude Bernard");
    for key in ["id", "created_at", "updated_at"] {
        body.as_object_mut().unwrap().remove(key);
    }
    let changed = app
        .put(
            &format!("/api/v1/rooms/{room_id}"),
            Some(&admin.token),
            body,
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    app.send_notifications().await;
    let relocated = sink.wait_for(confirmations + 2, WAIT).await;
    let told = with_subject(&relocated, "Changement d'horaire");
    assert_eq!(told.len(), 2);
    assert!(told[1].text_body().contains("3 quai Claude Bernard"));

    app.cancel_session(&admin, session, "Trop peu d'inscrits")
        .await;
    app.send_notifications().await;
    let all = sink.wait_for(confirmations + 4, WAIT).await;
    let mut cancelled: Vec<String> = with_subject(&all, "Session annulée")
        .iter()
        .flat_map(|m| m.recipients.clone())
        .collect();
    cancelled.sort();
    let mut expected = vec![holder.email.clone(), waiting.email.clone()];
    expected.sort();
    assert_eq!(cancelled, expected, "the seat holder and the one waiting");
}
db_test!(trainees_are_told_when_a_half_day_moves_or_their_room_changes_address_and_waiting_people_when_the_session_is_cancelled);
