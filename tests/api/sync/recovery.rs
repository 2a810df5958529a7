//! Scenarios 6, 9–12 and 19–21: how a device recovers when the ground moves under it — a
//! restored server, a month in a drawer across tombstone GC, a wrong clock, a revoked device, a
//! session it gains and loses, a corrupted local base, stale answers, and a crash between a page
//! and its cursor.

use std::collections::BTreeMap;

use chrono::Duration;
use serde_json::{Value, json};
use uuid::Uuid;

use super::device::{Device, PROTOCOL, SCHEMA_VERSION, mark_id};
use super::oracle::{assert_converged, pull_and_check, server_state};
use super::{co_trainer, online_mark, session_day};
use crate::fixtures::{Running, User};
use crate::harness::{Reply, TestApp};

// ----- Scenario 6: sequence gap, restore, re-push -----------------------------------------------

/// Scenario 6: a batch with a hole stops at the hole (`SEQ_GAP`). After the operator restores
/// a backup and gives the space a new epoch, the device is told to start over
/// (`epoch_changed`), its replacement sync converges, and pushing again the changes it kept
/// after their acknowledgement — as they were, or under new sequence numbers — applies
/// nothing twice.
async fn after_a_restore_the_device_starts_over_and_its_kept_changes_apply_only_once(
    mut app: TestApp,
) {
    let (admin, running) = session_day(&mut app, 3).await;
    let slot = running.slots[0];
    let mut device = Device::register(&app, &running.trainer).await;
    device.sync(&app).await.expect(200);
    for trainee in &running.trainees {
        device.set_mark(&app, slot, trainee.id, Some("absent"), None);
    }

    // The app loses its second change (a bug, a crash): 1 and 3 arrive.
    let holed = vec![device.outbox[0].clone(), device.outbox[2].clone()];
    let gap = device.send_push(&app, holed).await;
    gap.expect(200);
    assert_eq!(gap.body["stopped"]["code"], "SEQ_GAP");
    assert_eq!(gap.body["stopped"]["at_seq"], 3);
    assert_eq!(gap.body["stopped"]["expected_seq"], 2);
    assert_eq!(gap.body["last_seq"], 1);
    assert_eq!(gap.body["results"].as_array().unwrap().len(), 1);
    device.take_push_answer(&gap);
    let rest = device.push(&app).await;
    rest.expect(200);
    assert_eq!(rest.body["last_seq"], 3);
    assert!(device.outbox.is_empty());
    assert_eq!(device.acked.len(), 3, "acknowledged changes are kept");
    pull_and_check(&app, &mut device).await;
    let before = histories(&app, &admin, slot, &running.trainees).await;
    assert_eq!(before, vec![1, 1, 1]);

    // The operator restores a backup and gives the space a new epoch. Meanwhile the office
    // records a mark online and the trainer one more on the tablet.
    passerelle::sync::service::new_epoch(app.db())
        .await
        .expect("new epoch");
    let other_slot = running.slots[1];
    app.mark(
        &admin,
        other_slot,
        running.trainees[0].id,
        json!({ "status": "excused" }),
    )
    .await
    .expect(201);
    let pending = device.set_mark(
        &app,
        other_slot,
        running.trainees[1].id,
        Some("absent"),
        None,
    );

    let reset = device.pull_page(&app, None).await;
    reset.expect(200);
    assert_eq!(reset.body["reset"], "epoch_changed");
    assert_eq!(reset.body["changes"], json!([]));
    assert!(reset.body["cursor"].is_null());
    // The replacement sync: what is pending first, then everything again.
    device.sync(&app).await.expect(200);
    assert_eq!(device.results[&pending]["status"], "applied");
    let server = server_state(app.db(), &device.scopes).await;
    assert_converged(&device, &server);
    assert_eq!(
        device.base[&key(
            "attendance_mark",
            mark_id(other_slot, running.trainees[0].id)
        )]
            .data["status"],
        "excused",
        "the replacement sync brings what changed meanwhile"
    );

    // The reserve of acknowledged changes, pushed again as they were: answered from the
    // stored results, nothing applied.
    let kept: Vec<_> = device.acked.clone();
    let same = device.send_push(&app, kept.clone()).await;
    same.expect(200);
    assert_eq!(same.body["last_seq"], 4, "last_seq does not move");
    for (result, original) in same.body["results"].as_array().unwrap().iter().zip(&kept) {
        assert_eq!(result["id"], json!(original.id));
        assert_eq!(result["replayed"], true, "{result}");
        assert_eq!(result["status"], device.results[&original.id]["status"]);
    }

    // …and under new sequence numbers, as an app does when the restored server no longer knows
    // them: recognised by their mutation id.
    for original in &kept {
        let entity = original.entity.as_ref().map(|(t, id)| (t.as_str(), *id));
        device.queue(&app, &original.name, entity, original.args.clone());
        device.outbox.last_mut().unwrap().id = original.id;
    }
    let again = device.push(&app).await;
    again.expect(200);
    assert_eq!(
        again.body["last_seq"], 8,
        "the new sequence numbers are taken"
    );
    let results = again.body["results"].as_array().unwrap();
    assert_eq!(results.len(), kept.len());
    for (i, (result, original)) in results.iter().zip(&kept).enumerate() {
        assert_eq!(result["seq"], 5 + i as i64);
        assert_eq!(result["id"], json!(original.id));
        assert_eq!(
            result["replayed"], true,
            "deduplicated by mutation id: {result}"
        );
        assert_eq!(result["status"], "applied");
    }
    assert_eq!(
        histories(&app, &admin, slot, &running.trainees).await,
        before,
        "nothing applied twice"
    );
    let pending_history = histories(&app, &admin, other_slot, &running.trainees[1..2]).await;
    assert_eq!(pending_history, vec![1]);
    pull_and_check(&app, &mut device).await;
}
db_test!(after_a_restore_the_device_starts_over_and_its_kept_changes_apply_only_once);

