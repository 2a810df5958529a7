//! Attendance as spreadsheets: a session's sheet and every session's half-days over a period,
//! as CSV or XLSX on the `Accept` header, with French headers and the times local to each
//! session's own zone; the same figures as the JSON, and only the sessions the caller teaches.

use std::io::Read;

use serde_json::json;
use uuid::Uuid;

use crate::fixtures::spreadsheets::{XLSX, column, csv_rows, get_as};
use crate::fixtures::{Running, User, b64, morning, session_body, signature_png};
use crate::harness::TestApp;

/// The row of `trainee` (an id) on the half-day starting at `start` (`HH:MM`) on `date`
/// (`dd/mm/yyyy`).
fn row_of<'a>(rows: &'a [Vec<String>], date: &str, start: &str, trainee: &str) -> &'a [String] {
    let at = |h: &str| rows[0].iter().position(|x| x == h).unwrap();
    rows[1..]
        .iter()
        .find(|r| {
            r[at("Date")] == date
                && r[at("Début")] == start
                && r[at("Identifiant du stagiaire")] == trainee
        })
        .unwrap_or_else(|| panic!("no row {date} {start} {trainee} in {rows:?}"))
}

fn french(status: &str) -> &'static str {
    match status {
        "present" => "présent",
        "late" => "en retard",
        "absent" => "absent",
        "excused" => "excusé",
        _ => "non renseigné",
    }
}

async fn a_sessions_sheet_as_csv_holds_the_figures_of_its_json_in_local_time(mut app: TestApp) {
    let (admin, running) = app.running_session(1, 3).await;
    let Running {
        session,
        slots,
        trainer,
        trainees,
        ..
    } = &running;
    running.at_slot(0, 10);
    app.mark(trainer, slots[0], trainees[0].id, Running::present(1))
        .await
        .expect(201);
    app.mark(
        trainer,
        slots[0],
        trainees[1].id,
        json!({ "status": "late", "late_minutes": 30, "signature_png": b64(&signature_png(2)) }),
    )
    .await
    .expect(201);
    app.mark(
        trainer,
        slots[0],
        trainees[2].id,
        json!({ "status": "absent" }),
    )
    .await
    .expect(201);
    running.at_slot(0, 200);
    app.countersign(trainer, slots[0], 9).await.expect(200);
    let path = format!("/api/v1/sessions/{session}/attendance");

    let json = app.get(&path, Some(&trainer.token)).await;
    let csv = get_as(&app, trainer, &path, "text/csv").await;
    let xlsx = app
        .client
        .get(&path)
        .header("authorization", format!("Bearer {}", admin.token))
        .header("accept", XLSX)
        .send()
        .await
        .0;

    json.expect(200);
    assert_eq!(
        json.header("content-disposition"),
        None,
        "JSON stays the default"
    );
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    assert_eq!(
        csv.header("content-disposition"),
        Some(format!("attachment; filename=\"emargement-{session}.csv\"").as_str())
    );
    let rows = csv_rows(&csv);
    assert_eq!(
        rows[0][..6],
        [
            "Session",
            "Formation",
            "Date",
            "Demi-journée",
            "Début",
            "Fin"
        ]
    );
    assert_eq!(rows.len(), 1 + 2 * 3, "one row per trainee and half-day");
    let sheet = &json.body;
    for (s, slot) in sheet["slots"].as_array().unwrap().iter().enumerate() {
        let date = chrono::NaiveDate::parse_from_str(slot["date"].as_str().unwrap(), "%Y-%m-%d")
            .unwrap()
            .format("%d/%m/%Y")
            .to_string();
        let start = slot["start"].as_str().unwrap();
        for trainee in sheet["trainees"].as_array().unwrap() {
            let cell = &trainee["cells"][s];
            let row = row_of(&rows, &date, start, trainee["person_id"].as_str().unwrap());
            let at = |h: &str| rows[0].iter().position(|x| x == h).unwrap();
            assert_eq!(row[at("Statut")], french(cell["status"].as_str().unwrap()));
            assert_eq!(
                row[at("Minutes suivies")],
                cell["attended_minutes"].to_string()
            );
            let signed = if cell["signature_sha256"].is_string() {
                "oui"
            } else {
                "non"
            };
            assert_eq!(row[at("Signé")], signed);
            let countersigned = if slot["countersigned"] == true {
                "oui"
            } else {
                "non"
            };
            assert_eq!(row[at("Contresigné par le formateur")], countersigned);
        }
    }
    assert_eq!(
        column(&rows, "Début")
            .iter()
            .filter(|t| *t == "09:00")
            .count(),
        3,
        "the morning starts at 09:00 in Paris (08:00 UTC): {:?}",
        column(&rows, "Début")
    );
    let signed_at: Vec<String> = column(&rows, "Heure de signature")
        .into_iter()
        .filter(|t| !t.is_empty())
        .collect();
    assert_eq!(
        signed_at,
        vec!["08/03/2027 09:10"; 2],
        "signed at 08:10 UTC, 09:10 in Paris"
    );
    let minutes: i64 = column(&rows, "Minutes suivies")
        .iter()
        .map(|m| m.parse::<i64>().unwrap())
        .sum();
    let attended: i64 = sheet["trainees"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["attended_minutes"].as_i64().unwrap())
        .sum();
    assert_eq!(minutes, attended);
    assert_eq!(attended, 210 + 180);

    assert_eq!(xlsx.status().as_u16(), 200);
    let bytes = xlsx.into_body().into_vec().await.unwrap();
    assert!(bytes.starts_with(b"PK"), "an XLSX is a ZIP");
    let mut workbook = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut strings = String::new();
    for i in 0..workbook.len() {
        let mut part = workbook.by_index(i).unwrap();
        if part.name().unwrap().ends_with(".xml") {
            part.read_to_string(&mut strings).unwrap();
        }
    }
    assert!(
        strings.contains("Contresigné par le formateur"),
        "French headers"
    );
    assert!(strings.contains("après-midi"));
}
db_test!(a_sessions_sheet_as_csv_holds_the_figures_of_its_json_in_local_time);

