//! iCalendar feeds: read back by an independent parser (the `icalendar` crate), exact to RFC
//! 5545's lines, stable in identity, cached with ETags, and private where they must be.

use chrono::{Duration, TimeZone, Utc};
use icalendar::{Calendar, CalendarComponent, Component, EventLike};
use serde_json::json;
use uuid::Uuid;

use crate::fixtures::{User, afternoon, morning, programme, session_body};
use crate::harness::{Reply, TestApp};

/// The feed's events by UID, after checking its lines: CRLF only, each at most 75 octets.
fn parse(reply: &Reply) -> Vec<icalendar::Event> {
    reply.expect(200);
    assert_eq!(
        reply.header("content-type"),
        Some("text/calendar; charset=utf-8")
    );
    let text = &reply.text;
    assert!(text.ends_with("\r\n"), "the last line ends with CRLF");
    for line in text.trim_end_matches("\r\n").split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        assert!(
            !line.contains('\r') && !line.contains('\n'),
            "a bare CR or LF: {line:?}"
        );
    }
    let calendar: Calendar = text.parse().expect("an independent parser reads it");
    calendar
        .components
        .into_iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect()
}

fn uid(slot: &str) -> String {
    format!("slot-{slot}@127.0.0.1:8080")
}

fn event<'a>(events: &'a [icalendar::Event], slot: &str) -> &'a icalendar::Event {
    events
        .iter()
        .find(|e| e.get_uid() == Some(uid(slot).as_str()))
        .unwrap_or_else(|| panic!("no event for half-day {slot}"))
}