/// The real thing: a backup is taken, the trainer's tablet then syncs a mark recorded after
/// it, and the server is restored from the backup (`passerelle restore`). The restored server
/// has a new epoch: the tablet is told to start over (`epoch_changed`) and its full sync brings
/// the server as restored — the later mark gone, the earlier one there.
async fn a_device_that_synced_after_the_backup_is_reset_by_the_restored_server(mut app: TestApp) {
    let (admin, running) = session_day(&mut app, 2).await;
    let slot = running.slots[0];
    let (first, second) = (running.trainees[0].id, running.trainees[1].id);
    app.mark(&admin, slot, first, json!({ "status": "absent" }))
        .await
        .expect(201);
    let mut device = Device::register(&app, &running.trainer).await;
    pull_and_check(&app, &mut device).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("passerelle.backup");
    app.back_up(&file, &|_| {}).await.expect("backup");
    app.mark(&admin, slot, second, json!({ "status": "excused" }))
        .await
        .expect(201);
    pull_and_check(&app, &mut device).await;
    let later = key("attendance_mark", mark_id(slot, second));
    assert!(device.base.contains_key(&later));

    let mut restored = app.restored_from(&file).await;
    restored.use_clock(app.state.clock.clone());
    let reset = device.pull_page(&restored, None).await;
    reset.expect(200);
    assert_eq!(reset.body["reset"], "epoch_changed", "{}", reset.text);
    device.sync(&restored).await.expect(200);
    let server = server_state(restored.db(), &device.scopes).await;
    assert_converged(&device, &server);
    assert!(
        !device.base.contains_key(&later),
        "the mark recorded after the backup is gone from the tablet too"
    );
    assert_eq!(
        device.base[&key("attendance_mark", mark_id(slot, first))].data["status"],
        "absent"
    );
}
db_test!(a_device_that_synced_after_the_backup_is_reset_by_the_restored_server);

// ----- Scenario 9: a month offline across tombstone GC ------------------------------------------

/// Scenario 9, retention shorter than the absence: a tablet left in a drawer for 30 days while
/// a mark it holds is cleared and the tombstone collected. Its pull answers `reset`
/// (`cursor_too_old`); the replacement sync pushes its pending edit first, which is rejected
/// (the session closed meanwhile) with its payload kept, then ends exactly as the server.
async fn a_device_away_longer_than_the_retention_is_reset_and_keeps_its_rejected_edit(
    mut app: TestApp,
) {
    let away = offline_across_gc(&mut app, 20).await;
    assert_eq!(away.gc_first["purged"], 0);
    assert_eq!(
        away.gc_second["gc_version"], away.gc_first["version"],
        "GC goes up to the version checkpointed at least 20 days ago"
    );
    assert!(
        away.gc_second["purged"].as_u64().unwrap() >= 1,
        "{}",
        away.gc_second
    );
    let mut device = away.device;

    let probe = device.send_pull(&app, None).await;
    probe.expect(200);
    assert_eq!(probe.body["reset"], "cursor_too_old");
    assert_eq!(probe.body["changes"], json!([]));
    assert!(probe.body["cursor"].is_null());
    assert_eq!(probe.header("cache-control"), Some("no-store"));

    device.pull(&app, None).await.expect(200);
    let result = &device.results[&away.edit];
    assert_eq!(result["status"], "rejected", "{result}");
    assert_eq!(result["reason"]["code"], "refused");
    assert_eq!(result["reason"]["error"], "attendance.session_closed");
    let kept = device.acked.iter().find(|o| o.id == away.edit).unwrap();
    assert_eq!(
        kept.args["status"], "excused",
        "the person's edit is kept to show"
    );
    assert!(device.outbox.is_empty());
    assert!(
        !device
            .base
            .contains_key(&key("attendance_mark", away.cleared)),
        "the cleared mark is gone although its tombstone was collected"
    );
    let server = server_state(app.db(), &device.scopes).await;
    assert_converged(&device, &server);

    // The boundary: the co-trainer's tablet pulled right before the first GC, so its cursor
    // stands exactly at the GC version. It missed no tombstone: its pull is incremental.
    let mut other = away.other;
    pull_pages(&app, &mut other, None).await;
    let server = server_state(app.db(), &other.scopes).await;
    assert_converged(&other, &server);
}
db_test!(a_device_away_longer_than_the_retention_is_reset_and_keeps_its_rejected_edit);

/// Scenario 9, retention longer than the absence: the same month away, but the tombstone is
/// still there: the incremental pull answers it as a delete, without any reset.
async fn a_device_away_shorter_than_the_retention_pulls_the_tombstone_as_a_delete(
    mut app: TestApp,
) {
    let away = offline_across_gc(&mut app, 60).await;
    assert_eq!(away.gc_second["purged"], 0);
    assert_eq!(away.gc_second["gc_version"], 0);
    let mut device = away.device;

    let pushed = device.push(&app).await;
    pushed.expect(200);
    assert_eq!(device.results[&away.edit]["status"], "rejected");
    let pages = pull_pages(&app, &mut device, None).await;
    let deletes: Vec<&Value> = pages
        .iter()
        .flat_map(|p| p["changes"].as_array().unwrap())
        .filter(|c| c["id"] == json!(away.cleared))
        .collect();
    assert_eq!(deletes.len(), 1, "{pages:?}");
    assert_eq!(deletes[0]["type"], "attendance_mark");
    assert_eq!(deletes[0]["op"], "delete");
    assert!(deletes[0]["data"].is_null());
    assert!(
        !device
            .base
            .contains_key(&key("attendance_mark", away.cleared))
    );
    let server = server_state(app.db(), &device.scopes).await;
    assert_converged(&device, &server);
}
db_test!(a_device_away_shorter_than_the_retention_pulls_the_tombstone_as_a_delete);

