//! Spreadsheet exports of the lists administrators keep (enrolments, complaints, improvement
//! actions): `Accept: text/csv` or the XLSX media type gives every row the filters match, with
//! French headers, the same rows the JSON pages hold, and only what the caller may see.

use std::io::Read;

use serde_json::{Value, json};

use crate::fixtures::User;
use crate::fixtures::spreadsheets::{XLSX, column, csv_rows, get_as};
use crate::harness::TestApp;

fn ids(items: &[Value]) -> Vec<String> {
    let mut ids: Vec<String> = items
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

async fn the_enrolment_list_exports_every_matching_row_as_csv_and_xlsx_and_only_what_the_caller_sees(
    mut app: TestApp,
) {
    let (admin, running) = app.running_session(1, 3).await;
    let list = format!("/api/v1/enrolments?session_id={}&limit=1", running.session);
    let pages = app.all_pages(&list, Some(&admin.token)).await;

    let csv = get_as(&app, &admin, &list, "text/csv").await;
    let mine = get_as(&app, &running.trainees[0], "/api/v1/enrolments", "text/csv").await;
    let json = get_as(&app, &admin, &list, "application/json").await;

    csv.expect(200);
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    assert_eq!(
        csv.header("content-disposition"),
        Some("attachment; filename=\"inscriptions.csv\"")
    );
    let rows = csv_rows(&csv);
    assert_eq!(rows[0][0], "Identifiant");
    assert!(rows[0].contains(&"Type de stagiaire".to_owned()));
    let mut exported = column(&rows, "Identifiant");
    exported.sort();
    assert_eq!(exported.len(), 3, "every row, not one page of `limit`");
    assert_eq!(exported, ids(&pages), "the same rows as the JSON pages");
    assert!(column(&rows, "État").iter().all(|s| s == "confirmed"));
    assert!(
        column(&rows, "Inscrite le")
            .iter()
            .all(|t| t.len() == 16 && t.contains('/')),
        "local times as dd/mm/yyyy hh:mm: {:?}",
        column(&rows, "Inscrite le")
    );

    let download = app.download(&admin, &list).await;
    assert_eq!(download.status, 200, "the JSON stays the default");
    let mut workbook =
        zip::ZipArchive::new(std::io::Cursor::new(xlsx_bytes(&app, &admin, &list).await))
            .expect("an XLSX is a ZIP");
    let mut strings = String::new();
    for i in 0..workbook.len() {
        let mut part = workbook.by_index(i).unwrap();
        if part.name().unwrap().ends_with(".xml") {
            part.read_to_string(&mut strings).unwrap();
        }
    }
    assert!(strings.contains("Type de stagiaire"), "French headers");

    mine.expect(200);
    let mine = csv_rows(&mine);
    assert_eq!(mine.len(), 2, "a member exports only their own enrolment");
    assert_eq!(
        column(&mine, "Personne"),
        vec![running.trainees[0].id.to_string()]
    );
    json.expect(200);
    assert_eq!(json.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(json.header("content-disposition"), None);
}
db_test!(
    the_enrolment_list_exports_every_matching_row_as_csv_and_xlsx_and_only_what_the_caller_sees
);

/// The bytes of an XLSX answer (asserting its status and media type).
async fn xlsx_bytes(app: &TestApp, user: &User, path: &str) -> Vec<u8> {
    let response = app
        .client
        .get(path)
        .header("authorization", format!("Bearer {}", user.token))
        .header("accept", XLSX)
        .send()
        .await
        .0;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .unwrap()
            .to_str()
            .unwrap(),
        XLSX
    );
    response.into_body().into_vec().await.unwrap()
}

async fn the_quality_registers_export_with_their_filters_and_french_headers(app: TestApp) {
    let admin = app.admin().await;
    for text in ["Salle trop froide", "Support illisible"] {
        app.post(
            "/api/v1/complaints",
            None,
            json!({ "channel": "email", "contact": "asso@example.org", "text": text }),
        )
        .await
        .expect(201);
    }
    let first = app
        .all_pages("/api/v1/complaints", Some(&admin.token))
        .await;
    let acknowledged = first[0]["id"].as_str().unwrap().to_owned();
    app.post(
        &format!("/api/v1/complaints/{acknowledged}/acknowledgement"),
        Some(&admin.token),
        json!({}),
    )
    .await
    .expect(200);
    app.post(
        "/api/v1/quality/actions",
        Some(&admin.token),
        json!({ "description": "Chauffer la salle la veille", "origin": "complaint",
                "origin_id": acknowledged, "owner_id": admin.id, "due_on": "2027-05-31" }),
    )
    .await
    .expect(201);

    let all = csv_rows(&get_as(&app, &admin, "/api/v1/complaints", "text/csv").await);
    let received = csv_rows(
        &get_as(
            &app,
            &admin,
            "/api/v1/complaints?status=received",
            "text/csv",
        )
        .await,
    );
    let actions = get_as(&app, &admin, "/api/v1/quality/actions", "text/csv").await;
    let member = app
        .user_with(&[passerelle::principal::Role::Member], None)
        .await;
    let refused = get_as(&app, &member, "/api/v1/quality/actions", "text/csv").await;

    assert_eq!(all[0][..4], ["Identifiant", "Reçue le", "Canal", "État"]);
    assert_eq!(all.len(), 3);
    assert_eq!(received.len(), 2, "the status filter applies to the export");
    assert_ne!(column(&received, "Identifiant")[0], acknowledged);
    assert_eq!(
        column(&all, "Réclamation"),
        vec!["Salle trop froide", "Support illisible"]
    );
    actions.expect(200);
    assert_eq!(
        actions.header("content-disposition"),
        Some("attachment; filename=\"actions-amelioration.csv\"")
    );
    let actions = csv_rows(&actions);
    assert_eq!(column(&actions, "Origine"), vec!["complaint"]);
    assert_eq!(column(&actions, "Échéance"), vec!["31/05/2027"]);
    assert_eq!(
        column(&actions, "Enregistrement d'origine"),
        vec![acknowledged]
    );
    refused.expect(403);
}
db_test!(the_quality_registers_export_with_their_filters_and_french_headers);
