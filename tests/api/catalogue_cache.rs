//! The public catalogue is served from rendered bytes: what an administrator changes shows in the
//! very next public read, `If-None-Match` gives 304 until then, and one query's body is never
//! served for another.

use chrono::{Duration, TimeZone, Utc};
use poem::http::Method;
use serde_json::{Value, json};

use crate::fixtures::{afternoon, ids_of, morning, programme, session_body};
use crate::harness::TestApp;

async fn every_administrator_change_shows_in_the_very_next_public_read(app: TestApp) {
    let admin = app.admin().await;
    let training = app.published_training(&admin, 420).await;
    let room = app.place(&admin, 30).await;
    let trainer = app.trainer().await;
    let mut body = session_body(
        training,
        room,
        12,
        vec![morning("2027-03-26"), afternoon("2027-03-26")],
    );
    body["trainer_ids"] = json!([trainer.id]);
    let session = app.published_session(&admin, body).await;
    let item = format!("/api/v1/catalogue/sessions/{session}");
    let list = "/api/v1/catalogue/sessions";
    let training_item = format!("/api/v1/catalogue/trainings/{training}");
    let read_all = async || {
        let (a, b, c) = (
            app.get(&item, None).await,
            app.get(list, None).await,
            app.get(&training_item, None).await,
        );
        // Twice: the second of each is served from the cache.
        let again = (
            app.get(&item, None).await,
            app.get(list, None).await,
            app.get(&training_item, None).await,
        );
        assert_eq!(
            (&a.text, &b.text, &c.text),
            (&again.0.text, &again.1.text, &again.2.text)
        );
        (a, b, c)
    };
    let (before, listed, public_training) = read_all().await;
    assert_eq!(before.body["capacity"], 12);
    assert_eq!(listed.body["items"][0]["capacity"], 12);
    assert_eq!(
        public_training.body["programme"]["member_price"]["amount_cents"],
        45000
    );

    // A price: a new version of the programme.
    let mut cheaper = programme("Monter un projet AFD", 420);
    cheaper["member_price"] = json!({ "amount_cents": 30000, "currency": "EUR" });
    app.call(
        Method::PUT,
        &format!("/api/v1/trainings/{training}"),
        Some(&admin.token),
        Some(cheaper),
    )
    .await
    .expect(200);
    let (priced, listed, public_training) = read_all().await;
    assert_eq!(priced.body["member_price"]["amount_cents"], 30000);
    assert_eq!(
        listed.body["items"][0]["member_price"]["amount_cents"],
        30000
    );
    assert_eq!(
        public_training.body["programme"]["member_price"]["amount_cents"],
        30000
    );

    // A capacity.
    app.patch(
        &format!("/api/v1/sessions/{session}"),
        Some(&admin.token),
        json!({ "capacity": 20 }),
    )
    .await
    .expect(200);
    let (grown, listed, _) = read_all().await;
    assert_eq!(grown.body["capacity"], 20);
    assert_eq!(grown.body["seats_left"], 20);
    assert_eq!(listed.body["items"][0]["capacity"], 20);

    // A trainer's name.
    app.patch(
        &format!("/api/v1/people/{}", trainer.id),
        Some(&admin.token),
        json!({ "first_name": "Aminata" }),
    )
    .await
    .expect(200);
    let (renamed, _, _) = read_all().await;
    assert_eq!(renamed.body["trainers"][0]["first_name"], "Aminata");

    // A publication.
    let second = app
        .published_session(
            &admin,
            session_body(
                training,
                room,
                8,
                vec![morning("2027-04-02"), afternoon("2027-04-02")],
            ),
        )
        .await;
    let (_, listed, _) = read_all().await;
    assert_eq!(
        ids_of(&listed),
        vec![session.to_string(), second.to_string()]
    );

    // A cancellation.
    app.cancel_session(&admin, session, "Trainer unavailable")
        .await;
    let (gone, listed, _) = read_all().await;
    gone.expect_error(404, "catalogue.session_not_found");
    assert_eq!(ids_of(&listed), vec![second.to_string()]);
}
db_test!(every_administrator_change_shows_in_the_very_next_public_read);