/// Scenario 9, in pages: once GC has collected anything, a sync from a null cursor — the
/// replacement sync a `reset` asks for, or a new tablet's first sync — must still be able to
/// take more than one page without being reset again (or it starts over forever).
async fn after_gc_a_sync_from_scratch_in_several_pages_completes(mut app: TestApp) {
    let away = offline_across_gc(&mut app, 20).await;
    assert!(away.gc_second["gc_version"].as_i64().unwrap() > 0);
    let mut device = away.device;
    let reset = device.pull_page(&app, Some(3)).await;
    assert_eq!(reset.body["reset"], "cursor_too_old");
    device.push(&app).await.expect(200);

    let pages = pull_pages(&app, &mut device, Some(3)).await;
    assert!(pages.len() > 1, "{} pages", pages.len());
    let server = server_state(app.db(), &device.scopes).await;
    assert_converged(&device, &server);

    let mut fresh = Device::register(&app, &device.person).await;
    pull_pages(&app, &mut fresh, Some(3)).await;
    assert_converged(&fresh, &server);
}
db_test!(after_gc_a_sync_from_scratch_in_several_pages_completes);

// ----- Scenario 10: clocks -------------------------------------------------------------------

/// Scenario 10, a clock a year ahead: its edits are clamped to the server's time (flagged
/// `clock_skew`, and the device shows when), so a later edit from an honest device wins by
/// `later_clock`; pulls do not care.
async fn a_device_a_year_ahead_is_clamped_and_a_later_honest_edit_beats_it(mut app: TestApp) {
    let (admin, running) = session_day(&mut app, 1).await;
    let second = co_trainer(&app, &admin, &running).await;
    let slot = running.slots[0];
    let trainee = running.trainees[0].id;
    let mut skewed = Device::register(&app, &running.trainer).await;
    skewed.skew_ms = Duration::days(365).num_milliseconds();
    let mut honest = Device::register(&app, &second).await;
    pull_and_check(&app, &mut skewed).await;
    pull_and_check(&app, &mut honest).await;

    skewed.set_mark(&app, slot, trainee, Some("absent"), None);
    let pushed = skewed.push(&app).await;
    pushed.expect(200);
    assert_eq!(pushed.body["results"][0]["status"], "applied");
    assert_eq!(pushed.body["results"][0]["clock_skew"], true);
    let seen = device_as_seen(&app, &running.trainer, skewed.id).await;
    assert!(seen["clock_skew_at"].is_string(), "{seen}");
    assert!(
        seen["clock_offset_ms"].as_i64().unwrap() > Duration::days(364).num_milliseconds(),
        "{seen}"
    );

    // A minute later the co-trainer, who had not seen it, records another value.
    running.clock.advance(Duration::minutes(1));
    honest.set_mark(&app, slot, trainee, Some("excused"), None);
    let reply = honest.push(&app).await;
    reply.expect(200);
    let result = &reply.body["results"][0];
    assert_eq!(result["status"], "conflict", "{result}");
    assert_eq!(result["conflict"]["rule"], "later_clock");
    assert_eq!(result["conflict"]["resolution"], "client_won");
    assert_eq!(result["clock_skew"], false);
    assert_eq!(
        online_mark(&app, &admin, slot, trainee).await["status"],
        "excused"
    );
    let conflicts = app.get("/api/v1/sync/conflicts", Some(&admin.token)).await;
    conflicts.expect(200);
    let loser_hlc = conflicts.body[0]["loser"]["hlc"].as_i64().unwrap();
    assert!(
        loser_hlc >> 16 <= app.state.clock.now().timestamp_millis(),
        "the skewed value was stored with its clock clamped: {}",
        conflicts.text
    );
    let honest_seen = device_as_seen(&app, &second, honest.id).await;
    assert!(honest_seen["clock_skew_at"].is_null());

    // Its next edit is flagged again; the cursor never depended on its clock.
    pull_and_check(&app, &mut skewed).await;
    skewed.set_mark(&app, running.slots[1], trainee, Some("absent"), None);
    let again = skewed.push(&app).await;
    assert_eq!(again.body["results"][0]["clock_skew"], true);
    pull_and_check(&app, &mut skewed).await;
    pull_and_check(&app, &mut honest).await;
}
db_test!(a_device_a_year_ahead_is_clamped_and_a_later_honest_edit_beats_it);

/// Scenario 10, a clock that goes backwards: not flagged (only a clock ahead is clamped), its
/// offset is recorded, a later honest edit still wins, and an edit it makes after pulling
/// applies without conflict whatever its clock says: detection uses versions, not clocks.
async fn a_device_whose_clock_goes_back_still_syncs_and_its_informed_edit_applies(
    mut app: TestApp,
) {
    let (admin, running) = session_day(&mut app, 1).await;
    let second = co_trainer(&app, &admin, &running).await;
    let slot = running.slots[0];
    let trainee = running.trainees[0].id;
    let mut honest = Device::register(&app, &running.trainer).await;
    pull_and_check(&app, &mut honest).await;
    // A new tablet whose clock says last year records a mark before it ever synced (once it
    // hears from the server, its HLC never runs behind the server's time again).
    let mut behind = Device::register(&app, &second).await;
    behind.skew_ms = -Duration::days(365).num_milliseconds();
    behind.set_mark(&app, slot, trainee, Some("absent"), None);
    let pushed = behind.push(&app).await;
    pushed.expect(200);
    assert_eq!(pushed.body["results"][0]["status"], "applied");
    assert_eq!(pushed.body["results"][0]["clock_skew"], false);
    let seen = device_as_seen(&app, &second, behind.id).await;
    assert!(seen["clock_skew_at"].is_null(), "{seen}");
    assert!(
        seen["clock_offset_ms"].as_i64().unwrap() < -Duration::days(364).num_milliseconds(),
        "{seen}"
    );

    running.clock.advance(Duration::minutes(1));
    honest.set_mark(&app, slot, trainee, Some("excused"), None);
    let reply = honest.push(&app).await;
    reply.expect(200);
    assert_eq!(reply.body["results"][0]["status"], "conflict");
    assert_eq!(reply.body["results"][0]["conflict"]["rule"], "later_clock");
    assert_eq!(
        online_mark(&app, &admin, slot, trainee).await["status"],
        "excused"
    );

    // Its wall clock jumps back further still. It pulls, sees the excused mark, corrects it.
    pull_and_check(&app, &mut behind).await;
    behind.skew_ms = -Duration::days(2 * 365).num_milliseconds();
    running.clock.advance(Duration::minutes(1));
    behind.set_mark(&app, slot, trainee, Some("absent"), None);
    let informed = behind.push(&app).await;
    informed.expect(200);
    assert_eq!(
        informed.body["results"][0]["status"], "applied",
        "{}",
        informed.text
    );
    assert_eq!(
        online_mark(&app, &admin, slot, trainee).await["status"],
        "absent"
    );
    pull_and_check(&app, &mut behind).await;
    pull_and_check(&app, &mut honest).await;
}
db_test!(a_device_whose_clock_goes_back_still_syncs_and_its_informed_edit_applies);

