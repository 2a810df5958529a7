//! The other documents: the attendance sheet, the attestation with the assessment result, the
//! convocation, the quote and the convention; hostile and partner-country names; PDF/A.

use serde_json::json;

use super::{assert_pdf_a_2b, attend_and_close, enrolment_of, pdf, rename, set_provider, signed};
use crate::harness::TestApp;

db_test!(the_attendance_sheet_shows_each_half_day_signatures_absences_and_the_countersignatures);
db_test!(the_attestation_prints_objectives_durations_and_the_assessment_recorded_by_the_trainer);
db_test!(the_convocation_pdf_prints_the_place_hours_and_referents_of_the_issued_convocation);
db_test!(a_quote_and_a_convention_state_the_parties_price_dates_and_hours);
db_test!(hostile_names_print_verbatim_and_inject_no_template_code);
db_test!(every_document_declares_pdf_a_2b_and_embeds_its_fonts);

async fn the_attendance_sheet_shows_each_half_day_signatures_absences_and_the_countersignatures(
    mut app: TestApp,
) {
    let (admin, running) = app.running_session(2, 3).await;
    set_provider(&app, &admin).await;
    rename(&app, &admin, running.trainer.id, "Trinh", "Formatrice").await;
    rename(&app, &admin, running.trainees[1].id, "Ana", "Absente").await;
    attend_and_close(&app, &admin, &running, |n, index| match (n, index) {
        (1, 2) => Some(json!({ "status": "absent" })),
        (1, 3) => Some(json!({ "status": "excused" })),
        (2, 0) => Some(json!({
            "status": "late", "late_minutes": 30,
            "signature_png": crate::fixtures::b64(&crate::fixtures::signature_png(4242)),
        })),
        _ => signed(n, index),
    })
    .await;
    let path = format!("/api/v1/sessions/{}/attendance-sheet", running.session);

    let sheet = pdf(&app, &running.trainer, &path).await;
    let by_admin = app.download(&admin, &path).await;
    let by_trainee = app.get(&path, Some(&running.trainees[0].token)).await;

    sheet.assert_says("FEUILLE D'ÉMARGEMENT");
    sheet.assert_says("Monter un projet AFD");
    sheet.assert_says("financement de projets");
    for day in ["08/03/2027", "09/03/2027"] {
        sheet.assert_says(day);
    }
    for hours in ["09:00 – 12:30", "14:00 – 17:30"] {
        sheet.assert_says(hours);
    }
    sheet.assert_says("absent");
    sheet.assert_says("excusé");
    sheet.assert_says("retard 30 min");
    sheet.assert_says("Trinh Formatrice");
    sheet.assert_says("Ana Absente");
    sheet.assert_says("7 h / 14 h");
    sheet.assert_says("Contrôles de la session");
    // 3 × 4 marks less the absent and excused ones, 4 countersignatures, the logo and the
    // provider's signature are not on the sheet's own images but the letterhead's logo is.
    let signatures = 3 * 4 - 2;
    assert!(
        sheet.images() >= signatures + 4,
        "{} images for {} signatures and 4 countersignatures",
        sheet.images(),
        signatures
    );
    assert_pdf_a_2b(&sheet);
    assert_eq!(by_admin.status, 200);
    by_trainee.expect_error(404, "documents.session_not_found");
}

