//! Audit bundles: a ZIP whose manifest's hashes match its files, progress from 0 to 100, a
//! job that a restart resumes or fails with its reason (never left running), administrators only.

use std::collections::BTreeMap;
use std::io::Read;

use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::fixtures::{Running, User};
use crate::harness::TestApp;

const BUNDLES: &str = "/api/v1/evidence/bundles";

/// A closed one-day session in March 2027: two trainees present at both half-days, the
/// half-days countersigned, the first trainee convoked, each trainee's certificate issued.
async fn closed_session(app: &mut TestApp) -> (User, Running) {
    let (admin, running) = app.running_session(1, 2).await;
    crate::documents::set_provider(app, &admin).await;
    let enrolments = app
        .all_pages(
            &format!("/api/v1/enrolments?session_id={}", running.session),
            Some(&admin.token),
        )
        .await;
    let first = enrolments
        .iter()
        .find(|e| e["person_id"] == json!(running.trainees[0].id))
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.post(
        &format!("/api/v1/enrolments/{first}/convocation"),
        Some(&admin.token),
        json!({}),
    )
    .await
    .expect(201);
    for slot in 0..2 {
        running.at_slot(slot, 15);
        for (n, trainee) in running.trainees.iter().enumerate() {
            app.mark(
                &running.trainer,
                running.slots[slot],
                trainee.id,
                Running::present(n as u32 + 10 * slot as u32),
            )
            .await
            .expect(201);
        }
        running.at_slot(slot, 200);
        app.countersign(&running.trainer, running.slots[slot], 900 + slot as u32)
            .await
            .expect(200);
    }
    running.at_slot(1, 240);
    app.post(
        &format!("/api/v1/sessions/{}/close", running.session),
        Some(&admin.token),
        json!({ "justification": "vérifié par les tests" }),
    )
    .await
    .expect(200);
    for enrolment in &enrolments {
        let path = format!(
            "/api/v1/enrolments/{}/certificate",
            enrolment["id"].as_str().unwrap()
        );
        assert_eq!(app.download(&admin, &path).await.status, 200, "{path}");
    }
    (admin, running)
}

fn march(sessions: Option<Vec<Uuid>>) -> Value {
    let mut body = json!({ "from": "2027-03-01", "to": "2027-03-31" });
    if let Some(sessions) = sessions {
        body["sessions"] = json!(sessions);
    }
    body
}

/// Polls the bundle until its job has ended, returning every state seen.
async fn follow(app: &TestApp, admin: &User, id: &str) -> Vec<Value> {
    let mut seen = Vec::new();
    for _ in 0..2_000 {
        let reply = app
            .get(&format!("{BUNDLES}/{id}"), Some(&admin.token))
            .await;
        reply.expect(200);
        let ended = matches!(reply.body["status"].as_str(), Some("ready" | "failed"));
        seen.push(reply.body.clone());
        if ended {
            return seen;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the bundle never ended: {:?}", seen.last());
}

/// The archive's files by path.
async fn unzip(app: &TestApp, admin: &User, bundle: &Value) -> BTreeMap<String, Vec<u8>> {
    let download = app
        .download(admin, bundle["download"].as_str().expect("a download link"))
        .await;
    assert_eq!(download.status, 200);
    assert_eq!(
        hex::encode(Sha256::digest(&download.bytes)),
        bundle["sha256"].as_str().unwrap(),
        "the archive is the one the bundle describes"
    );
    assert_eq!(
        download.bytes.len() as u64,
        bundle["bytes"].as_u64().unwrap()
    );
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(download.bytes)).expect("a ZIP");
    let mut files = BTreeMap::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        let name = file.name().expect("a UTF-8 name").to_string();
        files.insert(name, bytes);
    }
    files
}

/// Asserts every file the manifest lists is in the archive with its hash and size, and nothing
/// else is; returns the manifest.
fn assert_manifest_matches(files: &BTreeMap<String, Vec<u8>>) -> Value {
    let manifest: Value =
        serde_json::from_slice(files.get("manifeste.json").expect("a manifest")).unwrap();
    let listed = manifest["files"].as_array().unwrap();
    for entry in listed {
        let path = entry["path"].as_str().unwrap();
        let bytes = files
            .get(path)
            .unwrap_or_else(|| panic!("{path} is listed but absent"));
        assert_eq!(
            hex::encode(Sha256::digest(bytes)),
            entry["sha256"].as_str().unwrap(),
            "{path}"
        );
        assert_eq!(
            bytes.len() as u64,
            entry["bytes"].as_u64().unwrap(),
            "{path}"
        );
    }
    assert_eq!(
        listed.len() + 1,
        files.len(),
        "the archive holds the listed files and the manifest"
    );
    manifest
}

