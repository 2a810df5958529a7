//! The quality registers administrators keep (issue 25): improvement actions and their state
//! machine (ind. 32), the risk analysis (V10 ind. 32) and the watch register (ind. 23–25).

use chrono::{Duration, TimeZone, Utc};
use passerelle::clock::Clock;
use poem::http::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::fixtures::User;
use crate::harness::{Reply, TestApp};

/// Monday 1 March 2027, 10:00 in Paris.
fn registers_clock(app: &mut TestApp) -> Clock {
    let clock = Clock::manual(Utc.with_ymd_and_hms(2027, 3, 1, 9, 0, 0).unwrap());
    app.use_clock(clock.clone());
    clock
}

impl TestApp {
    async fn risk(&self, admin: &User, likelihood: i32, impact: i32, review_on: &str) -> Uuid {
        self.post(
            "/api/v1/quality/risks",
            Some(&admin.token),
            json!({
                "description": "A trainer falls ill the day before a session",
                "likelihood": likelihood,
                "impact": impact,
                "mitigation": "Two trainers qualified for each training",
                "review_on": review_on,
            }),
        )
        .await
        .expect(201)
        .id()
    }

    async fn action(&self, admin: &User, body: Value) -> Reply {
        self.post("/api/v1/quality/actions", Some(&admin.token), body)
            .await
    }

    async fn move_action(&self, admin: &User, id: Uuid, body: Value) -> Reply {
        self.post(
            &format!("/api/v1/quality/actions/{id}/status"),
            Some(&admin.token),
            body,
        )
        .await
    }
}

fn action_body(origin: &str, origin_id: Option<Uuid>, owner: Uuid, due_on: &str) -> Value {
    let mut body = json!({
        "description": "Train a second trainer on the accounting module",
        "origin": origin,
        "owner_id": owner,
        "due_on": due_on,
    });
    if let Some(id) = origin_id {
        body["origin_id"] = json!(id);
    }
    body
}

fn ids(items: &[Value]) -> Vec<&str> {
    items.iter().map(|i| i["id"].as_str().unwrap()).collect()
}

async fn an_improvement_action_born_of_a_risk_goes_from_planned_through_in_progress_to_done_with_its_effect(
    mut app: TestApp,
) {
    registers_clock(&mut app);
    let admin = app.admin().await;
    let risk = app.risk(&admin, 3, 4, "2027-09-01").await;
    let created = app
        .action(
            &admin,
            action_body("risk", Some(risk), admin.id, "2027-04-30"),
        )
        .await;
    created.expect(201);
    let action = created.id();
    assert_eq!(created.body["status"], "planned");
    assert_eq!(created.body["origin_id"], risk.to_string());
    assert_eq!(
        created.header("location"),
        Some(format!("/api/v1/quality/actions/{action}").as_str())
    );

    app.move_action(
        &admin,
        action,
        json!({ "status": "done", "effect_observed": "x" }),
    )
    .await
    .expect_error(409, "quality.transition_not_allowed");
    app.move_action(&admin, action, json!({ "status": "in_progress" }))
        .await
        .expect(200);
    app.move_action(&admin, action, json!({ "status": "done" }))
        .await
        .expect_error(422, "quality.effect_required");
    let done = app
        .move_action(
            &admin,
            action,
            json!({ "status": "done", "effect_observed": "No session cancelled since" }),
        )
        .await;
    done.expect(200);
    assert_eq!(done.body["status"], "done");
    assert_eq!(done.body["effect_observed"], "No session cancelled since");
    let history = done.body["history"].as_array().unwrap();
    let changes: Vec<&str> = history
        .iter()
        .map(|e| e["change"].as_str().unwrap())
        .collect();
    assert_eq!(changes, ["created", "in_progress", "done"]);
    assert!(history.iter().all(|e| e["by"] == admin.id.to_string()));
    assert!(
        history
            .iter()
            .all(|e| e["at"].as_str().unwrap().starts_with("2027-03-01T09:00:00")),
        "each change is dated by the injected clock: {history:?}"
    );
    assert_eq!(history[2]["note"], "No session cancelled since");
    app.move_action(
        &admin,
        action,
        json!({ "status": "abandoned", "reason": "late" }),
    )
    .await
    .expect_error(409, "quality.transition_not_allowed");
    app.patch(
        &format!("/api/v1/quality/actions/{action}"),
        Some(&admin.token),
        json!({ "due_on": "2027-05-31" }),
    )
    .await
    .expect_error(409, "quality.transition_not_allowed");

    let read = app
        .get(&format!("/api/v1/quality/risks/{risk}"), Some(&admin.token))
        .await;
    read.expect(200);
    assert_eq!(read.body["criticality"], 12);
    assert_eq!(
        ids(read.body["actions"].as_array().unwrap()),
        [action.to_string()]
    );
    assert_eq!(read.body["actions"][0]["status"], "done");
    let fetched = app
        .get(
            &format!("/api/v1/quality/actions/{action}"),
            Some(&admin.token),
        )
        .await;
    fetched.expect(200);
    assert_eq!(fetched.body["history"].as_array().unwrap().len(), 3);
}
db_test!(
    an_improvement_action_born_of_a_risk_goes_from_planned_through_in_progress_to_done_with_its_effect
);