// ----- Scenario 11: revocation -----------------------------------------------------------------

/// Scenario 11: a lost tablet is revoked by its trainer. Its pulls and pushes answer 403
/// `sync.device_revoked` (with `last_seq`); what it pushes is quarantined, never applied; an
/// administrator accepts one change (applied then) and discards another with a reason; a
/// decision is taken once; only administrators review; another person's device is not found.
async fn a_revoked_devices_changes_wait_in_quarantine_for_an_administrator(mut app: TestApp) {
    let (admin, running) = session_day(&mut app, 3).await;
    let slot = running.slots[0];
    let people: Vec<Uuid> = running.trainees.iter().map(|t| t.id).collect();
    app.mark(&admin, slot, people[0], json!({ "status": "excused" }))
        .await
        .expect(201);
    let mut device = Device::register(&app, &running.trainer).await;
    pull_and_check(&app, &mut device).await;
    for person in &people {
        device.set_mark(&app, slot, *person, Some("absent"), None);
    }
    let queued = device.outbox.clone();

    let revoked = app
        .post(
            &format!("/api/v1/devices/{}/revoke", device.id),
            Some(&running.trainer.token),
            json!({ "reason": "left on the train" }),
        )
        .await;
    revoked.expect(200);
    assert!(revoked.body["revoked_at"].is_string());
    assert_eq!(revoked.body["revoked_by"], json!(running.trainer.id));
    assert_eq!(revoked.body["revoked_reason"], "left on the train");

    let pulled = device.send_pull(&app, None).await;
    pulled.expect_error(403, "sync.device_revoked");
    assert_eq!(pulled.body["last_seq"], 0);
    let pushed = device.push(&app).await;
    pushed.expect_error(403, "sync.device_revoked");
    assert_eq!(pushed.body["last_seq"], 0);
    assert_eq!(
        device.outbox.len(),
        3,
        "nothing acknowledged: the app keeps its outbox"
    );
    // The app tries again: still one copy of each.
    device
        .send_push(&app, queued.clone())
        .await
        .expect_error(403, "sync.device_revoked");

    assert_eq!(
        online_mark(&app, &admin, slot, people[0]).await["status"],
        "excused"
    );
    for person in &people[1..] {
        no_mark(&app, &admin, slot, *person).await;
    }
    let waiting = quarantine(&app, &admin, None).await;
    assert_eq!(waiting.len(), 3, "{waiting:?}");
    for (listed, sent) in waiting.iter().zip(&queued) {
        assert_eq!(listed["device_id"], json!(device.id));
        assert_eq!(listed["person_id"], json!(running.trainer.id));
        assert_eq!(listed["seq"], sent.seq);
        assert_eq!(listed["mutation_id"], json!(sent.id));
        assert_eq!(listed["name"], "attendance.set@1");
        assert_eq!(listed["args"], sent.args);
        assert_eq!(listed["hlc"], sent.hlc);
        assert_eq!(listed["status"], "quarantined");
    }

    let accepted = decide(
        &app,
        &admin,
        device.id,
        2,
        "accept",
        "recorded before the loss",
    )
    .await;
    accepted.expect(200);
    assert_eq!(accepted.body["status"], "accepted");
    assert_eq!(accepted.body["decided_by"], json!(admin.id));
    assert_eq!(accepted.body["decision_reason"], "recorded before the loss");
    assert_eq!(
        accepted.body["result"]["status"], "applied",
        "{}",
        accepted.text
    );
    assert_eq!(
        online_mark(&app, &admin, slot, people[1]).await["status"],
        "absent"
    );
    let discarded = decide(&app, &admin, device.id, 3, "discard", "not confirmed").await;
    discarded.expect(200);
    assert_eq!(discarded.body["status"], "discarded");
    assert_eq!(discarded.body["decision_reason"], "not confirmed");
    no_mark(&app, &admin, slot, people[2]).await;

    for (seq, verb) in [(2, "accept"), (2, "discard"), (3, "accept"), (3, "discard")] {
        decide(&app, &admin, device.id, seq, verb, "again")
            .await
            .expect_error(409, "sync.not_quarantined");
    }
    decide(&app, &admin, device.id, 9, "accept", "no such change")
        .await
        .expect_error(404, "sync.mutation_not_found");
    let left = quarantine(&app, &admin, None).await;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["seq"], 1);
    let done = quarantine(&app, &admin, Some("accepted")).await;
    assert_eq!(done.len(), 1);
    assert_eq!(done[0]["result"]["status"], "applied");
    assert_eq!(
        done[0]["result"]["entity"]["id"],
        json!(mark_id(slot, people[1]))
    );
    let dropped = quarantine(&app, &admin, Some("discarded")).await;
    assert_eq!(dropped.len(), 1);
    assert_eq!(dropped[0]["seq"], 3);
    assert_eq!(
        online_mark(&app, &admin, slot, people[0]).await["status"],
        "excused",
        "the change still waiting was never applied"
    );

    // Only administrators review.
    app.get("/api/v1/sync/quarantine", Some(&running.trainer.token))
        .await
        .expect_error(403, "sync.forbidden");
    decide(&app, &running.trainer, device.id, 1, "accept", "mine")
        .await
        .expect_error(403, "sync.forbidden");

    // Another person's device is not found, whatever is asked of it.
    let stranger = app.trainer().await;
    let theirs = Device::register(&app, &stranger).await;
    let token = Some(running.trainer.token.as_str());
    let body = json!({
        "protocol": PROTOCOL,
        "schema_version": SCHEMA_VERSION,
        "device_id": theirs.id,
        "cursor": null,
        "mutations": [],
    });
    let mut pull_body = body.clone();
    pull_body.as_object_mut().unwrap().remove("mutations");
    let mut push_body = body;
    push_body.as_object_mut().unwrap().remove("cursor");
    app.post("/sync/v1/pull", token, pull_body)
        .await
        .expect_error(404, "sync.device_not_found");
    app.post("/sync/v1/push", token, push_body)
        .await
        .expect_error(404, "sync.device_not_found");
    app.get(&format!("/api/v1/devices/{}", theirs.id), token)
        .await
        .expect_error(404, "sync.device_not_found");
    app.post(
        &format!("/api/v1/devices/{}/revoke", theirs.id),
        token,
        json!({ "reason": "not mine" }),
    )
    .await
    .expect_error(404, "sync.device_not_found");
}
db_test!(a_revoked_devices_changes_wait_in_quarantine_for_an_administrator);

