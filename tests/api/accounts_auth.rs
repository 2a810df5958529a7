//! Logging in and out, tokens, rate limits.

use poem::http::Method;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::fixtures::PASSWORD;
use crate::harness::TestApp;

async fn a_person_logs_in_and_sees_themselves_with_their_roles(app: TestApp) {
    let admin = app.admin().await;
    let org = app.organisation(&admin, "Solidarité Sahel", true).await;
    let member = app.member_of(org).await;

    let login = app.login(&member.email.to_uppercase(), PASSWORD).await;
    login.expect(200);
    assert_eq!(login.body["token_type"], "Bearer");
    let token = login.body["token"].as_str().unwrap();
    let me = app.get("/api/v1/me", Some(token)).await;

    me.expect(200);
    assert_eq!(me.body["id"], member.id.to_string());
    assert_eq!(me.body["organisation_id"], org.to_string());
    assert_eq!(me.body["roles"], json!(["member"]));
}
db_test!(a_person_logs_in_and_sees_themselves_with_their_roles);

async fn a_wrong_password_and_an_unknown_email_get_identical_401_bodies(app: TestApp) {
    let admin = app.admin().await;

    let wrong_password = app.login(&admin.email, "not the right password").await;
    let unknown_email = app
        .login("nobody@example.test", "not the right password")
        .await;

    wrong_password.expect_error(401, "auth.invalid_credentials");
    unknown_email.expect_error(401, "auth.invalid_credentials");
    assert_eq!(wrong_password.text, unknown_email.text);
}
db_test!(a_wrong_password_and_an_unknown_email_get_identical_401_bodies);

async fn the_sixth_rapid_failure_for_one_account_gets_429_with_retry_after(app: TestApp) {
    let admin = app.admin().await;
    for _ in 0..5 {
        app.login(&admin.email, "wrong password attempt")
            .await
            .expect_error(401, "auth.invalid_credentials");
    }

    let limited = app.login(&admin.email, "wrong password attempt").await;
    let even_right = app.login(&admin.email, PASSWORD).await;

    limited.expect_error(429, "auth.rate_limited");
    let retry_after: u64 = limited
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .unwrap();
    assert!(retry_after >= 1, "Retry-After {retry_after}");
    even_right.expect_error(429, "auth.rate_limited");
}
db_test!(the_sixth_rapid_failure_for_one_account_gets_429_with_retry_after);

async fn many_failures_from_one_address_on_different_accounts_get_429(app: TestApp) {
    for i in 0..20 {
        app.login(&format!("guess{i}@example.test"), "wrong password attempt")
            .await
            .expect(401);
    }

    let limited = app
        .login("another@example.test", "wrong password attempt")
        .await;

    limited.expect_error(429, "auth.rate_limited");
    assert!(limited.header("retry-after").is_some());
}
db_test!(many_failures_from_one_address_on_different_accounts_get_429);

