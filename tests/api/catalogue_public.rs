//! The public catalogue: what anyone sees without logging in (Qualiopi ind. 1), and what they
//! never see (drafts, cancelled sessions, trainers' contact details, join links).

use std::collections::HashSet;

use serde_json::json;

use crate::fixtures::{afternoon, ids_of, morning, programme, programme_with_themes, session_body};
use crate::harness::TestApp;

/// Every item indicator 1 requires the catalogue to state.
const INDICATOR_1: [&str; 17] = [
    "objectives",
    "prerequisites",
    "no_prerequisites",
    "duration_minutes",
    "modality",
    "remote_arrangements",
    "pedagogical_methods",
    "pedagogical_means",
    "assessment_modalities",
    "access_delay",
    "member_price",
    "non_member_price",
    "accessibility",
    "disability_referent",
    "contact",
    "recognition",
    "financing_modalities",
];

async fn a_published_training_shows_every_item_indicator_1_requires(app: TestApp) {
    let admin = app.admin().await;
    let sent = programme("Monter un projet AFD", 780);
    let id = app.published_training_with(&admin, sent.clone()).await;

    let fetched = app
        .get(&format!("/api/v1/catalogue/trainings/{id}"), None)
        .await;
    let listed = app.get("/api/v1/catalogue/trainings", None).await;

    fetched.expect(200);
    let shown = &fetched.body["programme"];
    for field in INDICATOR_1 {
        assert!(
            !shown[field].is_null(),
            "{field} missing in {}",
            fetched.text
        );
        assert_eq!(shown[field], sent[field], "{field}");
    }
    assert_eq!(
        shown["member_price"],
        json!({ "amount_cents": 45000, "currency": "EUR" })
    );
    assert_eq!(
        shown["non_member_price"],
        json!({ "amount_cents": 90000, "currency": "EUR" })
    );
    assert_eq!(
        shown["disability_referent"]["email"],
        "referent@example.test"
    );
    assert_eq!(shown["title"], "Monter un projet AFD");
    assert_eq!(fetched.body["version"], 1);
    listed.expect(200);
    assert_eq!(ids_of(&listed), vec![id.to_string()]);
    assert_eq!(
        listed.body["items"][0]["programme"]["objectives"],
        sent["objectives"]
    );
}
db_test!(a_published_training_shows_every_item_indicator_1_requires);

async fn a_training_without_prerequisites_says_so_in_the_catalogue(app: TestApp) {
    let admin = app.admin().await;
    let mut sent = programme("Découvrir la gestion associative", 420);
    sent["prerequisites"] = json!([]);
    sent["no_prerequisites"] = json!(true);
    let id = app.published_training_with(&admin, sent).await;

    let fetched = app
        .get(&format!("/api/v1/catalogue/trainings/{id}"), None)
        .await;

    fetched.expect(200);
    assert_eq!(fetched.body["programme"]["no_prerequisites"], true);
    assert_eq!(fetched.body["programme"]["prerequisites"], json!([]));
}
db_test!(a_training_without_prerequisites_says_so_in_the_catalogue);

async fn a_draft_training_is_not_in_the_catalogue(app: TestApp) {
    let admin = app.admin().await;
    let published = app
        .published_training_with(&admin, programme("Publiée", 420))
        .await;
    let draft = app
        .draft_training(&admin, programme("Brouillon", 420))
        .await;

    let listed = app.get("/api/v1/catalogue/trainings", None).await;
    let fetched = app
        .get(&format!("/api/v1/catalogue/trainings/{draft}"), None)
        .await;

    listed.expect(200);
    assert_eq!(ids_of(&listed), vec![published.to_string()]);
    fetched.expect_error(404, "catalogue.training_not_found");
}
db_test!(a_draft_training_is_not_in_the_catalogue);

async fn the_catalogue_of_trainings_filters_by_theme(app: TestApp) {
    let admin = app.admin().await;
    let funding = app
        .published_training_with(
            &admin,
            programme_with_themes("AFD", 420, &["project_funding"]),
        )
        .await;
    let both = app
        .published_training_with(
            &admin,
            programme_with_themes("RH et gestion", 420, &["human_resources", "management"]),
        )
        .await;

    let management = app
        .get("/api/v1/catalogue/trainings?theme=management", None)
        .await;
    let project_funding = app
        .get("/api/v1/catalogue/trainings?theme=project_funding", None)
        .await;
    let communication = app
        .get("/api/v1/catalogue/trainings?theme=communication", None)
        .await;

    assert_eq!(ids_of(&management), vec![both.to_string()]);
    assert_eq!(ids_of(&project_funding), vec![funding.to_string()]);
    assert_eq!(ids_of(&communication), Vec::<String>::new());
}
db_test!(the_catalogue_of_trainings_filters_by_theme);

