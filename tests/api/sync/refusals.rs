//! A refusal of another context, met by a pushed mutation: the mutation is `rejected` with the
//! same code the refusal answers online, never a 500 nor a 503.

use serde_json::json;

use super::device::Device;
use crate::harness::TestApp;

/// A trainer's tablet marks a trainee whose enrolment was cancelled (the roster it pulled is
/// stale): the mark is rejected as the online API refuses it, and the queue moves on.
async fn a_mark_for_a_trainee_whose_enrolment_was_cancelled_is_rejected_as_online(
    mut app: TestApp,
) {
    let (admin, running) = app.running_session(1, 1).await;
    let (slot, trainee) = (running.slots[0], &running.trainees[0]);
    let roster = app.roster(&admin, running.session).await;
    let enrolment = roster
        .iter()
        .find(|e| e["person_id"] == json!(trainee.id))
        .expect("the trainee's enrolment");
    app.cancel_enrolment(
        &admin,
        enrolment["id"].as_str().unwrap(),
        "left the company",
    )
    .await
    .expect(200);
    running.at_slot(0, 10);
    let mut device = Device::register(&app, &running.trainer).await;
    device.set_mark(&app, slot, trainee.id, Some("present"), None);

    let pushed = device.push(&app).await;
    let online = app
        .mark(
            &running.trainer,
            slot,
            trainee.id,
            json!({ "status": "present" }),
        )
        .await;

    pushed.expect(200);
    assert_eq!(pushed.body["last_seq"], 1, "the queue moved on");
    let result = &pushed.body["results"][0];
    assert_eq!(result["status"], "rejected");
    assert_eq!(result["reason"]["code"], "not_found");
    assert_eq!(result["reason"]["error"], "attendance.trainee_not_found");
    assert_eq!(result["reason"]["retryable"], false);
    online.expect_error(404, "attendance.trainee_not_found");
}
db_test!(a_mark_for_a_trainee_whose_enrolment_was_cancelled_is_rejected_as_online);
