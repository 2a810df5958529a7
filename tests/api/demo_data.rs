//! Demo data: deterministic, idempotent, and its printed accounts work.

use serde_json::{Value, json};

use crate::demo;
use crate::harness::TestApp;

/// Loads the demo twice (it is idempotent) and answers its administrator's token.
async fn demo_admin(app: &TestApp) -> String {
    let mut settings = app.state.settings.as_ref().clone();
    settings.demo_password = Some(passerelle::config::Secret::new("demo password 2026"));
    demo::load(app.db(), &settings).await.unwrap();
    demo::load(app.db(), &settings).await.unwrap();
    let login = app
        .login("admin@demo.passerelle.test", "demo password 2026")
        .await;
    login.expect(200);
    login.body["token"].as_str().unwrap().to_owned()
}

async fn demo_data_loads_twice_without_change_and_its_accounts_log_in(app: TestApp) {
    let mut settings = app.state.settings.as_ref().clone();
    settings.demo_password = Some(passerelle::config::Secret::new("demo password 2026"));

    let first = demo::load(app.db(), &settings).await.unwrap();
    let second = demo::load(app.db(), &settings).await.unwrap();

    assert!(first.accounts.iter().all(|a| a.created));
    assert!(second.accounts.iter().all(|a| !a.created));
    assert_eq!(first.accounts.len(), second.accounts.len());
    let admin = app
        .login("admin@demo.passerelle.test", "demo password 2026")
        .await;
    admin.expect(200);
    let token = admin.body["token"].as_str().unwrap();
    let trainers = app.get("/api/v1/people?role=trainer", Some(token)).await;
    assert_eq!(trainers.body["items"].as_array().unwrap().len(), 2);
    let managers = app
        .get("/api/v1/people?role=org_manager", Some(token))
        .await;
    assert_eq!(
        managers.body["items"][0]["email"],
        "manager@demo.passerelle.test"
    );
    let orgs = app.get("/api/v1/organisations", Some(token)).await;
    let members = orgs.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["is_member"] == true)
        .count();
    assert_eq!(
        (orgs.body["items"].as_array().unwrap().len(), members),
        (5, 4)
    );
}
db_test!(demo_data_loads_twice_without_change_and_its_accounts_log_in);

