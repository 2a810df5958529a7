//! Scenarios 4, 5 and 15: retries after a lost answer, a batch resent from `last_seq + 1`, and
//! a poison mutation that never blocks the queue.

use serde_json::json;

use super::device::Device;
use super::oracle::pull_and_check;
use super::{online_mark, session_day};
use crate::harness::TestApp;

/// Scenario 4: the server commits a push but the answer is lost; the device sends the same
/// batch again. Nothing happens twice, the answers are the stored ones marked `replayed`, and
/// `last_seq` does not move.
async fn a_push_whose_answer_was_lost_is_answered_again_without_applying_twice(mut app: TestApp) {
    let (admin, running) = session_day(&mut app, 2).await;
    let slot = running.slots[0];
    let mut device = Device::register(&app, &running.trainer).await;
    device.set_mark(&app, slot, running.trainees[0].id, Some("present"), None);
    device.set_mark(&app, slot, running.trainees[1].id, Some("absent"), None);
    let batch = device.outbox.clone();
    let first = device.send_push(&app, batch.clone()).await;
    first.expect(200);
    // The answer is lost: the device still has both in its outbox, and sends them again.
    let path = format!("/api/v1/slots/{slot}/marks/{}", running.trainees[0].id);
    let before = app.get(&path, Some(&admin.token)).await.body["history"]
        .as_array()
        .unwrap()
        .len();
    let again = device.send_push(&app, batch).await;
    again.expect(200);
    assert_eq!(again.body["last_seq"], first.body["last_seq"]);
    for (i, result) in again.body["results"].as_array().unwrap().iter().enumerate() {
        assert_eq!(result["replayed"], true);
        let mut original = first.body["results"][i].clone();
        original["replayed"] = json!(true);
        assert_eq!(result, &original, "the stored result, verbatim");
    }
    let after = app.get(&path, Some(&admin.token)).await.body["history"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(before, after, "applied once");
    device.take_push_answer(&again);
    assert!(device.outbox.is_empty());
    pull_and_check(&app, &mut device).await;
}
db_test!(a_push_whose_answer_was_lost_is_answered_again_without_applying_twice);

/// Scenario 15: an unknown mutation and one with bad arguments are rejected, `last_seq`
/// advances past them, and the mutation after them applies.
async fn a_poison_mutation_is_rejected_and_the_queue_moves_on(mut app: TestApp) {
    let (admin, running) = session_day(&mut app, 1).await;
    let slot = running.slots[0];
    let trainee = running.trainees[0].id;
    let mut device = Device::register(&app, &running.trainer).await;
    device.queue(&app, "attendance.teleport@9", None, json!({ "to": "mars" }));
    device.queue(
        &app,
        "attendance.set@1",
        None,
        json!({ "slot_id": "not a uuid" }),
    );
    device.set_mark(&app, slot, trainee, Some("present"), None);
    let reply = device.push(&app).await;
    reply.expect(200);
    let results = reply.body["results"].as_array().unwrap();
    assert_eq!(results[0]["status"], "rejected");
    assert_eq!(results[0]["reason"]["code"], "unknown_mutation");
    assert_eq!(results[1]["status"], "rejected");
    assert_eq!(results[1]["reason"]["code"], "validation");
    assert_eq!(results[2]["status"], "applied");
    assert_eq!(reply.body["last_seq"], 3);
    assert!(device.outbox.is_empty());
    assert_eq!(
        online_mark(&app, &admin, slot, trainee).await["status"],
        "present"
    );
}
db_test!(a_poison_mutation_is_rejected_and_the_queue_moves_on);

/// Scenario 5: a batch cut short (a sequence gap) is resent from `last_seq + 1`; nothing is
/// applied twice or skipped.
async fn a_batch_with_a_gap_stops_there_and_the_resend_continues_from_last_seq(mut app: TestApp) {
    let (admin, running) = session_day(&mut app, 3).await;
    let slot = running.slots[0];
    let mut device = Device::register(&app, &running.trainer).await;
    for trainee in &running.trainees {
        device.set_mark(&app, slot, trainee.id, Some("present"), None);
    }
    // The device loses its second item (a bug, a crash): 1 and 3 arrive.
    let sent = vec![device.outbox[0].clone(), device.outbox[2].clone()];
    let reply = device.send_push(&app, sent).await;
    reply.expect(200);
    assert_eq!(reply.body["last_seq"], 1);
    assert_eq!(reply.body["stopped"]["code"], "SEQ_GAP");
    assert_eq!(reply.body["stopped"]["expected_seq"], 2);
    device.take_push_answer(&reply);
    let rest = device.push(&app).await;
    rest.expect(200);
    assert_eq!(rest.body["last_seq"], 3);
    for trainee in &running.trainees {
        assert_eq!(
            online_mark(&app, &admin, slot, trainee.id).await["status"],
            "present"
        );
    }
    pull_and_check(&app, &mut device).await;
}
db_test!(a_batch_with_a_gap_stops_there_and_the_resend_continues_from_last_seq);
