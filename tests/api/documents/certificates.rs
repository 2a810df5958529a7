//! Certificats de réalisation: the hours actually attended, stored bytes, verification by code,
//! revocation, concurrent first downloads, a session's certificates issued all or none, the
//! session's archive.

use std::io::Read;

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend};
use serde_json::json;

use super::{
    Pdf, assert_pdf_a_2b, attend_and_close, enrolment_of, pdf, rename, session_certificates,
    set_provider, signed,
};
use crate::harness::TestApp;

db_test!(a_trainee_who_missed_a_half_day_gets_a_certificate_with_the_hours_actually_attended);
db_test!(a_trainee_enrolled_on_day_two_gets_a_certificate_of_what_they_could_attend);
db_test!(a_certificate_is_issued_once_and_every_download_is_the_same_file);
db_test!(the_verification_endpoint_answers_for_an_issued_certificate_and_404_for_an_unknown_code);
db_test!(a_revoked_certificate_verifies_as_revoked_and_the_next_download_issues_a_new_one);
db_test!(two_simultaneous_first_downloads_issue_one_certificate);
db_test!(guessing_certificate_codes_is_stopped_while_checking_real_ones_never_is);
db_test!(an_administrator_downloads_a_sessions_certificates_as_one_zip);
db_test!(a_database_failure_while_issuing_a_sessions_certificates_keeps_none_of_them);

async fn a_trainee_who_missed_a_half_day_gets_a_certificate_with_the_hours_actually_attended(
    mut app: TestApp,
) {
    let (admin, running) = app.running_session(1, 2).await;
    set_provider(&app, &admin).await;
    rename(&app, &admin, running.trainees[0].id, "Amélie", "Fournier").await;
    rename(&app, &admin, running.trainees[1].id, "Bao", "Nguyễn Thị").await;
    attend_and_close(&app, &admin, &running, |n, index| {
        if n == 1 && index == 1 {
            Some(json!({ "status": "absent" }))
        } else {
            signed(n, index)
        }
    })
    .await;
    let full = enrolment_of(&app, &admin, running.session, running.trainees[0].id).await;
    let partial = enrolment_of(&app, &admin, running.session, running.trainees[1].id).await;

    let all = pdf(
        &app,
        &running.trainees[0],
        &format!("/api/v1/enrolments/{full}/certificate"),
    )
    .await;
    let half = pdf(
        &app,
        &running.trainees[1],
        &format!("/api/v1/enrolments/{partial}/certificate"),
    )
    .await;

    for certificate in [&all, &half] {
        certificate.assert_says("CERTIFICAT DE RÉALISATION");
        certificate.assert_says("Hélène Marchand");
        certificate.assert_says("Fédération des Réseaux Solidaires");
        certificate.assert_says("Monter un projet AFD");
        certificate.assert_says("☒ action de formation");
        certificate.assert_says("du 8 mars 2027 au 8 mars 2027");
        certificate.assert_says("3 ans à compter de la fin de l'année du dernier paiement");
        certificate.assert_says("Fait à Lyon");
        assert_eq!(certificate.pages(), 1, "one page");
        assert_pdf_a_2b(certificate);
    }
    all.assert_says("Amélie Fournier");
    all.assert_says("pour une durée de 7 h effectivement suivie");
    half.assert_says("Bao Nguyễn Thị");
    half.assert_says("pour une durée de 3 h 30 effectivement suivie");
    half.assert_says("durée prévue : 7 h");
}