async fn an_action_naming_a_risk_a_complaint_or_an_owner_that_does_not_exist_is_refused(
    mut app: TestApp,
) {
    registers_clock(&mut app);
    let admin = app.admin().await;
    let unknown_risk = app
        .action(
            &admin,
            action_body("risk", Some(Uuid::now_v7()), admin.id, "2027-04-30"),
        )
        .await;
    unknown_risk.expect_error(422, "quality.invalid");
    assert!(unknown_risk.body["fields"]["origin_id"].is_array());
    let unknown_owner = app
        .action(
            &admin,
            action_body("audit", None, Uuid::now_v7(), "2027-04-30"),
        )
        .await;
    unknown_owner.expect_error(422, "quality.invalid");
    assert!(unknown_owner.body["fields"]["owner_id"].is_array());
    let unknown_complaint = app
        .action(
            &admin,
            action_body("complaint", Some(Uuid::now_v7()), admin.id, "2027-04-30"),
        )
        .await;
    unknown_complaint.expect_error(422, "quality.invalid");
    assert!(unknown_complaint.body["fields"]["origin_id"].is_array());
    let complaint = app
        .post(
            "/api/v1/complaints",
            None,
            json!({ "channel": "email", "contact": "a@example.test", "text": "Too cold." }),
        )
        .await
        .id();
    let kept = app
        .action(
            &admin,
            action_body("complaint", Some(complaint), admin.id, "2027-04-30"),
        )
        .await;
    kept.expect(201);
    assert_eq!(kept.body["origin_id"], complaint.to_string());
    let blank = app
        .action(&admin, json!({
            "description": "   ", "origin": "other", "owner_id": admin.id, "due_on": "2027-04-30"
        }))
        .await;
    blank.expect_error(422, "quality.invalid");
    app.get(
        &format!("/api/v1/quality/actions/{}", Uuid::now_v7()),
        Some(&admin.token),
    )
    .await
    .expect_error(404, "quality.action_not_found");
}
db_test!(an_action_naming_a_risk_a_complaint_or_an_owner_that_does_not_exist_is_refused);

async fn an_overdue_action_is_listed_once_its_due_date_passes_until_it_is_closed(mut app: TestApp) {
    let clock = registers_clock(&mut app);
    let admin = app.admin().await;
    let soon = app
        .action(&admin, action_body("audit", None, admin.id, "2027-03-10"))
        .await
        .id();
    let later = app
        .action(&admin, action_body("other", None, admin.id, "2027-06-30"))
        .await
        .id();
    let overdue = "/api/v1/quality/actions?overdue=true&limit=1";
    assert!(app.all_pages(overdue, Some(&admin.token)).await.is_empty());

    clock.advance(Duration::days(9));
    assert!(
        app.all_pages(overdue, Some(&admin.token)).await.is_empty(),
        "due today is not overdue yet"
    );
    clock.advance(Duration::days(1));
    let listed = app.all_pages(overdue, Some(&admin.token)).await;
    assert_eq!(ids(&listed), [soon.to_string()]);
    assert_eq!(listed[0]["overdue"], true);
    let on_time = app
        .all_pages("/api/v1/quality/actions?overdue=false", Some(&admin.token))
        .await;
    assert_eq!(ids(&on_time), [later.to_string()]);
    let planned = app
        .all_pages(
            "/api/v1/quality/actions?status=planned&limit=1",
            Some(&admin.token),
        )
        .await;
    assert_eq!(ids(&planned), [soon.to_string(), later.to_string()]);

    app.move_action(&admin, soon, json!({ "status": "abandoned" }))
        .await
        .expect_error(422, "quality.invalid");
    let abandoned = app
        .move_action(
            &admin,
            soon,
            json!({ "status": "abandoned", "reason": "Audit withdrawn" }),
        )
        .await;
    abandoned.expect(200);
    assert_eq!(abandoned.body["abandon_reason"], "Audit withdrawn");
    assert_eq!(abandoned.body["overdue"], false);
    assert!(app.all_pages(overdue, Some(&admin.token)).await.is_empty());
    let closed = app
        .all_pages(
            "/api/v1/quality/actions?status=abandoned",
            Some(&admin.token),
        )
        .await;
    assert_eq!(ids(&closed), [soon.to_string()]);
}
db_test!(an_overdue_action_is_listed_once_its_due_date_passes_until_it_is_closed);