/// Scenario 11, after the revocation: the person registers the tablet again (it was revoked by
/// mistake, or the app was reinstalled) and the app pushes the outbox it kept, as the contract
/// says. Each answer must name its own mutation and, when rejected, say why; nothing waiting in
/// the quarantine may be applied behind the administrator's back.
async fn changes_pushed_again_after_a_revocation_are_answered_for_what_they_are(mut app: TestApp) {
    let (admin, running) = session_day(&mut app, 3).await;
    let slot = running.slots[0];
    let mut device = Device::register(&app, &running.trainer).await;
    pull_and_check(&app, &mut device).await;
    for trainee in &running.trainees {
        device.set_mark(&app, slot, trainee.id, Some("absent"), None);
    }
    let kept = device.outbox.clone();
    app.post(
        &format!("/api/v1/devices/{}/revoke", device.id),
        Some(&running.trainer.token),
        json!({ "reason": "reported lost" }),
    )
    .await
    .expect(200);
    device
        .push(&app)
        .await
        .expect_error(403, "sync.device_revoked");
    decide(
        &app,
        &admin,
        device.id,
        1,
        "accept",
        "recorded before the loss",
    )
    .await
    .expect(200);
    decide(&app, &admin, device.id, 2, "discard", "not confirmed")
        .await
        .expect(200);

    let mut again = Device::register(&app, &running.trainer).await;
    again.outbox = kept.clone();
    let reply = again.push(&app).await;
    reply.expect(200);
    let results = reply.body["results"].as_array().unwrap();
    assert_eq!(results.len(), kept.len(), "{}", reply.text);
    for (result, sent) in results.iter().zip(&kept) {
        assert_eq!(
            result["id"],
            json!(sent.id),
            "a result names its own mutation: {}",
            reply.text
        );
        if result["status"] == "rejected" {
            assert!(
                result["reason"].is_object(),
                "a rejection says why: {}",
                reply.text
            );
        }
    }
    assert_eq!(
        results[0]["status"], "applied",
        "the accepted change, as decided"
    );
    assert_eq!(
        online_mark(&app, &admin, slot, running.trainees[0].id).await["status"],
        "absent"
    );
    no_mark(&app, &admin, slot, running.trainees[1].id).await;
    no_mark(&app, &admin, slot, running.trainees[2].id).await;
}
db_test!(changes_pushed_again_after_a_revocation_are_answered_for_what_they_are);

// ----- Scenario 12: scope changes --------------------------------------------------------------

/// Scenario 12: a trainer added to a session gets all of it at their next pull; removed, their
/// pull names the scope in `scope_removed` and takes its rows away, and the mark they had
/// queued is then rejected (`not_found`) and kept; added again, they get it all back.
async fn a_co_trainer_gets_a_session_loses_it_and_gets_it_back(mut app: TestApp) {
    let (admin, running) = session_day(&mut app, 2).await;
    let slot = running.slots[0];
    app.mark(
        &admin,
        slot,
        running.trainees[0].id,
        json!({ "status": "absent" }),
    )
    .await
    .expect(201);
    let second = app.trainer().await;
    let scope = format!("session:{}", running.session);
    let mut device = Device::register(&app, &second).await;
    pull_and_check(&app, &mut device).await;
    assert!(!device.scopes.contains(&scope));
    assert_eq!(session_rows(&device, running.session), counts(0, 0, 0));

    set_trainers(&app, &admin, &running, &[running.trainer.id, second.id]).await;
    pull_and_check(&app, &mut device).await;
    assert!(device.scopes.contains(&scope), "{:?}", device.scopes);
    assert!(device.base.contains_key(&key("session", running.session)));
    assert_eq!(session_rows(&device, running.session), counts(2, 2, 1));

    // Offline, they record a mark; meanwhile the office takes them off the session.
    let pending = device.set_mark(&app, slot, running.trainees[1].id, Some("absent"), None);
    set_trainers(&app, &admin, &running, &[running.trainer.id]).await;
    let pages = pull_pages(&app, &mut device, None).await;
    assert!(
        pages.iter().any(|p| p["scope_removed"] == json!([scope])),
        "{pages:?}"
    );
    assert!(!device.scopes.contains(&scope));
    assert_eq!(session_rows(&device, running.session), counts(0, 0, 0));
    let server = server_state(app.db(), &device.scopes).await;
    assert_converged(&device, &server);
    assert_eq!(device.outbox.len(), 1, "the pending mark survives the wipe");

    let pushed = device.push(&app).await;
    pushed.expect(200);
    let result = &device.results[&pending];
    assert_eq!(result["status"], "rejected", "{result}");
    assert_eq!(result["reason"]["code"], "not_found");
    assert_eq!(
        device.acked.iter().find(|o| o.id == pending).unwrap().args["person_id"],
        json!(running.trainees[1].id),
        "kept for the person to see"
    );
    no_mark(&app, &admin, slot, running.trainees[1].id).await;

    set_trainers(&app, &admin, &running, &[running.trainer.id, second.id]).await;
    pull_and_check(&app, &mut device).await;
    assert!(device.scopes.contains(&scope));
    assert_eq!(session_rows(&device, running.session), counts(2, 2, 1));
}
db_test!(a_co_trainer_gets_a_session_loses_it_and_gets_it_back);