async fn a_draft_session_is_not_in_the_catalogue(app: TestApp) {
    let admin = app.admin().await;
    let training = app.published_training(&admin, 210).await;
    let room = app.place(&admin, 12).await;
    let draft = app
        .draft_session(
            &admin,
            session_body(training, room, 12, vec![morning("2027-03-26")]),
        )
        .await;

    let fetched = app
        .get(&format!("/api/v1/catalogue/sessions/{draft}"), None)
        .await;
    let listed = app.get("/api/v1/catalogue/sessions", None).await;

    fetched.expect_error(404, "catalogue.session_not_found");
    assert_eq!(listed.body["items"], json!([]));
}
db_test!(a_draft_session_is_not_in_the_catalogue);

async fn a_session_opens_once_its_training_is_published_and_closes_when_cancelled(app: TestApp) {
    let admin = app.admin().await;
    let training = app
        .draft_training(&admin, programme("Monter un projet AFD", 420))
        .await;
    let room = app.place(&admin, 15).await;
    let trainer = app.trainer().await;
    let mut body = session_body(
        training,
        room,
        12,
        vec![morning("2027-03-26"), afternoon("2027-03-26")],
    );
    body["trainer_ids"] = json!([trainer.id]);
    let id = app.draft_session(&admin, body).await;
    let path = format!("/api/v1/sessions/{id}");
    let public = format!("/api/v1/catalogue/sessions/{id}");

    let early = app.publish(&admin, &path).await;
    app.publish(&admin, &format!("/api/v1/trainings/{training}"))
        .await
        .expect(200);
    let published = app.publish(&admin, &path).await;
    let shown = app.get(&public, None).await;
    let no_reason = app
        .post(
            &format!("{path}/cancel"),
            Some(&admin.token),
            json!({ "reason": "   " }),
        )
        .await;
    let still_shown = app.get(&public, None).await;
    let cancelled = app
        .post(
            &format!("{path}/cancel"),
            Some(&admin.token),
            json!({ "reason": "Not enough enrolments" }),
        )
        .await;
    let gone = app.get(&public, None).await;
    let listed = app.get("/api/v1/catalogue/sessions", None).await;

    early.expect_error(409, "catalogue.training_not_published");
    published.expect(200);
    assert_eq!(published.body["status"], "published");
    shown.expect(200);
    assert_eq!(shown.body["capacity"], 12);
    assert_eq!(shown.body["seats_left"], 12);
    assert_eq!(shown.body["training_id"], training.to_string());
    assert_eq!(shown.body["training_title"], "Monter un projet AFD");
    assert_eq!(
        shown.body["member_price"],
        json!({ "amount_cents": 45000, "currency": "EUR" })
    );
    assert_eq!(
        shown.body["non_member_price"],
        json!({ "amount_cents": 90000, "currency": "EUR" })
    );
    assert_eq!(shown.body["time_zone"], "Europe/Paris");
    assert_eq!(shown.body["place"]["city"], "Lyon");
    assert_eq!(shown.body["place"]["online"], false);
    assert_eq!(shown.body["slots"].as_array().unwrap().len(), 2);
    assert_eq!(shown.body["planned_minutes"], 420);
    assert_eq!(
        shown.body["trainers"],
        json!([{ "id": trainer.id, "first_name": "Test", "last_name": "Person" }])
    );
    assert!(
        !shown.text.contains(&trainer.email),
        "a trainer's e-mail leaks: {}",
        shown.text
    );
    no_reason.expect_error(422, "catalogue.invalid");
    assert!(
        no_reason.body["fields"]["reason"].is_array(),
        "{}",
        no_reason.text
    );
    still_shown.expect(200);
    cancelled.expect(200);
    assert_eq!(cancelled.body["status"], "cancelled");
    assert_eq!(cancelled.body["cancel_reason"], "Not enough enrolments");
    gone.expect_error(404, "catalogue.session_not_found");
    assert_eq!(listed.body["items"], json!([]));
}
db_test!(a_session_opens_once_its_training_is_published_and_closes_when_cancelled);

