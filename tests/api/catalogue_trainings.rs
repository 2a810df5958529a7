//! Trainings: administrators write complete programmes; a published training keeps every
//! version it was published in, with its dates (Qualiopi ind. 1).

use std::time::Duration;

use chrono::SecondsFormat;
use poem::http::Method;
use serde_json::json;

use crate::fixtures::{instant, programme};
use crate::harness::TestApp;

async fn an_administrator_creates_a_draft_training_and_gets_its_location(app: TestApp) {
    let admin = app.admin().await;

    let created = app
        .post(
            "/api/v1/trainings",
            Some(&admin.token),
            programme("Gérer une association", 840),
        )
        .await;

    created.expect(201);
    let location = created.header("location").unwrap().to_owned();
    assert_eq!(location, format!("/api/v1/trainings/{}", created.id()));
    let fetched = app.get(&location, Some(&admin.token)).await;
    fetched.expect(200);
    assert_eq!(fetched.body["status"], "draft");
    assert_eq!(fetched.body["current_version"], 0);
    assert_eq!(fetched.body["programme"]["title"], "Gérer une association");
    assert_eq!(fetched.body["programme"]["duration_minutes"], 840);
}
db_test!(an_administrator_creates_a_draft_training_and_gets_its_location);

async fn editing_a_published_training_keeps_the_previous_version_readable_with_its_dates(
    app: TestApp,
) {
    let admin = app.admin().await;
    let id = app
        .published_training_with(&admin, programme("Monter un projet AFD", 780))
        .await;
    let path = format!("/api/v1/trainings/{id}");
    tokio::time::sleep(Duration::from_millis(20)).await;

    let edited = app
        .call(
            Method::PUT,
            &path,
            Some(&admin.token),
            Some(programme("Monter un projet AFD ou UE", 780)),
        )
        .await;

    edited.expect(200);
    assert_eq!(edited.body["status"], "published");
    assert_eq!(edited.body["current_version"], 2);
    let versions = app
        .get(&format!("{path}/versions"), Some(&admin.token))
        .await;
    versions.expect(200);
    let items = versions.body["items"].as_array().unwrap();
    let numbers: Vec<_> = items
        .iter()
        .map(|v| v["number"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, vec![1, 2]);
    assert_eq!(items[0]["programme"]["title"], "Monter un projet AFD");
    assert_eq!(items[1]["programme"]["title"], "Monter un projet AFD ou UE");
    assert_eq!(items[0]["published_by"], admin.id.to_string());
    let (first, second) = (
        instant(&items[0]["effective_from"]),
        instant(&items[1]["effective_from"]),
    );
    assert!(
        first < second,
        "effective_from does not increase: {first} then {second}"
    );
    let between = first + (second - first) / 2;
    let at = |t: chrono::DateTime<chrono::Utc>| {
        format!(
            "{path}/versions/in-force?at={}",
            t.to_rfc3339_opts(SecondsFormat::Micros, true)
        )
    };
    let then = app.get(&at(between), Some(&admin.token)).await;
    then.expect(200);
    assert_eq!(then.body["number"], 1);
    assert_eq!(then.body["programme"]["title"], "Monter un projet AFD");
    let now = app.get(&at(chrono::Utc::now()), Some(&admin.token)).await;
    assert_eq!(now.body["programme"]["title"], "Monter un projet AFD ou UE");
    let public = app
        .get(&format!("/api/v1/catalogue/trainings/{id}"), None)
        .await;
    public.expect(200);
    assert_eq!(
        public.body["programme"]["title"],
        "Monter un projet AFD ou UE"
    );
    assert_eq!(public.body["version"], 2);
}
db_test!(editing_a_published_training_keeps_the_previous_version_readable_with_its_dates);

async fn before_its_first_publication_a_training_has_no_version_in_force(app: TestApp) {
    let admin = app.admin().await;
    let id = app
        .draft_training(&admin, programme("Brouillon", 420))
        .await;
    let now = chrono::Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true);

    let in_force = app
        .get(
            &format!("/api/v1/trainings/{id}/versions/in-force?at={now}"),
            Some(&admin.token),
        )
        .await;
    let versions = app
        .get(
            &format!("/api/v1/trainings/{id}/versions"),
            Some(&admin.token),
        )
        .await;

    in_force.expect_error(404, "catalogue.version_in_force_not_found");
    versions.expect(200);
    assert_eq!(versions.body["items"], json!([]));
}
db_test!(before_its_first_publication_a_training_has_no_version_in_force);