/// A published training titled `title` with one session of two half-days on 8 March 2027 in a
/// room at `address`; answers (training, session, half-day ids).
async fn training_with_session(
    app: &TestApp,
    admin: &User,
    title: &str,
    address: &str,
) -> (Uuid, Uuid, Vec<String>) {
    let training = app
        .published_training_with(admin, programme(title, 420))
        .await;
    let room = app
        .post(
            "/api/v1/rooms",
            Some(&admin.token),
            json!({
                "name": "Salle \"Lumière\"; étage 2, aile B: fond", "is_online": false,
                "address": address, "city": "Lyon", "country": "FR", "capacity": 30,
                "accessibility": "Ground floor"
            }),
        )
        .await;
    room.expect(201);
    let session = app
        .published_session(
            admin,
            session_body(
                training,
                room.id(),
                12,
                vec![morning("2027-03-08"), afternoon("2027-03-08")],
            ),
        )
        .await;
    let read = app
        .get(&format!("/api/v1/sessions/{session}"), Some(&admin.token))
        .await;
    let slots = read.body["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    (training, session, slots)
}

async fn every_event_reads_back_as_stored_even_with_hostile_titles_and_places(app: TestApp) {
    let admin = app.admin().await;
    let title = "Budget, AFD; \"logframe\": C:\\dossiers\\N\nsuite 😀 Ωμέγα";
    let address = format!("{} \\, ; : \"x\" 🏠", "Rue de l'Été ".repeat(36));
    let address: String = address.chars().take(500).collect();
    let (_, _, slots) = training_with_session(&app, &admin, title, &address).await;

    let events = parse(&app.get("/calendar/catalogue.ics", None).await);

    let morning = event(&events, &slots[0]);
    assert_eq!(morning.get_summary(), Some(title));
    let location = morning.get_location().unwrap();
    assert!(location.starts_with("Salle \"Lumière\"; étage 2, aile B: fond, "));
    assert!(
        location.contains(&address),
        "the 500-character address intact"
    );
    assert_eq!(
        morning.get_start(),
        Some(icalendar::DatePerhapsTime::DateTime(
            icalendar::CalendarDateTime::Utc(Utc.with_ymd_and_hms(2027, 3, 8, 8, 0, 0).unwrap())
        ))
    );
    assert!(
        morning
            .get_description()
            .unwrap()
            .contains("Demi-journée du 08/03/2027")
    );
    assert_eq!(event(&events, &slots[1]).get_sequence(), Some(0));
}
db_test!(every_event_reads_back_as_stored_even_with_hostile_titles_and_places);

async fn control_characters_are_dropped_and_carriage_returns_become_newlines(app: TestApp) {
    let admin = app.admin().await;
    let (_, _, slots) =
        training_with_session(&app, &admin, "Ligne 1\r\nLigne 2\rLigne 3\u{7}", "1 rue A").await;

    let events = parse(&app.get("/calendar/catalogue.ics", None).await);

    assert_eq!(
        event(&events, &slots[0]).get_summary(),
        Some("Ligne 1\nLigne 2\nLigne 3")
    );
}
db_test!(control_characters_are_dropped_and_carriage_returns_become_newlines);

async fn a_moved_half_day_keeps_its_uid_and_raises_its_sequence(app: TestApp) {
    let admin = app.admin().await;
    let (training, session, slots) =
        training_with_session(&app, &admin, "Gestion financière", "1 rue A").await;
    let feed = format!("/calendar/trainings/{training}.ics");
    let before = parse(&app.get(&feed, None).await);

    app.put(
        &format!("/api/v1/sessions/{session}/slots"),
        Some(&admin.token),
        json!({ "slots": [
            morning("2027-03-08"),
            { "date": "2027-03-08", "period": "afternoon", "start": "13:30", "end": "17:00" },
        ] }),
    )
    .await
    .expect(200);
    let after = parse(&app.get(&feed, None).await);

    assert_eq!(before.len(), 2);
    assert_eq!(after.len(), 2, "the same events");
    assert_eq!(
        event(&after, &slots[0]).get_sequence(),
        Some(0),
        "unchanged"
    );
    assert_eq!(event(&after, &slots[1]).get_sequence(), Some(1), "moved");
    assert!(
        event(&after, &slots[1]).get_last_modified()
            >= event(&before, &slots[1]).get_last_modified()
    );
}
db_test!(a_moved_half_day_keeps_its_uid_and_raises_its_sequence);

async fn a_cancelled_session_is_flagged_for_thirty_days_then_leaves_the_feed(mut app: TestApp) {
    let clock =
        passerelle::clock::Clock::manual(Utc.with_ymd_and_hms(2027, 1, 10, 9, 0, 0).unwrap());
    app.use_clock(clock.clone());
    let admin = app.admin().await;
    let (training, session, slots) =
        training_with_session(&app, &admin, "Communication", "1 rue A").await;
    let feed = format!("/calendar/trainings/{training}.ics");
    let first = app.get(&feed, None).await;
    clock.advance(Duration::hours(1));

    app.cancel_session(&admin, session, "trainer ill").await;
    let cancelled = app.get(&feed, None).await;
    clock.advance(Duration::days(31));
    let gone = app.get(&feed, None).await;

    let events = parse(&cancelled);
    let flagged = event(&events, &slots[0]);
    assert_eq!(
        flagged.get_status(),
        Some(icalendar::EventStatus::Cancelled)
    );
    assert_eq!(flagged.get_summary(), Some("ANNULÉ – Communication"));
    assert_eq!(
        flagged.get_sequence(),
        Some(1),
        "cancelling raises the sequence"
    );
    assert!(parse(&gone).is_empty(), "gone after 30 days");
    let date = |r: &Reply| {
        chrono::DateTime::parse_from_rfc2822(r.header("last-modified").unwrap()).unwrap()
    };
    assert!(date(&cancelled) > date(&first));
    assert!(
        date(&gone) >= date(&cancelled),
        "Last-Modified never goes backwards"
    );
}
db_test!(a_cancelled_session_is_flagged_for_thirty_days_then_leaves_the_feed);

async fn a_matching_etag_answers_304_and_two_reads_give_the_same_bytes(app: TestApp) {
    let admin = app.admin().await;
    training_with_session(&app, &admin, "Ressources humaines", "1 rue A").await;

    let first = app.get("/calendar/catalogue.ics", None).await;
    let second = app.get_uncached("/calendar/catalogue.ics").await;
    let etag = first.header("etag").unwrap().to_owned();
    let revalidated = app
        .get_with("/calendar/catalogue.ics", &[("if-none-match", &etag)])
        .await;

    assert_eq!(first.text, second.text, "byte-identical");
    assert_eq!(revalidated.status, 304);
    assert_eq!(
        first.header("cache-control"),
        Some("public, max-age=300, no-cache")
    );
}
db_test!(a_matching_etag_answers_304_and_two_reads_give_the_same_bytes);

async fn a_personal_feed_shows_only_its_owner_s_sessions_and_a_rotated_token_stops_at_once(
    app: TestApp,
) {
    let admin = app.admin().await;
    let trainer = app.trainer().await;
    let member = app
        .user_with(&[passerelle::principal::Role::Member], None)
        .await;
    let other = app
        .user_with(&[passerelle::principal::Role::Member], None)
        .await;
    let (_, mine, my_slots) = training_with_session(&app, &admin, "Mine", "1 rue A").await;
    let (_, full, full_slots) = training_with_session(&app, &admin, "Full", "1 rue B").await;
    let (_, theirs, their_slots) = training_with_session(&app, &admin, "Theirs", "1 rue C").await;
    app.patch(
        &format!("/api/v1/sessions/{mine}"),
        Some(&admin.token),
        json!({ "trainer_ids": [trainer.id] }),
    )
    .await
    .expect(200);
    app.patch(
        &format!("/api/v1/sessions/{full}"),
        Some(&admin.token),
        json!({ "capacity": 1 }),
    )
    .await
    .expect(200);
    app.enrol(&admin, mine, Some(member.id)).await.expect(201);
    app.enrol(&admin, full, Some(other.id)).await.expect(201);
    app.enrol(&admin, full, Some(member.id)).await.expect(201);
    app.enrol(&admin, theirs, Some(other.id)).await.expect(201);
    let rotate = |user: &User| {
        let token = user.token.clone();
        let app = &app;
        async move {
            app.post("/api/v1/me/calendar-token", Some(&token), json!({}))
                .await
        }
    };
    let path = |reply: &Reply| {
        reply.body["https_url"]
            .as_str()
            .unwrap()
            .trim_start_matches("http://127.0.0.1:8080")
            .to_owned()
    };

    let first = rotate(&member).await;
    first.expect(201);
    assert!(
        first.body["webcal_url"]
            .as_str()
            .unwrap()
            .starts_with("webcal://127.0.0.1:8080/calendar/personal/cal_")
    );
    let feed = parse(&app.get(&path(&first), None).await);
    let second = rotate(&member).await;
    let old = app.get(&path(&first), None).await;
    let new = app.get(&path(&second), None).await;
    let taught = rotate(&trainer).await;
    let trainer_feed = parse(&app.get(&path(&taught), None).await);

    let uids: Vec<&str> = feed.iter().filter_map(|e| e.get_uid()).collect();
    assert_eq!(
        uids.len(),
        4,
        "two confirmed and two waitlisted half-days: {uids:?}"
    );
    assert_eq!(
        event(&feed, &my_slots[0]).get_status(),
        Some(icalendar::EventStatus::Confirmed)
    );
    assert_eq!(
        event(&feed, &full_slots[0]).get_status(),
        Some(icalendar::EventStatus::Tentative)
    );
    assert!(
        !uids.contains(&uid(&their_slots[0]).as_str()),
        "nobody else's session"
    );
    assert!(
        !new.text.contains(&other.email) && !new.text.contains(&member.email),
        "no e-mails"
    );
    old.expect_error(404, "calendar.feed_not_found");
    new.expect(200);
    assert_eq!(new.header("cache-control"), Some("private, no-cache"));
    assert_eq!(trainer_feed.len(), 2, "the half-days the trainer teaches");
    assert!(
        event(&trainer_feed, &my_slots[0])
            .get_description()
            .unwrap()
            .contains("Vous animez")
    );
}
db_test!(a_personal_feed_shows_only_its_owner_s_sessions_and_a_rotated_token_stops_at_once);

async fn a_deactivated_account_s_feed_and_unknown_feeds_are_not_found(app: TestApp) {
    let admin = app.admin().await;
    let member = app
        .user_with(&[passerelle::principal::Role::Member], None)
        .await;
    let token = app
        .post("/api/v1/me/calendar-token", Some(&member.token), json!({}))
        .await;
    let path = token.body["https_url"]
        .as_str()
        .unwrap()
        .trim_start_matches("http://127.0.0.1:8080")
        .to_owned();
    app.get(&path, None).await.expect(200);

    app.patch(
        &format!("/api/v1/people/{}", member.id),
        Some(&admin.token),
        json!({ "active": false }),
    )
    .await
    .expect(200);
    let after = app.get(&path, None).await;
    let unknown_training = app
        .get(&format!("/calendar/trainings/{}.ics", Uuid::new_v4()), None)
        .await;
    let made_up = app
        .get(
            &format!("/calendar/personal/cal_{}.ics", "0".repeat(64)),
            None,
        )
        .await;

    after.expect_error(404, "calendar.feed_not_found");
    unknown_training.expect_error(404, "calendar.feed_not_found");
    made_up.expect_error(404, "calendar.feed_not_found");
}
db_test!(a_deactivated_account_s_feed_and_unknown_feeds_are_not_found);

async fn reading_the_feed_url_twice_gives_the_same_url_and_a_rotation_replaces_it(app: TestApp) {
    let member = app
        .user_with(&[passerelle::principal::Role::Member], None)
        .await;
    let path = |reply: &Reply| {
        reply.body["https_url"]
            .as_str()
            .unwrap()
            .trim_start_matches("http://127.0.0.1:8080")
            .to_owned()
    };

    let first = app
        .get("/api/v1/me/calendar-token", Some(&member.token))
        .await;
    let again = app
        .get("/api/v1/me/calendar-token", Some(&member.token))
        .await;
    let feed = app.get(&path(&first), None).await;
    let rotated = app
        .post("/api/v1/me/calendar-token", Some(&member.token), json!({}))
        .await;
    let after = app
        .get("/api/v1/me/calendar-token", Some(&member.token))
        .await;
    let old_feed = app.get(&path(&first), None).await;
    let new_feed = app.get(&path(&after), None).await;
    let anonymous = app.get("/api/v1/me/calendar-token", None).await;

    first.expect(200);
    again.expect(200);
    assert_eq!(first.body, again.body, "a read changes nothing");
    assert!(
        first.body["webcal_url"]
            .as_str()
            .unwrap()
            .starts_with("webcal://127.0.0.1:8080/calendar/personal/cal_")
    );
    feed.expect(200);
    rotated.expect(201);
    after.expect(200);
    assert_eq!(after.body["token"], rotated.body["token"]);
    assert_ne!(after.body["token"], first.body["token"]);
    old_feed.expect_error(404, "calendar.feed_not_found");
    new_feed.expect(200);
    anonymous.expect(401);
}
db_test!(reading_the_feed_url_twice_gives_the_same_url_and_a_rotation_replaces_it);

async fn a_public_training_names_its_feed_in_https_and_webcal_forms(app: TestApp) {
    let admin = app.admin().await;
    let (training, _, slots) = training_with_session(&app, &admin, "Leadership", "1 rue A").await;

    let read = app
        .get(&format!("/api/v1/catalogue/trainings/{training}"), None)
        .await;

    read.expect(200);
    let https = read.body["calendar_url"].as_str().unwrap();
    assert_eq!(
        https,
        format!("http://127.0.0.1:8080/calendar/trainings/{training}.ics")
    );
    assert_eq!(
        read.body["calendar_webcal_url"],
        format!("webcal://127.0.0.1:8080/calendar/trainings/{training}.ics")
    );
    let feed = parse(
        &app.get(https.trim_start_matches("http://127.0.0.1:8080"), None)
            .await,
    );
    assert_eq!(feed.len(), 2);
    event(&feed, &slots[1]);
}
db_test!(a_public_training_names_its_feed_in_https_and_webcal_forms);

async fn a_renamed_training_and_a_moved_room_show_in_the_next_read_of_the_feeds(app: TestApp) {
    let admin = app.admin().await;
    let (training, session, slots) = training_with_session(&app, &admin, "Avant", "1 rue A").await;
    let feed = format!("/calendar/trainings/{training}.ics");
    parse(&app.get(&feed, None).await);
    parse(&app.get("/calendar/catalogue.ics", None).await);
    let room = app
        .get(&format!("/api/v1/sessions/{session}"), Some(&admin.token))
        .await
        .body["room"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    app.put(
        &format!("/api/v1/trainings/{training}"),
        Some(&admin.token),
        programme("Après", 420),
    )
    .await
    .expect(200);
    app.put(
        &format!("/api/v1/rooms/{room}"),
        Some(&admin.token),
        json!({
            "name": "Nouvelle salle", "is_online": false, "address": "2 rue B", "city": "Lyon",
            "country": "FR", "capacity": 30, "accessibility": "Ground floor"
        }),
    )
    .await
    .expect(200);
    let training_feed = parse(&app.get(&feed, None).await);
    let catalogue = parse(&app.get("/calendar/catalogue.ics", None).await);

    for events in [&training_feed, &catalogue] {
        let moved = event(events, &slots[0]);
        assert_eq!(moved.get_summary(), Some("Après"));
        assert!(
            moved
                .get_location()
                .unwrap()
                .starts_with("Nouvelle salle, 2 rue B")
        );
        assert_eq!(
            moved.get_sequence(),
            Some(1),
            "a new place raises the sequence"
        );
    }
}
db_test!(a_renamed_training_and_a_moved_room_show_in_the_next_read_of_the_feeds);
