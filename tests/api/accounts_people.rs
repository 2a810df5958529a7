//! People: who may see and change whom.

use std::collections::HashSet;

use serde_json::json;

use crate::fixtures::PASSWORD;
use crate::harness::TestApp;

async fn a_member_asking_for_a_person_of_another_organisation_gets_404(app: TestApp) {
    let admin = app.admin().await;
    let mine = app.organisation(&admin, "Mine", true).await;
    let other = app.organisation(&admin, "Other", true).await;
    let member = app.member_of(mine).await;
    let stranger = app.member_of(other).await;

    let reply = app
        .get(
            &format!("/api/v1/people/{}", stranger.id),
            Some(&member.token),
        )
        .await;

    reply.expect_error(404, "accounts.person_not_found");
    app.get(
        &format!("/api/v1/people/{}", member.id),
        Some(&member.token),
    )
    .await
    .expect(200);
}
db_test!(a_member_asking_for_a_person_of_another_organisation_gets_404);

async fn an_org_manager_creating_a_person_in_another_organisation_gets_404_and_nothing_is_created(
    app: TestApp,
) {
    let admin = app.admin().await;
    let mine = app.organisation(&admin, "Mine", true).await;
    let other = app.organisation(&admin, "Other", true).await;
    let manager = app.manager_of(mine).await;

    let reply = app
        .post(
            "/api/v1/people",
            Some(&manager.token),
            json!({ "email": "new@example.test", "first_name": "A", "last_name": "B", "organisation_id": other }),
        )
        .await;

    reply.expect_error(404, "accounts.organisation_not_found");
    let people = app
        .get(
            &format!("/api/v1/people?organisation_id={other}"),
            Some(&admin.token),
        )
        .await;
    assert_eq!(people.body["items"], json!([]));
    app.login("new@example.test", PASSWORD).await.expect(401);
}
db_test!(an_org_manager_creating_a_person_in_another_organisation_gets_404_and_nothing_is_created);

async fn an_org_manager_creates_a_colleague_who_can_then_log_in(app: TestApp) {
    let admin = app.admin().await;
    let mine = app.organisation(&admin, "Mine", true).await;
    let manager = app.manager_of(mine).await;

    let created = app
        .post(
            "/api/v1/people",
            Some(&manager.token),
            json!({ "email": "Colleague@Example.test", "first_name": "Awa", "last_name": "Sow", "password": PASSWORD }),
        )
        .await;

    created.expect(201);
    assert_eq!(
        created.header("location").unwrap(),
        format!("/api/v1/people/{}", created.id())
    );
    assert_eq!(created.body["organisation_id"], mine.to_string());
    assert_eq!(created.body["roles"], json!(["member"]));
    app.login("colleague@example.test", PASSWORD)
        .await
        .expect(200);
}
db_test!(an_org_manager_creates_a_colleague_who_can_then_log_in);

async fn an_org_manager_cannot_grant_the_admin_role(app: TestApp) {
    let admin = app.admin().await;
    let mine = app.organisation(&admin, "Mine", true).await;
    let manager = app.manager_of(mine).await;

    let reply = app
        .post(
            "/api/v1/people",
            Some(&manager.token),
            json!({ "email": "boss@example.test", "first_name": "A", "last_name": "B", "roles": ["admin"] }),
        )
        .await;

    reply.expect_error(403, "accounts.forbidden");
}
db_test!(an_org_manager_cannot_grant_the_admin_role);

async fn an_org_manager_lists_only_the_people_of_their_organisation(app: TestApp) {
    let admin = app.admin().await;
    let mine = app.organisation(&admin, "Mine", true).await;
    let other = app.organisation(&admin, "Other", true).await;
    let manager = app.manager_of(mine).await;
    let colleague = app.member_of(mine).await;
    app.member_of(other).await;

    let list = app.get("/api/v1/people", Some(&manager.token)).await;
    let sneaky = app
        .get(
            &format!("/api/v1/people?organisation_id={other}"),
            Some(&manager.token),
        )
        .await;

    list.expect(200);
    let ids: HashSet<String> = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        ids,
        HashSet::from([manager.id.to_string(), colleague.id.to_string()])
    );
    assert_eq!(sneaky.body["items"], json!([]));
}
db_test!(an_org_manager_lists_only_the_people_of_their_organisation);

async fn a_member_may_not_list_people(app: TestApp) {
    let admin = app.admin().await;
    let mine = app.organisation(&admin, "Mine", true).await;
    let member = app.member_of(mine).await;

    app.get("/api/v1/people", Some(&member.token))
        .await
        .expect_error(403, "accounts.forbidden");
}
db_test!(a_member_may_not_list_people);

async fn an_email_is_unique_whatever_its_case(app: TestApp) {
    let admin = app.admin().await;
    let body = |email: &str| json!({ "email": email, "first_name": "A", "last_name": "B" });
    app.post(
        "/api/v1/people",
        Some(&admin.token),
        body("dup@example.test"),
    )
    .await
    .expect(201);

    let again = app
        .post(
            "/api/v1/people",
            Some(&admin.token),
            body("DUP@Example.TEST"),
        )
        .await;

    again.expect_error(409, "accounts.email_taken");
}
db_test!(an_email_is_unique_whatever_its_case);