async fn the_attestation_prints_objectives_durations_and_the_assessment_recorded_by_the_trainer(
    mut app: TestApp,
) {
    let (admin, running) = app.running_session(1, 2).await;
    set_provider(&app, &admin).await;
    attend_and_close(&app, &admin, &running, |n, index| {
        (n == 0 || index == 0).then(|| signed(n, index)).flatten()
    })
    .await;
    let assessed = enrolment_of(&app, &admin, running.session, running.trainees[0].id).await;
    let other = enrolment_of(&app, &admin, running.session, running.trainees[1].id).await;
    let assessment = format!("/api/v1/enrolments/{assessed}/assessment");

    let by_trainee = app
        .put(
            &assessment,
            Some(&running.trainees[0].token),
            json!({ "result": "acquired" }),
        )
        .await;
    let before = app.get(&assessment, Some(&running.trainer.token)).await;
    let recorded = app
        .put(
            &assessment,
            Some(&running.trainer.token),
            json!({
                "result": "partially_acquired", "comment": "Budget à revoir",
                "objectives": [
                    { "objective": 0, "result": "acquired" },
                    { "objective": 1, "result": "not_acquired" },
                ],
            }),
        )
        .await;
    let seen = app.get(&assessment, Some(&running.trainees[0].token)).await;
    let with_result = pdf(
        &app,
        &running.trainees[0],
        &format!("/api/v1/enrolments/{assessed}/attestation"),
    )
    .await;
    let without = pdf(
        &app,
        &admin,
        &format!("/api/v1/enrolments/{other}/attestation"),
    )
    .await;

    by_trainee.expect_error(403, "documents.forbidden");
    before.expect_error(404, "documents.assessment_not_found");
    recorded.expect(200);
    assert_eq!(recorded.body["result"], "partially_acquired");
    seen.expect(200);
    assert_eq!(seen.body["comment"], "Budget à revoir");
    with_result.assert_says("ATTESTATION DE FIN DE FORMATION");
    with_result.assert_says("Test Person");
    with_result.assert_says("du 8 mars 2027 au 8 mars 2027");
    with_result.assert_says("Write a logical framework");
    with_result.assert_says("Draft a budget an AFD officer accepts");
    with_result.assert_says("Durée de l'action : 7 h");
    with_result.assert_says("Durée suivie par le stagiaire : 7 h");
    with_result.assert_says("Quiz at the end and assessed case study");
    with_result.assert_says("Résultat : partiellement acquis");
    with_result.assert_says("Budget à revoir");
    without.assert_says("Durée suivie par le stagiaire : 3 h 30");
    without.assert_says("Résultat : non communiqué");
    assert_pdf_a_2b(&with_result);
}

async fn the_convocation_pdf_prints_the_place_hours_and_referents_of_the_issued_convocation(
    mut app: TestApp,
) {
    let (admin, running) = app.running_session(1, 1).await;
    set_provider(&app, &admin).await;
    let enrolment = enrolment_of(&app, &admin, running.session, running.trainees[0].id).await;
    let path = format!("/api/v1/enrolments/{enrolment}/convocation/pdf");

    let before = app.get(&path, Some(&running.trainees[0].token)).await;
    app.post(
        &format!("/api/v1/enrolments/{enrolment}/convocation"),
        Some(&admin.token),
        json!({}),
    )
    .await
    .expect(201);
    let convocation = pdf(&app, &running.trainees[0], &path).await;

    before.expect_error(404, "documents.convocation_not_issued");
    convocation.assert_says("CONVOCATION À LA FORMATION");
    convocation.assert_says("Test Person");
    convocation.assert_says("Monter un projet AFD");
    convocation.assert_says("8 mars 2027");
    convocation.assert_says("09:00");
    convocation.assert_says("17:30");
    convocation.assert_says("Europe/Paris");
    convocation.assert_says("Awa Diallo");
    convocation.assert_says("Training desk");
    convocation.assert_says("Step-free access");
    convocation.assert_says("Convocation émise le 1 mars 2027");
    assert_pdf_a_2b(&convocation);
}

async fn a_quote_and_a_convention_state_the_parties_price_dates_and_hours(mut app: TestApp) {
    let (admin, running) = app.running_session(1, 0).await;
    set_provider(&app, &admin).await;
    let org = app
        .organisation(&admin, "Association Solidarité Sahel", true)
        .await;
    let employee = app.member_of(org).await;
    let independent = app
        .user_with(&[passerelle::principal::Role::Member], None)
        .await;
    let with_employer = app.enrol(&admin, running.session, Some(employee.id)).await;
    let alone = app
        .enrol(&admin, running.session, Some(independent.id))
        .await;
    with_employer.expect(201);
    alone.expect(201);
    let (e1, e2) = (with_employer.id(), alone.id());

    let quote = pdf(&app, &employee, &format!("/api/v1/enrolments/{e1}/quote")).await;
    let convention = pdf(
        &app,
        &employee,
        &format!("/api/v1/enrolments/{e1}/convention"),
    )
    .await;
    let contract = pdf(
        &app,
        &independent,
        &format!("/api/v1/enrolments/{e2}/convention"),
    )
    .await;

    quote.assert_says("Association Solidarité Sahel");
    quote.assert_says("Monter un projet AFD");
    quote.assert_says("450,00 EUR");
    quote.assert_says("du 8 mars 2027 au 8 mars 2027");
    quote.assert_says("Virement à 30 jours fin de mois.");
    convention.assert_says("CONVENTION DE FORMATION PROFESSIONNELLE");
    convention.assert_says("Association Solidarité Sahel");
    convention.assert_says("7 h");
    convention.assert_says("450,00 EUR");
    assert!(!convention.says("Délai de rétractation"));
    contract.assert_says("CONTRAT DE FORMATION PROFESSIONNELLE");
    contract.assert_says("Délai de rétractation");
    contract.assert_says("900,00 EUR");
    for document in [&quote, &convention, &contract] {
        assert_pdf_a_2b(document);
    }
}

