//! Scenarios 13, 16, 17 and 18, and the clubs' scopes: intents the server decides again
//! (enrolment, RSVPs), signature images uploaded apart from the marks that name them, a
//! database failure in the middle of a push, and the protocol and schema versions.

use chrono::Duration;
use passerelle::clock::Clock;
use passerelle::db::write::WriteTx;
use passerelle::state::AppState;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, TransactionTrait};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::device::{Device, PROTOCOL, SCHEMA_VERSION, mark_id, upload_blob};
use super::oracle::pull_and_check;
use super::{online_mark, session_day};
use crate::fixtures::{User, clubs_start, meeting_body, signature_png};
use crate::harness::{Reply, TestApp};

/// The `i`-th result of a push answer.
#[track_caller]
fn result(reply: &Reply, i: usize) -> &Value {
    let result = &reply.body["results"][i];
    assert!(result.is_object(), "no result {i} in {}", reply.text);
    result
}

/// The id of the entity a push result names.
#[track_caller]
fn entity_id(result: &Value) -> Uuid {
    result["entity"]["id"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no entity in {result}"))
}

/// The data of a row of the device's synced base.
fn row<'a>(device: &'a Device, entity_type: &str, id: Uuid) -> Option<&'a Value> {
    device
        .base
        .get(&(entity_type.to_owned(), id))
        .map(|row| &row.data)
}

/// The rows of one type in the device's synced base.
fn rows_of<'a>(device: &'a Device, entity_type: &str) -> Vec<&'a Value> {
    device
        .base
        .iter()
        .filter(|((t, _), _)| t == entity_type)
        .map(|(_, row)| &row.data)
        .collect()
}

/// The arguments of an `enrolment.request@1` for `session`.
fn enrolment_request(session: Uuid) -> Value {
    json!({
        "session_id": session,
        "trainee_type": "employee",
        "funding_source": "employer",
        "funding_amount_cents": 45000,
        "needs": "Step-free access",
    })
}

