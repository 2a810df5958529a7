//! Demo data: deterministic, idempotent, and its printed accounts work.

use passerelle::demo;

db_test!(
    async fn demo_data_loads_twice_without_change_and_its_accounts_log_in(app) {
        let mut settings = app.state.settings.as_ref().clone();
        settings.demo_password = Some(passerelle::config::Secret::new("demo password 2026"));

        let first = demo::load(app.db(), &settings).await.unwrap();
        let second = demo::load(app.db(), &settings).await.unwrap();

        assert!(first.accounts.iter().all(|a| a.created));
        assert!(second.accounts.iter().all(|a| !a.created));
        assert_eq!(first.accounts.len(), second.accounts.len());
        let admin = app.login("admin@demo.passerelle.test", "demo password 2026").await;
        admin.expect(200);
        let token = admin.body["token"].as_str().unwrap();
        let trainers = app.get("/api/v1/people?role=trainer", Some(token)).await;
        assert_eq!(trainers.body["items"].as_array().unwrap().len(), 2);
        let managers = app.get("/api/v1/people?role=org_manager", Some(token)).await;
        assert_eq!(managers.body["items"][0]["email"], "manager@demo.passerelle.test");
        let orgs = app.get("/api/v1/organisations", Some(token)).await;
        let members = orgs.body["items"].as_array().unwrap().iter().filter(|o| o["is_member"] == true).count();
        assert_eq!((orgs.body["items"].as_array().unwrap().len(), members), (5, 4));
    }
);

db_test!(
    async fn without_a_demo_password_one_is_generated_printed_and_works(app) {
        let settings = app.state.settings.as_ref().clone();

        let report = demo::load(app.db(), &settings).await.unwrap();
        let printed = demo::render(&report, &settings);

        let password = report.generated_password.clone().expect("generated password");
        assert!(printed.contains(&password));
        assert!(printed.contains("member@demo.passerelle.test"));
        app.login("member@demo.passerelle.test", &password).await.expect(200);
    }
);
