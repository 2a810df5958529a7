//! Database triggers that make writing a synced table around the stamping helper impossible.
//!
//! Every synced table has a `version BIGINT NOT NULL` column. The stamping helper
//! (`src/db/write.rs`) writes rows with the pending marker `version = -1` and, when it commits,
//! sets every row it touched to the freshly allocated space version. The triggers accept exactly
//! those two moves:
//! - INSERT only with `version = -1`;
//! - UPDATE only to `version = -1`, or from `-1` to a positive version;
//! - DELETE only of a row marked `-1`.
//!
//! An ordinary `UPDATE … SET name = 'x'` that does not go through the helper is rejected by the
//! database on SQLite and on PostgreSQL alike.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

/// The message every guard raises; tests look for it.
pub const GUARD_MESSAGE: &str = "written outside the sync stamping helper";

/// The pending marker the helper writes before the version is allocated.
pub const PENDING_VERSION: i64 = -1;

const PG_FUNCTION: &str = r#"
CREATE OR REPLACE FUNCTION passerelle_sync_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' AND NEW.version <> -1 THEN
    RAISE EXCEPTION '% % (insert)', TG_TABLE_NAME, 'written outside the sync stamping helper';
  ELSIF TG_OP = 'UPDATE' AND NOT (NEW.version = -1 OR (OLD.version = -1 AND NEW.version > 0)) THEN
    RAISE EXCEPTION '% % (update)', TG_TABLE_NAME, 'written outside the sync stamping helper';
  ELSIF TG_OP = 'DELETE' THEN
    IF OLD.version <> -1 THEN
      RAISE EXCEPTION '% % (delete)', TG_TABLE_NAME, 'written outside the sync stamping helper';
    END IF;
    RETURN OLD;
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
"#;

/// Installs the guard triggers on `table`.
pub async fn install(manager: &SchemaManager<'_>, table: &str) -> Result<(), DbErr> {
    let conn = manager.get_connection();
    match manager.get_database_backend() {
        DbBackend::Postgres => {
            conn.execute_unprepared(PG_FUNCTION).await?;
            conn.execute_unprepared(&format!(
                "CREATE TRIGGER {table}_sync_guard BEFORE INSERT OR UPDATE OR DELETE ON {table} \
                 FOR EACH ROW EXECUTE FUNCTION passerelle_sync_guard()"
            ))
            .await?;
        }
        _ => {
            let cases = [
                ("insert", "INSERT", "NEW.version <> -1"),
                (
                    "update",
                    "UPDATE",
                    "NOT (NEW.version = -1 OR (OLD.version = -1 AND NEW.version > 0))",
                ),
                ("delete", "DELETE", "OLD.version <> -1"),
            ];
            for (suffix, op, when) in cases {
                conn.execute_unprepared(&format!(
                    "CREATE TRIGGER {table}_sync_guard_{suffix} BEFORE {op} ON {table} \
                     WHEN {when} BEGIN SELECT RAISE(ABORT, '{table} {GUARD_MESSAGE} ({suffix})'); END"
                ))
                .await?;
            }
        }
    }
    Ok(())
}

/// Removes the guard triggers from `table` (the table's own `down` drops them anyway).
pub async fn remove(manager: &SchemaManager<'_>, table: &str) -> Result<(), DbErr> {
    let conn = manager.get_connection();
    match manager.get_database_backend() {
        DbBackend::Postgres => {
            conn.execute_unprepared(&format!(
                "DROP TRIGGER IF EXISTS {table}_sync_guard ON {table}"
            ))
            .await?;
        }
        _ => {
            for suffix in ["insert", "update", "delete"] {
                conn.execute_unprepared(&format!(
                    "DROP TRIGGER IF EXISTS {table}_sync_guard_{suffix}"
                ))
                .await?;
            }
        }
    }
    Ok(())
}
