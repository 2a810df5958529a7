//! SQLite: `VACUUM INTO` for a backup, a file swapped into place for a restore.

use std::io::{Read, Write};
use std::path::Path;
use std::time::Duration;

use sea_orm::sqlx::sqlite::SqliteConnectOptions;
use sea_orm::sqlx::{ConnectOptions, Connection, SqliteConnection};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

use super::{BackupError, Place, Progress, Step, Unit, sync_file};

/// Copies the database to `output` in one read transaction (writers go on meanwhile); reports
/// the bytes written so far against the database's size. Answers the backup's size.
pub(super) async fn backup(
    db: &DatabaseConnection,
    output: &Path,
    progress: Progress<'_>,
) -> Result<u64, BackupError> {
    let size = db
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT page_count * page_size AS size FROM pragma_page_count(), pragma_page_size()",
        ))
        .await?
        .map(|row| row.try_get::<i64>("", "size"))
        .transpose()?
        .unwrap_or(0);
    let total = u64::try_from(size).unwrap_or(0);
    let bytes = |done: u64| Step {
        done: done.min(total),
        total,
        unit: Unit::Bytes,
    };
    progress(bytes(0));
    let copy = db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "VACUUM INTO ?",
        [output.to_string_lossy().into_owned().into()],
    ));
    tokio::pin!(copy);
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    loop {
        tokio::select! {
            done = &mut copy => {
                done?;
                break;
            }
            _ = tick.tick() => progress(bytes(file_size(output))),
        }
    }
    sync_file(output)?;
    let written = file_size(output);
    progress(Step {
        done: written,
        total: written,
        unit: Unit::Bytes,
    });
    Ok(written)
}

/// Checks that `input` is a sound SQLite database made by Passerelle, that the target is empty
/// (unless `force`), then copies it next to the target and swaps it in, removing the target's
/// stale WAL and shared-memory files (a leftover WAL would be replayed onto the new file).
pub(super) async fn restore(
    place: Place<'_>,
    input: &Path,
    force: bool,
    progress: Progress<'_>,
) -> Result<(), BackupError> {
    let target = crate::db::sqlite_file(place.url).ok_or(BackupError::InMemory)?;
    check_backup(input).await?;
    if !force && target.exists() {
        let tables = count_tables(target).await?;
        if tables > 0 {
            return Err(BackupError::NotEmpty { tables });
        }
    }
    if let Some(dir) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let staged = target.with_extension("restoring");
    // What a restore stopped half-way left behind.
    remove_if_present(&staged)?;
    let copied = copy_with_progress(input, &staged, progress);
    if let Err(error) = copied {
        let _ = std::fs::remove_file(&staged);
        return Err(error.into());
    }
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut stale = target.as_os_str().to_owned();
        stale.push(suffix);
        remove_if_present(Path::new(&stale))?;
    }
    std::fs::rename(&staged, target)?;
    sync_file(target)?;
    Ok(())
}

/// `input` opens read-only, passes `PRAGMA quick_check` and holds the migrations' table.
async fn check_backup(input: &Path) -> Result<(), BackupError> {
    let refuse = |why: String| BackupError::NotABackup(input.to_path_buf(), why);
    let mut conn = read_only(input).await.map_err(|e| refuse(e.to_string()))?;
    let check: String = sea_orm::sqlx::query_scalar("PRAGMA quick_check")
        .fetch_one(&mut conn)
        .await
        .map_err(|e| refuse(e.to_string()))?;
    if check != "ok" {
        return Err(refuse(format!("integrity check: {check}")));
    }
    let migrations: i64 = sea_orm::sqlx::query_scalar(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'seaql_migrations'",
    )
    .fetch_one(&mut conn)
    .await
    .map_err(|e| refuse(e.to_string()))?;
    let _ = conn.close().await;
    if migrations == 0 {
        return Err(refuse("it holds no Passerelle schema".into()));
    }
    Ok(())
}

async fn count_tables(file: &Path) -> Result<u64, BackupError> {
    let refuse = |e: sea_orm::sqlx::Error| {
        BackupError::Db(sea_orm::DbErr::Custom(format!(
            "cannot read the target {}: {e}",
            file.display()
        )))
    };
    let mut conn = read_only(file).await.map_err(refuse)?;
    let tables: i64 = sea_orm::sqlx::query_scalar(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .fetch_one(&mut conn)
    .await
    .map_err(refuse)?;
    let _ = conn.close().await;
    Ok(u64::try_from(tables).unwrap_or(0))
}

async fn read_only(file: &Path) -> Result<SqliteConnection, sea_orm::sqlx::Error> {
    SqliteConnectOptions::new()
        .filename(file)
        .read_only(true)
        .connect()
        .await
}

/// Copies `from` to `to` (which must not exist) in 1 MiB chunks, reporting bytes, then flushes.
fn copy_with_progress(from: &Path, to: &Path, progress: Progress<'_>) -> std::io::Result<()> {
    let mut source = std::fs::File::open(from)?;
    let total = source.metadata()?.len();
    let mut sink = std::fs::File::create_new(to)?;
    let mut buffer = vec![0u8; 1 << 20];
    let mut done = 0u64;
    loop {
        let read = source.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        sink.write_all(&buffer[..read])?;
        done += read as u64;
        progress(Step {
            done,
            total,
            unit: Unit::Bytes,
        });
    }
    sink.sync_all()
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

fn remove_if_present(path: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}