/// A one-morning session in Lomé on 2027-03-09 with its trainer and one trainee, of the
/// organisation "Partage Lomé".
async fn lome_session(app: &TestApp, admin: &User) -> (Uuid, User, User) {
    let trainer = app.trainer().await;
    let training = app.published_training(admin, 210).await;
    let room = app.place(admin, 10).await;
    let mut body = session_body(training, room, 10, vec![morning("2027-03-09")]);
    body["time_zone"] = json!("Africa/Lome");
    body["trainer_ids"] = json!([trainer.id]);
    let session = app.published_session(admin, body).await;
    let organisation = app
        .post(
            "/api/v1/organisations",
            Some(&admin.token),
            json!({ "name": "Partage Lomé", "is_member": true, "country": "TG" }),
        )
        .await;
    organisation.expect(201);
    let organisation = organisation.body["id"].as_str().unwrap().parse().unwrap();
    let trainee = app
        .user_with(&[passerelle::principal::Role::Member], Some(organisation))
        .await;
    app.enrol(admin, session, Some(trainee.id))
        .await
        .expect(201);
    (session, trainer, trainee)
}

fn period(from: &str, to: &str) -> String {
    format!("/api/v1/attendance?from={from}&to={to}")
}

async fn the_period_export_holds_exactly_the_half_days_of_the_period_in_each_sessions_zone(
    mut app: TestApp,
) {
    // Paris, 8 and 9 March; Lomé, the morning of 9 March.
    let (admin, running) = app.running_session(2, 1).await;
    let (lome, lome_trainer, lome_trainee) = lome_session(&app, &admin).await;
    let lome_slot = lome_slot(&app, &admin, lome).await;
    running.set_clock(
        chrono::DateTime::parse_from_rfc3339("2027-03-09T09:10:00Z")
            .unwrap()
            .into(),
    );
    app.mark(
        &lome_trainer,
        lome_slot,
        lome_trainee.id,
        Running::present(5),
    )
    .await
    .expect(201);

    let ninth = csv_rows(
        &get_as(
            &app,
            &admin,
            &period("2027-03-09", "2027-03-09"),
            "text/csv",
        )
        .await,
    );
    let both = csv_rows(
        &get_as(
            &app,
            &admin,
            &period("2027-03-08", "2027-03-09"),
            "text/csv",
        )
        .await,
    );
    let later = app
        .get(&period("2027-03-10", "2027-12-31"), Some(&admin.token))
        .await;
    let pages = app
        .all_pages(
            &format!("{}&limit=1", period("2027-03-09", "2027-03-09")),
            Some(&admin.token),
        )
        .await;

    assert_eq!(
        ninth.len(),
        1 + 3,
        "two Paris half-days of the 9th and Lomé's morning"
    );
    assert!(column(&ninth, "Date").iter().all(|d| d == "09/03/2027"));
    assert_eq!(both.len(), 1 + 5);
    let lome_row = row_of(&ninth, "09/03/2027", "09:00", &lome_trainee.id.to_string());
    assert_eq!(name_in(&ninth, lome), "Test Person");
    let at = |h: &str| ninth[0].iter().position(|x| x == h).unwrap();
    assert_eq!(lome_row[at("Fuseau horaire")], "Africa/Lome");
    assert_eq!(
        lome_row[at("Heure de signature")],
        "09/03/2027 09:10",
        "Lomé is on UTC"
    );
    assert_eq!(lome_row[at("Statut")], "présent");
    assert_eq!(lome_row[at("Organisation")], "Partage Lomé");
    assert_eq!(lome_row[at("Minutes suivies")], "210");
    later.expect(200);
    assert_eq!(later.body["items"], json!([]), "no half-day after the 9th");
    assert_eq!(pages.len(), 2, "a page holds sessions: {pages:?}");
    for sheet in &pages {
        let slots = sheet["slots"].as_array().unwrap();
        assert!(slots.iter().all(|s| s["date"] == "2027-03-09"));
    }
}
db_test!(the_period_export_holds_exactly_the_half_days_of_the_period_in_each_sessions_zone);

