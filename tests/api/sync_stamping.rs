//! The write helper: space versions in commit order, every synced write stamped, and writes that
//! bypass the helper refused by the database.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::fixtures::organisation_row;
use crate::harness::TestApp;
use crate::oracle::{assert_every_synced_row_is_stamped, guarded_tables};
use entity::{organisation, person, sync_change, sync_space};
use passerelle::clock::Clock;
use passerelle::db::write::WriteTx;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};
use serde_json::json;
use uuid::Uuid;

fn new_org(name: &str) -> organisation::ActiveModel {
    organisation_row(Uuid::now_v7(), name)
}

async fn change_version(
    db: &DatabaseConnection,
    scope: String,
    id: Uuid,
) -> Option<sync_change::Model> {
    sync_change::Entity::find()
        .filter(sync_change::Column::ScopeKey.eq(scope))
        .filter(sync_change::Column::EntityId.eq(id))
        .one(db)
        .await
        .unwrap()
}

async fn a_transaction_that_started_first_but_commits_last_gets_the_higher_version(app: TestApp) {
    let other_pool = app.second_pool().await;
    let commits = Arc::new(AtomicUsize::new(0));

    let mut first = WriteTx::begin(app.db(), &Clock::system()).await.unwrap();
    first.insert(new_org("started first")).await.unwrap();
    let second = {
        let commits = commits.clone();
        tokio::spawn(async move {
            let mut tx = WriteTx::begin(&other_pool, &Clock::system()).await.unwrap();
            tx.insert(new_org("started second")).await.unwrap();
            let version = tx.commit().await.unwrap().unwrap();
            (version, commits.fetch_add(1, Ordering::SeqCst))
        })
    };
    // PostgreSQL lets the second transaction run and commit meanwhile; SQLite makes it wait
    // for the write lock (BEGIN IMMEDIATE) until the first commits.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let first_version = first.commit().await.unwrap().unwrap();
    let first_order = commits.fetch_add(1, Ordering::SeqCst);
    let (second_version, second_order) = second.await.unwrap();

    assert_ne!(first_version, second_version);
    if app.engine.is_postgres() {
        assert_eq!(
            (second_order, first_order),
            (0, 1),
            "the second transaction committed first"
        );
    }
    let (later, earlier) = if first_order > second_order {
        (first_version, second_version)
    } else {
        (second_version, first_version)
    };
    assert!(
        later > earlier,
        "versions follow commit order: {earlier} then {later}"
    );
    assert_every_synced_row_is_stamped(app.db()).await;
}
db_test!(a_transaction_that_started_first_but_commits_last_gets_the_higher_version);

async fn concurrent_writers_through_the_api_get_distinct_versions_and_none_is_lost(app: TestApp) {
    let admin = app.admin().await;
    let before = sync_space::Entity::find()
        .one(app.db())
        .await
        .unwrap()
        .unwrap()
        .version;
    let app = Arc::new(app);

    let writers: Vec<_> = (0..12)
        .map(|i| {
            let app = app.clone();
            let token = admin.token.clone();
            tokio::spawn(async move {
                let reply = app
                    .post(
                        "/api/v1/organisations",
                        Some(&token),
                        json!({ "name": format!("Org {i}"), "is_member": true, "country": "FR" }),
                    )
                    .await;
                reply.expect(201);
                reply.id()
            })
        })
        .collect();
    let mut ids = Vec::new();
    for writer in writers {
        ids.push(writer.await.unwrap());
    }

    let mut versions = Vec::new();
    for id in &ids {
        versions.push(
            change_version(app.db(), format!("organisation:{id}"), *id)
                .await
                .expect("stamped")
                .version,
        );
    }
    versions.sort_unstable();
    versions.dedup();
    assert_eq!(versions.len(), 12, "distinct versions");
    let after = sync_space::Entity::find()
        .one(app.db())
        .await
        .unwrap()
        .unwrap()
        .version;
    assert_eq!(after - before, 12);
    assert_eq!(*versions.last().unwrap(), after);
    assert_every_synced_row_is_stamped(app.db()).await;
}
db_test!(concurrent_writers_through_the_api_get_distinct_versions_and_none_is_lost);