async fn the_public_never_sees_an_online_rooms_join_link(app: TestApp) {
    let admin = app.admin().await;
    let training = app.published_training(&admin, 210).await;
    let room = app.online_room(&admin).await;
    let id = app
        .published_session(
            &admin,
            session_body(training, room, 30, vec![morning("2027-03-26")]),
        )
        .await;

    let shown = app
        .get(&format!("/api/v1/catalogue/sessions/{id}"), None)
        .await;
    let listed = app.get("/api/v1/catalogue/sessions", None).await;

    shown.expect(200);
    assert_eq!(shown.body["place"]["online"], true);
    assert_eq!(shown.body["place"]["name"], "Visio");
    for reply in [&shown, &listed] {
        assert!(
            !reply.text.contains("secret-room"),
            "the join link leaks: {}",
            reply.text
        );
    }
}
db_test!(the_public_never_sees_an_online_rooms_join_link);

async fn the_catalogue_of_sessions_filters_by_theme_place_city_and_dates(app: TestApp) {
    let admin = app.admin().await;
    let management = app
        .published_training_with(
            &admin,
            programme_with_themes("Gestion", 210, &["management"]),
        )
        .await;
    let funding = app
        .published_training_with(
            &admin,
            programme_with_themes("AFD", 210, &["project_funding"]),
        )
        .await;
    let lyon = app.place_in(&admin, "Lyon", 20).await;
    let lome = app.place_in(&admin, "Lomé", 20).await;
    let online = app.online_room(&admin).await;
    let lyon_march = app
        .published_session(
            &admin,
            session_body(management, lyon, 12, vec![morning("2027-03-10")]),
        )
        .await;
    let online_april = app
        .published_session(
            &admin,
            session_body(funding, online, 12, vec![morning("2027-04-14")]),
        )
        .await;
    let mut in_lome = session_body(management, lome, 12, vec![morning("2027-05-19")]);
    in_lome["time_zone"] = json!("Africa/Lome");
    let lome_may = app.published_session(&admin, in_lome).await;
    app.draft_session(
        &admin,
        session_body(management, lyon, 12, vec![morning("2027-04-15")]),
    )
    .await;
    let set = |ids: &[uuid::Uuid]| ids.iter().map(|i| i.to_string()).collect::<HashSet<_>>();
    let found = |reply: &crate::harness::Reply| {
        reply.expect(200);
        ids_of(reply).into_iter().collect::<HashSet<_>>()
    };

    let by_theme = app
        .get("/api/v1/catalogue/sessions?theme=management", None)
        .await;
    let by_training = app
        .get(
            &format!("/api/v1/catalogue/sessions?training_id={funding}"),
            None,
        )
        .await;
    let only_online = app
        .get("/api/v1/catalogue/sessions?online=true", None)
        .await;
    let only_places = app
        .get("/api/v1/catalogue/sessions?online=false", None)
        .await;
    let in_lyon = app.get("/api/v1/catalogue/sessions?city=LYON", None).await;
    let in_lome_city = app
        .get("/api/v1/catalogue/sessions?city=lom%C3%A9", None)
        .await;
    let in_april = app
        .get(
            "/api/v1/catalogue/sessions?from=2027-04-01T00:00:00Z&to=2027-05-01T00:00:00Z",
            None,
        )
        .await;
    let from_april = app
        .get("/api/v1/catalogue/sessions?from=2027-04-01T00:00:00Z", None)
        .await;
    let until_april = app
        .get("/api/v1/catalogue/sessions?to=2027-04-01T00:00:00Z", None)
        .await;
    let combined = app
        .get(
            "/api/v1/catalogue/sessions?theme=management&online=false&from=2027-04-01T00:00:00Z",
            None,
        )
        .await;

    assert_eq!(found(&by_theme), set(&[lyon_march, lome_may]));
    assert_eq!(found(&by_training), set(&[online_april]));
    assert_eq!(found(&only_online), set(&[online_april]));
    assert_eq!(found(&only_places), set(&[lyon_march, lome_may]));
    assert_eq!(found(&in_lyon), set(&[lyon_march]));
    assert_eq!(found(&in_lome_city), set(&[lome_may]));
    assert_eq!(found(&in_april), set(&[online_april]));
    assert_eq!(found(&from_april), set(&[online_april, lome_may]));
    assert_eq!(found(&until_april), set(&[lyon_march]));
    assert_eq!(found(&combined), set(&[lome_may]));
}
db_test!(the_catalogue_of_sessions_filters_by_theme_place_city_and_dates);

async fn the_city_filter_ignores_the_case_of_accented_letters(app: TestApp) {
    let admin = app.admin().await;
    let training = app.published_training(&admin, 210).await;
    let evry = app.place_in(&admin, "Évry", 20).await;
    let id = app
        .published_session(
            &admin,
            session_body(training, evry, 12, vec![morning("2027-03-10")]),
        )
        .await;

    let lower = app
        .get("/api/v1/catalogue/sessions?city=%C3%A9vry", None)
        .await;
    let upper = app
        .get("/api/v1/catalogue/sessions?city=%C3%89VRY", None)
        .await;
    let exact = app
        .get("/api/v1/catalogue/sessions?city=%C3%89vry", None)
        .await;

    assert_eq!(ids_of(&exact), vec![id.to_string()], "exact spelling");
    assert_eq!(ids_of(&upper), vec![id.to_string()], "ÉVRY");
    assert_eq!(ids_of(&lower), vec![id.to_string()], "évry");
}
db_test!(the_city_filter_ignores_the_case_of_accented_letters);

