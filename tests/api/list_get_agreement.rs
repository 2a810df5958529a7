//! Everything a list returns to a caller can be fetched by id by that caller: a list and a get
//! share one policy per context, so they cannot disagree.

use serde_json::Value;

use crate::fixtures::{User, afternoon, morning, session_body};
use crate::harness::TestApp;

/// Fetches `{base}/{id}` for every item and asserts each answers 200 with the same id.
async fn each_item_can_be_fetched(
    app: &TestApp,
    items: &[Value],
    base: &str,
    id_field: &str,
    token: Option<&str>,
) {
    for item in items {
        let id = item[id_field].as_str().unwrap();
        let reply = app.get(&format!("{base}/{id}"), token).await;
        reply.expect(200);
        assert_eq!(reply.body[id_field], item[id_field], "{base}/{id}");
    }
}

async fn every_person_and_organisation_a_caller_lists_can_be_fetched_by_that_caller(app: TestApp) {
    let admin = app.admin().await;
    let ours = app.organisation(&admin, "Ours", true).await;
    let theirs = app.organisation(&admin, "Theirs", false).await;
    let manager = app.manager_of(ours).await;
    let member = app.member_of(ours).await;
    app.member_of(theirs).await;

    let callers: [(&User, usize); 3] = [(&admin, 4), (&manager, 2), (&member, 0)];
    for (caller, at_least) in callers {
        let people = if caller.id == member.id {
            Vec::new()
        } else {
            app.all_pages("/api/v1/people?limit=1", Some(&caller.token))
                .await
        };
        assert!(people.len() >= at_least, "{} people listed", people.len());
        each_item_can_be_fetched(&app, &people, "/api/v1/people", "id", Some(&caller.token)).await;
        let organisations = app
            .all_pages("/api/v1/organisations?limit=1", Some(&caller.token))
            .await;
        assert!(!organisations.is_empty());
        each_item_can_be_fetched(
            &app,
            &organisations,
            "/api/v1/organisations",
            "id",
            Some(&caller.token),
        )
        .await;
    }
    let managed = app.all_pages("/api/v1/people", Some(&manager.token)).await;
    assert!(
        managed
            .iter()
            .all(|p| p["organisation_id"] == ours.to_string()),
        "an org manager listed someone of another organisation"
    );
}
db_test!(every_person_and_organisation_a_caller_lists_can_be_fetched_by_that_caller);

async fn every_session_training_and_room_a_caller_lists_can_be_fetched_by_that_caller(
    app: TestApp,
) {
    let admin = app.admin().await;
    let trainer = app.trainer().await;
    let other_trainer = app.trainer().await;
    let training = app.published_training(&admin, 420).await;
    let room = app.place(&admin, 30).await;
    for who in [&trainer, &other_trainer, &trainer] {
        let mut body = session_body(
            training,
            room,
            10,
            vec![morning("2027-02-01"), afternoon("2027-02-01")],
        );
        body["trainer_ids"] = serde_json::json!([who.id]);
        app.published_session(&admin, body).await;
    }

    let taught = app
        .all_pages("/api/v1/sessions?limit=1", Some(&trainer.token))
        .await;
    assert_eq!(taught.len(), 2, "the trainer lists the sessions they teach");
    each_item_can_be_fetched(
        &app,
        &taught,
        "/api/v1/sessions",
        "id",
        Some(&trainer.token),
    )
    .await;

    let all = app
        .all_pages("/api/v1/sessions?limit=2", Some(&admin.token))
        .await;
    assert_eq!(all.len(), 3);
    each_item_can_be_fetched(&app, &all, "/api/v1/sessions", "id", Some(&admin.token)).await;

    let public = app
        .all_pages("/api/v1/catalogue/sessions?limit=1", None)
        .await;
    assert_eq!(public.len(), 3);
    each_item_can_be_fetched(&app, &public, "/api/v1/catalogue/sessions", "id", None).await;

    let trainings = app
        .all_pages("/api/v1/catalogue/trainings?limit=1", None)
        .await;
    each_item_can_be_fetched(&app, &trainings, "/api/v1/catalogue/trainings", "id", None).await;
    let managed = app
        .all_pages("/api/v1/trainings?limit=1", Some(&admin.token))
        .await;
    each_item_can_be_fetched(
        &app,
        &managed,
        "/api/v1/trainings",
        "id",
        Some(&admin.token),
    )
    .await;
    let rooms = app
        .all_pages("/api/v1/rooms?limit=1", Some(&admin.token))
        .await;
    each_item_can_be_fetched(&app, &rooms, "/api/v1/rooms", "id", Some(&admin.token)).await;
    let trainers = app
        .all_pages("/api/v1/trainers?limit=1", Some(&admin.token))
        .await;
    assert_eq!(trainers.len(), 2);
    each_item_can_be_fetched(
        &app,
        &trainers,
        "/api/v1/trainers",
        "person_id",
        Some(&admin.token),
    )
    .await;
}
db_test!(every_session_training_and_room_a_caller_lists_can_be_fetched_by_that_caller);

