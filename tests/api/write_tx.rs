//! The shared write transaction: savepoints that also roll back pending stamps, and the atomic
//! conditional update that keeps counters exact under concurrency.

use std::sync::Arc;

use entity::{organisation, sync_change, training_session};
use passerelle::clock::Clock;
use passerelle::db::write::WriteTx;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::fixtures::{afternoon, morning, organisation_row, session_body};
use crate::harness::TestApp;
use crate::oracle::assert_every_synced_row_is_stamped;

async fn change_entries(app: &TestApp, id: Uuid) -> Vec<sync_change::Model> {
    sync_change::Entity::find()
        .filter(sync_change::Column::EntityId.eq(id))
        .all(app.db())
        .await
        .unwrap()
}

async fn a_rolled_back_savepoint_leaves_no_row_no_stamp_and_no_change_entry_while_the_rest_commits(
    app: TestApp,
) {
    let (kept, dropped, after) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let mut tx = WriteTx::begin(app.db(), &Clock::system()).await.unwrap();
    tx.insert(organisation_row(kept, "Kept")).await.unwrap();

    let savepoint = tx.savepoint().await.unwrap();
    tx.insert(organisation_row(dropped, "Rolled back"))
        .await
        .unwrap();
    // A statement that fails inside the savepoint (PostgreSQL then refuses every statement
    // until the rollback) must not spoil the rest of the transaction.
    let duplicate = tx.insert(organisation_row(kept, "Duplicate id")).await;
    assert!(
        duplicate.is_err(),
        "a second row with the same id was accepted"
    );
    tx.rollback_to(savepoint).await.unwrap();

    tx.insert(organisation_row(after, "Written after the rollback"))
        .await
        .unwrap();
    let version = tx.commit().await.unwrap().expect("a version was allocated");

    let rows = organisation::Entity::find().all(app.db()).await.unwrap();
    let ids: Vec<Uuid> = rows.iter().map(|o| o.id).collect();
    assert!(
        ids.contains(&kept) && ids.contains(&after),
        "committed rows are missing: {ids:?}"
    );
    assert!(!ids.contains(&dropped), "the rolled-back row exists");
    assert!(
        change_entries(&app, dropped).await.is_empty(),
        "the rolled-back row left a change entry"
    );
    for id in [kept, after] {
        let entries = change_entries(&app, id).await;
        assert_eq!(entries.len(), 1, "{id}: {entries:?}");
        assert_eq!(entries[0].version, version);
    }
    assert_every_synced_row_is_stamped(app.db()).await;
}
db_test!(a_rolled_back_savepoint_leaves_no_row_no_stamp_and_no_change_entry_while_the_rest_commits);

async fn a_released_savepoint_keeps_its_writes_and_their_stamps(app: TestApp) {
    let id = Uuid::now_v7();
    let mut tx = WriteTx::begin(app.db(), &Clock::system()).await.unwrap();
    let savepoint = tx.savepoint().await.unwrap();
    tx.insert(organisation_row(id, "Kept by release"))
        .await
        .unwrap();
    tx.release(savepoint).await.unwrap();
    let version = tx.commit().await.unwrap().expect("a version was allocated");

    let entries = change_entries(&app, id).await;
    assert_eq!(
        entries.iter().map(|e| e.version).collect::<Vec<_>>(),
        vec![version]
    );
    assert_every_synced_row_is_stamped(app.db()).await;
}
db_test!(a_released_savepoint_keeps_its_writes_and_their_stamps);

async fn a_conditional_increment_under_32_concurrent_callers_never_passes_its_limit(app: TestApp) {
    let admin = app.admin().await;
    let training = app.published_training(&admin, 420).await;
    let room = app.place(&admin, 30).await;
    let body = session_body(
        training,
        room,
        10,
        vec![morning("2027-02-01"), afternoon("2027-02-01")],
    );
    let session = app.draft_session(&admin, body).await;
    let app = Arc::new(app);

    let callers: Vec<_> = (0..32)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move {
                use training_session::Column as S;
                let mut tx = WriteTx::begin(app.db(), &Clock::system()).await.unwrap();
                let taken = tx
                    .update_where::<training_session::Entity>(
                        session,
                        vec![(S::SeatsTaken, Expr::col(S::SeatsTaken).add(1))],
                        Condition::all().add(Expr::col(S::SeatsTaken).lt(Expr::col(S::Capacity))),
                    )
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
                taken.is_some()
            })
        })
        .collect();
    let mut granted = 0;
    for caller in callers {
        if caller.await.unwrap() {
            granted += 1;
        }
    }

    assert_eq!(granted, 10, "exactly the capacity is granted");
    let reply = app
        .get(&format!("/api/v1/sessions/{session}"), Some(&admin.token))
        .await;
    reply.expect(200);
    assert_eq!(reply.body["seats_taken"], 10);
    assert_eq!(reply.body["seats_left"], 0);
    assert_every_synced_row_is_stamped(app.db()).await;
}
db_test!(a_conditional_increment_under_32_concurrent_callers_never_passes_its_limit);