async fn a_trainee_enrolled_on_day_two_gets_a_certificate_of_what_they_could_attend(
    mut app: TestApp,
) {
    let (admin, running) = app.running_session(2, 1).await;
    set_provider(&app, &admin).await;
    let latecomer = app
        .user_with(&[passerelle::principal::Role::Member], None)
        .await;
    rename(&app, &admin, latecomer.id, "Chloé", "Tardieu").await;
    let record = |index: usize, people: Vec<crate::fixtures::User>| {
        let (app, running) = (&app, &running);
        async move {
            running.at_slot(index, 15);
            for (n, person) in people.iter().enumerate() {
                let body = signed(n, index).unwrap();
                let reply = app
                    .mark(&running.trainer, running.slots[index], person.id, body)
                    .await;
                assert!(reply.status == 200 || reply.status == 201, "{}", reply.text);
            }
            running.at_slot(index, 200);
            app.countersign(&running.trainer, running.slots[index], 7000 + index as u32)
                .await
                .expect(200);
        }
    };
    record(0, running.trainees.clone()).await;
    record(1, running.trainees.clone()).await;

    running.at_slot(2, 5);
    let by_themself = app.enrol(&latecomer, running.session, None).await;
    let late = app.enrol(&admin, running.session, Some(latecomer.id)).await;
    record(2, vec![running.trainees[0].clone(), latecomer.clone()]).await;
    record(3, vec![running.trainees[0].clone(), latecomer.clone()]).await;
    running.at_slot(3, 240);
    app.post(
        &format!("/api/v1/sessions/{}/close", running.session),
        Some(&admin.token),
        json!({ "justification": "checked by the tests" }),
    )
    .await
    .expect(200);
    let enrolment = enrolment_of(&app, &admin, running.session, latecomer.id).await;
    let closed = app
        .get(
            &format!("/api/v1/enrolments/{enrolment}"),
            Some(&admin.token),
        )
        .await;
    let certificate = pdf(
        &app,
        &latecomer,
        &format!("/api/v1/enrolments/{enrolment}/certificate"),
    )
    .await;

    by_themself.expect_error(409, "enrolment.session_started");
    late.expect(201);
    assert_eq!(late.body["status"], "confirmed");
    assert_eq!(late.body["late"], true);
    assert_eq!(
        late.body["late_first_slot_id"],
        running.slots[2].to_string(),
        "the first half-day not yet ended"
    );
    closed.expect(200);
    assert_eq!(closed.body["attended_minutes"], 420);
    assert_eq!(
        closed.body["outcome"], "completed",
        "every half-day they could attend"
    );
    certificate.assert_says("Chloé Tardieu");
    certificate.assert_says("du 9 mars 2027 au 9 mars 2027");
    certificate.assert_says("pour une durée de 7 h effectivement suivie");
    certificate.assert_says("durée prévue : 7 h");
    assert_pdf_a_2b(&certificate);
}

async fn a_certificate_is_issued_once_and_every_download_is_the_same_file(mut app: TestApp) {
    let (admin, running) = app.running_session(1, 1).await;
    set_provider(&app, &admin).await;
    attend_and_close(&app, &admin, &running, signed).await;
    let enrolment = enrolment_of(&app, &admin, running.session, running.trainees[0].id).await;
    let path = format!("/api/v1/enrolments/{enrolment}/certificate");

    let first = pdf(&app, &running.trainees[0], &path).await;
    running.set_clock(running.clock.now() + chrono::Duration::days(20));
    let later = pdf(&app, &admin, &path).await;
    let listed = session_certificates(&app, &admin, running.session, false).await;

    assert_eq!(first.bytes, later.bytes, "the stored file, byte for byte");
    listed.expect(200);
    let items = listed.body.as_array().unwrap();
    assert_eq!(items.len(), 1);
    let sha = sha256_hex(&first.bytes);
    assert_eq!(items[0]["sha256"], sha);
    assert_eq!(items[0]["attended_minutes"], 420);
    assert_eq!(items[0]["duration"], "7 h");
    assert_eq!(items[0]["issued_by"], running.trainees[0].id.to_string());
    let code = items[0]["code"].as_str().unwrap();
    first.assert_says(code);
    first.assert_says(&format!("/api/v1/certificates/verify/{code}"));
}

async fn the_verification_endpoint_answers_for_an_issued_certificate_and_404_for_an_unknown_code(
    mut app: TestApp,
) {
    let (admin, running) = app.running_session(1, 1).await;
    set_provider(&app, &admin).await;
    rename(&app, &admin, running.trainees[0].id, "Karim", "Belkacem").await;
    attend_and_close(&app, &admin, &running, |_, index| {
        (index == 0).then(|| super::signed(0, 0)).flatten()
    })
    .await;
    let issued = session_certificates(&app, &admin, running.session, true).await;
    issued.expect(200);
    let code = issued.body[0]["code"].as_str().unwrap().to_owned();

    let verified = app
        .get(&format!("/api/v1/certificates/verify/{code}"), None)
        .await;
    let typed = app
        .get(
            &format!("/api/v1/certificates/verify/%20{}%20", code.to_lowercase()),
            None,
        )
        .await;
    let unknown = app
        .get("/api/v1/certificates/verify/AAAA-BBBB-CCCC-DDDD", None)
        .await;

    verified.expect(200);
    assert_eq!(verified.body["status"], "valid");
    assert_eq!(verified.body["trainee"], "Karim Belkacem");
    assert_eq!(verified.body["training_title"], "Monter un projet AFD");
    assert_eq!(verified.body["attended_minutes"], 210);
    assert_eq!(verified.body["duration"], "3 h 30");
    assert_eq!(verified.body["first_day"], "2027-03-08");
    assert_eq!(
        verified.body["provider_name"],
        "Fédération des Réseaux Solidaires"
    );
    assert_eq!(verified.body["revoked_at"], serde_json::Value::Null);
    assert_eq!(verified.body["sha256"], issued.body[0]["sha256"]);
    typed.expect(200);
    assert_eq!(typed.body["code"], code.as_str());
    unknown.expect_error(404, "documents.certificate_not_found");
}