async fn hostile_names_print_verbatim_and_inject_no_template_code(mut app: TestApp) {
    let (admin, running) = app.running_session(1, 3).await;
    set_provider(&app, &admin).await;
    let markup = (
        "Zoë \"#set page(fill: red)\"",
        "*gras* $x^2$ [lien] \\ #emph[x] #pagebreak() <l> @ref",
    );
    let long_first = "Marie-Éléonore ".repeat(10);
    let long_last = "de La Tour d'Auvergne ".repeat(7);
    let partner = ("محمد 😀", "Nguyễn Văn Đức 👩‍💻");
    rename(&app, &admin, running.trainees[0].id, markup.0, markup.1).await;
    rename(
        &app,
        &admin,
        running.trainees[1].id,
        long_first.trim(),
        long_last.trim(),
    )
    .await;
    rename(&app, &admin, running.trainees[2].id, partner.0, partner.1).await;
    attend_and_close(&app, &admin, &running, signed).await;

    let mut certificates = Vec::new();
    for trainee in &running.trainees {
        let enrolment = enrolment_of(&app, &admin, running.session, trainee.id).await;
        certificates.push(
            pdf(
                &app,
                trainee,
                &format!("/api/v1/enrolments/{enrolment}/certificate"),
            )
            .await,
        );
    }
    let sheet = pdf(
        &app,
        &running.trainer,
        &format!("/api/v1/sessions/{}/attendance-sheet", running.session),
    )
    .await;

    let full = |(first, last): (&str, &str)| format!("{first} {last}");
    certificates[0].assert_says(&full(markup));
    assert_eq!(certificates[0].pages(), 1, "no page break was injected");
    let long = full((long_first.trim(), long_last.trim()));
    assert!(long.chars().count() >= 300);
    certificates[1].assert_says(&long);
    // Emoji render with the embedded fallback font; the zero-width joiner between 👩 and 💻
    // draws nothing and is dropped (fonts.rs). The extracted text gives right-to-left runs in
    // the order they are drawn, so the Arabic name reads reversed.
    certificates[2].assert_says("😀 Nguyễn Văn Đức 👩💻");
    certificates[2].assert_says(&"محمد".chars().rev().collect::<String>());
    sheet.assert_says(&full(markup));
    sheet.assert_says("Nguyễn Văn Đức");
    for document in certificates.iter().chain([&sheet]) {
        assert_pdf_a_2b(document);
    }
}

async fn every_document_declares_pdf_a_2b_and_embeds_its_fonts(mut app: TestApp) {
    let (admin, running) = app.running_session(1, 1).await;
    set_provider(&app, &admin).await;
    let enrolment = enrolment_of(&app, &admin, running.session, running.trainees[0].id).await;
    app.post(
        &format!("/api/v1/enrolments/{enrolment}/convocation"),
        Some(&admin.token),
        json!({}),
    )
    .await
    .expect(201);
    attend_and_close(&app, &admin, &running, signed).await;

    for what in [
        "certificate",
        "attestation",
        "convocation/pdf",
        "quote",
        "convention",
    ] {
        let document = pdf(
            &app,
            &admin,
            &format!("/api/v1/enrolments/{enrolment}/{what}"),
        )
        .await;
        assert_pdf_a_2b(&document);
    }
    let sheet = pdf(
        &app,
        &admin,
        &format!("/api/v1/sessions/{}/attendance-sheet", running.session),
    )
    .await;
    assert_pdf_a_2b(&sheet);
}
