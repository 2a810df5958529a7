//! Scenario 14: a survey answered on two devices. Answers made offline merge per question
//! before the deadline; a second submission is refused, and so is anything after the deadline
//! (`refused`, with the service's code), the mutation's content kept in its stored row.

use chrono::Duration;
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use uuid::Uuid;

use super::device::Device;
use super::oracle::pull_and_check;
use crate::harness::{Reply, TestApp};

fn result(reply: &Reply, i: usize) -> &Value {
    let result = &reply.body["results"][i];
    assert!(result.is_object(), "no result {i} in {}", reply.text);
    result
}

/// The only survey invitation in the device's base.
fn invitation_of(device: &Device) -> (Uuid, Value) {
    let rows: Vec<(Uuid, Value)> = device
        .base
        .iter()
        .filter(|((t, _), _)| t == "survey_invitation")
        .map(|((_, id), row)| (*id, row.data.clone()))
        .collect();
    assert_eq!(rows.len(), 1, "one invitation pulled: {rows:?}");
    rows[0].clone()
}

fn answers(row: &Value) -> Value {
    serde_json::from_str(row["answers"].as_str().expect("answers as stored")).unwrap()
}

fn answer(device: &mut Device, app: &TestApp, id: Uuid, question: &str, value: Value) -> Uuid {
    device.queue(
        app,
        "survey.answer@1",
        Some(("survey_invitation", id)),
        json!({ "invitation_id": id, "question": question, "value": value }),
    )
}

async fn stored_args(app: &TestApp, device: &Device, mutation: Uuid) -> Value {
    let rows = entity::sync_mutation::Entity::find()
        .all(app.db())
        .await
        .unwrap();
    let row = rows
        .into_iter()
        .find(|r| r.device_id == device.id && r.mutation_id == mutation)
        .expect("the mutation is stored");
    serde_json::from_str(&row.args).unwrap()
}

async fn survey_answers_from_two_devices_merge_per_question_and_after_a_submission_or_the_deadline_are_refused_with_their_content_kept(
    mut app: TestApp,
) {
    let (admin, running) = app.running_session(1, 2).await;
    app.survey_template(&admin, "hot").await;
    running.set_clock(running.ends(1));
    let trainee = &running.trainees[0];
    let mut phone = Device::register(&app, trainee).await;
    let mut tablet = Device::register(&app, trainee).await;
    pull_and_check(&app, &mut phone).await;
    pull_and_check(&app, &mut tablet).await;
    let (id, row) = invitation_of(&phone);
    assert_eq!(row["kind"], "hot");
    assert!(row.get("secret_hash").is_none(), "no link hash on a device");

    // Offline, each device answers its own questions.
    answer(&mut phone, &app, id, "overall", json!(5));
    answer(&mut phone, &app, id, "comment", json!("Très utile"));
    answer(&mut tablet, &app, id, "useful", json!("oui"));
    answer(&mut tablet, &app, id, "topics", json!(["budget"]));
    let pushed = phone.push(&app).await;
    pushed.expect(200);
    assert_eq!(result(&pushed, 1)["status"], "applied", "{}", pushed.text);
    let pushed = tablet.push(&app).await;
    pushed.expect(200);
    assert_eq!(result(&pushed, 1)["status"], "applied", "{}", pushed.text);
    let merged = json!({
        "overall": 5, "comment": "Très utile", "useful": "oui", "topics": ["budget"],
    });
    assert_eq!(result(&pushed, 1)["state"]["answers"], merged);
    pull_and_check(&app, &mut phone).await;
    pull_and_check(&app, &mut tablet).await;
    assert_eq!(
        answers(&invitation_of(&phone).1),
        merged,
        "both devices converge"
    );
    assert_eq!(answers(&invitation_of(&tablet).1), merged);

    // Both submit offline: the first to reach the server wins; the second is refused, kept.
    tablet.queue(
        &app,
        "survey.submit@1",
        Some(("survey_invitation", id)),
        json!({ "invitation_id": id }),
    );
    let late_change = answer(&mut phone, &app, id, "overall", json!(2));
    phone.queue(
        &app,
        "survey.submit@1",
        Some(("survey_invitation", id)),
        json!({ "invitation_id": id }),
    );
    let pushed = tablet.push(&app).await;
    assert_eq!(result(&pushed, 0)["status"], "applied", "{}", pushed.text);
    let pushed = phone.push(&app).await;
    for i in 0..2 {
        let refused = result(&pushed, i);
        assert_eq!(refused["status"], "rejected", "{}", pushed.text);
        assert_eq!(refused["reason"]["code"], "refused");
        assert_eq!(refused["reason"]["error"], "quality.survey_submitted");
    }
    assert_eq!(
        stored_args(&app, &phone, late_change).await["value"],
        2,
        "the refused answer's content is kept"
    );
    pull_and_check(&app, &mut phone).await;
    let final_row = invitation_of(&phone).1;
    assert_eq!(
        answers(&final_row)["overall"],
        5,
        "the submitted answers stand"
    );
    assert!(final_row["submitted_at"].is_string());

    // The other trainee answers offline, but pushes after the deadline: closed, kept.
    let other = &running.trainees[1];
    let mut laptop = Device::register(&app, other).await;
    pull_and_check(&app, &mut laptop).await;
    let (other_id, _) = invitation_of(&laptop);
    let offline = answer(&mut laptop, &app, other_id, "overall", json!(4));
    running.set_clock(running.ends(1) + Duration::days(21));
    let laptop_user = crate::fixtures::User {
        token: app.token(&other.email).await,
        ..other.clone()
    };
    laptop.person = laptop_user;
    let pushed = laptop.push(&app).await;
    pushed.expect(200);
    let closed = result(&pushed, 0);
    assert_eq!(closed["status"], "rejected", "{}", pushed.text);
    assert_eq!(closed["reason"]["code"], "refused");
    assert_eq!(closed["reason"]["error"], "quality.survey_closed");
    assert_eq!(pushed.body["last_seq"], 1, "the queue moves on");
    assert_eq!(stored_args(&app, &laptop, offline).await["value"], 4);
    let online = app
        .get(
            &format!("/api/v1/surveys/invitations/{other_id}"),
            Some(&admin.token),
        )
        .await;
    online.expect(200);
    assert_eq!(online.body["state"], "closed");
    assert_eq!(online.body["answers"], json!([]));
}
db_test!(
    survey_answers_from_two_devices_merge_per_question_and_after_a_submission_or_the_deadline_are_refused_with_their_content_kept
);
