//! Who may get which document, and what is refused before a document can be made.

use serde_json::json;

use super::{
    attend_and_close, enrolment_of, pdf, provider_body, session_certificates, set_provider, signed,
};
use crate::fixtures::{morning, session_body};
use crate::harness::TestApp;
use passerelle::principal::Role;

db_test!(a_member_downloading_another_members_certificate_gets_404);
db_test!(documents_need_the_providers_identity_a_closed_session_and_a_seat);
db_test!(only_administrators_set_the_providers_identity_and_bad_values_are_refused);
db_test!(refusals_from_enrolment_and_attendance_answer_the_documented_404_not_a_500);

async fn a_member_downloading_another_members_certificate_gets_404(mut app: TestApp) {
    let (admin, running) = app.running_session(1, 1).await;
    set_provider(&app, &admin).await;
    let org = app.organisation(&admin, "Réseau Entraide", true).await;
    let other_org = app.organisation(&admin, "Autre Réseau", true).await;
    let employee = app.member_of(org).await;
    let manager = app.manager_of(org).await;
    let other_manager = app.manager_of(other_org).await;
    let stranger = app.user_with(&[Role::Member], None).await;
    let other_trainer = app.trainer().await;
    app.enrol(&admin, running.session, Some(employee.id))
        .await
        .expect(201);
    let mut running = running;
    running.trainees.push(employee.clone());
    attend_and_close(&app, &admin, &running, signed).await;
    let enrolment = enrolment_of(&app, &admin, running.session, employee.id).await;
    let certificate = format!("/api/v1/enrolments/{enrolment}/certificate");
    let sheet = format!("/api/v1/sessions/{}/attendance-sheet", running.session);

    let own = pdf(&app, &employee, &certificate).await;
    let by_manager = pdf(&app, &manager, &certificate).await;
    let by_other_member = app
        .get(&certificate, Some(&running.trainees[0].token))
        .await;
    let by_stranger = app.get(&certificate, Some(&stranger.token)).await;
    let by_other_manager = app.get(&certificate, Some(&other_manager.token)).await;
    let by_trainer = app.get(&certificate, Some(&running.trainer.token)).await;
    let attestation = app
        .get(
            &format!("/api/v1/enrolments/{enrolment}/attestation"),
            Some(&stranger.token),
        )
        .await;
    let sheet_by_other_trainer = app.get(&sheet, Some(&other_trainer.token)).await;
    let sheet_by_member = app.get(&sheet, Some(&employee.token)).await;
    let anonymous = app.get(&certificate, None).await;

    assert_eq!(own.bytes, by_manager.bytes);
    for refused in [
        &by_other_member,
        &by_stranger,
        &by_other_manager,
        &by_trainer,
        &attestation,
    ] {
        refused.expect_error(404, "documents.enrolment_not_found");
    }
    sheet_by_other_trainer.expect_error(404, "documents.session_not_found");
    sheet_by_member.expect_error(404, "documents.session_not_found");
    assert_eq!(anonymous.status, 401);
}

async fn documents_need_the_providers_identity_a_closed_session_and_a_seat(mut app: TestApp) {
    let (admin, running) = app.running_session(1, 2).await;
    let enrolment = enrolment_of(&app, &admin, running.session, running.trainees[0].id).await;
    let cancelled = enrolment_of(&app, &admin, running.session, running.trainees[1].id).await;
    let certificate = format!("/api/v1/enrolments/{enrolment}/certificate");

    let no_provider = app.get(&certificate, Some(&admin.token)).await;
    let no_provider_quote = app
        .get(
            &format!("/api/v1/enrolments/{enrolment}/quote"),
            Some(&admin.token),
        )
        .await;
    let provider_before = app.get("/api/v1/provider", Some(&admin.token)).await;
    set_provider(&app, &admin).await;
    let not_closed = app
        .get(&certificate, Some(&running.trainees[0].token))
        .await;
    let issue_open = session_certificates(&app, &admin, running.session, true).await;
    app.cancel_enrolment(&admin, &cancelled.to_string(), "Ill")
        .await
        .expect(200);
    attend_and_close(&app, &admin, &running, |n, index| {
        (n == 0).then(|| signed(n, index)).flatten()
    })
    .await;
    let no_seat = app
        .get(
            &format!("/api/v1/enrolments/{cancelled}/certificate"),
            Some(&admin.token),
        )
        .await;
    let unknown = app
        .get(
            &format!("/api/v1/enrolments/{}/certificate", uuid::Uuid::new_v4()),
            Some(&admin.token),
        )
        .await;
    let issued = session_certificates(&app, &admin, running.session, true).await;

    no_provider.expect_error(409, "documents.session_not_closed");
    no_provider_quote.expect_error(409, "documents.provider_missing");
    provider_before.expect_error(404, "documents.provider_not_set");
    not_closed.expect_error(409, "documents.session_not_closed");
    issue_open.expect_error(409, "documents.session_not_closed");
    no_seat.expect_error(409, "documents.no_seat");
    unknown.expect_error(404, "documents.enrolment_not_found");
    issued.expect(200);
    assert_eq!(
        issued.body.as_array().unwrap().len(),
        1,
        "only the trainee who kept a seat"
    );
}