/// A PNG's SHA-256 as the path of its upload names it.
fn sha256_of(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

// ----- scenario 13: the last seat, requested offline by two devices ------------------------

/// Scenario 13: two members request the last seat of a session offline. Whoever the server
/// hears first gets it (both push orders are played), the other is waitlisted; each device
/// pulls its own enrolment through its `person:` scope and not the other's; when the first
/// cancels, the waitlisted one is promoted and sees it at its next pull.
async fn two_devices_requesting_the_last_seat_offline_get_it_and_the_waitlist_in_server_order(
    app: TestApp,
) {
    let admin = app.admin().await;
    let org = app.organisation(&admin, "Association Lyon", true).await;
    let alice = app.member_of(org).await;
    let bruno = app.member_of(org).await;
    for (round, alice_first) in [(0usize, true), (1, false)] {
        let session = app.open_session(&admin, 1).await;
        let mut a = Device::register(&app, &alice).await;
        let mut b = Device::register(&app, &bruno).await;
        a.sync(&app).await.expect(200);
        b.sync(&app).await.expect(200);
        // Offline: both ask for the seat.
        a.queue(
            &app,
            "enrolment.request@1",
            None,
            enrolment_request(session),
        );
        b.queue(
            &app,
            "enrolment.request@1",
            None,
            enrolment_request(session),
        );
        let (first, second) = if alice_first {
            (&mut a, &mut b)
        } else {
            (&mut b, &mut a)
        };
        let got = first.push(&app).await;
        got.expect(200);
        let waits = second.push(&app).await;
        waits.expect(200);
        let got = result(&got, 0).clone();
        let waits = result(&waits, 0).clone();
        assert_eq!(got["status"], "applied", "round {round}: {got}");
        assert_eq!(got["entity"]["type"], "enrolment");
        assert_eq!(
            got["state"]["status"], "confirmed",
            "round {round}: first heard"
        );
        assert_eq!(waits["status"], "applied", "round {round}: {waits}");
        assert_eq!(waits["state"]["status"], "waitlisted", "round {round}");
        assert_eq!(waits["state"]["waitlist_position"], 1);
        let (holder, waiting) = (entity_id(&got), entity_id(&waits));

        pull_and_check(&app, first).await;
        pull_and_check(&app, second).await;
        for (device, own, other, status) in [
            (&*first, holder, waiting, "confirmed"),
            (&*second, waiting, holder, "waitlisted"),
        ] {
            assert!(
                device
                    .scopes
                    .contains(&format!("person:{}", device.person.id)),
                "{:?}",
                device.scopes
            );
            let mine = row(device, "enrolment", own).expect("the device pulls its enrolment");
            assert_eq!(mine["status"], status, "round {round}");
            assert_eq!(mine["person_id"], json!(device.person.id));
            assert!(
                row(device, "enrolment", other).is_none(),
                "round {round}: another member's enrolment stays theirs"
            );
        }

        // The holder cancels offline; the seat goes to the one waiting.
        first.queue(
            &app,
            "enrolment.cancel@1",
            Some(("enrolment", holder)),
            json!({ "enrolment_id": holder, "reason": "Cannot travel" }),
        );
        let cancelled = first.push(&app).await;
        cancelled.expect(200);
        let cancelled = result(&cancelled, 0);
        assert_eq!(cancelled["status"], "applied", "{cancelled}");
        assert_eq!(cancelled["state"]["status"], "cancelled");
        pull_and_check(&app, second).await;
        let promoted = row(second, "enrolment", waiting).unwrap();
        assert_eq!(promoted["status"], "confirmed", "round {round}: promoted");
        assert_eq!(promoted["waitlist_position"], Value::Null);
        pull_and_check(&app, first).await;
        assert_eq!(
            row(first, "enrolment", holder).unwrap()["status"],
            "cancelled"
        );
        let roster = app.roster(&admin, session).await;
        let confirmed: Vec<_> = roster
            .iter()
            .filter(|e| e["status"] == "confirmed")
            .collect();
        assert_eq!(confirmed.len(), 1, "one seat: {roster:?}");
        assert_eq!(confirmed[0]["id"], json!(waiting));
    }
}
db_test!(two_devices_requesting_the_last_seat_offline_get_it_and_the_waitlist_in_server_order);

/// Scenario 13, refusals: a request for an unknown session is `not_found`, for a cancelled one
/// `refused`; neither stops the queue, and the request after them applies.
async fn an_enrolment_request_for_a_closed_or_unknown_session_is_rejected_and_the_queue_moves_on(
    app: TestApp,
) {
    let admin = app.admin().await;
    let org = app.organisation(&admin, "Association Lyon", true).await;
    let member = app.member_of(org).await;
    let cancelled = app.open_session(&admin, 10).await;
    app.post(
        &format!("/api/v1/sessions/{cancelled}/cancel"),
        Some(&admin.token),
        json!({ "reason": "Trainer ill" }),
    )
    .await
    .expect(200);
    let open = app.open_session(&admin, 10).await;
    let mut device = Device::register(&app, &member).await;
    device.queue(
        &app,
        "enrolment.request@1",
        None,
        enrolment_request(Uuid::now_v7()),
    );
    device.queue(
        &app,
        "enrolment.request@1",
        None,
        enrolment_request(cancelled),
    );
    device.queue(&app, "enrolment.request@1", None, enrolment_request(open));
    let reply = device.push(&app).await;
    reply.expect(200);
    let unknown = result(&reply, 0);
    assert_eq!(unknown["status"], "rejected", "{unknown}");
    assert_eq!(unknown["reason"]["code"], "not_found");
    assert_eq!(unknown["reason"]["error"], "enrolment.session_not_found");
    assert_eq!(unknown["reason"]["retryable"], false);
    let closed = result(&reply, 1);
    assert_eq!(closed["status"], "rejected", "{closed}");
    assert_eq!(closed["reason"]["code"], "refused");
    assert_eq!(closed["reason"]["error"], "enrolment.session_not_open");
    let applied = result(&reply, 2);
    assert_eq!(applied["status"], "applied", "{applied}");
    assert_eq!(applied["state"]["status"], "confirmed");
    assert_eq!(
        reply.body["last_seq"], 3,
        "the queue moved past the refusals"
    );
    assert!(reply.body["stopped"].is_null(), "{}", reply.text);
    assert!(device.outbox.is_empty());
    pull_and_check(&app, &mut device).await;
    let mine = rows_of(&device, "enrolment");
    assert_eq!(mine.len(), 1, "only the open session's enrolment: {mine:?}");
    assert_eq!(mine[0]["session_id"], json!(open));
}
db_test!(an_enrolment_request_for_a_closed_or_unknown_session_is_rejected_and_the_queue_moves_on);

// ----- scenario 17: signature images ---------------------------------------------------------

/// Scenario 17: a mark whose signature was not uploaded is a retryable `blob_missing` that
/// stops the push without moving `last_seq`; once uploaded, the same push applies.
async fn a_mark_whose_signature_was_not_uploaded_waits_for_it_without_moving_last_seq(
    mut app: TestApp,
) {
    let (admin, running) = session_day(&mut app, 2).await;
    let slot = running.slots[0];
    let trainee = running.trainees[0].id;
    let mut device = Device::register(&app, &running.trainer).await;
    device.sync(&app).await.expect(200);
    device.set_mark(
        &app,
        slot,
        trainee,
        Some("present"),
        Some(signature_png(41)),
    );
    let sha = device.outbox[0].args["signature_sha256"]
        .as_str()
        .unwrap()
        .to_owned();
    // The mark after it must wait too: the push stops at the missing image.
    device.set_mark(&app, slot, running.trainees[1].id, Some("absent"), None);

    let reply = device.push_once(&app).await;
    reply.expect(200);
    let missing = result(&reply, 0);
    assert_eq!(missing["status"], "rejected", "{}", reply.text);
    assert_eq!(missing["reason"]["code"], "blob_missing");
    assert_eq!(missing["reason"]["retryable"], true);
    assert_eq!(missing["reason"]["error"], "attendance.signature_missing");
    assert_eq!(
        missing["reason"]["message"],
        "the signature image was not uploaded: upload it first, then retry"
    );
    assert_eq!(reply.body["stopped"]["code"], "BLOB_MISSING");
    assert_eq!(reply.body["stopped"]["at_seq"], 1);
    assert_eq!(reply.body["last_seq"], 0, "last_seq does not move");
    assert_eq!(
        reply.body["results"].as_array().unwrap().len(),
        1,
        "nothing after the missing image: {}",
        reply.text
    );
    assert_eq!(device.outbox.len(), 2, "both stay queued");
    let path = format!("/api/v1/slots/{slot}/marks/{trainee}");
    let before = app.get(&path, Some(&admin.token)).await;
    assert!(
        before.status == 404 || before.body["mark"].is_null(),
        "nothing recorded: {}",
        before.text
    );

    let png = device.blobs[&sha].clone();
    upload_blob(&app, &running.trainer.token, &sha, png.clone())
        .await
        .expect(201);
    let again = upload_blob(&app, &running.trainer.token, &sha, png).await;
    again.expect(200);
    assert_eq!(again.body["sha256"], sha);

    let reply = device.push_once(&app).await;
    reply.expect(200);
    assert_eq!(reply.body["last_seq"], 2, "{}", reply.text);
    assert!(reply.body["stopped"].is_null());
    assert_eq!(result(&reply, 0)["status"], "applied");
    assert_eq!(result(&reply, 1)["status"], "applied");
    let mark = online_mark(&app, &admin, slot, trainee).await;
    assert_eq!(mark["status"], "present");
    assert_eq!(mark["signature_sha256"], sha);
    assert!(device.outbox.is_empty());
    pull_and_check(&app, &mut device).await;
    let pulled = row(&device, "attendance_mark", mark_id(slot, trainee)).unwrap();
    assert_eq!(pulled["signature_sha256"], sha);
}
db_test!(a_mark_whose_signature_was_not_uploaded_waits_for_it_without_moving_last_seq);

/// Scenario 17, the upload itself: idempotent by hash, and refused when the bytes are not the
/// path's SHA-256 or not a PNG.
async fn a_signature_upload_is_idempotent_and_checks_its_hash_and_its_format(mut app: TestApp) {
    let (_admin, running) = session_day(&mut app, 1).await;
    let token = running.trainer.token.clone();
    let png = signature_png(5);
    let sha = sha256_of(&png);
    let created = upload_blob(&app, &token, &sha, png.clone()).await;
    created.expect(201);
    assert_eq!(created.body["sha256"], sha);
    assert_eq!(created.body["bytes"], png.len());
    upload_blob(&app, &token, &sha, png.clone())
        .await
        .expect(200);

    let other = signature_png(6);
    upload_blob(&app, &token, &sha256_of(&other), png.clone())
        .await
        .expect_error(422, "sync.blob_hash_mismatch");
    let text = b"not an image, just words".to_vec();
    upload_blob(&app, &token, &sha256_of(&text), text)
        .await
        .expect_error(422, "sync.blob_invalid");
    // Someone else uploading the same image is the same blob.
    let admin = app.admin().await;
    upload_blob(&app, &admin.token, &sha, png).await.expect(200);
}
db_test!(a_signature_upload_is_idempotent_and_checks_its_hash_and_its_format);

/// Scenario 17, countersignatures: `attendance.countersign@1` waits for its image like a mark,
/// then countersigns the half-day; a mark pushed after that is `refused`
/// (`attendance.slot_countersigned`) and the queue moves on.
async fn a_countersignature_pushed_with_its_uploaded_image_freezes_the_half_day(mut app: TestApp) {
    let (admin, running) = session_day(&mut app, 2).await;
    let slot = running.slots[0];
    let mut device = Device::register(&app, &running.trainer).await;
    device.sync(&app).await.expect(200);
    device.set_mark(&app, slot, running.trainees[0].id, Some("absent"), None);
    let png = signature_png(77);
    let sha = sha256_of(&png);
    device.blobs.insert(sha.clone(), png);
    device.queue(
        &app,
        "attendance.countersign@1",
        Some(("slot_signoff", slot)),
        json!({ "slot_id": slot, "signature_sha256": sha }),
    );

    let first = device.push_once(&app).await;
    first.expect(200);
    assert_eq!(result(&first, 0)["status"], "applied");
    let missing = result(&first, 1);
    assert_eq!(missing["reason"]["code"], "blob_missing", "{}", first.text);
    assert_eq!(first.body["stopped"]["code"], "BLOB_MISSING");
    assert_eq!(first.body["last_seq"], 1);

    let reply = device.push(&app).await;
    reply.expect(200);
    let signed = result(&reply, 0);
    assert_eq!(signed["status"], "applied", "{}", reply.text);
    assert_eq!(signed["entity"]["type"], "slot_signoff");
    assert_eq!(signed["state"]["signature_sha256"], sha);
    assert_eq!(reply.body["last_seq"], 2);

    device.set_mark(&app, slot, running.trainees[1].id, Some("absent"), None);
    device.set_mark(
        &app,
        running.slots[1],
        running.trainees[1].id,
        Some("absent"),
        None,
    );
    let reply = device.push(&app).await;
    reply.expect(200);
    let frozen = result(&reply, 0);
    assert_eq!(frozen["status"], "rejected", "{}", reply.text);
    assert_eq!(frozen["reason"]["code"], "refused");
    assert_eq!(frozen["reason"]["error"], "attendance.slot_countersigned");
    assert_eq!(frozen["reason"]["retryable"], false);
    assert_eq!(result(&reply, 1)["status"], "applied", "another half-day");
    assert_eq!(reply.body["last_seq"], 4);
    let sheet = app
        .get(
            &format!("/api/v1/slots/{slot}/marks/{}", running.trainees[1].id),
            Some(&admin.token),
        )
        .await;
    assert!(
        sheet.status == 404 || sheet.body["mark"].is_null(),
        "the frozen half-day kept no mark: {}",
        sheet.text
    );
    pull_and_check(&app, &mut device).await;
    let signoff = row(&device, "slot_signoff", slot).expect("the countersignature is pulled");
    assert_eq!(signoff["signature_sha256"], sha);
}
db_test!(a_countersignature_pushed_with_its_uploaded_image_freezes_the_half_day);

// ----- scenario 18: protocol and schema versions ---------------------------------------------

/// A pull body as a device of another protocol or schema sends it.
fn pull_body(device: &Device, protocol: i64, schema_version: i64) -> Value {
    json!({
        "protocol": protocol,
        "schema_version": schema_version,
        "device_id": device.id,
        "cursor": device.cursor,
        "limit": null,
    })
}

/// Scenario 18: a queued `attendance.set@1` is still accepted; a cursor made for another
/// schema version answers `reset` (`schema_changed`); a protocol older than the server's
/// minimum answers 426 with `min_protocol`, a newer one 422.
async fn protocol_and_schema_versions_are_checked_and_a_queued_v1_mark_is_accepted(
    mut app: TestApp,
) {
    let (admin, running) = session_day(&mut app, 1).await;
    let slot = running.slots[0];
    let trainee = running.trainees[0].id;
    let mut device = Device::register(&app, &running.trainer).await;
    device.pull(&app, None).await.expect(200);
    assert!(device.cursor.is_some());
    device.set_mark(&app, slot, trainee, Some("excused"), None);
    let reply = device.push(&app).await;
    reply.expect(200);
    assert_eq!(result(&reply, 0)["status"], "applied");
    assert_eq!(
        online_mark(&app, &admin, slot, trainee).await["status"],
        "excused"
    );

    // The app was upgraded to schema 2 while its cursor was made for schema 1.
    let token = running.trainer.token.clone();
    let reset = app
        .post(
            "/sync/v1/pull",
            Some(&token),
            pull_body(&device, PROTOCOL, SCHEMA_VERSION + 1),
        )
        .await;
    reset.expect(200);
    assert_eq!(reset.body["reset"], "schema_changed", "{}", reset.text);
    assert_eq!(reset.body["changes"], json!([]));
    assert!(reset.body["cursor"].is_null());
    assert_eq!(reset.header("cache-control"), Some("no-store"));
    // With its own schema, the same cursor still works.
    let same = device.pull_page(&app, None).await;
    same.expect(200);
    assert!(same.body["reset"].is_null(), "{}", same.text);

    for path in ["/sync/v1/pull", "/sync/v1/push"] {
        let mut old = pull_body(&device, 0, SCHEMA_VERSION);
        let mut new = pull_body(&device, PROTOCOL + 1, SCHEMA_VERSION);
        if path.ends_with("push") {
            for body in [&mut old, &mut new] {
                let map = body.as_object_mut().unwrap();
                map.remove("cursor");
                map.remove("limit");
                map.insert("mutations".into(), json!([]));
            }
        }
        let too_old = app.post(path, Some(&token), old).await;
        too_old.expect_error(426, "sync.protocol_too_old");
        assert_eq!(too_old.body["min_protocol"], 1, "{}", too_old.text);
        app.post(path, Some(&token), new)
            .await
            .expect_error(422, "sync.protocol_unknown");
    }
    pull_and_check(&app, &mut device).await;
}
db_test!(protocol_and_schema_versions_are_checked_and_a_queued_v1_mark_is_accepted);

/// Scenario 18, a schema the server does not serve: a `reset` asks the device to pull again
/// from a `null` cursor, so it cannot be the answer to a pull that already has none — a device
/// following the contract would pull, reset, pull… forever. An app on another schema version
/// than the server's, pulling from scratch, must get something it can act on (an error it can
/// show, or the rows), not that loop.
async fn a_pull_from_no_cursor_in_another_schema_is_not_answered_with_a_reset_it_cannot_follow(
    mut app: TestApp,
) {
    let (_admin, running) = session_day(&mut app, 1).await;
    let device = Device::register(&app, &running.trainer).await;
    for schema_version in [SCHEMA_VERSION + 1, SCHEMA_VERSION - 1] {
        let body = pull_body(&device, PROTOCOL, schema_version);
        assert!(body["cursor"].is_null());
        let reply = app
            .post("/sync/v1/pull", Some(&running.trainer.token), body)
            .await;
        assert!(
            reply.status != 200 || reply.body["reset"].is_null(),
            "schema {schema_version}: a pull from a null cursor answered a reset, which asks \
             for a pull from a null cursor: {}",
            reply.text
        );
    }
}
db_test!(a_pull_from_no_cursor_in_another_schema_is_not_answered_with_a_reset_it_cannot_follow);

// ----- clubs -----------------------------------------------------------------------------------

/// Clubs: the animator's device pulls the whole club (`club:`), a member's device the club and
/// its meetings (`club_members:`) and their own record, not the others' memberships or answers;
/// a member's offline RSVP applies and reaches the animator; a member who leaves gets the scope
/// in `scope_removed` and loses the club's meetings.
async fn club_devices_pull_their_scope_and_a_members_rsvp_reaches_the_animator(mut app: TestApp) {
    let clock = app.on_club_clock();
    let admin = app.admin().await;
    let (club, animator) = app.club(&admin, "open", "members").await;
    let member = app.club_member(club, &animator).await;
    let other = app.club_member(club, &animator).await;
    let meeting = app
        .meeting(
            &animator,
            club,
            meeting_body("Budget reviews", clubs_start() + Duration::days(2), 2),
        )
        .await;
    let answered = app.rsvp(&other, meeting, "maybe").await;
    assert!(answered.status.is_success(), "{}", answered.text);
    clock.advance(Duration::minutes(5));

    let mut lead = Device::register(&app, &animator).await;
    pull_and_check(&app, &mut lead).await;
    assert!(
        lead.scopes.contains(&format!("club:{club}")),
        "{:?}",
        lead.scopes
    );
    assert!(row(&lead, "club", club).is_some());
    assert!(row(&lead, "meeting", meeting).is_some());
    let memberships = rows_of(&lead, "club_membership");
    for person in [member.id, other.id, animator.id] {
        assert!(
            memberships.iter().any(|m| m["person_id"] == json!(person)),
            "the animator sees every membership: {memberships:?}"
        );
    }
    let answers = rows_of(&lead, "meeting_rsvp");
    assert_eq!(answers.len(), 1, "{answers:?}");
    assert_eq!(answers[0]["person_id"], json!(other.id));

    let mut phone = Device::register(&app, &member).await;
    pull_and_check(&app, &mut phone).await;
    let scope = format!("club_members:{club}");
    assert!(phone.scopes.contains(&scope), "{:?}", phone.scopes);
    assert!(phone.scopes.contains(&format!("person:{}", member.id)));
    assert!(!phone.scopes.contains(&format!("club:{club}")));
    assert!(row(&phone, "club", club).is_some());
    assert!(row(&phone, "meeting", meeting).is_some());
    let seen: Vec<_> = rows_of(&phone, "club_membership")
        .iter()
        .map(|m| m["person_id"].clone())
        .collect();
    assert_eq!(seen, vec![json!(member.id)], "only their own membership");
    assert!(
        rows_of(&phone, "meeting_rsvp").is_empty(),
        "not the others' answers"
    );

    // Offline, the member answers yes.
    phone.queue(
        &app,
        "meeting.rsvp@1",
        None,
        json!({ "meeting_id": meeting, "answer": "yes" }),
    );
    let reply = phone.push(&app).await;
    reply.expect(200);
    let rsvp = result(&reply, 0);
    assert_eq!(rsvp["status"], "applied", "{}", reply.text);
    assert_eq!(rsvp["entity"]["type"], "meeting_rsvp");
    assert_eq!(rsvp["state"]["answer"], "yes");
    let rsvp_id = entity_id(rsvp);
    pull_and_check(&app, &mut lead).await;
    let seen = row(&lead, "meeting_rsvp", rsvp_id).expect("the animator pulls the answer");
    assert_eq!(seen["answer"], "yes");
    assert_eq!(seen["person_id"], json!(member.id));
    pull_and_check(&app, &mut phone).await;
    assert_eq!(
        row(&phone, "meeting_rsvp", rsvp_id).unwrap()["answer"],
        "yes"
    );

    // The member leaves the club.
    app.post(
        &format!("/api/v1/clubs/{club}/leave"),
        Some(&member.token),
        json!({}),
    )
    .await
    .expect(200);
    let mut removed = Vec::new();
    loop {
        let page = phone.pull_page(&app, Some(2)).await;
        page.expect(200);
        assert!(page.body["reset"].is_null(), "{}", page.text);
        removed.extend(
            page.body["scope_removed"]
                .as_array()
                .unwrap()
                .iter()
                .cloned(),
        );
        if page.body["has_more"] == false {
            assert!(phone.verify_checksum(&page.body), "checksum after leaving");
            break;
        }
    }
    assert!(
        removed.contains(&json!(scope)),
        "scope_removed: {removed:?}"
    );
    assert!(!phone.scopes.contains(&scope), "{:?}", phone.scopes);
    assert!(
        row(&phone, "meeting", meeting).is_none(),
        "the meetings leave the base"
    );
    assert!(row(&phone, "club", club).is_none());
    pull_and_check(&app, &mut phone).await;

    // An answer queued before leaving is refused now, and the queue moves on.
    phone.queue(
        &app,
        "meeting.rsvp@1",
        None,
        json!({ "meeting_id": meeting, "answer": "no" }),
    );
    let reply = phone.push(&app).await;
    reply.expect(200);
    let refused = result(&reply, 0);
    assert_eq!(refused["status"], "rejected", "{}", reply.text);
    assert!(
        ["not_found", "forbidden"].contains(&refused["reason"]["code"].as_str().unwrap()),
        "{refused}"
    );
    assert_eq!(reply.body["last_seq"], 2);
    pull_and_check(&app, &mut lead).await;
    assert_eq!(
        row(&lead, "meeting_rsvp", rsvp_id).unwrap()["answer"],
        "yes",
        "the refused answer changed nothing"
    );
}
db_test!(club_devices_pull_their_scope_and_a_members_rsvp_reaches_the_animator);

// ----- scenario 16: a database failure during a push ------------------------------------------

/// Serves the same SQLite database from a new pool whose busy timeout is `ms` (SQLite applies
/// it per connection when the pool opens them, so [`TestApp::configure`] cannot change it).
async fn with_sqlite_busy_timeout(app: &mut TestApp, ms: u64) {
    let mut settings = (*app.state.settings).clone();
    settings.sqlite_busy_timeout_ms = ms;
    let db = passerelle::db::connect(&settings).await.expect("reconnect");
    app.state = AppState::with_clock(db, settings, app.state.clock.clone()).expect("state");
    app.client = TestApp::client_for(&app.state);
}

/// A transaction on another pool that holds a lock the push needs: SQLite's write lock
/// (`BEGIN IMMEDIATE`), or on PostgreSQL the device's row (`FOR UPDATE`).
enum Holder {
    Sqlite(WriteTx),
    Postgres(sea_orm::DatabaseTransaction),
}

impl Holder {
    /// Ends the holding transaction (rolled back).
    async fn release(self) {
        match self {
            Holder::Sqlite(tx) => drop(tx),
            Holder::Postgres(txn) => txn.rollback().await.unwrap(),
        }
    }
}

async fn hold_push_lock(app: &TestApp, other: &DatabaseConnection, device: Uuid) -> Holder {
    if app.engine.is_postgres() {
        let txn = other.begin().await.unwrap();
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT id FROM sync_device WHERE id = $1 FOR UPDATE",
            [device.into()],
        ))
        .await
        .unwrap();
        Holder::Postgres(txn)
    } else {
        Holder::Sqlite(WriteTx::begin(other, &Clock::system()).await.unwrap())
    }
}

