//! The yearly BPF (cerfa 10443): computed from attended half-days, a session over the new year
//! split between the two years, every frame equal to hand-computed figures, the CSV saying the
//! same as the JSON, what the records lack listed and linked, administrators only.

use chrono::{TimeZone, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::fixtures::{
    Running, User, afternoon, b64, morning, programme, session_body, signature_png,
};
use crate::harness::TestApp;

fn bpf_path(year: i32) -> String {
    format!("/api/v1/evidence/bpf?year={year}")
}

/// A programme stating its BPF classification (or not, with `None`).
fn classified(title: &str, minutes: i32, objective: &str, nsf: Option<&str>) -> Value {
    let mut p = programme(title, minutes);
    p["general_objective"] = json!(objective);
    if let Some(nsf) = nsf {
        p["nsf_code"] = json!(nsf);
    }
    p
}

fn late(minutes: i32, seed: u32) -> Value {
    json!({ "status": "late", "late_minutes": minutes, "signature_png": b64(&signature_png(seed)) })
}

fn absent() -> Value {
    json!({ "status": "absent" })
}

struct Year {
    admin: User,
    /// The trainings of the sessions over the new year (NSF 315) and of December (NSF 332).
    over_new_year: Uuid,
    december: Uuid,
}

impl TestApp {
    async fn trainer_with_profile(&self, admin: &User, profile: Value) -> User {
        let trainer = self.trainer().await;
        self.put(
            &format!("/api/v1/trainers/{}", trainer.id),
            Some(&admin.token),
            profile,
        )
        .await
        .expect(200);
        trainer
    }

    /// A published session of `training` on these half-days, taught by `trainers`; returns it
    /// and its half-days in time order.
    async fn bpf_session(
        &self,
        admin: &User,
        training: Uuid,
        half_days: Vec<Value>,
        trainers: &[&User],
    ) -> (Uuid, Vec<Uuid>) {
        let room = self.place(admin, 50).await;
        let mut body = session_body(training, room, 20, half_days);
        body["trainer_ids"] = json!(trainers.iter().map(|t| t.id).collect::<Vec<_>>());
        let session = self.published_session(admin, body).await;
        let sheet = self
            .get(
                &format!("/api/v1/sessions/{session}/attendance"),
                Some(&admin.token),
            )
            .await;
        sheet.expect(200);
        let slots = sheet.body["slots"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap().parse().unwrap())
            .collect();
        (session, slots)
    }

    /// A trainee enrolled by `admin` with their BPF situation and funding.
    async fn bpf_trainee(&self, admin: &User, session: Uuid, enrolment: Value) -> User {
        let trainee = self
            .user_with(&[passerelle::principal::Role::Member], None)
            .await;
        let mut body = enrolment;
        body["person_id"] = json!(trainee.id);
        self.enrol_with(admin, session, body).await.expect(201);
        trainee
    }

    /// `trainer` marks `marks[i]` for `trainee` on `slots[i]` (`None`: nothing recorded).
    async fn marks(
        &self,
        trainer: &User,
        slots: &[Uuid],
        trainee: &User,
        marks: Vec<Option<Value>>,
    ) {
        for (slot, mark) in slots.iter().zip(marks) {
            if let Some(mark) = mark {
                self.mark(trainer, *slot, trainee.id, mark)
                    .await
                    .expect(201);
            }
        }
    }
}

/// Two trainings, fully classified, with every amount and every trainer's profile recorded:
///
/// - "Over the new year" (objective d, NSF 315), taught by an internal and an external trainer:
///   29 Dec 2026 morning and afternoon, 30 Dec morning, 4 Jan 2027 morning, 5 Jan morning and
///   afternoon (210 minutes each). P1 (employee, employer pays 600.00) attends all six; P2 (job
///   seeker, public funds 300.00) the 29th's morning, the 30th's 30 minutes late, and the 5th's
///   morning (absent otherwise); P3 ("other", OPCO 450.01) only 4 Jan.
/// - "December" (objective e, NSF 332), taught by the internal trainer on 21 Dec 2026: P1 (employer
///   200.00) present in the morning, 15 minutes late in the afternoon; P4 (employee, OPCO 100.00)
///   absent both times.
async fn a_year_of_trainings(app: &mut TestApp) -> Year {
    let clock =
        passerelle::clock::Clock::manual(Utc.with_ymd_and_hms(2026, 12, 14, 8, 0, 0).unwrap());
    app.use_clock(clock.clone());
    let admin = app.admin().await;
    let internal = app
        .trainer_with_profile(&admin, json!({ "kind": "internal" }))
        .await;
    let external = app
        .trainer_with_profile(
            &admin,
            json!({ "kind": "external", "company": "Conseil SARL", "contract_reference": "ST-2026-04" }),
        )
        .await;
    let over_new_year = app
        .published_training_with(
            &admin,
            classified(
                "Piloter un projet",
                1260,
                "professional_development",
                Some("315"),
            ),
        )
        .await;
    let december = app
        .published_training_with(
            &admin,
            classified("Faire le point", 420, "skills_assessment", Some("332")),
        )
        .await;
    let (long, long_slots) = app
        .bpf_session(
            &admin,
            over_new_year,
            vec![
                morning("2026-12-29"),
                afternoon("2026-12-29"),
                morning("2026-12-30"),
                morning("2027-01-04"),
                morning("2027-01-05"),
                afternoon("2027-01-05"),
            ],
            &[&internal, &external],
        )
        .await;
    let (short, short_slots) = app
        .bpf_session(
            &admin,
            december,
            vec![morning("2026-12-21"), afternoon("2026-12-21")],
            &[&internal],
        )
        .await;
    let funded = |kind: &str, source: &str, cents: i64| json!({ "trainee_type": kind, "funding_source": source, "funding_amount_cents": cents });
    let p1 = app
        .bpf_trainee(&admin, long, funded("employee", "employer", 60_000))
        .await;
    let p2 = app
        .bpf_trainee(&admin, long, funded("job_seeker", "public", 30_000))
        .await;
    let p3 = app
        .bpf_trainee(&admin, long, funded("other", "opco", 45_001))
        .await;
    let mut body = funded("employee", "employer", 20_000);
    body["person_id"] = json!(p1.id);
    app.enrol_with(&admin, short, body).await.expect(201);
    let p4 = app
        .bpf_trainee(&admin, short, funded("employee", "opco", 10_000))
        .await;

    clock.advance(Utc.with_ymd_and_hms(2027, 1, 6, 10, 0, 0).unwrap() - clock.now());
    let present = |seed: u32| Some(Running::present(seed));
    app.marks(&internal, &long_slots, &p1, (1..=6).map(present).collect())
        .await;
    app.marks(
        &internal,
        &long_slots,
        &p2,
        vec![
            present(11),
            Some(absent()),
            Some(late(30, 12)),
            Some(absent()),
            present(13),
            Some(absent()),
        ],
    )
    .await;
    app.marks(
        &internal,
        &long_slots,
        &p3,
        vec![
            Some(absent()),
            Some(absent()),
            None,
            present(21),
            None,
            None,
        ],
    )
    .await;
    app.marks(
        &internal,
        &short_slots,
        &p1,
        vec![present(31), Some(late(15, 32))],
    )
    .await;
    app.marks(
        &internal,
        &short_slots,
        &p4,
        vec![Some(absent()), Some(absent())],
    )
    .await;
    Year {
        admin,
        over_new_year,
        december,
    }
}

/// `(line, trainees, minutes)` of a frame's lines.
fn lines(frame: &Value) -> Vec<(String, u64, i64)> {
    frame
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let key = l.get("line").or_else(|| l.get("nsf_code")).unwrap();
            (
                key.as_str().unwrap().to_owned(),
                l["trainees"].as_u64().unwrap(),
                l["minutes"].as_i64().unwrap(),
            )
        })
        .filter(|(_, trainees, _)| *trainees > 0)
        .collect()
}