// ----- Scenario 19: checksum ---------------------------------------------------------------------

/// Scenario 19: whatever corrupts the local base — a row with the wrong version, a row lost, a
/// row that should not be there — the checksum of the next pull shows it, the device starts a
/// replacement sync, and it ends exactly as the server.
async fn a_corrupted_local_base_fails_the_checksum_and_a_replacement_sync_repairs_it(
    mut app: TestApp,
) {
    let (admin, running) = session_day(&mut app, 2).await;
    let slot = running.slots[0];
    let trainee = running.trainees[0].id;
    app.mark(&admin, slot, trainee, json!({ "status": "absent" }))
        .await
        .expect(201);
    let mut device = Device::register(&app, &running.trainer).await;
    pull_and_check(&app, &mut device).await;
    let mark = key("attendance_mark", mark_id(slot, trainee));
    let half_day = key("slot", running.slots[1]);

    for corruption in ["stale version", "lost row", "extra row"] {
        match corruption {
            "stale version" => device.base.get_mut(&mark).unwrap().version -= 1,
            "lost row" => {
                device.base.remove(&half_day);
            }
            _ => {
                let ghost = device.base[&mark].clone();
                device
                    .base
                    .insert(key("attendance_mark", Uuid::now_v7()), ghost);
            }
        }
        let page = device.pull_page(&app, None).await;
        page.expect(200);
        assert_eq!(page.body["changes"], json!([]), "{corruption}: nothing new");
        assert!(page.body["checksum"].is_object());
        assert!(
            !device.verify_checksum(&page.body),
            "{corruption}: the checksum shows it"
        );
        assert!(
            device.cursor.is_none(),
            "{corruption}: a replacement sync starts"
        );
        pull_and_check(&app, &mut device).await;
        assert!(device.base.contains_key(&half_day));
        let check = device.pull_page(&app, None).await;
        assert!(
            device.verify_checksum(&check.body),
            "{corruption}: repaired"
        );
    }
}
db_test!(a_corrupted_local_base_fails_the_checksum_and_a_replacement_sync_repairs_it);

// ----- Scenario 20: caches and stale answers -----------------------------------------------------

/// Scenario 20: pull and push answers say `Cache-Control: no-store`, and so does a `reset`.
async fn pull_push_and_reset_answers_are_never_cached(mut app: TestApp) {
    let (_admin, running) = session_day(&mut app, 1).await;
    let mut device = Device::register(&app, &running.trainer).await;
    let pulled = device.send_pull(&app, None).await;
    pulled.expect(200);
    assert_eq!(pulled.header("cache-control"), Some("no-store"));
    device.set_mark(
        &app,
        running.slots[0],
        running.trainees[0].id,
        Some("absent"),
        None,
    );
    let pushed = device.push(&app).await;
    pushed.expect(200);
    assert_eq!(pushed.header("cache-control"), Some("no-store"));

    // A cursor this server did not sign: reset.
    device.cursor = Some("not.a-cursor".to_owned());
    let forged = device.send_pull(&app, None).await;
    forged.expect(200);
    assert_eq!(forged.body["reset"], "cursor_invalid");
    assert_eq!(forged.header("cache-control"), Some("no-store"));
    pull_and_check(&app, &mut device).await;

    // A restore: reset too.
    passerelle::sync::service::new_epoch(app.db())
        .await
        .expect("new epoch");
    let restored = device.send_pull(&app, None).await;
    restored.expect(200);
    assert_eq!(restored.body["reset"], "epoch_changed");
    assert_eq!(restored.header("cache-control"), Some("no-store"));
    pull_and_check(&app, &mut device).await;
}
db_test!(pull_push_and_reset_answers_are_never_cached);

