//! Organisations: administrators manage them; others see their own.

use crate::harness::TestApp;
use serde_json::json;

async fn an_administrator_creates_an_organisation_and_gets_its_location(app: TestApp) {
    let admin = app.admin().await;

    let created = app
        .post(
            "/api/v1/organisations",
            Some(&admin.token),
            json!({ "name": "  Partage Lyon ", "is_member": true, "country": "fr" }),
        )
        .await;

    created.expect(201);
    let location = created.header("location").unwrap().to_owned();
    assert_eq!(location, format!("/api/v1/organisations/{}", created.id()));
    let fetched = app.get(&location, Some(&admin.token)).await;
    fetched.expect(200);
    assert_eq!(fetched.body["name"], "Partage Lyon");
    assert_eq!(fetched.body["country"], "FR");
    assert_eq!(fetched.body["is_member"], true);
    assert_eq!(fetched.body["active"], true);
}
db_test!(an_administrator_creates_an_organisation_and_gets_its_location);

async fn a_member_cannot_create_an_organisation_and_nothing_is_stored(app: TestApp) {
    let admin = app.admin().await;
    let org = app.organisation(&admin, "Sahel", true).await;
    let member = app.member_of(org).await;

    app.post(
        "/api/v1/organisations",
        Some(&member.token),
        json!({ "name": "Mine", "is_member": true, "country": "FR" }),
    )
    .await
    .expect_error(403, "accounts.forbidden");

    let all = app.get("/api/v1/organisations", Some(&admin.token)).await;
    assert_eq!(all.body["items"].as_array().unwrap().len(), 1);
}
db_test!(a_member_cannot_create_an_organisation_and_nothing_is_stored);

async fn a_member_sees_only_their_own_organisation(app: TestApp) {
    let admin = app.admin().await;
    let mine = app.organisation(&admin, "Mine", true).await;
    let other = app.organisation(&admin, "Other", false).await;
    let member = app.member_of(mine).await;

    let list = app.get("/api/v1/organisations", Some(&member.token)).await;
    let own = app
        .get(
            &format!("/api/v1/organisations/{mine}"),
            Some(&member.token),
        )
        .await;
    let foreign = app
        .get(
            &format!("/api/v1/organisations/{other}"),
            Some(&member.token),
        )
        .await;

    list.expect(200);
    let ids: Vec<_> = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].clone())
        .collect();
    assert_eq!(ids, vec![json!(mine.to_string())]);
    own.expect(200);
    foreign.expect_error(404, "accounts.organisation_not_found");
}
db_test!(a_member_sees_only_their_own_organisation);

async fn an_invalid_country_and_a_blank_name_are_422_each_with_its_field_named(app: TestApp) {
    let admin = app.admin().await;

    let blank = app
        .post(
            "/api/v1/organisations",
            Some(&admin.token),
            json!({ "name": "   ", "is_member": true, "country": "FR" }),
        )
        .await;
    let country = app
        .post(
            "/api/v1/organisations",
            Some(&admin.token),
            json!({ "name": "Eau Vive", "is_member": true, "country": "F1" }),
        )
        .await;

    blank.expect_error(422, "accounts.invalid");
    assert!(blank.body["fields"]["name"].is_array(), "{}", blank.text);
    country.expect_error(422, "request.invalid");
    assert!(
        country.body["fields"]["country"].is_array(),
        "{}",
        country.text
    );
    let all = app.get("/api/v1/organisations", Some(&admin.token)).await;
    assert_eq!(all.body["items"], json!([]));
}
db_test!(an_invalid_country_and_a_blank_name_are_422_each_with_its_field_named);

async fn an_administrator_edits_and_deactivates_an_organisation(app: TestApp) {
    let admin = app.admin().await;
    let org = app.organisation(&admin, "Climat", false).await;

    let edited = app
        .patch(
            &format!("/api/v1/organisations/{org}"),
            Some(&admin.token),
            json!({ "is_member": true, "active": false }),
        )
        .await;

    edited.expect(200);
    assert_eq!(edited.body["is_member"], true);
    assert_eq!(edited.body["active"], false);
    assert_eq!(edited.body["name"], "Climat");
}
db_test!(an_administrator_edits_and_deactivates_an_organisation);

async fn a_patch_field_left_out_is_unchanged_and_an_explicit_null_there_is_refused(app: TestApp) {
    let admin = app.admin().await;
    let org = app.organisation(&admin, "Avant", true).await;
    let path = format!("/api/v1/organisations/{org}");

    let refused = app
        .patch(&path, Some(&admin.token), json!({ "name": null }))
        .await;
    let kept = app
        .patch(&path, Some(&admin.token), json!({ "is_member": false }))
        .await;

    refused.expect_error(400, "request.malformed");
    assert!(refused.text.contains("omit the field"), "{}", refused.text);
    kept.expect(200);
    assert_eq!(kept.body["name"], "Avant");
    assert_eq!(kept.body["is_member"], false);
}
db_test!(a_patch_field_left_out_is_unchanged_and_an_explicit_null_there_is_refused);
