//! The Qualiopi evidence report: exactly the gaps of a dataset built with known gaps, none once
//! the same dataset is kept as it should be; a period straddling 2026-11-01 split between V9 and
//! V10; administrators only.

use chrono::{TimeZone, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::fixtures::{Running, User};
use crate::harness::TestApp;

pub const MARCH: &str = "/api/v1/evidence/report?from=2027-03-01&to=2027-03-31";

fn positioning() -> Value {
    json!({ "questions": [
        { "key": "level", "kind": "single_choice", "prompt": "Votre niveau ?",
          "options": ["débutant", "confirmé"] },
    ]})
}

/// The indicator `number` of the only part of a report.
fn indicator(report: &Value, number: u64) -> &Value {
    report["parts"][0]["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["number"] == number)
        .unwrap_or_else(|| panic!("no indicator {number}"))
}

/// The ids the gaps of an indicator's findings link to.
fn gaps(report: &Value, number: u64) -> Vec<Uuid> {
    indicator(report, number)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["gaps"].as_array().unwrap().iter())
        .map(|g| g["id"].as_str().unwrap().parse().unwrap())
        .collect()
}

pub struct Dataset {
    pub admin: User,
    pub running: Running,
    /// The second trainee's enrolment (the one the gaps are about).
    pub second: Uuid,
    pub complaint: Uuid,
}

/// A one-day session in March 2027 with two trainees and a complaint received before it. Kept
/// well (`complete`), or with four gaps: the second trainee neither convoked nor positioned, their
/// absence never followed up, and the complaint never acknowledged.
pub async fn march(app: &mut TestApp, complete: bool) -> Dataset {
    let (admin, running) = app.running_session(1, 2).await;
    let session = app
        .get(
            &format!("/api/v1/sessions/{}", running.session),
            Some(&admin.token),
        )
        .await;
    let training = session.body["training_id"].as_str().unwrap().to_owned();
    app.put(
        &format!("/api/v1/trainings/{training}/positioning"),
        Some(&admin.token),
        positioning(),
    )
    .await
    .expect(200);
    let roster = app
        .all_pages(
            &format!("/api/v1/enrolments?session_id={}", running.session),
            Some(&admin.token),
        )
        .await;
    let enrolment_of = |person: Uuid| -> Uuid {
        roster
            .iter()
            .find(|e| e["person_id"] == json!(person))
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap()
    };
    let (first, second) = (&running.trainees[0], &running.trainees[1]);
    let answered = |user: &User, enrolment: Uuid| {
        let app = &*app;
        let token = user.token.clone();
        async move {
            app.put(
                &format!("/api/v1/enrolments/{enrolment}/positioning"),
                Some(&token),
                json!({ "answers": [{ "key": "level", "choices": ["confirmé"] }] }),
            )
            .await
            .expect(200);
        }
    };
    let convoked = |enrolment: Uuid| {
        let app = &*app;
        let token = admin.token.clone();
        async move {
            app.post(
                &format!("/api/v1/enrolments/{enrolment}/convocation"),
                Some(&token),
                json!({}),
            )
            .await
            .expect(201);
        }
    };
    answered(first, enrolment_of(first.id)).await;
    convoked(enrolment_of(first.id)).await;
    if complete {
        answered(second, enrolment_of(second.id)).await;
        convoked(enrolment_of(second.id)).await;
    }
    let complaint = app
        .post(
            "/api/v1/complaints",
            None,
            json!({ "channel": "email", "contact": "asso@example.org",
                    "text": "La convocation n'indiquait pas l'étage de la salle." }),
        )
        .await;
    complaint.expect(201);
    let complaint = complaint.id();
    if complete {
        let path = format!("/api/v1/complaints/{complaint}");
        for (step, body) in [
            ("acknowledgement", json!({})),
            (
                "answer",
                json!({ "answer": "L'étage figure désormais sur la convocation." }),
            ),
            (
                "closure",
                json!({ "outcome": "Modèle de convocation corrigé." }),
            ),
        ] {
            app.post(&format!("{path}/{step}"), Some(&admin.token), body)
                .await
                .expect(200);
        }
    }

    running.at_slot(0, 20);
    app.mark(
        &running.trainer,
        running.slots[0],
        first.id,
        Running::present(1),
    )
    .await
    .expect(201);
    app.mark(
        &running.trainer,
        running.slots[0],
        second.id,
        json!({ "status": "absent" }),
    )
    .await
    .expect(201);
    if complete {
        app.post(
            &format!(
                "/api/v1/sessions/{}/absences/{}/follow-ups",
                running.session, second.id
            ),
            Some(&running.trainer.token),
            json!({ "note": "Appelé : malade, rejoint demain" }),
        )
        .await
        .expect(201);
    }
    running.set_clock(Utc.with_ymd_and_hms(2027, 3, 20, 9, 0, 0).unwrap());
    Dataset {
        second: enrolment_of(second.id),
        admin,
        running,
        complaint,
    }
}

async fn the_evidence_report_shows_exactly_the_gaps_of_a_dataset_each_linked_to_its_record(
    mut app: TestApp,
) {
    let data = march(&mut app, false).await;
    let report = app.get(MARCH, Some(&data.admin.token)).await;
    report.expect(200);
    let body = &report.body;
    assert_eq!(body["parts"].as_array().unwrap().len(), 1);
    assert_eq!(body["parts"][0]["version"], "V10");
    assert_eq!(body["parts"][0]["sessions"], 1);

    assert_eq!(gaps(body, 8), vec![data.second], "positioning not done");
    assert_eq!(gaps(body, 9), vec![data.second], "no convocation");
    assert_eq!(
        gaps(body, 12),
        vec![data.running.session],
        "an absence without follow-up"
    );
    assert_eq!(
        gaps(body, 31),
        vec![data.complaint],
        "a complaint past its delay"
    );
    for number in [8, 9, 12, 31] {
        assert_eq!(
            indicator(body, number)["status"],
            "partial",
            "ind. {number}"
        );
    }
    let convocation = &indicator(body, 9)["findings"][0];
    assert_eq!(
        convocation["gaps"][0]["href"],
        format!("/api/v1/enrolments/{}", data.second)
    );
    assert_eq!(
        convocation["measures"][0],
        json!({ "key": "convocations_issued", "label": "Stagiaires convoqués", "done": 1, "total": 2 })
    );
    assert_eq!(indicator(body, 3)["status"], "not_applicable");
    assert!(
        indicator(body, 3)["reason"]
            .as_str()
            .unwrap()
            .contains("certifi")
    );
    assert!(body["disclaimer"].as_str().unwrap().contains("conformité"));
}
db_test!(the_evidence_report_shows_exactly_the_gaps_of_a_dataset_each_linked_to_its_record);

async fn the_same_dataset_kept_as_it_should_be_shows_no_gap(mut app: TestApp) {
    let data = march(&mut app, true).await;
    let report = app.get(MARCH, Some(&data.admin.token)).await;
    report.expect(200);
    for number in [8, 9, 12, 31] {
        assert_eq!(
            gaps(&report.body, number),
            Vec::<Uuid>::new(),
            "ind. {number}"
        );
        assert_eq!(
            indicator(&report.body, number)["status"],
            "present",
            "ind. {number}: {}",
            indicator(&report.body, number)
        );
    }
    let absences = &indicator(&report.body, 12)["findings"][0]["measures"][0];
    assert_eq!(
        (&absences["done"], &absences["total"]),
        (&json!(1), &json!(1))
    );
}
db_test!(the_same_dataset_kept_as_it_should_be_shows_no_gap);

async fn a_period_straddling_november_2026_reports_october_under_v9_and_november_under_v10(
    app: TestApp,
) {
    let admin = app.admin().await;
    let report = app
        .get(
            "/api/v1/evidence/report?from=2026-10-01&to=2026-11-30",
            Some(&admin.token),
        )
        .await;
    report.expect(200);
    let parts = report.body["parts"].as_array().unwrap();
    let spans: Vec<(&str, &str, &str)> = parts
        .iter()
        .map(|p| {
            (
                p["version"].as_str().unwrap(),
                p["from"].as_str().unwrap(),
                p["to"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        spans,
        vec![
            ("V9", "2026-10-01", "2026-10-31"),
            ("V10", "2026-11-01", "2026-11-30")
        ]
    );
    let sources = |part: &Value, number: u64| -> Vec<String> {
        part["indicators"][(number - 1) as usize]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["source"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(parts[0]["indicators"].as_array().unwrap().len(), 32);
    assert_eq!(parts[1]["indicators"].as_array().unwrap().len(), 33);
    // V9: ind. 12 applies only to trainings over two days (none here).
    assert_eq!(parts[0]["indicators"][11]["status"], "not_applicable");
    // V10: ind. 12 is the reports channel too, ind. 32 the risk analysis.
    assert_eq!(
        sources(&parts[1], 12),
        ["absence_follow_up", "reports_channel"]
    );
    assert_eq!(
        sources(&parts[1], 32),
        ["improvement_actions", "risk_analysis"]
    );
    assert_eq!(sources(&parts[0], 32), ["improvement_actions"]);
}
db_test!(a_period_straddling_november_2026_reports_october_under_v9_and_november_under_v10);

async fn only_administrators_read_the_evidence_and_a_period_must_make_sense(app: TestApp) {
    let admin = app.admin().await;
    for roles in [
        vec![passerelle::principal::Role::Member],
        vec![passerelle::principal::Role::Trainer],
        vec![passerelle::principal::Role::OrgManager],
        vec![passerelle::principal::Role::Referent],
    ] {
        let someone = app.user_with(&roles, None).await;
        app.get(MARCH, Some(&someone.token))
            .await
            .expect_error(404, "evidence.not_found");
    }
    app.get(MARCH, None).await.expect(401);
    let backwards = app
        .get(
            "/api/v1/evidence/report?from=2027-03-31&to=2027-03-01",
            Some(&admin.token),
        )
        .await;
    backwards.expect_error(422, "evidence.invalid");
    assert!(backwards.body["fields"]["to"].is_array());
}
db_test!(only_administrators_read_the_evidence_and_a_period_must_make_sense);
