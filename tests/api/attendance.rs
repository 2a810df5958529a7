//! Attendance: marks with signatures per half-day, the trainer's countersignature, the history of
//! every change, the minutes attended, who may record what, and signature images checked.

use serde_json::json;

use crate::fixtures::{Running, b64, encode, signature_png};
use crate::harness::TestApp;
use crate::oracle::assert_every_synced_row_is_stamped;

async fn a_trainer_records_a_twenty_by_ten_session_and_the_hours_attended_are_exact(
    mut app: TestApp,
) {
    let (admin, running) = app.running_session(5, 20).await;
    let Running {
        session,
        slots,
        trainer,
        trainees,
        ..
    } = &running;

    for (index, slot) in slots.iter().enumerate() {
        running.at_slot(index, 30);
        for (n, trainee) in trainees.iter().enumerate() {
            let seed = (n * 100 + index) as u32;
            let body = match (n, index) {
                // Trainee 0 is 45 minutes late on the first morning.
                (0, 0) => json!({
                    "status": "late", "late_minutes": 45,
                    "signature_png": b64(&signature_png(seed)),
                }),
                // Trainee 1 misses the last afternoon; trainee 2 is excused on the first one.
                (1, 9) => json!({ "status": "absent" }),
                (2, 1) => json!({ "status": "excused" }),
                _ => Running::present(seed),
            };
            app.mark(trainer, *slot, trainee.id, body).await.expect(201);
        }
        running.at_slot(index, 200);
        app.countersign(trainer, *slot, 9000 + index as u32)
            .await
            .expect(200);
    }

    let sheet = app
        .get(
            &format!("/api/v1/sessions/{session}/attendance"),
            Some(&trainer.token),
        )
        .await;
    sheet.expect(200);
    let rows = sheet.body["trainees"].as_array().unwrap();
    assert_eq!(rows.len(), 20);
    assert_eq!(sheet.body["slots"].as_array().unwrap().len(), 10);
    assert!(
        sheet.body["slots"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["countersigned"] == true)
    );
    let minutes = |person: uuid::Uuid| {
        rows.iter()
            .find(|r| r["person_id"] == person.to_string())
            .unwrap()["attended_minutes"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(
        minutes(trainees[0].id),
        10 * 210 - 45,
        "late minutes are subtracted"
    );
    assert_eq!(
        minutes(trainees[1].id),
        9 * 210,
        "an absence counts nothing"
    );
    assert_eq!(
        minutes(trainees[2].id),
        9 * 210,
        "an excused absence counts nothing"
    );
    assert_eq!(minutes(trainees[3].id), 10 * 210);
    assert!(rows.iter().all(|r| r["scheduled_minutes"] == 2100));
    let late = &rows
        .iter()
        .find(|r| r["person_id"] == trainees[0].id.to_string())
        .unwrap()["cells"][0];
    assert_eq!(late["status"], "late");
    assert_eq!(late["late_minutes"], 45);
    let _ = admin;
    assert_every_synced_row_is_stamped(app.db()).await;
}
db_test!(a_trainer_records_a_twenty_by_ten_session_and_the_hours_attended_are_exact);

async fn setting_the_same_mark_twice_keeps_one_mark_and_a_history_of_two_changes(mut app: TestApp) {
    let (_admin, running) = app.running_session(1, 1).await;
    let (slot, trainee) = (running.slots[0], &running.trainees[0]);
    running.at_slot(0, 10);

    let first = app
        .mark(
            &running.trainer,
            slot,
            trainee.id,
            json!({ "status": "absent" }),
        )
        .await;
    let second = app
        .mark(&running.trainer, slot, trainee.id, Running::present(7))
        .await;
    let read = app
        .get(
            &format!("/api/v1/slots/{slot}/marks/{}", trainee.id),
            Some(&trainee.token),
        )
        .await;

    first.expect(201);
    second.expect(200);
    assert_eq!(
        first.body["id"], second.body["id"],
        "one mark: its id is the pair's"
    );
    read.expect(200);
    assert_eq!(read.body["mark"]["status"], "present");
    let history = read.body["history"].as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0]["status"], "absent");
    assert_eq!(history[1]["status"], "present");
    assert_eq!(history[1]["by"], running.trainer.id.to_string());
    let sha = read.body["mark"]["signature_sha256"].as_str().unwrap();
    let png = app
        .client
        .get(format!("/api/v1/slots/{slot}/signatures/{sha}"))
        .header("authorization", format!("Bearer {}", trainee.token))
        .send()
        .await;
    png.assert_status_is_ok();
    png.assert_content_type("image/png");
    let bytes = png.0.into_body().into_vec().await.unwrap();
    assert_eq!(bytes, signature_png(7), "the image as signed");
}
db_test!(setting_the_same_mark_twice_keeps_one_mark_and_a_history_of_two_changes);