fn owned(expected: &[(&str, u64, i64)]) -> Vec<(String, u64, i64)> {
    expected
        .iter()
        .map(|(l, t, m)| ((*l).to_owned(), *t, *m))
        .collect()
}

/// `(line, amount_cents)` of frame C.
fn income(bpf: &Value) -> Vec<(String, i64)> {
    bpf["c"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["line"].as_str().unwrap().to_owned(),
                c["amount_cents"].as_i64().unwrap(),
            )
        })
        .collect()
}

async fn the_bpf_of_each_year_counts_exactly_the_half_days_attended_in_it(mut app: TestApp) {
    let year = a_year_of_trainings(&mut app).await;

    let y2026 = app.get(&bpf_path(2026), Some(&year.admin.token)).await;
    let y2027 = app.get(&bpf_path(2027), Some(&year.admin.token)).await;

    y2026.expect(200);
    y2027.expect(200);
    let (a, b) = (&y2026.body, &y2027.body);
    // 2026: P1 630 + 405, P2 210 + 180 (late 30); P3 and P4 attended nothing in 2026.
    assert_eq!(
        (a["year"].as_i64(), a["trainees"].as_u64()),
        (Some(2026), Some(2))
    );
    assert_eq!(a["minutes"], 1425);
    assert_eq!(a["hours"], 23.75);
    // 2027: P1 630, P2 210, P3 210.
    assert_eq!(
        (b["trainees"].as_u64(), b["minutes"].as_i64()),
        (Some(3), Some(1050))
    );
    assert_eq!(b["hours"], 17.5);

    assert_eq!(lines(&a["f1"]), owned(&[("a", 1, 1035), ("c", 1, 390)]));
    assert_eq!(
        lines(&b["f1"]),
        owned(&[("a", 1, 630), ("c", 1, 210), ("e", 1, 210)])
    );
    assert_eq!(a["f1"].as_array().unwrap().len(), 5, "every F-1 line");
    assert_eq!(lines(&a["f3"]), owned(&[("d", 2, 1020), ("e", 1, 405)]));
    assert_eq!(lines(&b["f3"]), owned(&[("d", 3, 1050)]));
    assert_eq!(lines(&a["f4"]), owned(&[("315", 2, 1020), ("332", 1, 405)]));
    assert_eq!(lines(&b["f4"]), owned(&[("315", 3, 1050)]));
    assert_eq!(
        a["f4"][0]["label"],
        "Ressources humaines, gestion du personnel, gestion de l'emploi"
    );

    // The long session's amounts are split half and half (630 attended minutes each year);
    // P3's 450.01 rounds to 225.01 in 2026, leaving 225.00 to 2027.
    let expected = |employer: i64, opco: i64, public: i64| {
        vec![
            ("1".to_owned(), employer),
            ("2".to_owned(), opco),
            ("3-8".to_owned(), public),
            ("9".to_owned(), 0),
            ("11".to_owned(), 0),
        ]
    };
    assert_eq!(
        income(a),
        expected(30_000 + 20_000, 22_501 + 10_000, 15_000)
    );
    assert_eq!(income(b), expected(30_000, 22_500, 15_000));
    assert_eq!(a["c"][0]["source"], "employer");

    assert_eq!(
        a["e"],
        json!({ "internal": { "trainers": 1, "hours": 17.5, "minutes": 1050 },
                "external": { "trainers": 1, "hours": 10.5, "minutes": 630 } })
    );
    assert_eq!(
        b["e"],
        json!({ "internal": { "trainers": 1, "hours": 10.5, "minutes": 630 },
                "external": { "trainers": 1, "hours": 10.5, "minutes": 630 } })
    );
    for body in [a, b] {
        assert_eq!(body["missing"], json!([]), "{body}");
        assert_eq!(body["complete"], true);
    }
    // A year without training is empty, not an error.
    let empty = app.get(&bpf_path(2025), Some(&year.admin.token)).await;
    empty.expect(200);
    assert_eq!(
        (
            empty.body["trainees"].as_u64(),
            empty.body["minutes"].as_i64()
        ),
        (Some(0), Some(0))
    );
    let _ = (year.over_new_year, year.december);
}
db_test!(the_bpf_of_each_year_counts_exactly_the_half_days_attended_in_it);