async fn only_sessions_still_open_for_enrolment_are_available(app: TestApp) {
    let admin = app.admin().await;
    let training = app.published_training(&admin, 210).await;
    let room = app.place(&admin, 20).await;
    let open = app
        .published_session(
            &admin,
            session_body(training, room, 12, vec![morning("2027-03-10")]),
        )
        .await;
    let mut closed = session_body(training, room, 12, vec![morning("2027-03-11")]);
    closed["enrolment_deadline"] = json!("2020-01-01T00:00:00Z");
    let closed = app.published_session(&admin, closed).await;

    let available = app
        .get("/api/v1/catalogue/sessions?available=true", None)
        .await;
    let all = app.get("/api/v1/catalogue/sessions", None).await;

    assert_eq!(ids_of(&available), vec![open.to_string()]);
    assert_eq!(ids_of(&all), vec![open.to_string(), closed.to_string()]);
}
db_test!(only_sessions_still_open_for_enrolment_are_available);

async fn paging_the_catalogue_returns_every_published_session_exactly_once_while_sessions_are_added(
    app: TestApp,
) {
    let admin = app.admin().await;
    let training = app.published_training(&admin, 210).await;
    let room = app.place(&admin, 20).await;
    let mut published = Vec::new();
    for day in 10..15 {
        published.push(
            app.published_session(
                &admin,
                session_body(training, room, 12, vec![morning(&format!("2027-03-{day}"))]),
            )
            .await,
        );
    }
    app.draft_session(
        &admin,
        session_body(training, room, 12, vec![morning("2027-03-20")]),
    )
    .await;

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut added = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/catalogue/sessions?limit=2&cursor={c}"),
            None => "/api/v1/catalogue/sessions?limit=2".to_owned(),
        };
        let page = app.get(&path, None).await;
        page.expect(200);
        assert!(
            page.body["items"].as_array().unwrap().len() <= 2,
            "{}",
            page.text
        );
        seen.extend(ids_of(&page));
        if added < 2 {
            published.push(
                app.published_session(
                    &admin,
                    session_body(
                        training,
                        room,
                        12,
                        vec![morning(&format!("2027-04-{}", 10 + added))],
                    ),
                )
                .await,
            );
            added += 1;
        }
        match page.body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }

    let unique: HashSet<_> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len(), "duplicates in {seen:?}");
    let expected: HashSet<_> = published.iter().map(|id| id.to_string()).collect();
    assert_eq!(unique, expected);
    assert_eq!(seen.len(), 5 + 2);
}
db_test!(
    paging_the_catalogue_returns_every_published_session_exactly_once_while_sessions_are_added
);

async fn a_forged_catalogue_cursor_is_a_400(app: TestApp) {
    let reply = app
        .get("/api/v1/catalogue/sessions?cursor=not-a-cursor", None)
        .await;

    reply.expect_error(400, "request.invalid_parameter");
}
db_test!(a_forged_catalogue_cursor_is_a_400);

async fn archiving_a_training_takes_its_sessions_out_of_the_public_catalogue(app: TestApp) {
    let admin = app.admin().await;
    let training = app.published_training(&admin, 420).await;
    let room = app.place(&admin, 12).await;
    let session = app
        .published_session(
            &admin,
            session_body(
                training,
                room,
                10,
                vec![morning("2027-06-08"), afternoon("2027-06-08")],
            ),
        )
        .await;
    app.get(&format!("/api/v1/catalogue/sessions/{session}"), None)
        .await
        .expect(200);

    app.post(
        &format!("/api/v1/trainings/{training}/archive"),
        Some(&admin.token),
        json!({}),
    )
    .await
    .expect(200);

    app.get(&format!("/api/v1/catalogue/sessions/{session}"), None)
        .await
        .expect_error(404, "catalogue.session_not_found");
    let list = app.get("/api/v1/catalogue/sessions", None).await;
    assert!(ids_of(&list).is_empty(), "{}", list.text);
    app.get(&format!("/api/v1/sessions/{session}"), Some(&admin.token))
        .await
        .expect(200);
}
db_test!(archiving_a_training_takes_its_sessions_out_of_the_public_catalogue);