async fn every_complaint_and_report_a_caller_lists_can_be_fetched_by_that_caller(app: TestApp) {
    let admin = app.admin().await;
    let filer = app
        .user_with(&[passerelle::principal::Role::Member], None)
        .await;
    let referent = app
        .user_with(&[passerelle::principal::Role::Referent], None)
        .await;
    let complaint = serde_json::json!({
        "channel": "email", "contact": "someone@example.test", "text": "A complaint."
    });
    for token in [Some(filer.token.as_str()), None, Some(filer.token.as_str())] {
        app.post("/api/v1/complaints", token, complaint.clone())
            .await
            .expect(201);
    }
    for _ in 0..2 {
        app.post(
            "/api/v1/reports",
            None,
            serde_json::json!({ "category": "violence", "text": "A report." }),
        )
        .await
        .expect(201);
    }

    for (caller, count) in [(&admin, 3), (&filer, 2), (&referent, 0)] {
        let complaints = app
            .all_pages("/api/v1/complaints?limit=1", Some(&caller.token))
            .await;
        assert_eq!(complaints.len(), count);
        each_item_can_be_fetched(
            &app,
            &complaints,
            "/api/v1/complaints",
            "id",
            Some(&caller.token),
        )
        .await;
    }
    for (caller, count) in [(&admin, 2), (&referent, 2), (&filer, 0)] {
        let reports = app
            .all_pages("/api/v1/reports?limit=1", Some(&caller.token))
            .await;
        assert_eq!(reports.len(), count);
        each_item_can_be_fetched(&app, &reports, "/api/v1/reports", "id", Some(&caller.token))
            .await;
    }
}
db_test!(every_complaint_and_report_a_caller_lists_can_be_fetched_by_that_caller);
async fn every_action_risk_and_watch_entry_an_administrator_lists_can_be_fetched_by_them(
    app: TestApp,
) {
    let admin = app.admin().await;
    let token = Some(admin.token.as_str());
    let risk = app
        .post(
            "/api/v1/quality/risks",
            token,
            serde_json::json!({ "description": "d", "likelihood": 2, "impact": 3,
                                "mitigation": "m", "review_on": "2027-09-01" }),
        )
        .await
        .id();
    for origin_id in [Some(risk), None] {
        let mut body = serde_json::json!({ "description": "d", "origin": "risk",
                                           "owner_id": admin.id, "due_on": "2027-04-30" });
        if let Some(id) = origin_id {
            body["origin_id"] = serde_json::json!(id);
        }
        app.post("/api/v1/quality/actions", token, body)
            .await
            .expect(201);
    }
    app.post(
        "/api/v1/quality/watch",
        token,
        serde_json::json!({ "kind": "trade", "source": "s", "summary": "s", "impact": "i" }),
    )
    .await
    .expect(201);
    for base in [
        "/api/v1/quality/actions",
        "/api/v1/quality/risks",
        "/api/v1/quality/watch",
    ] {
        let items = app.all_pages(&format!("{base}?limit=1"), token).await;
        assert!(!items.is_empty(), "{base} lists nothing");
        each_item_can_be_fetched(&app, &items, base, "id", token).await;
    }
}
db_test!(every_action_risk_and_watch_entry_an_administrator_lists_can_be_fetched_by_them);
