//! Surveys: templates, hot and cold surveys opening from the clock, drafts and a single
//! submission, trainers' debriefs, funders through a secret link, aggregated results and the
//! training's published result indicators (Qualiopi ind. 2 and 30).

use chrono::Duration;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::fixtures::{Running, User};
use crate::harness::{Reply, TestApp};

const TEMPLATES: &str = "/api/v1/surveys/templates";
const INVITATIONS: &str = "/api/v1/surveys/invitations";

/// A template of `kind` with a required overall-satisfaction scale, an optional choice and an
/// optional comment.
pub fn template_body(kind: &str, training: Option<Uuid>) -> Value {
    let mut body = json!({
        "title": format!("Questionnaire {kind}"),
        "kind": kind,
        "questions": [
            { "key": "overall", "label": "Satisfaction globale", "type": "scale_5",
              "required": true, "satisfaction": true },
            { "key": "useful", "label": "Utile pour votre poste ?", "type": "single_choice",
              "required": false, "choices": ["oui", "en partie", "non"] },
            { "key": "topics", "label": "Sujets à approfondir", "type": "multiple_choice",
              "required": false, "choices": ["budget", "RH", "financements"] },
            { "key": "comment", "label": "Commentaire", "type": "text", "required": false },
        ],
    });
    if let Some(training) = training {
        body["training_id"] = json!(training);
    }
    body
}

impl TestApp {
    pub async fn survey_template(&self, admin: &User, kind: &str) -> Uuid {
        let reply = self
            .post(TEMPLATES, Some(&admin.token), template_body(kind, None))
            .await;
        reply.expect(201);
        reply.id()
    }

    async fn training_of(&self, admin: &User, session: Uuid) -> Uuid {
        let reply = self
            .get(&format!("/api/v1/sessions/{session}"), Some(&admin.token))
            .await;
        reply.expect(200);
        reply.body["training_id"].as_str().unwrap().parse().unwrap()
    }

    /// The caller's invitations (all of them).
    async fn invitations(&self, user: &User) -> Vec<Value> {
        self.all_pages(INVITATIONS, Some(&user.token)).await
    }

    /// `user`'s single invitation of `kind`.
    async fn invitation(&self, user: &User, kind: &str) -> Value {
        let all = self.invitations(user).await;
        let found: Vec<&Value> = all.iter().filter(|i| i["kind"] == kind).collect();
        assert_eq!(found.len(), 1, "one {kind} invitation in {all:?}");
        found[0].clone()
    }

    async fn submit_survey(&self, user: &User, invitation: &str, answers: Value) -> Reply {
        self.post(
            &format!("{INVITATIONS}/{invitation}/submit"),
            Some(&user.token),
            json!({ "answers": answers }),
        )
        .await
    }

    async fn save_answers(&self, user: &User, invitation: &str, answers: Value) -> Reply {
        self.put(
            &format!("{INVITATIONS}/{invitation}/answers"),
            Some(&user.token),
            json!({ "answers": answers }),
        )
        .await
    }

    /// A fresh token for `user` (after the clock moved past the old one's life).
    async fn relogin(&self, user: &User) -> User {
        User {
            token: self.token(&user.email).await,
            ..user.clone()
        }
    }
}

/// The figure `key` of the latest year of a training's results.
fn figure<'a>(results: &'a Value, key: &str) -> &'a Value {
    results["years"][0]["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == key)
        .unwrap_or_else(|| panic!("no figure {key} in {results}"))
}

