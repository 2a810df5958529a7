//! The evidence report as a PDF for the auditor: asked for with `Accept: application/pdf`, in
//! French, every indicator with its status, the period, the gaps, the charts and the disclaimer;
//! a period straddling 2026-11-01 prints a V9 part and a V10 part; administrators only.

use poem::http::StatusCode;

use crate::documents::{Pdf, assert_pdf_a_2b};
use crate::evidence::{MARCH, march};
use crate::harness::{Reply, TestApp};

/// What a GET with `Accept: application/pdf` answered: its status, headers and bytes.
struct Download {
    status: StatusCode,
    content_type: String,
    disposition: String,
    bytes: Vec<u8>,
}

async fn get_pdf(app: &TestApp, token: &str, path: &str) -> Download {
    let response = app
        .client
        .get(path)
        .header("authorization", format!("Bearer {token}"))
        .header("accept", "application/pdf")
        .send()
        .await
        .0;
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let (content_type, disposition) = (header("content-type"), header("content-disposition"));
    let status = response.status();
    let bytes = response.into_body().into_vec().await.expect("body");
    Download {
        status,
        content_type,
        disposition,
        bytes,
    }
}

fn french(status: &str) -> &'static str {
    match status {
        "present" => "Preuve présente",
        "partial" => "Partielle",
        "missing" => "Manquante",
        "not_applicable" => "Non applicable",
        other => panic!("unknown status {other}"),
    }
}

async fn an_administrator_downloads_the_evidence_report_in_french_with_each_indicator_status(
    mut app: TestApp,
) {
    let data = march(&mut app, false).await;
    let json = app.get(MARCH, Some(&data.admin.token)).await;
    json.expect(200);
    assert!(
        json.header("content-type")
            .is_some_and(|t| t.starts_with("application/json")),
        "JSON stays the default"
    );

    let download = get_pdf(&app, &data.admin.token, MARCH).await;

    assert_eq!(download.status, 200);
    assert_eq!(download.content_type, "application/pdf");
    assert_eq!(
        download.disposition,
        "attachment; filename=\"rapport-qualiopi-2027-03-01-2027-03-31.pdf\""
    );
    let pdf = Pdf::of(download.bytes);
    assert_pdf_a_2b(&pdf);
    pdf.assert_says("Rapport de preuves Qualiopi");
    pdf.assert_says("Période : du 1 mars 2027 au 31 mars 2027");
    pdf.assert_says("Référentiel V10 — du 1 mars 2027 au 31 mars 2027");
    let indicators = json.body["parts"][0]["indicators"].as_array().unwrap();
    assert_eq!(indicators.len(), 33);
    for i in indicators {
        let (number, criterion) = (&i["number"], &i["criterion"]);
        let status = french(i["status"].as_str().unwrap());
        pdf.assert_says(&format!(
            "Indicateur {number} — critère {criterion} {status}"
        ));
    }
    pdf.assert_says("Stagiaires convoqués 1 / 2");
    pdf.assert_says(&format!(
        "Réclamation : Réclamation sans accusé de réception passé le délai — /api/v1/complaints/{}",
        data.complaint
    ));
    pdf.assert_says("Inscription :");
    pdf.assert_says(&format!("/api/v1/enrolments/{}", data.second));
    pdf.assert_says("Réclamations par état");
    pdf.assert_says("reçue 1");
    pdf.assert_says("Aucune action d'amélioration engagée sur la période : pas de graphique.");
    pdf.assert_says(json.body["disclaimer"].as_str().unwrap());
    pdf.assert_says("ne vaut pas déclaration de conformité");
}
db_test!(an_administrator_downloads_the_evidence_report_in_french_with_each_indicator_status);

async fn a_pdf_over_a_period_straddling_november_2026_prints_a_v9_part_and_a_v10_part(
    app: TestApp,
) {
    let admin = app.admin().await;

    let download = get_pdf(
        &app,
        &admin.token,
        "/api/v1/evidence/report?from=2026-10-01&to=2026-11-30",
    )
    .await;

    assert_eq!(download.status, 200);
    assert_eq!(
        download.disposition,
        "attachment; filename=\"rapport-qualiopi-2026-10-01-2026-11-30.pdf\""
    );
    let pdf = Pdf::of(download.bytes);
    pdf.assert_says("Référentiel : V9 puis V10");
    pdf.assert_says("Référentiel V9 — du 1 octobre 2026 au 31 octobre 2026");
    pdf.assert_says("Référentiel V10 — du 1 novembre 2026 au 30 novembre 2026");
    // V9 has 32 indicators, V10 33: the 33rd appears once, in the V10 part.
    assert_eq!(pdf.text.matches("Indicateur 33").count(), 1);
    assert_eq!(pdf.text.matches("Indicateur 32").count(), 2);
}
db_test!(a_pdf_over_a_period_straddling_november_2026_prints_a_v9_part_and_a_v10_part);

async fn a_member_asking_for_the_evidence_pdf_is_told_it_does_not_exist(app: TestApp) {
    let member = app
        .user_with(&[passerelle::principal::Role::Member], None)
        .await;

    let response = app
        .client
        .get(MARCH)
        .header("authorization", format!("Bearer {}", member.token))
        .header("accept", "application/pdf")
        .send()
        .await;
    let reply: Reply = TestApp::read(response).await;

    reply.expect_error(404, "evidence.not_found");
}
db_test!(a_member_asking_for_the_evidence_pdf_is_told_it_does_not_exist);