/// The marks of the trainees at `slot`, as an administrator reads them online.
async fn statuses(app: &TestApp, admin: &User, slot: Uuid, people: &[Uuid]) -> Vec<Value> {
    let mut out = Vec::new();
    for person in people {
        out.push(online_mark(app, admin, slot, *person).await["status"].clone());
    }
    out
}

/// Scenario 16: while another connection holds the lock a push needs, the push answers 503
/// `sync.unavailable` with the committed `last_seq`, and applies nothing of its batch; once
/// the lock is released, the same outbox pushes through.
async fn a_push_that_cannot_get_its_lock_answers_503_with_the_committed_last_seq(mut app: TestApp) {
    let (admin, running) = session_day(&mut app, 2).await;
    if app.engine.is_postgres() {
        app.configure(|s| s.sync_lock_timeout_ms = 300);
    } else {
        with_sqlite_busy_timeout(&mut app, 300).await;
    }
    let slot = running.slots[0];
    let people: Vec<Uuid> = running.trainees.iter().map(|t| t.id).collect();
    let mut device = Device::register(&app, &running.trainer).await;
    for person in &people {
        device.set_mark(&app, slot, *person, Some("present"), None);
    }
    device.push(&app).await.expect(200);
    assert_eq!(device.acked.len(), 2);
    for person in &people {
        device.set_mark(&app, slot, *person, Some("absent"), None);
    }

    let other = app.second_pool().await;
    let holder = hold_push_lock(&app, &other, device.id).await;
    let started = std::time::Instant::now();
    let reply = device.push(&app).await;
    reply.expect_error(503, "sync.unavailable");
    assert_eq!(
        reply.body["last_seq"], 2,
        "the committed position: {}",
        reply.text
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(4),
        "the push gave up after its timeout, not the default: {:?}",
        started.elapsed()
    );
    assert_eq!(device.outbox.len(), 2, "both stay queued");
    holder.release().await;
    assert_eq!(
        statuses(&app, &admin, slot, &people).await,
        vec![json!("present"), json!("present")],
        "nothing of the batch was applied"
    );

    let retry = device.push(&app).await;
    retry.expect(200);
    assert_eq!(retry.body["last_seq"], 4, "{}", retry.text);
    assert!(device.outbox.is_empty());
    assert_eq!(
        statuses(&app, &admin, slot, &people).await,
        vec![json!("absent"), json!("absent")]
    );
    pull_and_check(&app, &mut device).await;
}
db_test!(a_push_that_cannot_get_its_lock_answers_503_with_the_committed_last_seq);