async fn if_none_match_answers_304_until_the_catalogue_changes_then_200_with_a_new_etag(
    app: TestApp,
) {
    let admin = app.admin().await;
    let training = app.published_training(&admin, 210).await;
    let room = app.place(&admin, 30).await;
    let session = app
        .published_session(
            &admin,
            session_body(training, room, 12, vec![morning("2027-03-26")]),
        )
        .await;
    let path = format!("/api/v1/catalogue/sessions/{session}");

    let first = app.get(&path, None).await;
    first.expect(200);
    let etag = first.header("etag").expect("an ETag").to_owned();
    assert!(
        etag.starts_with('"') && etag.ends_with('"'),
        "not a strong tag: {etag}"
    );
    assert_eq!(first.header("cache-control"), Some("no-cache"));
    let same = app.get_with(&path, &[("if-none-match", &etag)]).await;
    let listed = app.get("/api/v1/catalogue/sessions", None).await;
    let in_a_list = app
        .get_with(
            "/api/v1/catalogue/sessions",
            &[(
                "if-none-match",
                &format!("\"other\", {}", listed.header("etag").unwrap()),
            )],
        )
        .await;
    let stale_tag = app.get_with(&path, &[("if-none-match", "\"0123\"")]).await;

    same.expect(304);
    assert_eq!(same.text, "", "a 304 has no body");
    assert_eq!(same.header("etag"), Some(etag.as_str()));
    in_a_list.expect(304);
    stale_tag.expect(200);
    assert_eq!(stale_tag.text, first.text);

    app.patch(
        &format!("/api/v1/sessions/{session}"),
        Some(&admin.token),
        json!({ "capacity": 13 }),
    )
    .await
    .expect(200);
    let changed = app.get_with(&path, &[("if-none-match", &etag)]).await;

    changed.expect(200);
    assert_eq!(changed.body["capacity"], 13);
    let new_etag = changed.header("etag").expect("an ETag");
    assert_ne!(new_etag, etag);
    app.get_with(&path, &[("if-none-match", new_etag)])
        .await
        .expect(304);
}
db_test!(if_none_match_answers_304_until_the_catalogue_changes_then_200_with_a_new_etag);

async fn the_cache_never_serves_one_querys_body_for_another(app: TestApp) {
    let admin = app.admin().await;
    let management = app
        .published_training_with(
            &admin,
            crate::fixtures::programme_with_themes("Piloter", 210, &["management"]),
        )
        .await;
    let funding = app
        .published_training_with(
            &admin,
            crate::fixtures::programme_with_themes("Financer", 210, &["project_funding"]),
        )
        .await;
    let lyon = app.place_in(&admin, "Lyon", 30).await;
    let lome = app.place_in(&admin, "Lomé", 30).await;
    for (training, room, date) in [
        (management, lyon, "2027-03-01"),
        (management, lome, "2027-03-02"),
        (funding, lyon, "2027-03-03"),
        (funding, lome, "2027-03-04"),
    ] {
        app.published_session(
            &admin,
            session_body(training, room, 10, vec![morning(date)]),
        )
        .await;
    }
    let first_page = app.get("/api/v1/catalogue/sessions?limit=1", None).await;
    let cursor = first_page.body["next_cursor"].as_str().unwrap().to_owned();
    let queries = [
        "/api/v1/catalogue/sessions".to_owned(),
        "/api/v1/catalogue/sessions?limit=1".to_owned(),
        "/api/v1/catalogue/sessions?limit=2".to_owned(),
        format!("/api/v1/catalogue/sessions?limit=1&cursor={cursor}"),
        "/api/v1/catalogue/sessions?theme=management".to_owned(),
        "/api/v1/catalogue/sessions?theme=project_funding".to_owned(),
        "/api/v1/catalogue/sessions?city=lyon".to_owned(),
        "/api/v1/catalogue/sessions?theme=project_funding&city=lyon".to_owned(),
        format!("/api/v1/catalogue/sessions?training_id={management}&city=lyon"),
        "/api/v1/catalogue/trainings".to_owned(),
        "/api/v1/catalogue/trainings?theme=project_funding".to_owned(),
        format!("/api/v1/catalogue/trainings/{management}"),
        format!("/api/v1/catalogue/trainings/{funding}"),
    ];

    // Forwards then backwards, so each query is read both before and after the others filled
    // the cache; each answer is what a server without a cache answers, byte for byte.
    let mut bodies = std::collections::BTreeMap::new();
    for query in queries.iter().chain(queries.iter().rev()) {
        let cached = app.get(query, None).await;
        let uncached = app.get_uncached(query).await;
        cached.expect(200);
        assert_eq!(cached.text, uncached.text, "{query}");
        let previous = bodies.insert(query.clone(), cached.text.clone());
        assert!(previous.is_none_or(|p| p == cached.text), "{query} changed");
    }
    let distinct: std::collections::BTreeSet<&String> = bodies.values().collect();
    assert_eq!(distinct.len(), queries.len(), "two queries got one body");
}
db_test!(the_cache_never_serves_one_querys_body_for_another);