async fn editing_a_draft_creates_no_version_and_publishing_twice_creates_only_one(app: TestApp) {
    let admin = app.admin().await;
    let id = app
        .draft_training(&admin, programme("Version de travail", 420))
        .await;
    let path = format!("/api/v1/trainings/{id}");
    app.call(
        Method::PUT,
        &path,
        Some(&admin.token),
        Some(programme("Version finale", 420)),
    )
    .await
    .expect(200);

    app.publish(&admin, &path).await.expect(200);
    let again = app.publish(&admin, &path).await;

    again.expect(200);
    assert_eq!(again.body["current_version"], 1);
    let versions = app
        .get(&format!("{path}/versions"), Some(&admin.token))
        .await;
    let items = versions.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{}", versions.text);
    assert_eq!(items[0]["programme"]["title"], "Version finale");
}
db_test!(editing_a_draft_creates_no_version_and_publishing_twice_creates_only_one);

async fn a_price_without_its_currency_is_refused_as_the_spec_requires_and_nothing_is_stored(
    app: TestApp,
) {
    let admin = app.admin().await;
    let mut body = programme("Sans devise", 420);
    body["member_price"] = json!({ "amount_cents": 45000 });

    let reply = app
        .post("/api/v1/trainings", Some(&admin.token), body)
        .await;

    reply.expect_error(400, "request.malformed");
    assert!(reply.text.contains("Money"), "{}", reply.text);
    let list = app.get("/api/v1/trainings", Some(&admin.token)).await;
    assert_eq!(list.body["items"], json!([]));
}
db_test!(a_price_without_its_currency_is_refused_as_the_spec_requires_and_nothing_is_stored);

async fn a_price_in_no_known_currency_shape_is_a_422_naming_the_field(app: TestApp) {
    let admin = app.admin().await;
    let mut body = programme("Devise inconnue", 420);
    body["member_price"] = json!({ "amount_cents": 45000, "currency": "E1R" });

    let reply = app
        .post("/api/v1/trainings", Some(&admin.token), body)
        .await;

    reply.expect_error(422, "request.invalid");
    assert!(
        reply.body["fields"].to_string().contains("currency"),
        "{}",
        reply.text
    );
}
db_test!(a_price_in_no_known_currency_shape_is_a_422_naming_the_field);

async fn an_incomplete_programme_is_a_422_naming_every_missing_item(app: TestApp) {
    let admin = app.admin().await;
    let mut body = programme("Incomplet", 420);
    body["modality"] = json!("remote");
    body["remote_arrangements"] = json!(null);
    body["objectives"] = json!(["  "]);
    body["prerequisites"] = json!([]);
    body["no_prerequisites"] = json!(false);
    body["accessibility"] = json!("  ");
    body["disability_referent"]["email"] = json!("not-an-email");
    body["themes"] = json!(["management", "management"]);

    let reply = app
        .post("/api/v1/trainings", Some(&admin.token), body)
        .await;

    reply.expect_error(422, "catalogue.invalid");
    for field in [
        "remote_arrangements",
        "objectives[0]",
        "prerequisites",
        "accessibility",
        "disability_referent.email",
        "themes",
    ] {
        assert!(
            reply.body["fields"][field].is_array(),
            "{field} missing in {}",
            reply.text
        );
    }
    let mut no_objective = programme("Sans objectif", 420);
    no_objective["objectives"] = json!([]);
    let limit = app
        .post("/api/v1/trainings", Some(&admin.token), no_objective)
        .await;
    limit.expect_error(422, "request.invalid");
    assert!(
        limit.body["fields"]["objectives"].is_array(),
        "{}",
        limit.text
    );
    let list = app.get("/api/v1/trainings", Some(&admin.token)).await;
    assert_eq!(list.body["items"], json!([]));
}
db_test!(an_incomplete_programme_is_a_422_naming_every_missing_item);