/// Scenario 16 on PostgreSQL, mid-batch: the batch's first mutation is applied in the push's
/// transaction, the second waits for a mark's row lock held elsewhere and times out: the whole
/// batch rolls back (the first mutation too), 503 with the committed `last_seq`.
async fn a_lock_timeout_in_the_middle_of_a_batch_rolls_back_the_mutations_before_it(
    mut app: TestApp,
) {
    if !app.engine.is_postgres() {
        // SQLite has one writer: the push waits before its first mutation (the test above).
        return;
    }
    let (admin, running) = session_day(&mut app, 2).await;
    app.configure(|s| s.sync_lock_timeout_ms = 300);
    let slot = running.slots[0];
    let people: Vec<Uuid> = running.trainees.iter().map(|t| t.id).collect();
    let mut device = Device::register(&app, &running.trainer).await;
    for person in &people {
        device.set_mark(&app, slot, *person, Some("present"), None);
    }
    device.push(&app).await.expect(200);
    for person in &people {
        device.set_mark(&app, slot, *person, Some("excused"), None);
    }

    let other = app.second_pool().await;
    let txn = other.begin().await.unwrap();
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT id FROM attendance_mark WHERE id = $1 FOR UPDATE",
        [mark_id(slot, people[1]).into()],
    ))
    .await
    .unwrap();
    let reply = device.push(&app).await;
    reply.expect_error(503, "sync.unavailable");
    assert_eq!(reply.body["last_seq"], 2, "{}", reply.text);
    txn.rollback().await.unwrap();
    assert_eq!(
        statuses(&app, &admin, slot, &people).await,
        vec![json!("present"), json!("present")],
        "the first mutation of the batch was rolled back with it"
    );

    device.push(&app).await.expect(200);
    assert_eq!(
        statuses(&app, &admin, slot, &people).await,
        vec![json!("excused"), json!("excused")]
    );
    pull_and_check(&app, &mut device).await;
}
db_test!(a_lock_timeout_in_the_middle_of_a_batch_rolls_back_the_mutations_before_it);

