//! The database: one code path for SQLite (embedded) and PostgreSQL.
//!
//! - [`connect`] opens the pool with the pragmas every SQLite connection needs.
//! - [`write::WriteTx`] is the one write transaction every context uses; it stamps synced rows.
//! - [`group::GroupCommit`] writes requests that arrive together in one transaction.

pub mod audit;
pub mod group;
pub mod outbox;
pub mod query;
pub mod scope;
pub mod synced;
pub mod watermarks;
pub mod write;

use std::path::Path;
use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr, EntityTrait, Set};
use uuid::Uuid;

use crate::config::Settings;

/// The federation's sync space. A second federation on the same server would get its own.
pub const DEFAULT_SPACE: Uuid = Uuid::from_u128(0x0193_7a00_0000_7000_8000_0000_0000_0001);

/// Opens the pool (creating the SQLite file and its folder if needed), runs the migrations and
/// makes sure the sync space exists.
pub async fn connect(settings: &Settings) -> Result<DatabaseConnection, DbErr> {
    let url = settings.database_url.expose();
    if settings.is_sqlite() {
        create_sqlite_folder(url)?;
    }
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(settings.db_max_connections)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(settings.db_acquire_timeout_secs))
        .sqlx_logging(false);
    let busy = Duration::from_millis(settings.sqlite_busy_timeout_ms);
    options.map_sqlx_sqlite_opts(move |o| {
        o.journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(busy)
            .create_if_missing(true)
    });
    let db = Database::connect(options).await?;
    Migrator::up(&db, None).await?;
    ensure_space(&db).await?;
    Ok(db)
}

/// Connects with an explicit PostgreSQL schema search path (tests use one schema per test).
pub async fn connect_with_schema(
    settings: &Settings,
    schema: &str,
) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(settings.database_url.expose().to_owned());
    options
        .max_connections(settings.db_max_connections)
        .min_connections(0)
        .acquire_timeout(Duration::from_secs(settings.db_acquire_timeout_secs))
        .sqlx_logging(false)
        .set_schema_search_path(schema.to_owned());
    let db = Database::connect(options).await?;
    Migrator::up(&db, None).await?;
    ensure_space(&db).await?;
    Ok(db)
}

fn create_sqlite_folder(url: &str) -> Result<(), DbErr> {
    let Some(path) = sqlite_file(url) else {
        return Ok(());
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| DbErr::Custom(format!("cannot create {}: {e}", parent.display())))?;
    }
    Ok(())
}

/// The file of an SQLite URL (`sqlite://path?mode=rwc`); `None` for an in-memory database.
pub fn sqlite_file(url: &str) -> Option<&Path> {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or_default();
    (!path.is_empty() && !path.starts_with(":memory:")).then(|| Path::new(path))
}

async fn ensure_space(db: &DatabaseConnection) -> Result<(), DbErr> {
    let space = entity::sync_space::ActiveModel {
        space_id: Set(DEFAULT_SPACE),
        epoch: Set(Uuid::new_v4()),
        version: Set(0),
        gc_version: Set(0),
        cursor_key: Set(new_cursor_key()),
    };
    entity::sync_space::Entity::insert(space)
        .on_conflict_do_nothing_on([entity::sync_space::Column::SpaceId])
        .exec(db)
        .await?;
    // A space made before cursors were signed gets its key now.
    use sea_orm::{ColumnTrait, QueryFilter, sea_query::Expr};
    entity::sync_space::Entity::update_many()
        .col_expr(
            entity::sync_space::Column::CursorKey,
            Expr::value(new_cursor_key()),
        )
        .filter(entity::sync_space::Column::CursorKey.eq(""))
        .exec(db)
        .await?;
    Ok(())
}

/// 256 random bits, hex: the key that signs a space's pull cursors.
fn new_cursor_key() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

/// `SELECT 1`, for readiness.
pub async fn ping(db: &DatabaseConnection) -> Result<(), DbErr> {
    db.ping().await
}

/// The space's current version: the last version any commit allocated, from any process.
pub async fn space_version(db: &DatabaseConnection) -> Result<i64, DbErr> {
    Ok(entity::sync_space::Entity::find_by_id(DEFAULT_SPACE)
        .one(db)
        .await?
        .map_or(0, |space| space.version))
}