/// Six trainees; the hot survey answered by the first `answering` with these scores.
async fn hot_survey_answered(app: &mut TestApp, scores: &[i64]) -> (User, Running, Uuid) {
    let (admin, running) = app.running_session(1, 6).await;
    app.survey_template(&admin, "hot").await;
    let training = app.training_of(&admin, running.session).await;

    running.at_slot(1, 60);
    assert!(
        app.invitations(&running.trainees[0]).await.is_empty(),
        "no survey before the last half-day ends"
    );
    running.set_clock(running.ends(1));
    for (trainee, score) in running.trainees.iter().zip(scores) {
        let invitation = app.invitation(trainee, "hot").await;
        assert_eq!(invitation["state"], "open");
        let id = invitation["id"].as_str().unwrap();
        app.submit_survey(
            trainee,
            id,
            json!([{ "question": "overall", "scale": score }, { "question": "useful", "choice": "oui" }]),
        )
        .await
        .expect(200);
    }
    (admin, running, training)
}

async fn a_sessions_hot_survey_opens_when_its_last_half_day_ends_and_the_training_publishes_its_satisfaction(
    mut app: TestApp,
) {
    let (admin, running, training) = hot_survey_answered(&mut app, &[5, 4, 4, 3, 5]).await;
    let opened = app.invitation(&running.trainees[5], "hot").await;
    assert_eq!(
        crate::fixtures::instant(&opened["opens_at"]),
        running.ends(1)
    );
    let deadline = crate::fixtures::instant(&opened["deadline"]);
    assert_eq!(
        deadline,
        running.ends(1) + Duration::days(21),
        "the default 21 days to answer"
    );

    // Computed by hand: scores 5, 4, 4, 3, 5 → mean 21 / 5 = 4.2; 4 of 5 gave 4 or 5 → 80 %;
    // 5 of 6 invited answered → 83.3 %.
    let results = app
        .get(
            &format!("/api/v1/catalogue/trainings/{training}/results"),
            None,
        )
        .await;
    results.expect(200);
    let mean = figure(&results.body, "satisfaction_mean");
    assert_eq!(mean["status"], "published");
    assert_eq!(mean["value"], 4.2);
    assert_eq!(mean["base"], 5);
    assert!(mean["formula"].as_str().unwrap().contains("Moyenne"));
    let share = figure(&results.body, "satisfaction_share");
    assert_eq!(share["value"], 80.0);
    let rate = figure(&results.body, "response_rate");
    assert_eq!(rate["value"], 83.3);
    assert_eq!(rate["base"], 6);
    assert_eq!(figure(&results.body, "trainees")["value"], 6.0);
    assert_eq!(results.body["years"][0]["year"], 2027);
    assert!(
        rate["formula"].as_str().unwrap().contains("01/01/2027"),
        "the formula states its period: {}",
        rate["formula"]
    );

    // The public training's read carries the same figures.
    let read = app
        .get(&format!("/api/v1/catalogue/trainings/{training}"), None)
        .await;
    read.expect(200);
    assert_eq!(
        figure(&read.body["results"], "satisfaction_mean")["value"],
        4.2
    );

    // Administrators read the response rate and the aggregated answers.
    let admin_view = app
        .get(
            &format!("/api/v1/surveys/results?session_id={}", running.session),
            Some(&admin.token),
        )
        .await;
    admin_view.expect(200);
    assert_eq!(admin_view.body["invited"], 6);
    assert_eq!(admin_view.body["submitted"], 5);
    let questions = admin_view.body["templates"][0]["questions"]
        .as_array()
        .unwrap();
    let overall = &questions[0];
    assert_eq!(overall["mean"], 4.2);
    let counts: Vec<(String, u64)> = overall["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["value"].as_str().unwrap().to_owned(),
                c["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        counts,
        vec![
            ("1".into(), 0),
            ("2".into(), 0),
            ("3".into(), 1),
            ("4".into(), 2),
            ("5".into(), 2)
        ]
    );
    assert_eq!(
        questions[1]["counts"][0],
        json!({ "value": "oui", "count": 5 })
    );
    // The same results as a spreadsheet (French CSV): the rate, then the question's mean.
    let sheet = app
        .get_with(
            &format!("/api/v1/surveys/results?session_id={}", running.session),
            &[
                ("authorization", &format!("Bearer {}", admin.token)),
                ("accept", "text/csv"),
            ],
        )
        .await;
    sheet.expect(200);
    assert_eq!(
        sheet.header("content-disposition"),
        Some("attachment; filename=\"resultats-enquetes.csv\"")
    );
    let rows: Vec<Vec<&str>> = sheet
        .text
        .trim_start_matches('\u{feff}')
        .lines()
        .map(|l| l.split(';').collect())
        .collect();
    assert_eq!(
        rows[0],
        [
            "Questionnaire",
            "Type",
            "Question",
            "Réponse",
            "Nombre",
            "Moyenne"
        ]
    );
    assert_eq!(rows[1][2], "5 réponses sur 6 invitations");
    assert_eq!(rows[1][5], "83,33");
    assert!(
        rows.iter().any(|r| r[4] == "5" && r[5] == "4,2"),
        "the satisfaction question's mean: {}",
        sheet.text
    );
    app.get("/api/v1/surveys/results", Some(&running.trainees[0].token))
        .await
        .expect_error(403, "quality.forbidden");
}
db_test!(a_sessions_hot_survey_opens_when_its_last_half_day_ends_and_the_training_publishes_its_satisfaction);

async fn with_four_answers_the_published_satisfaction_says_not_enough_answers(mut app: TestApp) {
    let (_admin, _running, training) = hot_survey_answered(&mut app, &[5, 5, 4, 2]).await;
    let results = app
        .get(
            &format!("/api/v1/catalogue/trainings/{training}/results"),
            None,
        )
        .await;
    results.expect(200);
    for key in ["satisfaction_mean", "satisfaction_share"] {
        let f = figure(&results.body, key);
        assert_eq!(f["status"], "not_enough_answers", "{key}: {f}");
        assert_eq!(f["value"], Value::Null, "{key} is no number");
        assert_eq!(f["base"], 4);
    }
    // The response rate rests on the six invited: 4 / 6.
    assert_eq!(figure(&results.body, "response_rate")["value"], 66.7);
}
db_test!(with_four_answers_the_published_satisfaction_says_not_enough_answers);

async fn a_cold_survey_opens_weeks_after_the_session_and_is_submitted_once_drafts_editable_until_then(
    mut app: TestApp,
) {
    let (admin, running) = app.running_session(1, 2).await;
    app.survey_template(&admin, "cold").await;
    let end = running.ends(1);

    running.set_clock(end + Duration::weeks(8) - Duration::minutes(1));
    let first = app.relogin(&running.trainees[0]).await;
    let second = app.relogin(&running.trainees[1]).await;
    assert!(
        app.invitations(&first).await.is_empty(),
        "not before 8 weeks"
    );
    running.set_clock(end + Duration::weeks(8));
    let cold = app.invitation(&first, "cold").await;
    let id = cold["id"].as_str().unwrap().to_owned();

    // A draft, edited.
    app.save_answers(
        &first,
        &id,
        json!([{ "question": "comment", "text": "Bien" }]),
    )
    .await
    .expect(200);
    let edited = app
        .save_answers(
            &first,
            &id,
            json!([
                { "question": "comment", "text": "Très bien" },
                { "question": "topics", "choices": ["budget", "RH"] },
            ]),
        )
        .await;
    edited.expect(200);
    assert_eq!(edited.body["state"], "open");
    assert_eq!(edited.body["answers"].as_array().unwrap().len(), 2);
    let bad = app
        .save_answers(
            &first,
            &id,
            json!([{ "question": "overall", "scale": 9 }, { "question": "nope", "text": "x" }]),
        )
        .await;
    bad.expect_error(422, "quality.invalid");
    assert!(
        bad.body["fields"]["answers.overall"].is_array(),
        "{}",
        bad.text
    );
    assert!(
        bad.body["fields"]["answers.nope"].is_array(),
        "{}",
        bad.text
    );

    // Submitting without the required answer names it; then once, and never again.
    app.submit_survey(&first, &id, json!([]))
        .await
        .expect_error(422, "quality.invalid");
    let submitted = app
        .submit_survey(&first, &id, json!([{ "question": "overall", "scale": 4 }]))
        .await;
    submitted.expect(200);
    assert_eq!(submitted.body["state"], "submitted");
    let comment = submitted.body["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["question"] == "comment")
        .unwrap();
    assert_eq!(comment["text"], "Très bien", "the draft is kept");
    app.submit_survey(&first, &id, json!([]))
        .await
        .expect_error(409, "quality.survey_submitted");
    app.save_answers(&first, &id, json!([{ "question": "overall", "scale": 1 }]))
        .await
        .expect_error(409, "quality.survey_submitted");

    // Someone else's invitation does not exist for them.
    app.get(&format!("{INVITATIONS}/{id}"), Some(&second.token))
        .await
        .expect_error(404, "quality.invitation_not_found");
    app.save_answers(&second, &id, json!([]))
        .await
        .expect_error(404, "quality.invitation_not_found");

    // After the deadline the other trainee's survey is closed.
    running.set_clock(end + Duration::weeks(8) + Duration::days(21));
    let second = app.relogin(&second).await;
    let late = app.invitation(&second, "cold").await;
    assert_eq!(late["state"], "closed");
    app.submit_survey(
        &second,
        late["id"].as_str().unwrap(),
        json!([{ "question": "overall", "scale": 5 }]),
    )
    .await
    .expect_error(409, "quality.survey_closed");
}
db_test!(
    a_cold_survey_opens_weeks_after_the_session_and_is_submitted_once_drafts_editable_until_then
);

async fn a_trainer_answers_the_debrief_of_the_session_they_taught(mut app: TestApp) {
    let (admin, running) = app.running_session(1, 1).await;
    app.survey_template(&admin, "debrief").await;
    running.set_clock(running.ends(1));
    let debrief = app.invitation(&running.trainer, "debrief").await;
    assert_eq!(debrief["session_id"], json!(running.session));
    assert!(
        app.invitations(&running.trainees[0]).await.is_empty(),
        "trainees get no debrief"
    );
    app.submit_survey(
        &running.trainer,
        debrief["id"].as_str().unwrap(),
        json!([{ "question": "overall", "scale": 3 }, { "question": "comment", "text": "Salle trop petite" }]),
    )
    .await
    .expect(200);
    let results = app
        .get("/api/v1/surveys/results?kind=debrief", Some(&admin.token))
        .await;
    results.expect(200);
    assert_eq!(results.body["invited"], 1);
    assert_eq!(results.body["response_rate"], 1.0);
    assert_eq!(
        results.body["templates"][0]["questions"][3]["texts"],
        json!(["Salle trop petite"])
    );
}
db_test!(a_trainer_answers_the_debrief_of_the_session_they_taught);

async fn a_funder_answers_through_the_secret_link_without_an_account_and_a_wrong_link_is_not_found(
    app: TestApp,
) {
    let admin = app.admin().await;
    let member = app
        .user_with(&[passerelle::principal::Role::Member], None)
        .await;
    let template = app.survey_template(&admin, "funder").await;
    let hot = app.survey_template(&admin, "hot").await;
    let deadline = app.state.clock.now() + Duration::days(30);
    let invite = |template: Uuid, token: String| {
        let app = &app;
        async move {
            app.post(
                "/api/v1/surveys/funder-invitations",
                Some(&token),
                json!({
                    "template_id": template, "year": 2026, "name": "Claire Martin",
                    "email": "claire.martin@fondation.example", "organisation": "Fondation Exemple",
                    "deadline": deadline.to_rfc3339(),
                }),
            )
            .await
        }
    };
    invite(template, member.token.clone())
        .await
        .expect_error(403, "quality.forbidden");
    invite(hot, admin.token.clone())
        .await
        .expect_error(422, "quality.invalid");
    let created = invite(template, admin.token.clone()).await;
    created.expect(201);
    let path = created.body["path"].as_str().unwrap().to_owned();
    assert!(path.starts_with("/api/v1/surveys/funder/fsv_"), "{path}");

    let read = app.get(&path, None).await;
    read.expect(200);
    assert_eq!(read.body["kind"], "funder");
    assert_eq!(read.body["questions"].as_array().unwrap().len(), 4);
    app.put(
        &format!("{path}/answers"),
        None,
        json!({ "answers": [{ "question": "useful", "choice": "en partie" }] }),
    )
    .await
    .expect(200);
    let done = app
        .post(
            &format!("{path}/submit"),
            None,
            json!({ "answers": [{ "question": "overall", "scale": 5 }] }),
        )
        .await;
    done.expect(200);
    assert_eq!(done.body["state"], "submitted");
    app.post(&format!("{path}/submit"), None, json!({ "answers": [] }))
        .await
        .expect_error(409, "quality.survey_submitted");

    app.get("/api/v1/surveys/funder/fsv_not-the-link", None)
        .await
        .expect_error(404, "quality.invitation_not_found");
    let listed = app
        .get(
            "/api/v1/surveys/funder-invitations?year=2026",
            Some(&admin.token),
        )
        .await;
    listed.expect(200);
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 1);
    assert!(!listed.text.contains("fsv_"), "the link is shown once only");
    let results = app
        .get(
            "/api/v1/surveys/results?kind=funder&year=2026",
            Some(&admin.token),
        )
        .await;
    results.expect(200);
    assert_eq!(results.body["submitted"], 1);
}
db_test!(a_funder_answers_through_the_secret_link_without_an_account_and_a_wrong_link_is_not_found);

async fn templates_are_kept_by_administrators_checked_and_frozen_once_answered(mut app: TestApp) {
    let (admin, running) = app.running_session(1, 1).await;
    let trainee = &running.trainees[0];
    app.post(TEMPLATES, Some(&trainee.token), template_body("hot", None))
        .await
        .expect_error(403, "quality.forbidden");
    let bad = app
        .post(
            TEMPLATES,
            Some(&admin.token),
            json!({
                "title": "x", "kind": "hot",
                "training_id": Uuid::now_v7(),
                "questions": [
                    { "key": "a", "label": "A", "type": "single_choice", "required": true },
                    { "key": "a", "label": "B", "type": "text", "required": false, "satisfaction": true },
                ],
            }),
        )
        .await;
    bad.expect_error(422, "quality.invalid");
    for field in [
        "questions[0].choices",
        "questions[1].key",
        "questions[1].satisfaction",
        "training_id",
    ] {
        assert!(
            bad.body["fields"][field].is_array(),
            "{field} named in {}",
            bad.text
        );
    }
    let training = app.training_of(&admin, running.session).await;
    let created = app
        .post(
            TEMPLATES,
            Some(&admin.token),
            template_body("hot", Some(training)),
        )
        .await;
    created.expect(201);
    let id = created.id();
    let url = format!("{TEMPLATES}/{id}");
    let mut changed = template_body("hot", Some(training));
    changed["title"] = json!("Votre avis à chaud");
    app.put(&url, Some(&admin.token), changed.clone())
        .await
        .expect(200);
    assert_eq!(
        app.get(&url, Some(&admin.token)).await.body["title"],
        "Votre avis à chaud"
    );

    running.set_clock(running.ends(1));
    let invitation = app.invitation(trainee, "hot").await;
    assert_eq!(
        invitation["template_id"],
        json!(id),
        "the training's own template"
    );
    app.save_answers(
        trainee,
        invitation["id"].as_str().unwrap(),
        json!([{ "question": "overall", "scale": 4 }]),
    )
    .await
    .expect(200);
    app.put(&url, Some(&admin.token), changed)
        .await
        .expect_error(409, "quality.template_in_use");
    let listed = app
        .get(
            &format!("{TEMPLATES}?training_id={training}"),
            Some(&admin.token),
        )
        .await;
    listed.expect(200);
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 1);
}
db_test!(templates_are_kept_by_administrators_checked_and_frozen_once_answered);