async fn a_session_leaves_the_available_list_when_its_deadline_passes_with_no_write(
    mut app: TestApp,
) {
    let clock =
        passerelle::clock::Clock::manual(Utc.with_ymd_and_hms(2027, 1, 10, 9, 0, 0).unwrap());
    app.use_clock(clock.clone());
    let admin = app.admin().await;
    let training = app.published_training(&admin, 210).await;
    let room = app.place(&admin, 30).await;
    let mut closing = session_body(training, room, 12, vec![morning("2027-03-10")]);
    closing["enrolment_deadline"] = json!("2027-01-10T12:00:00.000Z");
    let closing = app.published_session(&admin, closing).await;
    let open = app
        .published_session(
            &admin,
            session_body(training, room, 12, vec![morning("2027-03-11")]),
        )
        .await;
    let available = "/api/v1/catalogue/sessions?available=true";

    let morning_read = app.get(available, None).await;
    let morning_again = app.get(available, None).await;
    clock.advance(Duration::hours(3));
    let afternoon_read = app.get(available, None).await;

    assert_eq!(
        ids_of(&morning_read),
        vec![closing.to_string(), open.to_string()]
    );
    assert_eq!(morning_again.text, morning_read.text);
    assert_eq!(ids_of(&afternoon_read), vec![open.to_string()]);
    assert_eq!(afternoon_read.text, app.get_uncached(available).await.text);
}
db_test!(a_session_leaves_the_available_list_when_its_deadline_passes_with_no_write);

async fn readers_racing_a_writer_never_see_a_capacity_older_than_the_last_answered_write(
    app: TestApp,
) {
    let admin = app.admin().await;
    let training = app.published_training(&admin, 210).await;
    let room = app.place(&admin, 100).await;
    let session = app
        .published_session(
            &admin,
            session_body(training, room, 10, vec![morning("2027-03-26")]),
        )
        .await;
    let path = format!("/api/v1/catalogue/sessions/{session}");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let readers: Vec<_> = (0..4)
        .map(|_| {
            let client = TestApp::client_for(&app.state);
            let (path, stop) = (path.clone(), stop.clone());
            tokio::spawn(async move {
                let mut reads = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let reply = TestApp::read(client.get(&path).send().await).await;
                    reply.expect(200);
                    reads += 1;
                    tokio::task::yield_now().await;
                }
                reads
            })
        })
        .collect();

    for capacity in 11..=30 {
        app.patch(
            &format!("/api/v1/sessions/{session}"),
            Some(&admin.token),
            json!({ "capacity": capacity }),
        )
        .await
        .expect(200);
        let seen = app.get(&path, None).await;
        assert_eq!(
            seen.body["capacity"], capacity,
            "a stale body after the write"
        );
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut total = 0;
    for reader in readers {
        total += reader.await.unwrap();
    }
    assert!(total > 0, "the readers never read");
    let _: Value = app.get(&path, None).await.body;
}
db_test!(readers_racing_a_writer_never_see_a_capacity_older_than_the_last_answered_write);

async fn the_metrics_count_cache_hits_misses_and_304s(app: TestApp) {
    let admin = app.admin().await;
    app.published_training(&admin, 210).await;
    let path = "/api/v1/catalogue/trainings";
    let first = app.get(path, None).await;
    app.get(path, None).await;
    app.get_with(path, &[("if-none-match", first.header("etag").unwrap())])
        .await
        .expect(304);

    let metrics = app.get("/metrics", None).await;
    let count = |outcome: &str| -> f64 {
        let series = format!("passerelle_render_cache_requests_total{{outcome=\"{outcome}\"}} ");
        metrics
            .text
            .lines()
            .find_map(|l| l.strip_prefix(&series))
            .unwrap_or_else(|| panic!("no {outcome} series in {}", metrics.text))
            .parse()
            .unwrap()
    };
    assert_eq!(count("miss"), 1.0);
    assert_eq!(count("hit"), 1.0);
    assert_eq!(count("not_modified"), 1.0);
    assert!(metrics.text.contains("passerelle_render_cache_bytes "));
}
db_test!(the_metrics_count_cache_hits_misses_and_304s);