async fn an_invalid_email_and_empty_names_are_422_with_the_fields_named_and_nothing_stored(
    app: TestApp,
) {
    let admin = app.admin().await;

    let reply = app
        .post("/api/v1/people", Some(&admin.token), json!({ "email": "not-an-email", "first_name": " ", "last_name": "  ", "password": "long enough to pass" }))
        .await;
    let empty = app
        .post(
            "/api/v1/people",
            Some(&admin.token),
            json!({ "email": "a@b.test", "first_name": "A", "last_name": "" }),
        )
        .await;

    reply.expect_error(422, "accounts.invalid");
    for field in ["email", "first_name", "last_name"] {
        assert!(
            reply.body["fields"][field].is_array(),
            "{field} missing in {}",
            reply.text
        );
    }
    empty.expect_error(422, "request.invalid");
    assert!(
        empty.body["fields"]["last_name"].is_array(),
        "{}",
        empty.text
    );
    let list = app.get("/api/v1/people", Some(&admin.token)).await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1);
}
db_test!(an_invalid_email_and_empty_names_are_422_with_the_fields_named_and_nothing_stored);

async fn an_administrator_filters_people_by_role(app: TestApp) {
    let admin = app.admin().await;
    let trainer = app
        .user_with(&[passerelle::accounts::model::Role::Trainer], None)
        .await;

    let trainers = app
        .get("/api/v1/people?role=trainer", Some(&admin.token))
        .await;

    trainers.expect(200);
    let items = trainers.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], trainer.id.to_string());
    assert_eq!(items[0]["roles"], json!(["trainer"]));
}
db_test!(an_administrator_filters_people_by_role);

async fn pagination_returns_every_person_exactly_once_while_people_are_added(app: TestApp) {
    let admin = app.admin().await;
    for i in 0..7 {
        app.post(
            "/api/v1/people",
            Some(&admin.token),
            json!({ "email": format!("p{i}@example.test"), "first_name": "P", "last_name": "Q" }),
        )
        .await
        .expect(201);
    }

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut added = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/people?limit=3&cursor={c}"),
            None => "/api/v1/people?limit=3".to_owned(),
        };
        let page = app.get(&path, Some(&admin.token)).await;
        page.expect(200);
        for item in page.body["items"].as_array().unwrap() {
            seen.push(item["id"].as_str().unwrap().to_owned());
        }
        if added < 2 {
            app.post("/api/v1/people", Some(&admin.token), json!({ "email": format!("late{added}@example.test"), "first_name": "L", "last_name": "Q" }))
                .await
                .expect(201);
            added += 1;
        }
        match page.body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }

    let unique: HashSet<_> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len(), "duplicates in {seen:?}");
    assert_eq!(seen.len(), 1 + 7 + 2);
}
db_test!(pagination_returns_every_person_exactly_once_while_people_are_added);

async fn a_cursor_not_of_the_published_shape_is_a_400_and_an_empty_one_too(app: TestApp) {
    let admin = app.admin().await;

    let forged = app
        .get("/api/v1/people?cursor=not-a-cursor", Some(&admin.token))
        .await;
    let empty = app.get("/api/v1/people?cursor=", Some(&admin.token)).await;

    forged.expect_error(400, "request.invalid_parameter");
    empty.expect_error(400, "request.invalid_parameter");
}
db_test!(a_cursor_not_of_the_published_shape_is_a_400_and_an_empty_one_too);

async fn a_member_changes_their_own_names_but_not_their_roles(app: TestApp) {
    let admin = app.admin().await;
    let org = app.organisation(&admin, "Mine", true).await;
    let member = app.member_of(org).await;
    let path = format!("/api/v1/people/{}", member.id);

    let renamed = app
        .patch(&path, Some(&member.token), json!({ "first_name": "Aïcha" }))
        .await;
    let promoted = app
        .patch(&path, Some(&member.token), json!({ "roles": ["admin"] }))
        .await;

    renamed.expect(200);
    assert_eq!(renamed.body["first_name"], "Aïcha");
    promoted.expect_error(403, "accounts.forbidden");
    assert_eq!(
        app.get("/api/v1/me", Some(&member.token)).await.body["roles"],
        json!(["member"])
    );
}
db_test!(a_member_changes_their_own_names_but_not_their_roles);

async fn a_password_shorter_than_12_characters_breaks_the_limit_the_spec_states(app: TestApp) {
    let admin = app.admin().await;

    let reply = app
        .post(
            "/api/v1/people",
            Some(&admin.token),
            json!({ "email": "awa@example.org", "first_name": "Awa", "last_name": "Diallo", "password": "short" }),
        )
        .await;

    reply.expect_error(422, "request.invalid");
    assert!(
        reply.body["fields"]["password"].is_array(),
        "{}",
        reply.text
    );
    let people = app.all_pages("/api/v1/people", Some(&admin.token)).await;
    assert!(
        people.iter().all(|p| p["email"] != "awa@example.org"),
        "the person was stored"
    );
}
db_test!(a_password_shorter_than_12_characters_breaks_the_limit_the_spec_states);