/// A French decimal (`17,5`) as a number.
fn french(cell: &str) -> f64 {
    cell.replace(',', ".")
        .parse()
        .unwrap_or_else(|_| panic!("not a number: {cell:?}"))
}

async fn the_bpf_as_a_spreadsheet_has_the_same_figures_as_the_json(mut app: TestApp) {
    let year = a_year_of_trainings(&mut app).await;
    let json = app.get(&bpf_path(2026), Some(&year.admin.token)).await;
    let bearer = format!("Bearer {}", year.admin.token);

    let csv = app
        .get_with(
            &bpf_path(2026),
            &[("authorization", bearer.as_str()), ("accept", "text/csv")],
        )
        .await;

    csv.expect(200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert_eq!(
        csv.header("content-disposition"),
        Some("attachment; filename=\"bpf-2026.csv\"")
    );
    let text = csv
        .text
        .strip_prefix('\u{feff}')
        .expect("a byte order mark");
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split(';').collect()).collect();
    assert_eq!(
        rows[0],
        [
            "Section",
            "Ligne",
            "Libellé",
            "Stagiaires",
            "Formateurs",
            "Heures",
            "Montant (€)"
        ]
    );
    let row = |section: &str, line: &str| -> &Vec<&str> {
        rows.iter()
            .find(|r| r[0] == section && r[1] == line)
            .unwrap_or_else(|| panic!("no row {section} {line} in {text}"))
    };
    let body = &json.body;
    assert_eq!(row("Total", "")[3], body["trainees"].to_string());
    assert_eq!(french(row("Total", "")[5]), body["hours"].as_f64().unwrap());
    for (section, frame) in [("F-1", "f1"), ("F-3", "f3")] {
        for line in body[frame].as_array().unwrap() {
            let r = row(section, line["line"].as_str().unwrap());
            assert_eq!(r[3], line["trainees"].to_string(), "{section} {line}");
            assert_eq!(
                french(r[5]),
                line["hours"].as_f64().unwrap(),
                "{section} {line}"
            );
        }
    }
    for speciality in body["f4"].as_array().unwrap() {
        let r = row("F-4", speciality["nsf_code"].as_str().unwrap());
        assert_eq!(french(r[5]), speciality["hours"].as_f64().unwrap());
    }
    for income in body["c"].as_array().unwrap() {
        let r = row("C", income["line"].as_str().unwrap());
        assert_eq!(
            (french(r[6]) * 100.0).round() as i64,
            income["amount_cents"].as_i64().unwrap()
        );
    }
    assert_eq!(row("C", "1")[6], "500,00");
    assert_eq!(row("F-1", "a")[5], "17,25");
    assert_eq!(row("E", "externes")[4], "1");
    assert_eq!(
        french(row("E", "internes")[5]),
        body["e"]["internal"]["hours"].as_f64().unwrap()
    );

    let xlsx = app
        .client
        .get(bpf_path(2026))
        .header("authorization", bearer.clone())
        .header(
            "accept",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        .send()
        .await
        .0;
    assert_eq!(xlsx.status().as_u16(), 200);
    assert_eq!(
        xlsx.headers()["content-disposition"],
        "attachment; filename=\"bpf-2026.xlsx\""
    );
    let bytes = xlsx.into_body().into_vec().await.unwrap();
    assert!(bytes.starts_with(b"PK"), "an XLSX is a ZIP");
}
db_test!(the_bpf_as_a_spreadsheet_has_the_same_figures_as_the_json);

async fn what_the_records_lack_is_listed_and_linked_never_guessed(mut app: TestApp) {
    let clock =
        passerelle::clock::Clock::manual(Utc.with_ymd_and_hms(2027, 3, 1, 8, 0, 0).unwrap());
    app.use_clock(clock.clone());
    let admin = app.admin().await;
    let unprofiled = app.trainer().await;
    let training = app
        .published_training_with(
            &admin,
            classified("Sans spécialité", 420, "professional_development", None),
        )
        .await;
    let (session, slots) = app
        .bpf_session(
            &admin,
            training,
            vec![morning("2027-03-08"), afternoon("2027-03-08")],
            &[&unprofiled],
        )
        .await;
    let trainee = app
        .bpf_trainee(
            &admin,
            session,
            json!({ "trainee_type": "individual", "funding_source": "individual" }),
        )
        .await;
    let enrolment = app.roster(&admin, session).await[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    clock.advance(Utc.with_ymd_and_hms(2027, 3, 9, 9, 0, 0).unwrap() - clock.now());
    app.marks(
        &unprofiled,
        &slots,
        &trainee,
        vec![Some(Running::present(1)), Some(Running::present(2))],
    )
    .await;

    let bpf = app.get(&bpf_path(2027), Some(&admin.token)).await;

    bpf.expect(200);
    let body = &bpf.body;
    assert_eq!(body["complete"], false);
    let missing: Vec<(&str, &str)> = body["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["figure"].as_str().unwrap(), m["link"].as_str().unwrap()))
        .collect();
    let (training_link, enrolment_link, trainer_link) = (
        format!("/api/v1/trainings/{training}"),
        format!("/api/v1/enrolments/{enrolment}"),
        format!("/api/v1/trainers/{}", unprofiled.id),
    );
    assert_eq!(
        missing,
        vec![
            ("C", enrolment_link.as_str()),
            ("E", trainer_link.as_str()),
            ("F-4", training_link.as_str()),
        ]
    );
    let f4 = &body["missing"][2];
    assert!(f4["reason"].as_str().unwrap().contains("code NSF"), "{f4}");
    assert!(f4["reason"].as_str().unwrap().contains("7 heures"), "{f4}");
    // The hours are counted where they are known, and nowhere else.
    assert_eq!(body["minutes"], 420);
    assert_eq!(lines(&body["f1"]), owned(&[("d", 1, 420)]));
    assert_eq!(lines(&body["f3"]), owned(&[("d", 1, 420)]));
    assert_eq!(body["f4"], json!([]));
    assert_eq!(body["e"]["internal"]["minutes"], 0);
    assert_eq!(body["e"]["external"]["minutes"], 0);

    // Once the training states its speciality (a PUT of its programme), F-4 is complete.
    let mut programme = app.get(&training_link, Some(&admin.token)).await.body["programme"].clone();
    programme["nsf_code"] = json!("315");
    app.put(&training_link, Some(&admin.token), programme)
        .await
        .expect(200);
    let fixed = app.get(&bpf_path(2027), Some(&admin.token)).await;
    assert_eq!(lines(&fixed.body["f4"]), owned(&[("315", 1, 420)]));
    assert!(
        fixed.body["missing"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["figure"] != "F-4")
    );
}
db_test!(what_the_records_lack_is_listed_and_linked_never_guessed);

async fn only_administrators_read_the_bpf_of_a_year_that_makes_sense(app: TestApp) {
    let admin = app.admin().await;
    let member = app
        .user_with(&[passerelle::principal::Role::Member], None)
        .await;

    let refused = app.get(&bpf_path(2026), Some(&member.token)).await;

    refused.expect_error(404, "evidence.not_found");
    app.get(&bpf_path(2026), None).await.expect(401);
    for query in ["", "?year=", "?year=deux-mille", "?year=1999", "?year=2101"] {
        app.get(&format!("/api/v1/evidence/bpf{query}"), Some(&admin.token))
            .await
            .expect_error(400, "request.invalid_parameter");
    }
}
db_test!(only_administrators_read_the_bpf_of_a_year_that_makes_sense);

async fn a_training_keeps_its_bpf_classification_and_refuses_a_malformed_nsf_code(app: TestApp) {
    let admin = app.admin().await;
    let id = app
        .draft_training(
            &admin,
            classified("Classée", 420, "vae_support", Some("333")),
        )
        .await;
    let plain = app
        .draft_training(&admin, programme("Non classée", 420))
        .await;

    let read = app
        .get(&format!("/api/v1/trainings/{id}"), Some(&admin.token))
        .await;
    let unclassified = app
        .get(&format!("/api/v1/trainings/{plain}"), Some(&admin.token))
        .await;

    assert_eq!(read.body["programme"]["general_objective"], "vae_support");
    assert_eq!(read.body["programme"]["nsf_code"], "333");
    let shown = unclassified.body["programme"].as_object().unwrap();
    assert!(!shown.contains_key("general_objective") && !shown.contains_key("nsf_code"));
    let mut bad = programme("Code faux", 420);
    bad["nsf_code"] = json!("31");
    let refused = app.post("/api/v1/trainings", Some(&admin.token), bad).await;
    assert!(
        matches!(refused.status.as_u16(), 400 | 422),
        "{}",
        refused.text
    );
}
db_test!(a_training_keeps_its_bpf_classification_and_refuses_a_malformed_nsf_code);