/// Scenario 20: an old page applied again after newer ones (a replayed response) takes the
/// device back, not into a trap: its next pull brings what changed since, and it converges —
/// even when the stale page comes from before a restore.
async fn a_stale_pull_page_applied_again_does_not_trap_the_device(mut app: TestApp) {
    let (admin, running) = session_day(&mut app, 3).await;
    let slot = running.slots[0];
    for trainee in &running.trainees {
        app.mark(&admin, slot, trainee.id, json!({ "status": "absent" }))
            .await
            .expect(201);
    }
    let mut device = Device::register(&app, &running.trainer).await;
    let pages = pull_pages(&app, &mut device, Some(3)).await;
    assert!(pages.len() > 2, "{} pages", pages.len());
    let watched = mark_id(slot, running.trainees[0].id);
    let stale = pages
        .iter()
        .find(|p| {
            p["changes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["id"] == json!(watched))
        })
        .expect("a page with the mark")
        .clone();

    app.mark(
        &admin,
        slot,
        running.trainees[0].id,
        json!({ "status": "excused" }),
    )
    .await
    .expect(200);
    pull_and_check(&app, &mut device).await;
    assert_eq!(
        device.base[&key("attendance_mark", watched)].data["status"],
        "excused"
    );

    // The old page arrives again and is applied.
    device.apply_page(&stale);
    assert_eq!(
        device.base[&key("attendance_mark", watched)].data["status"],
        "absent"
    );
    pull_and_check(&app, &mut device).await;
    assert_eq!(
        device.base[&key("attendance_mark", watched)].data["status"],
        "excused"
    );

    // A page from before a restore: its cursor's epoch is gone, so the device starts over.
    passerelle::sync::service::new_epoch(app.db())
        .await
        .expect("new epoch");
    device.apply_page(&stale);
    let reset = device.send_pull(&app, None).await;
    assert_eq!(reset.body["reset"], "epoch_changed");
    pull_and_check(&app, &mut device).await;

    // A page from before the trainer lost the session: its rows come back for a moment, and
    // the next pull takes them away again.
    let mut fresh = Device::register(&app, &running.trainer).await;
    let pages = pull_pages(&app, &mut fresh, Some(3)).await;
    let stale = pages
        .iter()
        .find(|p| change_keys(p).contains(&key("attendance_mark", watched)))
        .expect("a page with the mark")
        .clone();
    let second = co_trainer(&app, &admin, &running).await;
    set_trainers(&app, &admin, &running, &[second.id]).await;
    pull_and_check(&app, &mut fresh).await;
    assert_eq!(session_rows(&fresh, running.session), counts(0, 0, 0));
    fresh.apply_page(&stale);
    assert!(fresh.base.contains_key(&key("attendance_mark", watched)));
    pull_and_check(&app, &mut fresh).await;
    assert_eq!(session_rows(&fresh, running.session), counts(0, 0, 0));
    assert_eq!(
        device.base[&key("attendance_mark", watched)].data["status"],
        "excused"
    );
}
db_test!(a_stale_pull_page_applied_again_does_not_trap_the_device);

// ----- Scenario 21: crash between a page and its cursor ---------------------------------------

/// Scenario 21: the app applies a page's rows, then crashes before storing its cursor. It pulls
/// again with the cursor it has: the same page comes back, applying it twice changes nothing,
/// and the device converges.
async fn a_crash_before_storing_the_cursor_brings_the_same_page_again(mut app: TestApp) {
    let (_admin, running) = sheet_of_marks(&mut app).await;
    let mut device = Device::register(&app, &running.trainer).await;
    let first = device.pull_page(&app, Some(5)).await;
    assert_eq!(first.body["has_more"], true);

    let stored = device.cursor.clone();
    let second = device.send_pull(&app, Some(5)).await;
    second.expect(200);
    assert_eq!(second.body["has_more"], true);
    // The non-atomic client: the rows are written, the cursor is not.
    device.apply_page(&second.body);
    device.cursor = stored;
    let applied = device.base.clone();

    let again = device.pull_page(&app, Some(5)).await;
    again.expect(200);
    assert_eq!(
        again.body["changes"], second.body["changes"],
        "the same page"
    );
    assert_eq!(device.base, applied, "applying it twice changes nothing");
    pull_and_check(&app, &mut device).await;
}
db_test!(a_crash_before_storing_the_cursor_brings_the_same_page_again);

/// Scenario 21, the other half of the contract (a documented check, not a failure): the
/// server never sends a page again once its cursor is presented, so an app that stored the
/// cursor but lost the page's rows would miss them — which is why the two are written in one
/// local transaction. Only the checksum at the end of the run catches it.
async fn a_cursor_stored_without_its_page_skips_that_page_which_is_why_both_go_together(
    mut app: TestApp,
) {
    let (_admin, running) = sheet_of_marks(&mut app).await;
    let mut device = Device::register(&app, &running.trainer).await;
    device.pull_page(&app, Some(5)).await.expect(200);

    let lost = device.send_pull(&app, Some(5)).await;
    lost.expect(200);
    assert_eq!(lost.body["has_more"], true);
    let lost_keys: Vec<(String, Uuid)> = change_keys(&lost.body);
    assert!(!lost_keys.is_empty());
    // The broken client: the cursor is written, the rows are not.
    device.cursor = lost.body["cursor"].as_str().map(str::to_owned);

    let last = loop {
        let page = device.pull_page(&app, Some(5)).await;
        page.expect(200);
        for k in change_keys(&page.body) {
            assert!(!lost_keys.contains(&k), "{k:?} came again");
        }
        if page.body["has_more"] == false {
            break page.body;
        }
    };
    for k in &lost_keys {
        assert!(!device.base.contains_key(k), "{k:?} was never sent again");
    }
    assert!(
        !device.verify_checksum(&last),
        "the checksum is what catches a client that broke the contract"
    );
    pull_and_check(&app, &mut device).await;
    for k in &lost_keys {
        assert!(
            device.base.contains_key(k),
            "{k:?} after the replacement sync"
        );
    }
}
db_test!(a_cursor_stored_without_its_page_skips_that_page_which_is_why_both_go_together);

// ----- Arrangements ------------------------------------------------------------------------------

/// A key of a device's synced base.
fn key(entity_type: &str, id: Uuid) -> (String, Uuid) {
    (entity_type.to_owned(), id)
}

/// The keys of a page's changes.
fn change_keys(page: &Value) -> Vec<(String, Uuid)> {
    page["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let id = c["id"].as_str().unwrap().parse().unwrap();
            key(c["type"].as_str().unwrap(), id)
        })
        .collect()
}

/// Pulls page by page until up to date (no `reset` expected), checks the checksum, answers the
/// pages.
async fn pull_pages(app: &TestApp, device: &mut Device, limit: Option<u32>) -> Vec<Value> {
    let mut pages = Vec::new();
    loop {
        let page = device.pull_page(app, limit).await;
        page.expect(200);
        assert!(
            page.body["reset"].is_null(),
            "unexpected reset: {}",
            page.text
        );
        let done = page.body["has_more"] == false;
        pages.push(page.body);
        if done {
            let last = pages.last().unwrap().clone();
            assert!(device.verify_checksum(&last), "checksum");
            return pages;
        }
    }
}

/// How many entries the history of each person's mark at `slot` has.
async fn histories(app: &TestApp, admin: &User, slot: Uuid, people: &[User]) -> Vec<usize> {
    let mut lengths = Vec::new();
    for person in people {
        let reply = app
            .get(
                &format!("/api/v1/slots/{slot}/marks/{}", person.id),
                Some(&admin.token),
            )
            .await;
        reply.expect(200);
        lengths.push(reply.body["history"].as_array().unwrap().len());
    }
    lengths
}

/// Asserts `person` has no mark at `slot`.
async fn no_mark(app: &TestApp, admin: &User, slot: Uuid, person: Uuid) {
    app.get(
        &format!("/api/v1/slots/{slot}/marks/{person}"),
        Some(&admin.token),
    )
    .await
    .expect_error(404, "attendance.mark_not_found");
}

