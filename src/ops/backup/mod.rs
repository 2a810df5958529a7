//! Backups and restores of the whole database, on both engines.
//!
//! - SQLite: `VACUUM INTO` writes a consistent copy while the service runs (a read transaction:
//!   writers go on in the WAL); a restore copies the file into place and removes any stale WAL.
//! - PostgreSQL: `pg_dump --format=custom` (one repeatable-read snapshot) and `pg_restore` in a
//!   single transaction, both found on `PATH`.
//!
//! A restore goes into an empty database (or replaces everything with `force`), applies the
//! migrations the copy lacks and gives the sync space a **new epoch**: every device is answered
//! `reset` at its next pull and syncs in full, instead of pulling from a past that no longer
//! exists. Both report their progress through a callback (the CLI draws it with indicatif).

mod postgres;
mod sqlite;

use std::path::{Path, PathBuf};

use sea_orm::{DatabaseConnection, DbErr};
use uuid::Uuid;

use crate::config::Settings;

/// Where a database lives: its URL and, on PostgreSQL, the schema that holds it (`None`: the
/// whole database, as `serve` uses it).
#[derive(Clone, Copy, Debug)]
pub struct Place<'a> {
    pub url: &'a str,
    pub schema: Option<&'a str>,
}

impl<'a> Place<'a> {
    /// The database of these settings.
    pub fn of(settings: &'a Settings) -> Self {
        Place {
            url: settings.database_url.expose(),
            schema: None,
        }
    }

    fn is_sqlite(&self) -> bool {
        self.url.starts_with("sqlite:")
    }
}

/// What a backup or restore has done so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub done: u64,
    pub total: u64,
    pub unit: Unit,
}

/// What [`Step`] counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Bytes copied (SQLite).
    Bytes,
    /// Tables whose rows are dumped or restored (PostgreSQL).
    Tables,
}

/// Told of each step; called often, so it must be cheap.
pub type Progress<'a> = &'a (dyn Fn(Step) + Sync);

/// Why a backup or restore did not happen. Nothing is left half-done: a failed backup removes
/// its partial file; a failed restore leaves the target as it was (SQLite: the file is swapped
/// in only once complete; PostgreSQL: one transaction).
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} already exists; choose another file")]
    OutputExists(PathBuf),
    #[error(
        "the target database is not empty ({tables} tables); restore into an empty database, \
         or pass --force to replace everything in it (stop the service first)"
    )]
    NotEmpty { tables: u64 },
    #[error("{0} is not a Passerelle backup for this engine: {1}")]
    NotABackup(PathBuf, String),
    #[error(
        "{0} was not found on PATH; install PostgreSQL's client tools \
         (Debian: apt-get install postgresql-client) of the server's major version or newer"
    )]
    ToolMissing(&'static str),
    #[error("{program} failed ({status}): {message}")]
    ToolFailed {
        program: &'static str,
        status: String,
        message: String,
    },
    #[error("an in-memory SQLite database cannot be backed up or restored")]
    InMemory,
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Db(#[from] DbErr),
}

/// What a backup wrote.
#[derive(Clone, Debug)]
pub struct Backup {
    pub path: PathBuf,
    pub bytes: u64,
}

/// What a restore did.
#[derive(Clone, Debug)]
pub struct Restored {
    /// The sync space's new epoch.
    pub epoch: Uuid,
    /// The restored database, migrated and ready to serve.
    pub db: DatabaseConnection,
}

/// Writes a consistent copy of the database at `place` (served by `db`) to `output`, which must
/// not exist.
pub async fn backup(
    db: &DatabaseConnection,
    place: Place<'_>,
    output: &Path,
    progress: Progress<'_>,
) -> Result<Backup, BackupError> {
    if output.exists() {
        return Err(BackupError::OutputExists(output.to_path_buf()));
    }
    let written = if place.is_sqlite() {
        sqlite::backup(db, output, progress).await
    } else {
        postgres::backup(db, place, output, progress).await
    };
    match written {
        Ok(bytes) => Ok(Backup {
            path: output.to_path_buf(),
            bytes,
        }),
        Err(error) => {
            // A partial file is no backup.
            let _ = std::fs::remove_file(output);
            Err(error)
        }
    }
}

/// Restores `input` (made by [`backup`] on the same engine) into the database of `settings`
/// (and `schema` on PostgreSQL), which must be empty unless `force`; then applies the pending
/// migrations and gives the sync space a new epoch. The service must not be running on the
/// target.
pub async fn restore(
    settings: &Settings,
    schema: Option<&str>,
    input: &Path,
    force: bool,
    progress: Progress<'_>,
) -> Result<Restored, BackupError> {
    let place = Place {
        url: settings.database_url.expose(),
        schema,
    };
    if !input.is_file() {
        return Err(BackupError::NotABackup(
            input.to_path_buf(),
            "no such file".into(),
        ));
    }
    if place.is_sqlite() {
        sqlite::restore(place, input, force, progress).await?;
    } else {
        postgres::restore(place, input, force, progress).await?;
    }
    let db = match schema {
        Some(schema) => crate::db::connect_with_schema(settings, schema).await?,
        None => crate::db::connect(settings).await?,
    };
    let epoch = crate::sync::service::new_epoch(&db)
        .await
        .map_err(|e| DbErr::Custom(e.to_string()))?;
    Ok(Restored { epoch, db })
}

/// The first executable called `program` in the directories of `path` (a `PATH` value).
pub fn find_program(program: &str, path: &std::ffi::OsStr) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    std::env::split_paths(path)
        .map(|dir| dir.join(program))
        .find(|candidate| {
            candidate
                .metadata()
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

/// Flushes a written file (and its directory entry) to the disk.
fn sync_file(path: &Path) -> std::io::Result<()> {
    std::fs::File::open(path)?.sync_all()?;
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::find_program;

    #[test]
    fn a_program_is_found_only_where_path_says() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().as_os_str();
        assert_eq!(find_program("pg_dump", empty), None);
        let script = dir.path().join("pg_dump");
        std::fs::write(&script, "#!/bin/sh\n").unwrap();
        assert_eq!(
            find_program("pg_dump", empty),
            None,
            "a file that is not executable is not a program"
        );
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(find_program("pg_dump", empty), Some(script));
    }
}