async fn only_administrators_set_the_providers_identity_and_bad_values_are_refused(app: TestApp) {
    let admin = app.admin().await;
    let member = app.user_with(&[Role::Member], None).await;
    let mut bad = provider_body();
    bad["siret"] = json!("123 456 789 00016");
    bad["name"] = json!("  ");
    let mut not_png = provider_body();
    not_png["logo_png"] = json!("aGVsbG8gd29ybGQ=");

    let by_member = app
        .put("/api/v1/provider", Some(&member.token), provider_body())
        .await;
    let invalid = app.put("/api/v1/provider", Some(&admin.token), bad).await;
    let not_an_image = app
        .put("/api/v1/provider", Some(&admin.token), not_png)
        .await;
    let set = app
        .put("/api/v1/provider", Some(&admin.token), provider_body())
        .await;
    let read = app.get("/api/v1/provider", Some(&admin.token)).await;
    let read_by_member = app.get("/api/v1/provider", Some(&member.token)).await;

    by_member.expect_error(403, "documents.forbidden");
    invalid.expect_error(422, "documents.invalid");
    let fields = &invalid.body["fields"];
    assert!(
        fields["siret"].is_array() && fields["name"].is_array(),
        "{fields}"
    );
    not_an_image.expect_error(422, "documents.invalid");
    assert!(not_an_image.body["fields"]["logo_png"].is_array());
    set.expect(200);
    assert_eq!(set.body["siret"], "12345678900015");
    assert_eq!(set.body["has_signature"], true);
    read.expect(200);
    assert_eq!(read.body["representative_name"], "Hélène Marchand");
    read_by_member.expect_error(403, "documents.forbidden");
}

async fn refusals_from_enrolment_and_attendance_answer_the_documented_404_not_a_500(
    mut app: TestApp,
) {
    let (admin, running) = app.running_session(1, 2).await;
    set_provider(&app, &admin).await;
    let training = app.published_training(&admin, 210).await;
    let room = app.place(&admin, 10).await;
    let draft = app
        .draft_session(
            &admin,
            session_body(training, room, 10, vec![morning("2027-03-15")]),
        )
        .await;
    let trainee = &running.trainees[0];
    let other_trainee = &running.trainees[1];
    let enrolment = enrolment_of(&app, &admin, running.session, trainee.id).await;
    let convocation = format!("/api/v1/enrolments/{enrolment}/convocation/pdf");
    let assessment = format!("/api/v1/enrolments/{enrolment}/assessment");

    let not_convoked = app.get(&convocation, Some(&trainee.token)).await;
    let convocation_of_another = app.get(&convocation, Some(&other_trainee.token)).await;
    let assessment_of_another = app.get(&assessment, Some(&other_trainee.token)).await;
    let draft_sheet = app
        .get(
            &format!("/api/v1/sessions/{draft}/attendance-sheet"),
            Some(&admin.token),
        )
        .await;
    let unknown_sheet = app
        .get(
            &format!("/api/v1/sessions/{}/attendance-sheet", uuid::Uuid::new_v4()),
            Some(&admin.token),
        )
        .await;

    not_convoked.expect_error(404, "documents.convocation_not_issued");
    convocation_of_another.expect_error(404, "documents.enrolment_not_found");
    assessment_of_another.expect_error(404, "documents.enrolment_not_found");
    draft_sheet.expect_error(404, "documents.session_not_found");
    unknown_sheet.expect_error(404, "documents.session_not_found");
}
