//! Demo data: deterministic, idempotent, and its printed accounts work.

use crate::demo;
use crate::harness::TestApp;

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
        8,
        "seven to come and the one held in October 2026"
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
    let mut settings = app.state.settings.as_ref().clone();
    settings.demo_password = Some(passerelle::config::Secret::new("demo password 2026"));
    demo::load(app.db(), &settings).await.unwrap();
    demo::load(app.db(), &settings).await.unwrap();
    let login = app
        .login("admin@demo.passerelle.test", "demo password 2026")
        .await;
    let token = login.body["token"].as_str().unwrap();

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

async fn the_demo_holds_a_past_session_whose_hot_survey_five_of_six_trainees_answered(
    app: TestApp,
) {
    let mut settings = app.state.settings.as_ref().clone();
    settings.demo_password = Some(passerelle::config::Secret::new("demo password 2026"));
    demo::load(app.db(), &settings).await.unwrap();
    demo::load(app.db(), &settings).await.unwrap();
    let login = app
        .login("admin@demo.passerelle.test", "demo password 2026")
        .await;
    let token = login.body["token"].as_str().unwrap();

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
        (&serde_json::json!(6), &serde_json::json!(5))
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
db_test!(the_demo_holds_a_past_session_whose_hot_survey_five_of_six_trainees_answered);