async fn a_revoked_certificate_verifies_as_revoked_and_the_next_download_issues_a_new_one(
    mut app: TestApp,
) {
    let (admin, running) = app.running_session(1, 1).await;
    set_provider(&app, &admin).await;
    attend_and_close(&app, &admin, &running, signed).await;
    let enrolment = enrolment_of(&app, &admin, running.session, running.trainees[0].id).await;
    let path = format!("/api/v1/enrolments/{enrolment}/certificate");
    let first = pdf(&app, &running.trainees[0], &path).await;
    let listed = session_certificates(&app, &admin, running.session, false).await;
    let (id, code) = (
        listed.body[0]["id"].as_str().unwrap().to_owned(),
        listed.body[0]["code"].as_str().unwrap().to_owned(),
    );
    let revoke = "/api/v1/certificate-revocations";
    let body = |reason: &str| json!({ "certificate_id": id, "reason": reason });

    let by_trainee = app
        .post(revoke, Some(&running.trainees[0].token), body("x"))
        .await;
    let empty = app.post(revoke, Some(&admin.token), body("  ")).await;
    let revoked = app
        .post(revoke, Some(&admin.token), body("Wrong hours"))
        .await;
    let again = app.post(revoke, Some(&admin.token), body("Twice")).await;
    let verified = app
        .get(&format!("/api/v1/certificates/verify/{code}"), None)
        .await;
    let reissued = pdf(&app, &running.trainees[0], &path).await;
    let old_file = pdf(&app, &admin, &format!("/api/v1/certificates/{id}")).await;
    let after = session_certificates(&app, &admin, running.session, false).await;

    by_trainee.expect_error(403, "documents.forbidden");
    empty.expect_error(422, "documents.invalid");
    revoked.expect(200);
    assert_eq!(revoked.body["revoke_reason"], "Wrong hours");
    again.expect_error(409, "documents.already_revoked");
    verified.expect(200);
    assert_eq!(verified.body["status"], "revoked");
    assert!(verified.body["revoked_at"].is_string());
    assert_ne!(reissued.bytes, first.bytes, "a new certificate");
    assert!(!reissued.says(&code), "with a new code");
    assert_eq!(old_file.bytes, first.bytes, "the revoked file is kept");
    let items = after.body.as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(
        items.iter().filter(|c| c["revoked_at"].is_null()).count(),
        1,
        "one valid certificate"
    );
}

async fn guessing_certificate_codes_is_stopped_while_checking_real_ones_never_is(mut app: TestApp) {
    let (admin, running) = app.running_session(1, 1).await;
    set_provider(&app, &admin).await;
    attend_and_close(&app, &admin, &running, signed).await;
    let issued = session_certificates(&app, &admin, running.session, true).await;
    let code = issued.body[0]["code"].as_str().unwrap().to_owned();
    let real = format!("/api/v1/certificates/verify/{code}");

    let mut known = Vec::new();
    for _ in 0..30 {
        known.push(app.get(&real, None).await.status);
    }
    let mut guesses = Vec::new();
    for n in 0..21 {
        let guess = format!("/api/v1/certificates/verify/GUES-S000-0000-{n:04}");
        guesses.push(app.get(&guess, None).await);
    }
    let after = app.get(&real, None).await;

    assert!(
        known.iter().all(|s| *s == 200),
        "real codes never count: {known:?}"
    );
    for guess in &guesses[..20] {
        guess.expect_error(404, "documents.certificate_not_found");
    }
    guesses[20].expect_error(429, "documents.too_many_lookups");
    assert!(guesses[20].header("retry-after").is_some());
    after.expect_error(429, "documents.too_many_lookups");
}