async fn only_the_trainee_the_session_s_trainers_and_administrators_record_a_mark(
    mut app: TestApp,
) {
    let (admin, running) = app.running_session(1, 2).await;
    let (slot, trainee, other) = (running.slots[0], &running.trainees[0], &running.trainees[1]);
    let stranger_trainer = app.trainer().await;
    running.at_slot(0, 10);

    let by_classmate = app.mark(other, slot, trainee.id, Running::present(1)).await;
    let by_other_trainer = app
        .mark(&stranger_trainer, slot, trainee.id, Running::present(1))
        .await;
    let peek = app
        .get(
            &format!("/api/v1/slots/{slot}/marks/{}", other.id),
            Some(&trainee.token),
        )
        .await;
    let sheet_by_trainee = app
        .get(
            &format!("/api/v1/sessions/{}/attendance", running.session),
            Some(&trainee.token),
        )
        .await;
    let not_enrolled = app
        .mark(
            &running.trainer,
            slot,
            stranger_trainer.id,
            json!({ "status": "absent" }),
        )
        .await;
    let self_check_in = app
        .mark(trainee, slot, trainee.id, Running::present(2))
        .await;
    let by_admin = app
        .mark(&admin, slot, other.id, json!({ "status": "absent" }))
        .await;

    by_classmate.expect_error(404, "attendance.slot_not_found");
    by_other_trainer.expect_error(404, "attendance.slot_not_found");
    peek.expect_error(404, "attendance.slot_not_found");
    sheet_by_trainee.expect_error(404, "attendance.session_not_found");
    not_enrolled.expect_error(404, "attendance.trainee_not_found");
    self_check_in.expect(201);
    assert_eq!(self_check_in.body["recorded_as"], "trainee");
    by_admin.expect(201);
    assert_eq!(by_admin.body["recorded_as"], "admin");
}
db_test!(only_the_trainee_the_session_s_trainers_and_administrators_record_a_mark);

async fn a_trainee_checks_in_only_around_the_half_day_present_and_signed(mut app: TestApp) {
    let (_admin, running) = app.running_session(1, 1).await;
    let (slot, trainee) = (running.slots[0], &running.trainees[0]);

    let too_early = app
        .mark(trainee, slot, trainee.id, Running::present(3))
        .await;
    running.at_slot(0, 5);
    let unsigned = app
        .mark(trainee, slot, trainee.id, json!({ "status": "present" }))
        .await;
    let absent = app
        .mark(trainee, slot, trainee.id, json!({ "status": "absent" }))
        .await;
    let in_time = app
        .mark(trainee, slot, trainee.id, Running::present(3))
        .await;
    running.at_slot(0, 210 + 121);
    let too_late = app
        .mark(trainee, slot, trainee.id, Running::present(4))
        .await;

    too_early.expect_error(409, "attendance.outside_check_in_window");
    unsigned.expect_error(422, "attendance.signature_required");
    absent.expect_error(422, "attendance.invalid");
    in_time.expect(201);
    too_late.expect_error(409, "attendance.outside_check_in_window");
}
db_test!(a_trainee_checks_in_only_around_the_half_day_present_and_signed);