async fn risks_are_listed_by_review_date_and_those_due_for_review_are_found(mut app: TestApp) {
    let clock = registers_clock(&mut app);
    let admin = app.admin().await;
    let late = app.risk(&admin, 1, 2, "2027-06-01").await;
    let early = app.risk(&admin, 4, 4, "2027-03-15").await;
    let middle = app.risk(&admin, 2, 2, "2027-04-01").await;

    let by_review = app
        .all_pages(
            "/api/v1/quality/risks?order=review_on&limit=1",
            Some(&admin.token),
        )
        .await;
    assert_eq!(
        ids(&by_review),
        [early.to_string(), middle.to_string(), late.to_string()]
    );
    let by_criticality = app
        .all_pages(
            "/api/v1/quality/risks?order=criticality&limit=2",
            Some(&admin.token),
        )
        .await;
    assert_eq!(by_criticality[0]["criticality"], 16);
    let before_april = app
        .all_pages(
            "/api/v1/quality/risks?review_by=2027-04-01",
            Some(&admin.token),
        )
        .await;
    assert_eq!(ids(&before_april), [early.to_string(), middle.to_string()]);
    let due = "/api/v1/quality/risks?review_due=true";
    assert!(app.all_pages(due, Some(&admin.token)).await.is_empty());
    clock.advance(Duration::days(14));
    let due_now = app.all_pages(due, Some(&admin.token)).await;
    assert_eq!(ids(&due_now), [early.to_string()]);
    assert_eq!(due_now[0]["review_due"], true);

    let reviewed = app
        .patch(
            &format!("/api/v1/quality/risks/{early}"),
            Some(&admin.token),
            json!({ "likelihood": 2, "review_on": "2027-09-15" }),
        )
        .await;
    reviewed.expect(200);
    assert_eq!(reviewed.body["criticality"], 8);
    assert!(app.all_pages(due, Some(&admin.token)).await.is_empty());
    app.post(
        "/api/v1/quality/risks",
        Some(&admin.token),
        json!({ "description": "x", "likelihood": 5, "impact": 1, "mitigation": "y",
                "review_on": "2027-09-15" }),
    )
    .await
    .expect_error(422, "request.invalid");
}
db_test!(risks_are_listed_by_review_date_and_those_due_for_review_are_found);

async fn a_watch_entry_is_recorded_listed_by_kind_and_period_and_linked_to_an_action(
    mut app: TestApp,
) {
    registers_clock(&mut app);
    let admin = app.admin().await;
    let entry = |kind: &str, on: &str| {
        json!({
            "kind": kind,
            "source": "Journal officiel",
            "observed_on": on,
            "summary": "Décret n° 2026-728: the V10 referential",
            "impact": "A risk analysis is now expected (ind. 32)",
        })
    };
    let january = app
        .post(
            "/api/v1/quality/watch",
            Some(&admin.token),
            entry("regulatory", "2027-01-15"),
        )
        .await;
    january.expect(201);
    assert_eq!(january.body["action_taken"], "");
    assert_eq!(january.body["action_id"], Value::Null);
    let january = january.id();
    let trade = app
        .post(
            "/api/v1/quality/watch",
            Some(&admin.token),
            entry("trade", "2027-02-10"),
        )
        .await
        .id();
    let february = app
        .post(
            "/api/v1/quality/watch",
            Some(&admin.token),
            entry("regulatory", "2027-02-20"),
        )
        .await
        .id();

    let token = Some(admin.token.as_str());
    let all = app.all_pages("/api/v1/quality/watch?limit=1", token).await;
    assert_eq!(
        ids(&all),
        [january.to_string(), trade.to_string(), february.to_string()]
    );
    let regulatory = app
        .all_pages("/api/v1/quality/watch?kind=regulatory", token)
        .await;
    assert_eq!(
        ids(&regulatory),
        [january.to_string(), february.to_string()]
    );
    let in_february = app
        .all_pages(
            "/api/v1/quality/watch?kind=regulatory&from=2027-02-01&to=2027-02-28",
            token,
        )
        .await;
    assert_eq!(ids(&in_february), [february.to_string()]);
    app.get("/api/v1/quality/watch?from=2027-03-01&to=2027-02-01", token)
        .await
        .expect_error(422, "quality.invalid");
    app.get("/api/v1/quality/watch?from=2027-02-30", token)
        .await
        .expect(400);

    let action = app
        .action(&admin, action_body("other", None, admin.id, "2027-05-31"))
        .await
        .id();
    let path = format!("/api/v1/quality/watch/{february}");
    app.patch(&path, token, json!({ "action_id": Uuid::now_v7() }))
        .await
        .expect_error(422, "quality.invalid");
    let linked = app
        .patch(
            &path,
            token,
            json!({ "action_id": action, "action_taken": "A risk analysis is kept" }),
        )
        .await;
    linked.expect(200);
    assert_eq!(linked.body["action_id"], action.to_string());
    assert_eq!(linked.body["action_taken"], "A risk analysis is kept");
    assert_eq!(
        app.get(&path, token).await.body["action_id"],
        action.to_string()
    );

    let mut with_action = entry("pedagogical", "2027-02-25");
    with_action["action_id"] = json!(action);
    let born_linked = app.post("/api/v1/quality/watch", token, with_action).await;
    born_linked.expect(201);
    assert_eq!(born_linked.body["action_id"], action.to_string());

    let trade_path = format!("/api/v1/quality/watch/{trade}");
    app.call(Method::DELETE, &trade_path, token, None)
        .await
        .expect(204);
    app.get(&trade_path, token)
        .await
        .expect_error(404, "quality.watch_entry_not_found");
}
db_test!(a_watch_entry_is_recorded_listed_by_kind_and_period_and_linked_to_an_action);