async fn an_audit_bundle_holds_the_sessions_documents_and_a_manifest_whose_hashes_match_its_files(
    mut app: TestApp,
) {
    let (admin, running) = closed_session(&mut app).await;

    let accepted = app.post(BUNDLES, Some(&admin.token), march(None)).await;
    accepted.expect(202);
    let id = accepted.body["id"].as_str().unwrap().to_owned();
    let seen = follow(&app, &admin, &id).await;
    let ready = seen.last().unwrap();
    let files = unzip(&app, &admin, ready).await;
    let manifest = assert_manifest_matches(&files);

    assert_eq!(
        accepted.header("location"),
        Some(format!("{BUNDLES}/{id}").as_str())
    );
    assert_eq!(accepted.body["percent"], 0);
    assert!(
        accepted.body["seed"].is_i64(),
        "a drawn sample returns its seed"
    );
    assert_eq!(accepted.body["sessions"], json!([running.session]));
    let percents: Vec<u64> = seen
        .iter()
        .map(|b| b["percent"].as_u64().unwrap())
        .collect();
    assert!(
        percents.windows(2).all(|w| w[0] <= w[1]),
        "progress never goes back: {percents:?}"
    );
    assert_eq!(ready["status"], "ready", "{ready}");
    assert_eq!(ready["percent"], 100);
    assert_eq!(ready["done"], ready["total"]);
    assert_eq!(manifest["from"], "2027-03-01");
    assert!(manifest["note"].as_str().unwrap().contains("conformité"));

    let paths: Vec<&str> = files.keys().map(String::as_str).collect();
    let in_session = |suffix: &str| {
        paths
            .iter()
            .filter(|p| p.starts_with("sessions/2027-03-08-") && p.contains(suffix))
            .count()
    };
    assert_eq!(in_session("/feuille-emargement.pdf"), 1, "{paths:?}");
    assert_eq!(in_session("/certificats/"), 2, "{paths:?}");
    assert_eq!(in_session("/convocations/"), 1, "{paths:?}");
    assert_eq!(in_session("/enquetes.csv"), 1, "{paths:?}");
    for pdf in paths.iter().filter(|p| p.ends_with(".pdf")) {
        assert!(files[*pdf].starts_with(b"%PDF-"), "{pdf} is a PDF");
    }
    let report: Value =
        serde_json::from_slice(&files["rapport/rapport-preuves.json"]).expect("the report");
    assert_eq!(report["from"], "2027-03-01");
    assert!(report["parts"][0]["indicators"].as_array().unwrap().len() > 30);
    assert!(files["rapport/rapport-preuves.pdf"].starts_with(b"%PDF-"));
    assert!(files.contains_key("registres/reclamations.csv"));
    assert!(files.contains_key("registres/actions-amelioration.csv"));
}
db_test!(an_audit_bundle_holds_the_sessions_documents_and_a_manifest_whose_hashes_match_its_files);

async fn the_same_seed_draws_the_same_sample_and_chosen_sessions_must_fall_in_the_period(
    mut app: TestApp,
) {
    let (admin, running) = app.running_session(1, 1).await;
    let other = app
        .session_taught_by(&admin, &running.trainer, 1, 0, 15, running.clock.clone())
        .await;
    let mut seeded = march(None);
    seeded["seed"] = json!(42);
    let first = app.post(BUNDLES, Some(&admin.token), seeded.clone()).await;
    let second = app.post(BUNDLES, Some(&admin.token), seeded).await;
    let chosen = app
        .post(
            BUNDLES,
            Some(&admin.token),
            march(Some(vec![other.session])),
        )
        .await;
    let outside = app
        .post(
            BUNDLES,
            Some(&admin.token),
            march(Some(vec![Uuid::now_v7()])),
        )
        .await;
    let twice = app
        .post(
            BUNDLES,
            Some(&admin.token),
            march(Some(vec![other.session, other.session])),
        )
        .await;
    let backwards = app
        .post(
            BUNDLES,
            Some(&admin.token),
            json!({ "from": "2027-03-31", "to": "2027-03-01" }),
        )
        .await;

    first.expect(202);
    second.expect(202);
    assert_eq!(first.body["seed"], 42);
    assert_eq!(first.body["sessions"], second.body["sessions"]);
    assert_eq!(first.body["sessions"].as_array().unwrap().len(), 2);
    chosen.expect(202);
    assert_eq!(chosen.body["sessions"], json!([other.session]));
    assert_eq!(chosen.body["seed"], Value::Null);
    outside.expect(422);
    assert!(outside.text.contains("sessions[0]"), "{}", outside.text);
    twice.expect(422);
    assert!(twice.text.contains("sessions[1]"), "{}", twice.text);
    assert!(backwards.status.is_client_error(), "{}", backwards.text);
    for id in [&first, &second, &chosen] {
        let id = id.body["id"].as_str().unwrap();
        assert_eq!(
            follow(&app, &admin, id).await.last().unwrap()["status"],
            "ready"
        );
    }
}
db_test!(the_same_seed_draws_the_same_sample_and_chosen_sessions_must_fall_in_the_period);

