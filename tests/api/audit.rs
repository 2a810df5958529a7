//! The audit log of administrators' writes: who, which operation, when, the object before and
//! after; refused writes and other people's writes are not in it; secrets are redacted; only
//! administrators read it and no one changes it; erasing a person empties the entries naming
//! them.

use serde_json::{Value, json};

use crate::harness::TestApp;
use passerelle::accounts::model::Role;

db_test!(an_administrators_write_is_logged_with_the_object_before_and_after);
db_test!(other_peoples_writes_and_refused_writes_are_not_logged_and_secrets_never_are);
db_test!(only_administrators_read_the_audit_log_and_no_operation_changes_it);
db_test!(erasing_a_person_empties_the_audit_entries_that_name_them);

async fn log(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    app.all_pages(&format!("/api/v1/audit?{query}"), Some(token))
        .await
}

async fn an_administrators_write_is_logged_with_the_object_before_and_after(app: TestApp) {
    let admin = app.admin().await;
    let session = app.open_session(&admin, 12).await;
    let path = format!("/api/v1/sessions/{session}");

    app.patch(&path, Some(&admin.token), json!({ "capacity": 19 }))
        .await
        .expect(200);
    app.post(
        &format!("{path}/cancel"),
        Some(&admin.token),
        json!({ "reason": "Formateur malade" }),
    )
    .await
    .expect(200);

    let changed = log(&app, &admin.token, "operation=update_session").await;
    assert_eq!(changed.len(), 1, "{changed:?}");
    let entry = &changed[0];
    assert_eq!(entry["actor_id"], admin.id.to_string());
    assert_eq!(entry["method"], "PATCH");
    assert_eq!(entry["path"], path.as_str());
    assert_eq!(entry["status"], 200);
    assert_eq!(entry["request"]["capacity"], 19);
    assert_eq!(entry["before"]["capacity"], 12, "{entry}");
    assert_eq!(entry["after"]["capacity"], 19, "{entry}");
    assert!(entry["at"].is_string());
    // An action on an object: the object before, and the answer after.
    let cancelled = log(&app, &admin.token, "operation=cancel_session").await;
    assert_eq!(cancelled.len(), 1, "{cancelled:?}");
    assert_eq!(cancelled[0]["before"]["capacity"], 19);
    assert_ne!(cancelled[0]["before"]["status"], "cancelled");
    assert_eq!(
        cancelled[0]["after"]["status"], "cancelled",
        "{}",
        cancelled[0]
    );
    // Filtered by the session's id: these two (and its creation and publication).
    let about = log(&app, &admin.token, &format!("about={session}")).await;
    let operations: Vec<&str> = about
        .iter()
        .map(|e| e["operation"].as_str().unwrap())
        .collect();
    assert!(
        operations.contains(&"update_session") && operations.contains(&"cancel_session"),
        "{operations:?}"
    );
}

async fn other_peoples_writes_and_refused_writes_are_not_logged_and_secrets_never_are(
    app: TestApp,
) {
    let admin = app.admin().await;
    let organisation = app.organisation(&admin, "Réseau Trace", true).await;
    let member = app.member_of(organisation).await;
    let session = app.open_session(&admin, 12).await;

    app.enrol(&member, session, None).await.expect(201);
    app.patch(
        &format!("/api/v1/sessions/{session}"),
        Some(&admin.token),
        json!({ "capacity": -3 }),
    )
    .await
    .expect_error(422, "request.invalid");
    app.post(
        "/api/v1/people",
        Some(&admin.token),
        json!({ "email": "nadia@example.test", "first_name": "Nadia", "last_name": "Sow",
                "organisation_id": organisation, "password": "a very long secret phrase" }),
    )
    .await
    .expect(201);

    let by_member = log(&app, &admin.token, &format!("actor_id={}", member.id)).await;
    assert!(by_member.is_empty(), "{by_member:?}");
    let updates = log(&app, &admin.token, "operation=update_session").await;
    assert!(
        updates.is_empty(),
        "a refused write changed nothing: {updates:?}"
    );
    let created = log(&app, &admin.token, "operation=create_person").await;
    assert_eq!(created.len(), 1);
    assert_eq!(created[0]["request"]["password"], "[redacted]");
    assert_eq!(
        created[0]["before"],
        Value::Null,
        "a creation has no before"
    );
    assert_eq!(created[0]["after"]["email"], "nadia@example.test");
    let everything = serde_json::to_string(&log(&app, &admin.token, "").await).unwrap();
    assert!(!everything.contains("a very long secret phrase"));
}

async fn only_administrators_read_the_audit_log_and_no_operation_changes_it(app: TestApp) {
    let admin = app.admin().await;
    let member = app.user_with(&[Role::Member], None).await;
    app.open_session(&admin, 12).await;
    let entries = log(&app, &admin.token, "").await;
    assert!(!entries.is_empty());
    let id = entries[0]["id"].as_str().unwrap();

    let by_member = app.get("/api/v1/audit", Some(&member.token)).await;
    let anonymous = app.get("/api/v1/audit", None).await;
    let edit = app
        .call(
            poem::http::Method::DELETE,
            &format!("/api/v1/audit/{id}"),
            Some(&admin.token),
            None,
        )
        .await;
    let replace = app
        .put("/api/v1/audit", Some(&admin.token), json!([]))
        .await;

    by_member.expect_error(403, "audit.forbidden");
    assert_eq!(anonymous.status, 401);
    assert_eq!(edit.status, 404, "no such operation: {}", edit.text);
    assert_eq!(replace.status, 405, "{}", replace.text);
    assert_eq!(
        log(&app, &admin.token, "").await,
        entries,
        "nothing changed it"
    );
}

async fn erasing_a_person_empties_the_audit_entries_that_name_them(app: TestApp) {
    let admin = app.admin().await;
    let created = app
        .post(
            "/api/v1/people",
            Some(&admin.token),
            json!({ "email": "oumar@example.test", "first_name": "Oumar", "last_name": "Diallo" }),
        )
        .await;
    created.expect(201);
    let person = created.body["id"].as_str().unwrap().to_owned();
    app.patch(
        &format!("/api/v1/people/{person}"),
        Some(&admin.token),
        json!({ "last_name": "Diallo-Ba" }),
    )
    .await
    .expect(200);

    app.post(
        &format!("/api/v1/people/{person}/erasure"),
        Some(&admin.token),
        json!({}),
    )
    .await
    .expect(200);

    let about = log(&app, &admin.token, &format!("about={person}")).await;
    let text = serde_json::to_string(&about).unwrap();
    assert!(
        !text.contains("Oumar") && !text.contains("Diallo") && !text.contains("oumar@"),
        "{text}"
    );
    let operations: Vec<&str> = about
        .iter()
        .map(|e| e["operation"].as_str().unwrap())
        .collect();
    assert_eq!(
        operations,
        ["update_person", "erase_personal_data"],
        "who did what stays: {about:?}"
    );
    let everything = serde_json::to_string(&log(&app, &admin.token, "").await).unwrap();
    assert!(!everything.contains("Oumar"), "{everything}");
}