async fn the_demo_catalogue_is_public_with_sessions_in_lome_online_and_across_the_dst_change(
    app: TestApp,
) {
    let settings = app.state.settings.as_ref().clone();
    demo::load(app.db(), &settings).await.unwrap();
    demo::load(app.db(), &settings).await.unwrap();

    let trainings = app.get("/api/v1/catalogue/trainings?limit=200", None).await;
    let sessions = app.get("/api/v1/catalogue/sessions?limit=200", None).await;

    trainings.expect(200);
    assert_eq!(
        trainings.body["items"].as_array().unwrap().len(),
        11,
        "eleven published, one draft"
    );
    let sessions = sessions.body["items"].as_array().unwrap().clone();
    assert_eq!(
        sessions.len(),
        7,
        "seven to come; those held in October and November 2026 are closed"
    );
    let lome = sessions
        .iter()
        .find(|s| s["place"]["city"] == "Lomé")
        .expect("a session in Lomé");
    assert_eq!(lome["time_zone"], "Africa/Lome");
    assert_eq!(lome["slots"][0]["local_start"], "09:00");
    assert!(
        lome["slots"][0]["starts_at"]
            .as_str()
            .unwrap()
            .ends_with("T09:00:00.000Z")
    );
    assert!(sessions.iter().any(|s| s["place"]["online"] == true));
    let dst = sessions
        .iter()
        .find(|s| {
            s["slots"]
                .as_array()
                .unwrap()
                .iter()
                .any(|slot| slot["date"] == "2027-03-29")
        })
        .expect("a session across the DST change");
    let starts: Vec<&str> = dst["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["starts_at"].as_str().unwrap())
        .collect();
    assert_eq!(
        starts,
        [
            "2027-03-26T08:00:00.000Z",
            "2027-03-26T12:30:00.000Z",
            "2027-03-29T07:00:00.000Z",
            "2027-03-29T11:30:00.000Z"
        ]
    );
}
db_test!(the_demo_catalogue_is_public_with_sessions_in_lome_online_and_across_the_dst_change);

async fn without_a_demo_password_one_is_generated_printed_and_works(app: TestApp) {
    let settings = app.state.settings.as_ref().clone();

    let report = demo::load(app.db(), &settings).await.unwrap();
    let printed = demo::render(&report, &settings);

    let password = report
        .generated_password
        .clone()
        .expect("generated password");
    assert!(printed.contains(&password));
    assert!(printed.contains("member@demo.passerelle.test"));
    app.login("member@demo.passerelle.test", &password)
        .await
        .expect(200);
}
db_test!(without_a_demo_password_one_is_generated_printed_and_works);

async fn the_demo_quality_registers_hold_a_complaint_in_each_state_actions_a_risk_and_watch(
    app: TestApp,
) {
    let token = &demo_admin(&app).await;

    let complaints = app
        .all_pages("/api/v1/complaints?limit=2", Some(token))
        .await;
    let mut states: Vec<&str> = complaints
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    states.sort_unstable();
    assert_eq!(states, ["acknowledged", "answered", "closed", "received"]);
    let actions = app
        .all_pages("/api/v1/quality/actions?limit=5", Some(token))
        .await;
    let mut statuses: Vec<&str> = actions
        .iter()
        .map(|a| a["status"].as_str().unwrap())
        .collect();
    statuses.sort_unstable();
    assert_eq!(statuses, ["done", "in_progress"]);
    let risks = app.all_pages("/api/v1/quality/risks", Some(token)).await;
    assert_eq!(risks.len(), 1);
    let risk = app
        .get(
            &format!("/api/v1/quality/risks/{}", risks[0]["id"].as_str().unwrap()),
            Some(token),
        )
        .await;
    assert_eq!(risk.body["actions"].as_array().unwrap().len(), 1);
    let watch = app.all_pages("/api/v1/quality/watch", Some(token)).await;
    assert_eq!(watch.len(), 3, "loaded once, whatever the number of loads");
}
db_test!(the_demo_quality_registers_hold_a_complaint_in_each_state_actions_a_risk_and_watch);

async fn the_demo_holds_past_sessions_whose_hot_surveys_eight_of_ten_trainees_answered(
    app: TestApp,
) {
    let token = &demo_admin(&app).await;

    let templates = app
        .all_pages("/api/v1/surveys/templates", Some(token))
        .await;
    assert_eq!(
        templates.len(),
        4,
        "hot, cold, debrief and funder, loaded once"
    );
    let results = app
        .get("/api/v1/surveys/results?kind=hot&year=2026", Some(token))
        .await;
    results.expect(200);
    assert_eq!(
        (&results.body["invited"], &results.body["submitted"]),
        (&serde_json::json!(10), &serde_json::json!(8)),
        "five of six in October, three of four in November"
    );
    let trainings = app.all_pages("/api/v1/catalogue/trainings", None).await;
    let afd = trainings
        .iter()
        .find(|t| t["programme"]["title"].as_str().unwrap().contains("AFD"))
        .unwrap();
    let published = app
        .get(
            &format!(
                "/api/v1/catalogue/trainings/{}/results",
                afd["id"].as_str().unwrap()
            ),
            None,
        )
        .await;
    published.expect(200);
    let figures = published.body["years"][0]["figures"].as_array().unwrap();
    let mean = figures
        .iter()
        .find(|f| f["key"] == "satisfaction_mean")
        .unwrap();
    // 5 + 4 + 4 + 3 + 5 = 21 over 5 answers.
    assert_eq!(mean["value"], 4.2);
}
db_test!(the_demo_holds_past_sessions_whose_hot_surveys_eight_of_ten_trainees_answered);

/// The indicator `number` of the report part under `version`.
fn indicator<'a>(report: &'a Value, version: &str, number: u64) -> &'a Value {
    report["parts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["version"] == version)
        .unwrap_or_else(|| panic!("no {version} part"))["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["number"] == number)
        .unwrap_or_else(|| panic!("no indicator {number} under {version}"))
}

/// An indicator's first measure as (done, total), and the ids its gaps link to.
fn measured(indicator: &Value) -> ((u64, u64), Vec<String>) {
    let findings = indicator["findings"].as_array().unwrap();
    let measure = &findings[0]["measures"][0];
    let gaps = findings
        .iter()
        .flat_map(|f| f["gaps"].as_array().unwrap().iter())
        .map(|g| g["id"].as_str().unwrap().to_owned())
        .collect();
    (
        (
            measure["done"].as_u64().unwrap(),
            measure["total"].as_u64().unwrap(),
        ),
        gaps,
    )
}

async fn the_demo_tells_the_story_of_autumn_2026_with_real_figures_and_exactly_its_deliberate_gaps(
    app: TestApp,
) {
    let token = &demo_admin(&app).await;
    let october = demo::demo_id("session:afd-paris-2026-10");
    let november = demo::demo_id("session:finance-lyon-2026-11");
    let enrolments = app
        .all_pages(
            &format!("/api/v1/enrolments?session_id={october}"),
            Some(token),
        )
        .await;
    let paul = demo::demo_id("stagiaire6@demo.passerelle.test");
    let paul = enrolments
        .iter()
        .find(|e| e["person_id"] == json!(paul))
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let report = app
        .get(
            "/api/v1/evidence/report?from=2026-09-01&to=2026-12-31",
            Some(token),
        )
        .await;
    report.expect(200);
    let report = &report.body;
    // October, under V9: Paul Girard, enrolled late, has no needs, positioning, convocation or
    // assessment on record; everyone else has.
    for number in [4, 8, 9, 11] {
        let (figures, gaps) = measured(indicator(report, "V9", number));
        assert_eq!(figures, (5, 6), "ind. {number}");
        assert_eq!(gaps, std::slice::from_ref(&paul), "ind. {number}");
    }
    let (handled, gaps) = measured(indicator(report, "V9", 26));
    assert_eq!(
        (handled, gaps.len()),
        ((1, 1), 0),
        "the accommodation request"
    );
    // November, under V10: all kept, but for one absence never followed up.
    for number in [4, 8, 9, 11] {
        assert_eq!(measured(indicator(report, "V10", number)), ((4, 4), vec![]));
    }
    let (followed, gaps) = measured(indicator(report, "V10", 12));
    assert_eq!((followed, gaps), ((0, 1), vec![november.to_string()]));

    let sheet = app
        .get(
            &format!("/api/v1/sessions/{october}/attendance"),
            Some(token),
        )
        .await;
    sheet.expect(200);
    let checks = app
        .get(&format!("/api/v1/sessions/{october}/checks"), Some(token))
        .await;
    assert_eq!(checks.body["flags"], json!([]), "signed as it should be");
    let certificates = app
        .get(
            &format!("/api/v1/sessions/{october}/certificates"),
            Some(token),
        )
        .await;
    assert_eq!(certificates.body.as_array().unwrap().len(), 6);
    let absences = app
        .get(&format!("/api/v1/sessions/{october}/absences"), Some(token))
        .await;
    assert_eq!(absences.body[0]["drop_out_cause"], "professional");

    let bpf = app.get("/api/v1/evidence/bpf?year=2026", Some(token)).await;
    bpf.expect(200);
    // 5 × 4 half-days of 210 min less Hugo's 20 late, Paul's 2, then 3 × 4 and Émilie's 3.
    assert_eq!(bpf.body["minutes"], 5 * 840 - 20 + 420 + 3 * 840 + 630);
    assert_eq!(bpf.body["trainees"], 10);
    let employer = bpf.body["c"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["source"] == "employer")
        .unwrap()
        .clone();
    assert_eq!(employer["amount_cents"], 4 * 45_000 + 40_000 + 60_000);
    let missing = bpf.body["missing"].as_array().unwrap();
    assert_eq!(missing.len(), 1, "the grant whose amount is unknown");
    assert_eq!(missing[0]["figure"], "C");
}
db_test!(the_demo_tells_the_story_of_autumn_2026_with_real_figures_and_exactly_its_deliberate_gaps);
