//! The assessment of learning against each objective of the programme (Qualiopi ind. 11): one
//! result per objective, checked against the programme, read back with the objectives' wording
//! and printed on the attestation.

use serde_json::{Value, json};

use super::{attend_and_close, enrolment_of, pdf, set_provider, signed};
use crate::harness::{Reply, TestApp};

db_test!(an_assessment_records_one_result_per_programme_objective_and_the_attestation_prints_each_objective_with_its_result);
db_test!(the_assessment_read_back_gives_each_objective_its_index_wording_result_and_comment);
db_test!(a_missing_or_duplicate_objective_is_refused_with_422_naming_it);
db_test!(an_objective_index_outside_the_programme_is_refused_and_so_is_an_overlong_comment);

/// The fixture programme states two objectives: 0 "Write a logical framework", 1 "Draft a
/// budget an AFD officer accepts".
fn body(objectives: Value) -> Value {
    json!({ "result": "partially_acquired", "comment": "Bon travail", "objectives": objectives })
}

fn messages(reply: &Reply, field: &str) -> String {
    reply.body["fields"][field]
        .as_array()
        .unwrap_or_else(|| panic!("no {field} in {}", reply.text))
        .iter()
        .filter_map(Value::as_str)
        .collect::<Vec<_>>()
        .join("; ")
}

async fn an_assessment_records_one_result_per_programme_objective_and_the_attestation_prints_each_objective_with_its_result(
    mut app: TestApp,
) {
    let (admin, running) = app.running_session(1, 1).await;
    set_provider(&app, &admin).await;
    attend_and_close(&app, &admin, &running, signed).await;
    let enrolment = enrolment_of(&app, &admin, running.session, running.trainees[0].id).await;
    let path = format!("/api/v1/enrolments/{enrolment}/assessment");

    let recorded = app
        .put(
            &path,
            Some(&running.trainer.token),
            body(json!([
                { "objective": 1, "result": "not_acquired", "comment": "Budget incomplet" },
                { "objective": 0, "result": "acquired" },
            ])),
        )
        .await;
    let attestation = pdf(
        &app,
        &running.trainees[0],
        &format!("/api/v1/enrolments/{enrolment}/attestation"),
    )
    .await;

    recorded.expect(200);
    assert_eq!(
        recorded.body["objectives"].as_array().map(Vec::len),
        Some(2)
    );
    attestation.assert_says("Résultat : partiellement acquis");
    attestation.assert_says("Observations : Bon travail");
    attestation.assert_says("Write a logical framework : acquis");
    attestation
        .assert_says("Draft a budget an AFD officer accepts : non acquis — Budget incomplet");
    super::assert_pdf_a_2b(&attestation);
}

async fn the_assessment_read_back_gives_each_objective_its_index_wording_result_and_comment(
    mut app: TestApp,
) {
    let (admin, running) = app.running_session(1, 1).await;
    let trainee = &running.trainees[0];
    let enrolment = enrolment_of(&app, &admin, running.session, trainee.id).await;
    let path = format!("/api/v1/enrolments/{enrolment}/assessment");

    app.put(
        &path,
        Some(&running.trainer.token),
        body(json!([
            { "objective": 0, "result": "acquired", "comment": "Cadre logique clair" },
            { "objective": 1, "result": "acquired" },
        ])),
    )
    .await
    .expect(200);
    let replaced = app
        .put(
            &path,
            Some(&running.trainer.token),
            body(json!([
                { "objective": 1, "result": "partially_acquired" },
                { "objective": 0, "result": "acquired", "comment": "Cadre logique clair" },
            ])),
        )
        .await;
    let seen = app.get(&path, Some(&trainee.token)).await;

    replaced.expect(200);
    seen.expect(200);
    assert_eq!(
        seen.body["objectives"],
        json!([
            {
                "objective": 0, "wording": "Write a logical framework",
                "result": "acquired", "comment": "Cadre logique clair",
            },
            {
                "objective": 1, "wording": "Draft a budget an AFD officer accepts",
                "result": "partially_acquired", "comment": "",
            },
        ])
    );
    assert_eq!(seen.body["result"], "partially_acquired");
    assert_eq!(seen.body["comment"], "Bon travail");
}

async fn a_missing_or_duplicate_objective_is_refused_with_422_naming_it(mut app: TestApp) {
    let (admin, running) = app.running_session(1, 1).await;
    let enrolment = enrolment_of(&app, &admin, running.session, running.trainees[0].id).await;
    let path = format!("/api/v1/enrolments/{enrolment}/assessment");
    let put = |body: Value| app.put(&path, Some(&running.trainer.token), body);

    let absent = put(json!({ "result": "acquired" })).await;
    let missing = put(body(json!([{ "objective": 0, "result": "acquired" }]))).await;
    let duplicate = put(body(json!([
        { "objective": 0, "result": "acquired" },
        { "objective": 0, "result": "not_acquired" },
        { "objective": 1, "result": "acquired" },
    ])))
    .await;
    let nothing = app.get(&path, Some(&running.trainer.token)).await;

    absent.expect_error(422, "documents.invalid");
    assert!(
        messages(&absent, "objectives").contains("required"),
        "{}",
        absent.text
    );
    missing.expect_error(422, "documents.invalid");
    assert!(
        messages(&missing, "objectives").contains("objective 1"),
        "{}",
        missing.text
    );
    duplicate.expect_error(422, "documents.invalid");
    assert!(
        messages(&duplicate, "objectives[1].objective")
            .contains("objective 0 appears more than once"),
        "{}",
        duplicate.text
    );
    assert!(
        duplicate.body["fields"].get("objectives").is_none(),
        "{}",
        duplicate.text
    );
    nothing.expect_error(404, "documents.assessment_not_found");
}

async fn an_objective_index_outside_the_programme_is_refused_and_so_is_an_overlong_comment(
    mut app: TestApp,
) {
    let (admin, running) = app.running_session(1, 1).await;
    let enrolment = enrolment_of(&app, &admin, running.session, running.trainees[0].id).await;
    let path = format!("/api/v1/enrolments/{enrolment}/assessment");
    let put = |body: Value| app.put(&path, Some(&running.trainer.token), body);

    let beyond = put(body(json!([
        { "objective": 0, "result": "acquired" },
        { "objective": 1, "result": "acquired" },
        { "objective": 2, "result": "acquired" },
    ])))
    .await;
    let negative = put(body(json!([
        { "objective": -1, "result": "acquired" },
        { "objective": 0, "result": "acquired" },
        { "objective": 1, "result": "acquired" },
    ])))
    .await;
    let overlong = put(body(json!([
        { "objective": 0, "result": "acquired", "comment": "x".repeat(2001) },
        { "objective": 1, "result": "acquired" },
    ])))
    .await;
    let nothing = app.get(&path, Some(&running.trainer.token)).await;

    beyond.expect_error(422, "documents.invalid");
    assert!(
        messages(&beyond, "objectives[2].objective")
            .contains("objective 2 is not in the programme"),
        "{}",
        beyond.text
    );
    // The schema states `minimum: 0` and at most 2000 characters: breaking a limit the spec
    // states is the house's `request.invalid`, naming the field.
    negative.expect_error(422, "request.invalid");
    assert!(
        negative.body["fields"].get("objective").is_some(),
        "{}",
        negative.text
    );
    overlong.expect_error(422, "request.invalid");
    assert!(
        overlong.body["fields"].get("comment").is_some(),
        "{}",
        overlong.text
    );
    nothing.expect_error(404, "documents.assessment_not_found");
}