async fn failures_from_one_address_are_limited_even_on_fresh_connections(app: TestApp) {
    let addr = app.serve_on_port().await;
    let body = |i: usize| {
        format!(r#"{{"email":"guess{i}@example.test","password":"wrong password attempt"}}"#)
    };
    for i in 0..20 {
        let (status, reply) =
            crate::harness::raw_request(addr, "POST", "/api/v1/auth/login", &body(i)).await;
        assert_eq!(status, 401, "{reply}");
    }

    let (status, reply) =
        crate::harness::raw_request(addr, "POST", "/api/v1/auth/login", &body(99)).await;

    assert_eq!(status, 429, "{reply}");
    assert!(reply.to_lowercase().contains("retry-after:"), "{reply}");
    assert!(reply.contains(r#""code":"auth.rate_limited""#), "{reply}");
}
db_test!(failures_from_one_address_are_limited_even_on_fresh_connections);

async fn a_token_no_longer_works_after_logout(app: TestApp) {
    let admin = app.admin().await;
    app.get("/api/v1/me", Some(&admin.token)).await.expect(200);

    app.call(
        Method::POST,
        "/api/v1/auth/logout",
        Some(&admin.token),
        None,
    )
    .await
    .expect(204);

    app.get("/api/v1/me", Some(&admin.token))
        .await
        .expect_error(401, "auth.invalid_token");
}
db_test!(a_token_no_longer_works_after_logout);

async fn a_deactivated_persons_token_is_refused_and_they_cannot_log_in_again(app: TestApp) {
    let admin = app.admin().await;
    let org = app.organisation(&admin, "Eau Vive", true).await;
    let member = app.member_of(org).await;

    app.patch(
        &format!("/api/v1/people/{}", member.id),
        Some(&admin.token),
        json!({ "active": false }),
    )
    .await
    .expect(200);

    app.get("/api/v1/me", Some(&member.token))
        .await
        .expect_error(401, "auth.invalid_token");
    app.login(&member.email, PASSWORD)
        .await
        .expect_error(401, "auth.invalid_credentials");
}
db_test!(a_deactivated_persons_token_is_refused_and_they_cannot_log_in_again);

async fn requests_without_a_token_or_with_a_made_up_one_get_401(app: TestApp) {
    app.get("/api/v1/me", None)
        .await
        .expect_error(401, "auth.unauthenticated");
    app.get("/api/v1/me", Some("psl_made_up"))
        .await
        .expect_error(401, "auth.invalid_token");
}
db_test!(requests_without_a_token_or_with_a_made_up_one_get_401);

async fn the_database_holds_only_a_hash_of_the_token_and_an_argon2id_password(app: TestApp) {
    let admin = app.admin().await;

    let tokens = entity::auth_token::Entity::find()
        .filter(entity::auth_token::Column::PersonId.eq(admin.id))
        .all(app.db())
        .await
        .unwrap();
    let person = entity::person::Entity::find_by_id(admin.id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();

    assert_eq!(tokens.len(), 1);
    assert_ne!(tokens[0].token_hash, admin.token);
    assert!(!tokens[0].token_hash.contains(&admin.token));
    assert_eq!(
        tokens[0].token_hash,
        passerelle::accounts::token::digest(&admin.token)
    );
    assert!(
        admin.token.len() >= 4 + 43,
        "token carries at least 256 bits"
    );
    let phc = person.password_hash.unwrap();
    assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
    assert!(!phc.contains(PASSWORD));
}
db_test!(the_database_holds_only_a_hash_of_the_token_and_an_argon2id_password);

async fn changing_ones_password_revokes_other_tokens_but_keeps_the_current_one(app: TestApp) {
    let admin = app.admin().await;
    let other_device = app.token(&admin.email).await;

    let changed = app
        .call(
            Method::PUT,
            "/api/v1/me/password",
            Some(&admin.token),
            Some(json!({ "current_password": PASSWORD, "new_password": "a brand new passphrase" })),
        )
        .await;

    changed.expect(204);
    app.get("/api/v1/me", Some(&admin.token)).await.expect(200);
    app.get("/api/v1/me", Some(&other_device)).await.expect(401);
    app.login(&admin.email, "a brand new passphrase")
        .await
        .expect(200);
}
db_test!(changing_ones_password_revokes_other_tokens_but_keeps_the_current_one);

async fn a_too_short_new_password_is_refused_with_the_field_named(app: TestApp) {
    let admin = app.admin().await;

    let reply = app
        .call(
            Method::PUT,
            "/api/v1/me/password",
            Some(&admin.token),
            Some(json!({ "current_password": PASSWORD, "new_password": "short" })),
        )
        .await;

    reply.expect_error(422, "request.invalid");
    assert!(reply.body["fields"]["new_password"].is_array());
    app.login(&admin.email, PASSWORD).await.expect(200);
}
db_test!(a_too_short_new_password_is_refused_with_the_field_named);

async fn ten_people_logging_in_at_once_all_get_their_tokens(app: TestApp) {
    let mut emails = Vec::new();
    for _ in 0..10 {
        emails.push(app.admin().await.email);
    }
    let app = std::sync::Arc::new(app);

    let logins: Vec<_> = emails
        .into_iter()
        .map(|email| {
            let app = app.clone();
            tokio::spawn(async move { app.login(&email, PASSWORD).await })
        })
        .collect();

    let mut tokens = std::collections::HashSet::new();
    for login in logins {
        let reply = login.await.unwrap();
        reply.expect(200);
        tokens.insert(reply.body["token"].as_str().unwrap().to_owned());
    }
    assert_eq!(tokens.len(), 10);
}
db_test!(ten_people_logging_in_at_once_all_get_their_tokens);

async fn a_token_stops_working_once_its_lifetime_has_passed(mut app: TestApp) {
    let clock = passerelle::clock::Clock::manual(chrono::Utc::now());
    app.use_clock(clock.clone());
    let admin = app.admin().await;
    app.get("/api/v1/me", Some(&admin.token)).await.expect(200);

    clock.advance(
        chrono::Duration::hours(app.state.settings.token_ttl_hours) - chrono::Duration::minutes(1),
    );
    app.get("/api/v1/me", Some(&admin.token)).await.expect(200);
    clock.advance(chrono::Duration::minutes(2));

    app.get("/api/v1/me", Some(&admin.token))
        .await
        .expect_error(401, "auth.invalid_token");
}
db_test!(a_token_stops_working_once_its_lifetime_has_passed);