async fn a_write_to_a_synced_table_that_bypasses_the_helper_is_refused_by_the_database(
    app: TestApp,
) {
    let admin = app.admin().await;

    let update = person::Entity::update_many()
        .col_expr(person::Column::FirstName, Expr::value("Bypassed"))
        .filter(person::Column::Id.eq(admin.id))
        .exec(app.db())
        .await;
    let mut row = new_org("bypass");
    row.version = Set(7);
    let insert = row.insert(app.db()).await;
    let delete = person::Entity::delete_by_id(admin.id).exec(app.db()).await;

    for (what, error) in [
        ("update", update.err()),
        ("insert", insert.err()),
        ("delete", delete.err()),
    ] {
        let message = error
            .unwrap_or_else(|| panic!("the {what} went through"))
            .to_string();
        assert!(
            message.contains(migration::sync_guard::GUARD_MESSAGE),
            "{what}: {message}"
        );
    }
    let me = app.get("/api/v1/me", Some(&admin.token)).await;
    assert_eq!(me.body["first_name"], "Test");
}
db_test!(a_write_to_a_synced_table_that_bypasses_the_helper_is_refused_by_the_database);

async fn an_administrators_web_edit_is_stamped_so_devices_see_it(app: TestApp) {
    let admin = app.admin().await;
    let first_org = app.organisation(&admin, "First", true).await;
    let second_org = app.organisation(&admin, "Second", true).await;
    let member = app.member_of(first_org).await;
    let created = change_version(app.db(), format!("person:{}", member.id), member.id)
        .await
        .unwrap();

    app.patch(
        &format!("/api/v1/people/{}", member.id),
        Some(&admin.token),
        json!({ "last_name": "Moved", "organisation_id": second_org }),
    )
    .await
    .expect(200);

    let edited = change_version(app.db(), format!("person:{}", member.id), member.id)
        .await
        .unwrap();
    assert!(edited.version > created.version);
    let left = change_version(app.db(), format!("organisation:{first_org}"), member.id)
        .await
        .unwrap();
    assert!(
        left.deleted,
        "the old organisation's devices are told the person left"
    );
    assert_eq!(left.version, edited.version);
    let joined = change_version(app.db(), format!("organisation:{second_org}"), member.id)
        .await
        .unwrap();
    assert!(!joined.deleted);
    let row = person::Entity::find_by_id(member.id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.version, edited.version);
    assert_every_synced_row_is_stamped(app.db()).await;
}
db_test!(an_administrators_web_edit_is_stamped_so_devices_see_it);

async fn no_synced_row_of_any_table_is_left_unstamped_after_the_demo_data(app: TestApp) {
    let settings = app.state.settings.as_ref().clone();

    crate::demo::load(app.db(), &settings).await.unwrap();

    let space = sync_space::Entity::find()
        .one(app.db())
        .await
        .unwrap()
        .unwrap()
        .version;
    for table in [
        "organisation",
        "person",
        "room",
        "training",
        "training_session",
        "slot",
    ] {
        let sql =
            format!("SELECT COUNT(*) AS n FROM {table} WHERE version <= 0 OR version > {space}");
        let row = app
            .db()
            .query_one_raw(sea_orm::Statement::from_string(
                app.db().get_database_backend(),
                sql,
            ))
            .await
            .unwrap()
            .unwrap();
        let unstamped: i64 = row.try_get("", "n").unwrap();
        assert_eq!(unstamped, 0, "{table} has rows without a valid version");
    }
    assert_every_synced_row_is_stamped(app.db()).await;
}
db_test!(no_synced_row_of_any_table_is_left_unstamped_after_the_demo_data);