/// Installs (or removes) a trigger that makes the database fail every write of an `excused`
/// mark: a failure injected in the middle of a batch, on both engines.
async fn failing_excused_marks(db: &DatabaseConnection, on: bool) {
    let statements: &[&str] = match (db.get_database_backend(), on) {
        (DbBackend::Postgres, true) => &[
            "CREATE FUNCTION test_fail_excused() RETURNS trigger AS $$ BEGIN \
             IF NEW.status::text = 'excused' THEN RAISE EXCEPTION 'injected failure'; END IF; \
             RETURN NEW; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER test_fail_excused BEFORE INSERT OR UPDATE ON attendance_mark \
             FOR EACH ROW EXECUTE FUNCTION test_fail_excused()",
        ],
        (DbBackend::Postgres, false) => &[
            "DROP TRIGGER test_fail_excused ON attendance_mark",
            "DROP FUNCTION test_fail_excused()",
        ],
        (_, true) => &[
            "CREATE TRIGGER test_fail_excused_insert BEFORE INSERT ON attendance_mark \
             WHEN NEW.status = 'excused' BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
            "CREATE TRIGGER test_fail_excused_update BEFORE UPDATE ON attendance_mark \
             WHEN NEW.status = 'excused' BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
        ],
        (_, false) => &[
            "DROP TRIGGER test_fail_excused_insert",
            "DROP TRIGGER test_fail_excused_update",
        ],
    };
    for sql in statements {
        db.execute_unprepared(sql).await.unwrap();
    }
}