async fn a_countersigned_half_day_refuses_marks_until_an_administrator_reopens_it(
    mut app: TestApp,
) {
    let (admin, running) = app.running_session(1, 1).await;
    let (slot, trainee, trainer) = (running.slots[0], &running.trainees[0], &running.trainer);
    running.at_slot(0, 30);
    app.mark(trainer, slot, trainee.id, Running::present(5))
        .await
        .expect(201);
    app.countersign(trainer, slot, 50).await.expect(200);

    let by_admin = app.countersign(&admin, slot, 49).await;
    let frozen = app
        .mark(trainer, slot, trainee.id, json!({ "status": "absent" }))
        .await;
    let twice = app.countersign(trainer, slot, 51).await;
    let by_trainer = app
        .post(
            &format!("/api/v1/slots/{slot}/reopen"),
            Some(&trainer.token),
            json!({ "reason": "typo" }),
        )
        .await;
    let reopened = app
        .post(
            &format!("/api/v1/slots/{slot}/reopen"),
            Some(&admin.token),
            json!({ "reason": "the trainee left at 10:00, marked present by mistake" }),
        )
        .await;
    let corrected = app
        .mark(
            trainer,
            slot,
            trainee.id,
            json!({ "status": "late", "late_minutes": 20 }),
        )
        .await;
    let signed_again = app.countersign(trainer, slot, 52).await;

    by_admin.expect_error(403, "attendance.forbidden");
    frozen.expect_error(409, "attendance.slot_countersigned");
    twice.expect_error(409, "attendance.slot_countersigned");
    by_trainer.expect_error(403, "attendance.forbidden");
    reopened.expect(200);
    assert_eq!(reopened.body["frozen"], false);
    assert_eq!(
        reopened.body["reopen_reason"],
        "the trainee left at 10:00, marked present by mistake"
    );
    corrected.expect(200);
    signed_again.expect(200);
    assert_eq!(signed_again.body["frozen"], true);
    assert_every_synced_row_is_stamped(app.db()).await;
}
db_test!(a_countersigned_half_day_refuses_marks_until_an_administrator_reopens_it);

async fn bad_signature_images_are_refused_each_with_its_code_and_nothing_is_stored(
    mut app: TestApp,
) {
    let (_admin, running) = app.running_session(1, 1).await;
    let (slot, trainee, trainer) = (running.slots[0], &running.trainees[0], &running.trainer);
    running.at_slot(0, 30);
    let good = signature_png(11);
    let truncated = good[..good.len() - 20].to_vec();
    let blank = encode(120, 40, &[255u8; 120 * 40]);
    // Noise does not compress: a 260 × 256 image of it is just over 64 KiB.
    let mut state = 12_345u32;
    let noise: Vec<u8> = (0..260 * 256)
        .map(|_| {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (state >> 16) as u8
        })
        .collect();
    let oversized = encode(260, 256, &noise);
    assert!(oversized.len() > 64 * 1024);
    let tiny = encode(
        4,
        4,
        &[
            0, 255, 0, 255, 255, 0, 255, 0, 0, 255, 0, 255, 255, 0, 255, 0,
        ],
    );

    for (bytes, code) in [
        (
            b"GIF89a not a png at all".to_vec(),
            "attendance.signature_not_png",
        ),
        (oversized, "attendance.signature_too_large"),
        (truncated, "attendance.signature_corrupt"),
        (blank, "attendance.signature_blank"),
        (tiny, "attendance.signature_dimensions"),
    ] {
        let reply = app
            .mark(
                trainer,
                slot,
                trainee.id,
                json!({ "status": "present", "signature_png": b64(&bytes) }),
            )
            .await;
        reply.expect_error(422, code);
    }
    let nothing = app
        .get(
            &format!("/api/v1/slots/{slot}/marks/{}", trainee.id),
            Some(&trainer.token),
        )
        .await;
    nothing.expect_error(404, "attendance.mark_not_found");
    let not_base64 = app
        .mark(
            trainer,
            slot,
            trainee.id,
            json!({ "status": "present", "signature_png": "%%%" }),
        )
        .await;
    assert_eq!(not_base64.status, 400);
}
db_test!(bad_signature_images_are_refused_each_with_its_code_and_nothing_is_stored);

async fn devices_setting_one_new_mark_at_once_make_one_mark_and_one_change_each(mut app: TestApp) {
    let (_admin, running) = app.running_session(3, 1).await;
    let trainee = running.trainees[0].id;
    // During the last half-day: every half-day has started, none is a correction (a trainer).
    running.at_slot(5, 10);
    let app = std::sync::Arc::new(app);
    let trainer = std::sync::Arc::new(running.trainer.clone());

    // 16 devices at once on each of the six half-days: each mark is new to all of them.
    let calls: Vec<_> = (0..96u32)
        .map(|n| {
            let (app, trainer) = (app.clone(), trainer.clone());
            let slot = running.slots[(n % 6) as usize];
            tokio::spawn(async move {
                let reply = app.mark(&trainer, slot, trainee, Running::present(n)).await;
                (slot, reply.status.as_u16())
            })
        })
        .collect();
    let mut answers = Vec::new();
    for call in calls {
        answers.push(call.await.unwrap());
    }

    for slot in &running.slots {
        let mut statuses: Vec<u16> = answers
            .iter()
            .filter(|(s, _)| s == slot)
            .map(|(_, status)| *status)
            .collect();
        statuses.sort_unstable();
        assert_eq!(
            statuses.iter().filter(|s| **s == 201).count(),
            1,
            "{statuses:?}"
        );
        assert_eq!(
            statuses.iter().filter(|s| **s == 200).count(),
            15,
            "{statuses:?}"
        );
        let read = app
            .get(
                &format!("/api/v1/slots/{slot}/marks/{trainee}"),
                Some(&trainer.token),
            )
            .await;
        assert_eq!(read.body["history"].as_array().unwrap().len(), 16);
    }
    assert_every_synced_row_is_stamped(app.db()).await;
}
db_test!(devices_setting_one_new_mark_at_once_make_one_mark_and_one_change_each);