async fn publishing_a_session_puts_it_in_the_catalogue_scope_and_removed_half_days_get_tombstones(
    app: TestApp,
) {
    let settings = app.state.settings.as_ref().clone();
    crate::demo::load(app.db(), &settings).await.unwrap();
    let admin = app.admin().await;
    let draft = app
        .get("/api/v1/sessions?status=draft", Some(&admin.token))
        .await;
    let session = draft.body["items"][0].clone();
    let id: Uuid = session["id"].as_str().unwrap().parse().unwrap();
    let first_slot: Uuid = session["slots"][0]["id"].as_str().unwrap().parse().unwrap();
    assert!(
        change_version(app.db(), "catalogue".into(), id)
            .await
            .is_none()
    );
    app.post(
        &format!(
            "/api/v1/trainings/{}/publish",
            session["training_id"].as_str().unwrap()
        ),
        Some(&admin.token),
        json!({}),
    )
    .await
    .expect(200);

    app.post(
        &format!("/api/v1/sessions/{id}/publish"),
        Some(&admin.token),
        json!({}),
    )
    .await
    .expect(200);
    let in_catalogue = change_version(app.db(), "catalogue".into(), id)
        .await
        .expect("session in the catalogue scope");
    let kept: Vec<_> = session["slots"].as_array().unwrap()[1..]
        .iter()
        .map(|s| json!({ "date": s["date"], "period": s["period"], "start": s["local_start"], "end": s["local_end"] }))
        .collect();
    app.patch(
        &format!("/api/v1/sessions/{id}"),
        Some(&admin.token),
        json!({ "duration_note": "shortened on request" }),
    )
    .await
    .expect(200);
    app.call(
        poem::http::Method::PUT,
        &format!("/api/v1/sessions/{id}/slots"),
        Some(&admin.token),
        Some(json!({ "slots": kept })),
    )
    .await
    .expect(200);

    assert!(!in_catalogue.deleted);
    let removed = change_version(app.db(), format!("session:{id}"), first_slot)
        .await
        .expect("tombstone");
    assert!(removed.deleted);
    assert!(removed.version > in_catalogue.version);
}
db_test!(publishing_a_session_puts_it_in_the_catalogue_scope_and_removed_half_days_get_tombstones);

async fn a_write_transaction_that_is_not_committed_leaves_nothing_behind(app: TestApp) {
    let before = sync_space::Entity::find()
        .one(app.db())
        .await
        .unwrap()
        .unwrap()
        .version;

    let mut tx = WriteTx::begin(app.db(), &Clock::system()).await.unwrap();
    let org = tx.insert(new_org("rolled back")).await.unwrap();
    drop(tx);

    assert!(
        organisation::Entity::find_by_id(org.id)
            .one(app.db())
            .await
            .unwrap()
            .is_none()
    );
    let after = sync_space::Entity::find()
        .one(app.db())
        .await
        .unwrap()
        .unwrap()
        .version;
    assert_eq!(before, after);
}
db_test!(a_write_transaction_that_is_not_committed_leaves_nothing_behind);

async fn archiving_a_training_tells_catalogue_devices_that_its_sessions_left(app: TestApp) {
    let settings = app.state.settings.as_ref().clone();
    crate::demo::load(app.db(), &settings).await.unwrap();
    let admin = app.admin().await;
    let listed = app.get("/api/v1/catalogue/sessions?limit=1", None).await;
    let session: Uuid = listed.body["items"][0]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let training = listed.body["items"][0]["training_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = change_version(app.db(), "catalogue".into(), session)
        .await
        .expect("listed session in the catalogue scope");

    app.post(
        &format!("/api/v1/trainings/{training}/archive"),
        Some(&admin.token),
        json!({}),
    )
    .await
    .expect(200);

    let after = change_version(app.db(), "catalogue".into(), session)
        .await
        .unwrap();
    assert!(after.deleted, "the session left the catalogue scope");
    assert!(after.version > before.version);
    let still = change_version(app.db(), format!("session:{session}"), session)
        .await
        .unwrap();
    assert!(!still.deleted, "its trainers' devices keep it");
}
db_test!(archiving_a_training_tells_catalogue_devices_that_its_sessions_left);

async fn the_registry_of_synced_tables_is_exactly_the_tables_the_database_guards(app: TestApp) {
    let registered: std::collections::BTreeSet<String> = passerelle::db::synced::registry()
        .iter()
        .map(|t| t.table.to_owned())
        .collect();
    let guarded = guarded_tables(app.db()).await;

    assert!(!guarded.is_empty(), "no guarded table found");
    assert_eq!(
        registered, guarded,
        "a table with sync guards is missing from db::synced::registry (or the reverse)"
    );
}
db_test!(the_registry_of_synced_tables_is_exactly_the_tables_the_database_guards);