async fn a_bundle_interrupted_by_a_restart_is_resumed_and_ends_ready(mut app: TestApp) {
    let (admin, _running) = closed_session(&mut app).await;
    let accepted = app.post(BUNDLES, Some(&admin.token), march(None)).await;
    accepted.expect(202);
    let id = accepted.body["id"].as_str().unwrap().to_owned();
    // Let the job start, then stop the instance as a crash would.
    for _ in 0..400 {
        let now = app
            .get(&format!("{BUNDLES}/{id}"), Some(&admin.token))
            .await;
        if now.body["status"] != "queued" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    app.restart().await;

    let seen = follow(&app, &admin, &id).await;
    let ended = seen.last().unwrap();
    assert_eq!(ended["status"], "ready", "{ended}");
    assert_eq!(ended["percent"], 100);
    assert_manifest_matches(&unzip(&app, &admin, ended).await);
}
db_test!(a_bundle_interrupted_by_a_restart_is_resumed_and_ends_ready);

async fn a_bundle_interrupted_too_often_is_failed_with_its_reason_and_has_no_archive(
    mut app: TestApp,
) {
    let (admin, _running) = app.running_session(1, 1).await;
    let accepted = app.post(BUNDLES, Some(&admin.token), march(None)).await;
    accepted.expect(202);
    let id: Uuid = accepted.body["id"].as_str().unwrap().parse().unwrap();
    follow(&app, &admin, &id.to_string()).await;
    // As three crashes in a row would leave it: running, after its third start.
    let mut row: entity::evidence_bundle::ActiveModel =
        entity::evidence_bundle::Entity::find_by_id(id)
            .one(app.db())
            .await
            .unwrap()
            .unwrap()
            .into();
    row.status = Set("running".into());
    row.attempts = Set(3);
    row.update(app.db()).await.unwrap();
    app.restart().await;

    let ended = follow(&app, &admin, &id.to_string()).await.pop().unwrap();
    let archive = app
        .get(&format!("{BUNDLES}/{id}/archive"), Some(&admin.token))
        .await;

    assert_eq!(ended["status"], "failed");
    assert!(
        ended["failure"]
            .as_str()
            .unwrap()
            .contains("interrompu 3 fois"),
        "{ended}"
    );
    assert_eq!(ended["download"], Value::Null);
    archive.expect_error(409, "evidence.bundle_not_ready");
}
db_test!(a_bundle_interrupted_too_often_is_failed_with_its_reason_and_has_no_archive);

async fn a_member_gets_not_found_from_every_evidence_operation(mut app: TestApp) {
    let (admin, running) = app.running_session(1, 1).await;
    let member = &running.trainees[0];
    let accepted = app.post(BUNDLES, Some(&admin.token), march(None)).await;
    accepted.expect(202);
    let id = accepted.body["id"].as_str().unwrap().to_owned();
    follow(&app, &admin, &id).await;

    for path in [
        "/api/v1/evidence/report?from=2027-03-01&to=2027-03-31".to_owned(),
        format!("{BUNDLES}/{id}"),
        format!("{BUNDLES}/{id}/archive"),
    ] {
        app.get(&path, Some(&member.token))
            .await
            .expect_error(404, "evidence.not_found");
        app.get(&path, Some(&running.trainer.token))
            .await
            .expect_error(404, "evidence.not_found");
    }
    app.post(BUNDLES, Some(&member.token), march(None))
        .await
        .expect_error(404, "evidence.not_found");
    app.get(&format!("{BUNDLES}/{}", Uuid::now_v7()), Some(&admin.token))
        .await
        .expect_error(404, "evidence.not_found");
    app.get(&format!("{BUNDLES}/{id}"), None).await.expect(401);
}
db_test!(a_member_gets_not_found_from_every_evidence_operation);