async fn two_simultaneous_first_downloads_issue_one_certificate(mut app: TestApp) {
    let (admin, running) = app.running_session(1, 1).await;
    set_provider(&app, &admin).await;
    attend_and_close(&app, &admin, &running, signed).await;
    let enrolment = enrolment_of(&app, &admin, running.session, running.trainees[0].id).await;
    let path = format!("/api/v1/enrolments/{enrolment}/certificate");

    let (a, b, c) = tokio::join!(
        app.download(&running.trainees[0], &path),
        app.download(&admin, &path),
        app.download(&running.trainees[0], &path),
    );
    let listed = session_certificates(&app, &admin, running.session, false).await;

    for d in [&a, &b, &c] {
        assert_eq!(d.status, 200, "{}", String::from_utf8_lossy(&d.bytes));
    }
    assert_eq!(a.bytes, b.bytes, "the same certificate");
    assert_eq!(b.bytes, c.bytes, "the same certificate");
    assert_eq!(listed.body.as_array().unwrap().len(), 1, "issued once");
}

async fn an_administrator_downloads_a_sessions_certificates_as_one_zip(mut app: TestApp) {
    let (admin, running) = app.running_session(1, 3).await;
    set_provider(&app, &admin).await;
    attend_and_close(&app, &admin, &running, signed).await;
    let archive = format!("/api/v1/sessions/{}/certificates/archive", running.session);

    let by_trainer = app.get(&archive, Some(&running.trainer.token)).await;
    let zip = app.download(&admin, &archive).await;

    by_trainer.expect_error(403, "documents.forbidden");
    assert_eq!(zip.status, 200);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.bytes)).expect("a ZIP");
    assert_eq!(archive.len(), 3, "one PDF per trainee");
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let name = file.name().unwrap().to_string();
        assert!(
            name.starts_with("certificat-") && name.ends_with(".pdf"),
            "{name}"
        );
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        let certificate = Pdf::of(bytes);
        certificate.assert_says("pour une durée de 7 h");
    }
}

async fn a_database_failure_while_issuing_a_sessions_certificates_keeps_none_of_them(
    mut app: TestApp,
) {
    let (admin, running) = app.running_session(1, 3).await;
    set_provider(&app, &admin).await;
    attend_and_close(&app, &admin, &running, signed).await;
    refusing_a_second_certificate(app.db(), true).await;

    let failed = session_certificates(&app, &admin, running.session, true).await;
    let after_failure = session_certificates(&app, &admin, running.session, false).await;
    refusing_a_second_certificate(app.db(), false).await;
    let retried = session_certificates(&app, &admin, running.session, true).await;

    assert_eq!(failed.status, 500, "{}", failed.text);
    after_failure.expect(200);
    assert_eq!(
        after_failure.body.as_array().unwrap().len(),
        0,
        "the first certificate of the failed batch was rolled back with it"
    );
    retried.expect(200);
    assert_eq!(
        retried.body.as_array().unwrap().len(),
        3,
        "{}",
        retried.text
    );
}

/// Installs (or removes) a trigger that makes the database refuse any certificate once one is
/// stored (the transaction's own rows count): a failure injected at the second trainee of a
/// session, on both engines.
async fn refusing_a_second_certificate(db: &DatabaseConnection, on: bool) {
    let statements: &[&str] = match (db.get_database_backend(), on) {
        (DbBackend::Postgres, true) => &[
            "CREATE FUNCTION test_refuse_second_certificate() RETURNS trigger AS $$ BEGIN \
             IF (SELECT count(*) FROM certificate) >= 1 THEN \
             RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER test_refuse_second_certificate BEFORE INSERT ON certificate \
             FOR EACH ROW EXECUTE FUNCTION test_refuse_second_certificate()",
        ],
        (DbBackend::Postgres, false) => &[
            "DROP TRIGGER test_refuse_second_certificate ON certificate",
            "DROP FUNCTION test_refuse_second_certificate()",
        ],
        (_, true) => &[
            "CREATE TRIGGER test_refuse_second_certificate BEFORE INSERT ON certificate \
             WHEN (SELECT count(*) FROM certificate) >= 1 \
             BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
        ],
        (_, false) => &["DROP TRIGGER test_refuse_second_certificate"],
    };
    for sql in statements {
        db.execute_unprepared(sql).await.unwrap();
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}