/// The only half-day of a session.
async fn lome_slot(app: &TestApp, admin: &User, session: Uuid) -> Uuid {
    let sheet = app
        .get(
            &format!("/api/v1/sessions/{session}/attendance"),
            Some(&admin.token),
        )
        .await;
    sheet.body["slots"][0]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// The trainee's name on the rows of `session`.
fn name_in(rows: &[Vec<String>], session: Uuid) -> String {
    let at = |h: &str| rows[0].iter().position(|x| x == h).unwrap();
    rows[1..]
        .iter()
        .find(|r| r[at("Session")] == session.to_string())
        .map(|r| r[at("Stagiaire")].clone())
        .unwrap()
}

async fn a_trainer_exports_only_the_sessions_they_teach(mut app: TestApp) {
    let (admin, running) = app.running_session(1, 1).await;
    let other = app.trainer().await;
    let theirs = app
        .session_taught_by(&admin, &other, 1, 2, 8, running.clock.clone())
        .await;
    let march = period("2027-03-01", "2027-03-31");

    let everything = csv_rows(&get_as(&app, &admin, &march, "text/csv").await);
    let mine = csv_rows(&get_as(&app, &running.trainer, &march, "text/csv").await);
    let mine_json = app.all_pages(&march, Some(&running.trainer.token)).await;
    let filtered = csv_rows(
        &get_as(
            &app,
            &admin,
            &format!(
                "{march}&training_id={}",
                training_of(&app, &admin, theirs.session).await
            ),
            "text/csv",
        )
        .await,
    );

    assert_eq!(everything.len(), 1 + 2 + 4);
    assert_eq!(
        column(&mine, "Session"),
        vec![running.session.to_string(); 2]
    );
    assert_eq!(mine_json.len(), 1);
    assert_eq!(mine_json[0]["session_id"], running.session.to_string());
    assert_eq!(
        column(&filtered, "Session"),
        vec![theirs.session.to_string(); 4]
    );
}
db_test!(a_trainer_exports_only_the_sessions_they_teach);

async fn training_of(app: &TestApp, admin: &User, session: Uuid) -> String {
    let sheet = app
        .get(
            &format!("/api/v1/sessions/{session}/attendance"),
            Some(&admin.token),
        )
        .await;
    sheet.body["training_id"].as_str().unwrap().to_owned()
}

async fn a_member_is_refused_and_a_period_that_makes_no_sense_gets_its_error(mut app: TestApp) {
    let (admin, running) = app.running_session(1, 1).await;
    let member = &running.trainees[0];
    let march = period("2027-03-01", "2027-03-31");

    let refused = get_as(&app, member, &march, "text/csv").await;
    let sheet = get_as(
        &app,
        member,
        &format!("/api/v1/sessions/{}/attendance", running.session),
        "text/csv",
    )
    .await;
    let backwards = app
        .get(&period("2027-03-31", "2027-03-01"), Some(&admin.token))
        .await;
    let too_long = app
        .get(&period("2027-01-01", "2028-01-03"), Some(&admin.token))
        .await;
    let a_year = app
        .get(&period("2028-01-01", "2028-12-31"), Some(&admin.token))
        .await;

    refused.expect_error(403, "attendance.forbidden");
    sheet.expect_error(404, "attendance.session_not_found");
    app.get(&march, None).await.expect(401);
    for query in [
        "?from=2027-03-01",
        "?to=2027-03-01",
        "?from=1er-mars&to=2027-03-31",
    ] {
        app.get(&format!("/api/v1/attendance{query}"), Some(&admin.token))
            .await
            .expect_error(400, "request.invalid_parameter");
    }
    backwards.expect_error(422, "attendance.invalid");
    assert!(backwards.body["fields"]["to"].is_array());
    too_long.expect_error(422, "attendance.invalid");
    a_year.expect(200);
}
db_test!(a_member_is_refused_and_a_period_that_makes_no_sense_gets_its_error);
