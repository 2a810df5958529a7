//! Retention: `passerelle purge` removes each kind of record once its period has passed — the
//! attendance evidence of old sessions (devices get tombstones), old certificates, closed
//! complaints, delivered e-mails, dead login tokens — and nothing else; `--dry-run` counts the
//! same and removes nothing.

use chrono::{TimeZone, Utc};
use serde_json::{Value, json};

use crate::documents::{
    attend_and_close, enrolment_of, session_certificates, set_provider, signed,
};
use crate::harness::TestApp;
use crate::sync::device::{Device, mark_id};
use passerelle::clock::Clock;
use passerelle::config::RetentionSettings;
use passerelle::privacy::retention;

db_test!(a_purge_removes_what_is_past_its_period_and_a_dry_run_counts_the_same_removing_nothing);
db_test!(the_purge_command_prints_what_it_would_remove);

fn counts(purged: &[passerelle::values::Purged]) -> Vec<(&'static str, u64)> {
    purged.iter().map(|p| (p.record, p.count)).collect()
}

fn count_of(purged: &[passerelle::values::Purged], record: &str) -> u64 {
    purged
        .iter()
        .find(|p| p.record == record)
        .unwrap_or_else(|| panic!("{record} in {purged:?}"))
        .count
}

async fn complaint(app: &TestApp, admin_token: &str, text: &str, close: bool) {
    let filed = app
        .post(
            "/api/v1/complaints",
            None,
            json!({ "channel": "email", "contact": "asso@example.test", "text": text }),
        )
        .await;
    filed.expect(201);
    if !close {
        return;
    }
    let path = format!("/api/v1/complaints/{}", filed.body["id"].as_str().unwrap());
    app.call(
        poem::http::Method::POST,
        &format!("{path}/acknowledgement"),
        Some(admin_token),
        None,
    )
    .await
    .expect(200);
    app.post(
        &format!("{path}/answer"),
        Some(admin_token),
        json!({ "answer": "Réglé." }),
    )
    .await
    .expect(200);
    app.post(
        &format!("{path}/closure"),
        Some(admin_token),
        json!({ "outcome": "Chauffage réparé." }),
    )
    .await
    .expect(200);
}

async fn a_purge_removes_what_is_past_its_period_and_a_dry_run_counts_the_same_removing_nothing(
    mut app: TestApp,
) {
    // A session of March 2027, attended, signed, closed, its certificate issued; a closed and an
    // open complaint; the trainer's tablet holds the marks.
    let (admin, running) = app.running_session(1, 1).await;
    set_provider(&app, &admin).await;
    attend_and_close(&app, &admin, &running, signed).await;
    session_certificates(&app, &admin, running.session, true)
        .await
        .expect(200);
    complaint(&app, &admin.token, "Salle froide.", true).await;
    complaint(&app, &admin.token, "Toujours froide.", false).await;
    let mut tablet = Device::register(&app, &running.trainer).await;
    tablet.sync(&app).await.expect(200);
    let trainee = running.trainees[0].id;
    let mark = mark_id(running.slots[0], trainee);
    assert!(tablet.view("attendance_mark", mark).is_some());
    let sheet_path = format!("/api/v1/sessions/{}/attendance", running.session);
    let enrolment = enrolment_of(&app, &admin, running.session, trainee).await;
    // In January 2031, with the attendance kept 3 years (from 2028 on: the 2027 session is
    // past), certificates 6 (kept), complaints 1 (the closed one is past).
    let later = Clock::manual(Utc.with_ymd_and_hms(2031, 1, 10, 9, 0, 0).unwrap());
    // Login tokens are kept here (the test's own must live on); the last step purges them.
    let settings = RetentionSettings {
        retain_complaints_years: 1,
        retain_tokens_days: 36500,
        ..RetentionSettings::default()
    };

    let dry = retention::purge(&app.state.db, &later, &settings, true)
        .await
        .unwrap();
    let sheet_after_dry_run = app.get(&sheet_path, Some(&admin.token)).await;
    let done = retention::purge(&app.state.db, &later, &settings, false)
        .await
        .unwrap();
    let again = retention::purge(&app.state.db, &later, &settings, false)
        .await
        .unwrap();

    assert_eq!(
        counts(&dry),
        counts(&done),
        "a dry run counts what the purge removes"
    );
    assert_eq!(
        count_of(&done, "attendance_mark"),
        2,
        "both half-days' marks"
    );
    assert_eq!(count_of(&done, "slot_signoff"), 2, "both countersignatures");
    assert!(
        count_of(&done, "signature") >= 4,
        "the trainee's and trainer's images: {done:?}"
    );
    assert_eq!(count_of(&done, "certificate"), 0, "kept 6 years");
    assert_eq!(
        count_of(&done, "complaint"),
        1,
        "the closed one; the open one stays"
    );
    assert_eq!(count_of(&done, "auth_token"), 0);
    assert!(
        again.iter().all(|p| p.count == 0),
        "nothing left to purge: {again:?}"
    );
    // The dry run removed nothing; the purge emptied the sheet but kept what closing recorded.
    let cells = |sheet: &Value| sheet["trainees"][0]["cells"].to_string();
    assert!(
        cells(&sheet_after_dry_run.body).contains("present"),
        "{}",
        sheet_after_dry_run.text
    );
    let sheet = app.get(&sheet_path, Some(&admin.token)).await;
    sheet.expect(200);
    assert!(!cells(&sheet.body).contains("present"), "{}", sheet.text);
    let kept = app
        .get(
            &format!("/api/v1/enrolments/{enrolment}"),
            Some(&admin.token),
        )
        .await;
    kept.expect(200);
    assert_eq!(kept.body["attended_minutes"], 420, "{}", kept.text);
    let listed = app
        .all_pages("/api/v1/complaints", Some(&admin.token))
        .await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["text"], "Toujours froide.");
    let certificates = session_certificates(&app, &admin, running.session, false).await;
    assert_eq!(certificates.body.as_array().map(Vec::len), Some(1));
    // The tablet's next pull removes the purged marks.
    tablet.sync(&app).await.expect(200);
    assert!(
        tablet.view("attendance_mark", mark).is_none(),
        "a tombstone reached the device"
    );
}

async fn the_purge_command_prints_what_it_would_remove(app: TestApp) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_passerelle"))
        .args(["purge", "--dry-run", "--retain-messages-days", "30"])
        .env("DATABASE_URL", app.database_url_for_a_process())
        .output()
        .expect("passerelle runs");
    let stdout = String::from_utf8_lossy(&output.stdout);

    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for record in [
        "attendance_mark",
        "signature",
        "certificate",
        "complaint",
        "notification",
        "auth_token",
    ] {
        assert!(stdout.contains(record), "{record} in {stdout}");
    }
    assert!(stdout.contains("dry run: nothing removed"), "{stdout}");
}
