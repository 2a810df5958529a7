//! The sync oracle, driven by the one registry of synced tables
//! (`passerelle::db::synced::registry`): every synced row is stamped, the change index holds the
//! row's version for each scope that sees it and a tombstone for each scope it left, and the
//! registry lists exactly the tables the database guards.

use std::collections::BTreeSet;

use entity::{sync_change, sync_space};
use passerelle::db::synced::registry;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, Statement};

pub async fn assert_every_synced_row_is_stamped(db: &DatabaseConnection) {
    let space = sync_space::Entity::find().one(db).await.unwrap().unwrap();
    let changes = sync_change::Entity::find().all(db).await.unwrap();
    for table in registry() {
        for row in (table.rows)(db).await.unwrap() {
            let what = format!("{} {}", table.table, row.id);
            assert!(
                row.version > 0 && row.version <= space.version,
                "{what} has version {}",
                row.version
            );
            let scopes: BTreeSet<String> = row.scopes.iter().map(|s| s.key()).collect();
            let entries = changes
                .iter()
                .filter(|c| c.entity_type == table.entity_type && c.entity_id == row.id);
            for entry in entries {
                if scopes.contains(&entry.scope_key) {
                    assert!(!entry.deleted, "{what}: tombstone in {}", entry.scope_key);
                    assert_eq!(
                        entry.version, row.version,
                        "{what}: change index of {} disagrees with the row",
                        entry.scope_key
                    );
                } else {
                    assert!(
                        entry.deleted,
                        "{what} left {} without a tombstone",
                        entry.scope_key
                    );
                }
            }
            for scope in &scopes {
                assert!(
                    changes
                        .iter()
                        .any(|c| c.entity_id == row.id && &c.scope_key == scope),
                    "{what}: no change entry in {scope}"
                );
            }
        }
    }
}

/// The tables that carry the sync guard triggers.
pub async fn guarded_tables(db: &DatabaseConnection) -> BTreeSet<String> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "SELECT DISTINCT event_object_table::text AS name FROM information_schema.triggers \
             WHERE trigger_name LIKE '%\\_sync\\_guard' AND trigger_schema = current_schema()"
        }
        _ => {
            "SELECT tbl_name AS name FROM sqlite_master \
             WHERE type = 'trigger' AND name LIKE '%_sync_guard_insert'"
        }
    };
    db.query_all_raw(Statement::from_string(backend, sql))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get::<String>("", "name").unwrap())
        .collect()
}