/// Scenario 16, a failure injected mid-batch (both engines): the first mutation applies in the
/// push's transaction, the second meets a database error; nothing of the batch stays, the
/// answer is 503 with the committed `last_seq`, and the retry completes.
async fn a_database_error_in_the_middle_of_a_batch_applies_nothing_of_it(mut app: TestApp) {
    let (admin, running) = session_day(&mut app, 2).await;
    let slot = running.slots[0];
    let people: Vec<Uuid> = running.trainees.iter().map(|t| t.id).collect();
    let mut device = Device::register(&app, &running.trainer).await;
    for person in &people {
        device.set_mark(&app, slot, *person, Some("present"), None);
    }
    device.push(&app).await.expect(200);
    device.pull(&app, None).await.expect(200);
    device.set_mark(&app, slot, people[0], Some("absent"), None);
    device.set_mark(&app, slot, people[1], Some("excused"), None);

    failing_excused_marks(app.db(), true).await;
    let reply = device.push(&app).await;
    reply.expect_error(503, "sync.unavailable");
    assert_eq!(reply.body["last_seq"], 2, "{}", reply.text);
    assert_eq!(device.outbox.len(), 2);
    assert_eq!(
        statuses(&app, &admin, slot, &people).await,
        vec![json!("present"), json!("present")],
        "the mutation before the failure was rolled back"
    );
    let page = device.pull_page(&app, None).await;
    page.expect(200);
    assert_eq!(
        page.body["changes"],
        json!([]),
        "nothing of the batch reached the index"
    );

    failing_excused_marks(app.db(), false).await;
    let retry = device.push(&app).await;
    retry.expect(200);
    assert_eq!(retry.body["last_seq"], 4, "{}", retry.text);
    assert_eq!(
        statuses(&app, &admin, slot, &people).await,
        vec![json!("absent"), json!("excused")]
    );
    pull_and_check(&app, &mut device).await;
}
db_test!(a_database_error_in_the_middle_of_a_batch_applies_nothing_of_it);