async fn a_member_can_neither_create_nor_edit_a_training(app: TestApp) {
    let admin = app.admin().await;
    let org = app.organisation(&admin, "Sahel", true).await;
    let member = app.member_of(org).await;
    let id = app
        .published_training_with(&admin, programme("Officielle", 420))
        .await;
    let path = format!("/api/v1/trainings/{id}");

    let created = app
        .post(
            "/api/v1/trainings",
            Some(&member.token),
            programme("Pirate", 420),
        )
        .await;
    let edited = app
        .call(
            Method::PUT,
            &path,
            Some(&member.token),
            Some(programme("Détournée", 420)),
        )
        .await;
    let published = app.publish(&member, &path).await;
    let archived = app
        .call(
            Method::POST,
            &format!("{path}/archive"),
            Some(&member.token),
            None,
        )
        .await;

    created.expect_error(403, "catalogue.forbidden");
    edited.expect_error(403, "catalogue.forbidden");
    published.expect_error(403, "catalogue.forbidden");
    archived.expect_error(403, "catalogue.forbidden");
    let all = app.get("/api/v1/trainings", Some(&admin.token)).await;
    assert_eq!(all.body["items"].as_array().unwrap().len(), 1);
    let fetched = app.get(&path, Some(&admin.token)).await;
    assert_eq!(fetched.body["programme"]["title"], "Officielle");
    assert_eq!(fetched.body["status"], "published");
}
db_test!(a_member_can_neither_create_nor_edit_a_training);

async fn an_archived_training_leaves_the_catalogue_keeps_its_versions_and_cannot_be_edited(
    app: TestApp,
) {
    let admin = app.admin().await;
    let id = app
        .published_training_with(&admin, programme("Ancienne formation", 420))
        .await;
    let path = format!("/api/v1/trainings/{id}");

    let archived = app
        .call(
            Method::POST,
            &format!("{path}/archive"),
            Some(&admin.token),
            None,
        )
        .await;

    archived.expect(200);
    assert_eq!(archived.body["status"], "archived");
    app.get(&format!("/api/v1/catalogue/trainings/{id}"), None)
        .await
        .expect_error(404, "catalogue.training_not_found");
    let public = app.get("/api/v1/catalogue/trainings", None).await;
    assert_eq!(public.body["items"], json!([]));
    let versions = app
        .get(&format!("{path}/versions"), Some(&admin.token))
        .await;
    assert_eq!(versions.body["items"].as_array().unwrap().len(), 1);
    app.call(
        Method::PUT,
        &path,
        Some(&admin.token),
        Some(programme("Ressuscitée", 420)),
    )
    .await
    .expect_error(409, "catalogue.training_archived");
}
db_test!(an_archived_training_leaves_the_catalogue_keeps_its_versions_and_cannot_be_edited);

async fn an_unknown_training_is_a_404(app: TestApp) {
    let admin = app.admin().await;
    let unknown = uuid::Uuid::now_v7();

    let reply = app
        .get(&format!("/api/v1/trainings/{unknown}"), Some(&admin.token))
        .await;
    let edit = app
        .call(
            Method::PUT,
            &format!("/api/v1/trainings/{unknown}"),
            Some(&admin.token),
            Some(programme("X", 420)),
        )
        .await;

    reply.expect_error(404, "catalogue.training_not_found");
    edit.expect_error(404, "catalogue.training_not_found");
}
db_test!(an_unknown_training_is_a_404);

async fn an_empty_objective_breaks_a_limit_the_spec_states_and_is_a_422_naming_it(app: TestApp) {
    let admin = app.admin().await;
    let mut body = programme("Objectif vide", 420);
    body["objectives"] = json!(["Write a logical framework", ""]);

    let reply = app
        .post("/api/v1/trainings", Some(&admin.token), body)
        .await;

    reply.expect_error(422, "request.invalid");
    assert!(
        reply.text.contains("a list item is empty"),
        "{}",
        reply.text
    );
    let list = app.get("/api/v1/trainings", Some(&admin.token)).await;
    assert_eq!(list.body["items"], json!([]));
}
db_test!(an_empty_objective_breaks_a_limit_the_spec_states_and_is_a_422_naming_it);