async fn a_member_a_trainer_and_an_org_manager_can_neither_read_nor_write_the_quality_registers(
    mut app: TestApp,
) {
    registers_clock(&mut app);
    let admin = app.admin().await;
    let organisation = app.organisation(&admin, "Ours", true).await;
    let member = app.member_of(organisation).await;
    let manager = app.manager_of(organisation).await;
    let trainer = app.trainer().await;
    let risk = app.risk(&admin, 2, 3, "2027-09-01").await;
    let action = app
        .action(
            &admin,
            action_body("risk", Some(risk), admin.id, "2027-04-30"),
        )
        .await
        .id();
    let entry = app
        .post(
            "/api/v1/quality/watch",
            Some(&admin.token),
            json!({ "kind": "trade", "source": "s", "summary": "s", "impact": "i" }),
        )
        .await
        .id();

    for caller in [&member, &trainer, &manager] {
        let token = Some(caller.token.as_str());
        for path in [
            "/api/v1/quality/actions".to_owned(),
            format!("/api/v1/quality/actions/{action}"),
            "/api/v1/quality/risks".to_owned(),
            format!("/api/v1/quality/risks/{risk}"),
            "/api/v1/quality/watch".to_owned(),
            format!("/api/v1/quality/watch/{entry}"),
        ] {
            app.get(&path, token)
                .await
                .expect_error(403, "quality.forbidden");
        }
        app.action(caller, action_body("other", None, caller.id, "2027-04-30"))
            .await
            .expect_error(403, "quality.forbidden");
        app.move_action(caller, action, json!({ "status": "in_progress" }))
            .await
            .expect_error(403, "quality.forbidden");
        app.patch(
            &format!("/api/v1/quality/actions/{action}"),
            token,
            json!({ "due_on": "2027-05-01" }),
        )
        .await
        .expect_error(403, "quality.forbidden");
        app.post(
            "/api/v1/quality/risks",
            token,
            json!({ "description": "d", "likelihood": 1, "impact": 1, "mitigation": "m",
                    "review_on": "2027-09-01" }),
        )
        .await
        .expect_error(403, "quality.forbidden");
        app.patch(
            &format!("/api/v1/quality/risks/{risk}"),
            token,
            json!({ "impact": 4 }),
        )
        .await
        .expect_error(403, "quality.forbidden");
        app.post(
            "/api/v1/quality/watch",
            token,
            json!({ "kind": "trade", "source": "s", "summary": "s", "impact": "i" }),
        )
        .await
        .expect_error(403, "quality.forbidden");
        app.patch(
            &format!("/api/v1/quality/watch/{entry}"),
            token,
            json!({ "summary": "changed" }),
        )
        .await
        .expect_error(403, "quality.forbidden");
        app.call(
            Method::DELETE,
            &format!("/api/v1/quality/watch/{entry}"),
            token,
            None,
        )
        .await
        .expect_error(403, "quality.forbidden");
    }
    let kept = app
        .get(
            &format!("/api/v1/quality/actions/{action}"),
            Some(&admin.token),
        )
        .await;
    assert_eq!(kept.body["status"], "planned");
    assert_eq!(kept.body["history"].as_array().unwrap().len(), 1);
}
db_test!(a_member_a_trainer_and_an_org_manager_can_neither_read_nor_write_the_quality_registers);
