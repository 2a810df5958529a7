//! The confidential reports channel (V10 ind. 12): anyone reports and receives a receipt code;
//! only referents and administrators read reports; the reporter follows theirs with the code.

use chrono::Duration;
use passerelle::principal::Role;
use serde_json::{Value, json};

use crate::fixtures::{User, clubs_start, instant};
use crate::harness::TestApp;

fn report(text: &str) -> Value {
    json!({ "category": "sexist_or_sexual_violence", "text": text })
}

/// Submits a report and answers its receipt code.
async fn submit(app: &TestApp, token: Option<&str>, body: Value) -> String {
    let reply = app.post("/api/v1/reports", token, body).await;
    reply.expect(201);
    assert!(reply.header("location").is_none());
    reply.body["receipt_code"].as_str().unwrap().to_owned()
}

/// An administrator designates a referent through the people API.
async fn referent(app: &TestApp, admin: &User) -> User {
    let person = app.user_with(&[Role::Member], None).await;
    let granted = app
        .patch(
            &format!("/api/v1/people/{}", person.id),
            Some(&admin.token),
            json!({ "roles": ["member", "referent"] }),
        )
        .await;
    granted.expect(200);
    assert!(
        granted.body["roles"]
            .as_array()
            .unwrap()
            .contains(&json!("referent"))
    );
    person
}

async fn a_report_is_hidden_from_members_trainers_managers_and_animators_and_read_by_referents_and_administrators(
    app: TestApp,
) {
    let admin = app.admin().await;
    let organisation = app.organisation(&admin, "Ours", true).await;
    let member = app.member_of(organisation).await;
    let manager = app.manager_of(organisation).await;
    let trainer = app.trainer().await;
    let (_club, animator) = app.club(&admin, "open", "members").await;
    let referent = referent(&app, &admin).await;
    submit(
        &app,
        Some(&member.token),
        report("Reported while logged in."),
    )
    .await;
    submit(&app, None, report("Reported anonymously.")).await;

    let listed = app
        .all_pages("/api/v1/reports?limit=1", Some(&referent.token))
        .await;
    assert_eq!(listed.len(), 2);
    for item in &listed {
        let path = format!("/api/v1/reports/{}", item["id"].as_str().unwrap());
        for reader in [&referent, &admin] {
            let read = app.get(&path, Some(&reader.token)).await;
            read.expect(200);
            assert_eq!(read.body["category"], "sexist_or_sexual_violence");
            assert_eq!(read.body["steps"][0]["step"], "received");
            assert!(read.body["steps"][0]["recorded_by"].is_null());
        }
        for outsider in [&member, &manager, &trainer, &animator] {
            app.get(&path, Some(&outsider.token))
                .await
                .expect_error(404, "quality.report_not_found");
        }
    }
    for outsider in [&member, &manager, &trainer, &animator] {
        let none = app
            .all_pages("/api/v1/reports", Some(&outsider.token))
            .await;
        assert!(none.is_empty(), "{} lists reports", outsider.email);
    }
    let admin_list = app.all_pages("/api/v1/reports", Some(&admin.token)).await;
    assert_eq!(admin_list.len(), 2);
    assert!(
        admin_list
            .iter()
            .all(|r| !r.to_string().contains(&member.id.to_string())),
        "the reporter is recorded"
    );
}
db_test!(
    a_report_is_hidden_from_members_trainers_managers_and_animators_and_read_by_referents_and_administrators
);

async fn the_reporter_reads_the_status_with_the_receipt_code_and_a_wrong_code_is_404(
    mut app: TestApp,
) {
    let clock = app.on_club_clock();
    let admin = app.admin().await;
    let referent = referent(&app, &admin).await;
    let mut body = report("A trainer made remarks about my origins.");
    body["category"] = json!("discrimination");
    body["contact"] = json!("06 12 34 56 78");
    let code = submit(&app, None, body).await;
    let status_path = format!("/api/v1/reports/receipts/{code}");

    let received = app.get(&status_path, None).await;
    received.expect(200);
    assert_eq!(received.body["status"], "received");
    assert_eq!(received.body["category"], "discrimination");
    assert_eq!(instant(&received.body["received_at"]), clubs_start());

    let listed = app
        .all_pages("/api/v1/reports", Some(&referent.token))
        .await;
    let steps = format!(
        "/api/v1/reports/{}/steps",
        listed[0]["id"].as_str().unwrap()
    );
    app.post(
        &steps,
        Some(&referent.token),
        json!({ "step": "closed", "note": "Skipping ahead." }),
    )
    .await
    .expect_error(409, "quality.report_step_out_of_order");
    clock.advance(Duration::hours(3));
    let acknowledged = app
        .post(
            &steps,
            Some(&referent.token),
            json!({ "step": "acknowledged", "note": "Called the reporter back." }),
        )
        .await;
    acknowledged.expect(200);
    assert_eq!(acknowledged.body["status"], "acknowledged");
    assert_eq!(acknowledged.body["contact"], "06 12 34 56 78");
    let step = &acknowledged.body["steps"][1];
    assert_eq!(step["note"], "Called the reporter back.");
    assert_eq!(step["recorded_by"], referent.id.to_string());
    assert_eq!(
        instant(&step["recorded_at"]),
        clubs_start() + Duration::hours(3)
    );
    app.post(
        &steps,
        Some(&referent.token),
        json!({ "step": "acknowledged", "note": "Again." }),
    )
    .await
    .expect_error(409, "quality.report_step_out_of_order");
    for (step, note) in [
        ("in_progress", "Hearing planned."),
        ("closed", "Measures taken."),
    ] {
        app.post(
            &steps,
            Some(&admin.token),
            json!({ "step": step, "note": note }),
        )
        .await
        .expect(200);
    }

    let followed = app.get(&status_path, None).await;
    followed.expect(200);
    assert_eq!(followed.body["status"], "closed");
    let seen: Vec<&str> = followed.body["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["step"].as_str().unwrap())
        .collect();
    assert_eq!(seen, ["received", "acknowledged", "in_progress", "closed"]);
    assert!(
        !followed.text.contains("Hearing planned")
            && !followed.text.contains(&referent.id.to_string()),
        "the reporter sees notes or who: {}",
        followed.text
    );
    app.get("/api/v1/reports/receipts/rcp_wrong-code", None)
        .await
        .expect_error(404, "quality.report_not_found");
    let mut near = code.clone();
    near.pop();
    app.get(&format!("/api/v1/reports/receipts/{near}"), None)
        .await
        .expect_error(404, "quality.report_not_found");
}
db_test!(the_reporter_reads_the_status_with_the_receipt_code_and_a_wrong_code_is_404);