/// A device as its owner (or an administrator) reads it.
async fn device_as_seen(app: &TestApp, owner: &User, id: Uuid) -> Value {
    let reply = app
        .get(&format!("/api/v1/devices/{id}"), Some(&owner.token))
        .await;
    reply.expect(200);
    reply.body
}

/// The quarantine as an administrator lists it (`status` `None`: those waiting).
pub(super) async fn quarantine(app: &TestApp, admin: &User, status: Option<&str>) -> Vec<Value> {
    let path = match status {
        Some(status) => format!("/api/v1/sync/quarantine?status={status}"),
        None => "/api/v1/sync/quarantine".to_owned(),
    };
    let reply = app.get(&path, Some(&admin.token)).await;
    reply.expect(200);
    reply.body.as_array().unwrap().clone()
}

/// `POST /api/v1/sync/quarantine/{device}/{seq}/{accept|discard}` by `user`.
pub(super) async fn decide(
    app: &TestApp,
    user: &User,
    device: Uuid,
    seq: i64,
    verb: &str,
    reason: &str,
) -> Reply {
    app.post(
        &format!("/api/v1/sync/quarantine/{device}/{seq}/{verb}"),
        Some(&user.token),
        json!({ "reason": reason }),
    )
    .await
}

/// Sets the session's trainers (as the office does).
async fn set_trainers(app: &TestApp, admin: &User, running: &Running, trainers: &[Uuid]) {
    app.patch(
        &format!("/api/v1/sessions/{}", running.session),
        Some(&admin.token),
        json!({ "trainer_ids": trainers }),
    )
    .await
    .expect(200);
}

/// How many half-days, enrolments and marks of `session` the device holds.
fn session_rows(device: &Device, session: Uuid) -> BTreeMap<&'static str, usize> {
    let mut found = counts(0, 0, 0);
    for ((entity_type, _), row) in &device.base {
        let (kind, field) = match entity_type.as_str() {
            "slot" => ("slot", "session_id"),
            "enrolment" => ("enrolment", "session_id"),
            "attendance_mark" => ("attendance_mark", "context_id"),
            _ => continue,
        };
        if row.data[field] == json!(session) {
            *found.get_mut(kind).unwrap() += 1;
        }
    }
    found
}

fn counts(slots: usize, enrolments: usize, marks: usize) -> BTreeMap<&'static str, usize> {
    BTreeMap::from([
        ("slot", slots),
        ("enrolment", enrolments),
        ("attendance_mark", marks),
    ])
}

/// `POST /api/v1/sync/gc` by an administrator; answers what it did.
async fn gc(app: &TestApp, admin: &User) -> Value {
    let reply = app
        .post("/api/v1/sync/gc", Some(&admin.token), json!({}))
        .await;
    reply.expect(200);
    reply.body
}

/// The same person, signed in again (tokens last 30 days).
async fn signed_in_again(app: &TestApp, user: &User) -> User {
    User {
        token: app.token(&user.email).await,
        ..user.clone()
    }
}

/// What [`offline_across_gc`] leaves behind.
struct Away {
    /// The trainer's tablet, back from the drawer with one edit pending.
    device: Device,
    /// The mark cleared while it was away.
    cleared: Uuid,
    /// Its pending edit of that mark.
    edit: Uuid,
    /// The co-trainer's tablet, which cleared the mark and pulled just before the first GC.
    other: Device,
    /// What the GC before the absence and the one after it answered.
    gc_first: Value,
    gc_second: Value,
}

/// With `retention_days`: the trainer's tablet pulls a mark, then goes into a drawer with an
/// edit of it pending. Meanwhile the co-trainer clears the mark (a tombstone), GC runs, 30 days
/// pass, the office closes the session, and GC runs again.
async fn offline_across_gc(app: &mut TestApp, retention_days: i64) -> Away {
    let (admin, running) = session_day(app, 2).await;
    app.configure(|settings| settings.sync_retention_days = retention_days);
    let second = co_trainer(app, &admin, &running).await;
    let slot = running.slots[0];
    let trainee = running.trainees[0].id;
    app.mark(&admin, slot, trainee, json!({ "status": "absent" }))
        .await
        .expect(201);
    let mut device = Device::register(app, &running.trainer).await;
    pull_and_check(app, &mut device).await;
    let cleared = mark_id(slot, trainee);
    assert!(device.base.contains_key(&key("attendance_mark", cleared)));
    let edit = device.set_mark(app, slot, trainee, Some("excused"), None);

    let mut other = Device::register(app, &second).await;
    other.sync(app).await.expect(200);
    other.set_mark(app, slot, trainee, None, None);
    let clear = other.push(app).await;
    clear.expect(200);
    assert_eq!(
        clear.body["results"][0]["status"], "applied",
        "{}",
        clear.text
    );
    no_mark(app, &admin, slot, trainee).await;
    pull_and_check(app, &mut other).await;
    let gc_first = gc(app, &admin).await;

    running.clock.advance(Duration::days(30));
    let admin = signed_in_again(app, &admin).await;
    device.person = signed_in_again(app, &device.person).await;
    other.person = signed_in_again(app, &other.person).await;
    app.post(
        &format!("/api/v1/sessions/{}/close", running.session),
        Some(&admin.token),
        json!({ "justification": "signed on paper; the tablet was lost for a month" }),
    )
    .await
    .expect(200);
    let gc_second = gc(app, &admin).await;
    Away {
        device,
        cleared,
        edit,
        other,
        gc_first,
        gc_second,
    }
}

/// A session of three trainees with every mark of its day recorded by the office: enough rows
/// for several pages of five.
async fn sheet_of_marks(app: &mut TestApp) -> (User, Running) {
    let (admin, running) = session_day(app, 3).await;
    for slot in &running.slots {
        for trainee in &running.trainees {
            app.mark(&admin, *slot, trainee.id, json!({ "status": "absent" }))
                .await
                .expect(201);
        }
    }
    (admin, running)
}
