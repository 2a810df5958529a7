//! The data survives a restart; migrations can run again.

use migration::{Migrator, MigratorTrait};
use serde_json::json;

use crate::fixtures::PASSWORD;
use crate::harness::TestApp;

async fn the_server_restarts_on_the_same_database_with_its_data_intact(mut app: TestApp) {
    let admin = app.admin().await;
    let org = app.organisation(&admin, "Persistent", true).await;

    app.restart().await;

    let fetched = app
        .get(&format!("/api/v1/organisations/{org}"), Some(&admin.token))
        .await;
    fetched.expect(200);
    assert_eq!(fetched.body["name"], "Persistent");
    app.login(&admin.email, PASSWORD).await.expect(200);
}
db_test!(the_server_restarts_on_the_same_database_with_its_data_intact);

async fn migrations_are_idempotent_and_all_applied(mut app: TestApp) {
    Migrator::up(app.db(), None)
        .await
        .expect("second run of the migrations");
    app.restart().await;

    let pending = Migrator::get_pending_migrations(app.db()).await.unwrap();
    assert!(pending.is_empty());
    let admin = app.admin().await;
    app.post(
        "/api/v1/organisations",
        Some(&admin.token),
        json!({ "name": "After", "is_member": false, "country": "TG" }),
    )
    .await
    .expect(201);
}
db_test!(migrations_are_idempotent_and_all_applied);

async fn every_migration_can_be_rolled_back_and_applied_again(mut app: TestApp) {
    Migrator::down(app.db(), None).await.expect("down");
    assert_eq!(
        Migrator::get_applied_migrations(app.db())
            .await
            .unwrap()
            .len(),
        0
    );

    Migrator::up(app.db(), None).await.expect("up again");
    app.restart().await;

    let admin = app.admin().await;
    app.get("/api/v1/me", Some(&admin.token)).await.expect(200);
}
db_test!(every_migration_can_be_rolled_back_and_applied_again);