async fn an_absent_trainee_is_listed_for_follow_up_with_its_log_and_drop_out_cause_from_the_closed_list(
    mut app: TestApp,
) {
    let (admin, running) = app.running_session(1, 2).await;
    let (absent, present) = (&running.trainees[0], &running.trainees[1]);
    let trainer = &running.trainer;
    running.at_slot(0, 20);
    app.mark(
        trainer,
        running.slots[0],
        absent.id,
        json!({ "status": "absent" }),
    )
    .await
    .expect(201);
    app.mark(trainer, running.slots[0], present.id, Running::present(1))
        .await
        .expect(201);
    let absences = format!("/api/v1/sessions/{}/absences", running.session);
    let follow = |person: uuid::Uuid| format!("{absences}/{person}/follow-ups");

    let listed = app.get(&absences, Some(&trainer.token)).await;
    let called = app
        .post(
            &follow(absent.id),
            Some(&trainer.token),
            json!({ "note": "Called: ill today" }),
        )
        .await;
    let without_cause = app
        .post(
            &follow(absent.id),
            Some(&admin.token),
            json!({ "note": "E-mail from the trainee", "drop_out_reason": "found a job" }),
        )
        .await;
    let other_without_note = app
        .post(
            &follow(absent.id),
            Some(&admin.token),
            json!({ "note": "E-mail from the trainee", "drop_out_cause": "other" }),
        )
        .await;
    let outside_the_list = app
        .post(
            &follow(absent.id),
            Some(&admin.token),
            json!({ "note": "E-mail from the trainee", "drop_out_cause": "bored" }),
        )
        .await;
    let left = app
        .post(
            &follow(absent.id),
            Some(&admin.token),
            json!({
                "note": "E-mail from the trainee",
                "drop_out_cause": "professional",
                "drop_out_reason": "found a job",
            }),
        )
        .await;
    let stranger = app
        .post(
            &follow(admin.id),
            Some(&trainer.token),
            json!({ "note": "?" }),
        )
        .await;
    let by_trainee = app.get(&absences, Some(&absent.token)).await;
    let after = app.get(&absences, Some(&admin.token)).await;

    listed.expect(200);
    let entries = listed.body.as_array().unwrap();
    assert_eq!(entries.len(), 1, "only the absent trainee");
    assert_eq!(entries[0]["person_id"], absent.id.to_string());
    assert_eq!(entries[0]["absent_slot_ids"], json!([running.slots[0]]));
    called.expect(201);
    without_cause.expect_error(422, "attendance.invalid");
    assert!(without_cause.body["fields"]["drop_out_cause"].is_array());
    other_without_note.expect_error(422, "attendance.invalid");
    assert!(other_without_note.body["fields"]["drop_out_reason"].is_array());
    assert_eq!(outside_the_list.status, 400, "{}", outside_the_list.text);
    left.expect(201);
    stranger.expect_error(404, "attendance.trainee_not_found");
    by_trainee.expect_error(404, "attendance.session_not_found");
    let entry = &after.body[0];
    assert_eq!(entry["follow_ups"].as_array().unwrap().len(), 2);
    assert_eq!(entry["follow_ups"][0]["note"], "Called: ill today");
    assert_eq!(entry["dropped_out"], true);
    assert_eq!(entry["drop_out_cause"], "professional");
    assert_eq!(entry["drop_out_reason"], "found a job");
}
db_test!(
    an_absent_trainee_is_listed_for_follow_up_with_its_log_and_drop_out_cause_from_the_closed_list
);
