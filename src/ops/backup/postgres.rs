//! PostgreSQL: `pg_dump --format=custom` for a backup, `pg_restore` in one transaction for a
//! restore. The password travels in the child's environment (`PGPASSWORD`), never on its
//! command line, where any local user could read it.

use std::path::Path;
use std::process::Stdio;

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

use super::{BackupError, Place, Progress, Step, Unit, find_program, sync_file};

/// Dumps the database (or its schema) in custom format; reports the tables dumped.
pub(super) async fn backup(
    db: &DatabaseConnection,
    place: Place<'_>,
    output: &Path,
    progress: Progress<'_>,
) -> Result<u64, BackupError> {
    let program = program("pg_dump")?;
    let total = count_tables(db, place.schema).await?;
    let mut command = libpq_command(&program, place.url)?;
    command
        .args([
            "--format=custom",
            "--verbose",
            "--no-owner",
            "--no-privileges",
        ])
        .arg("--file")
        .arg(output);
    if let Some(schema) = place.schema {
        command.arg("--schema").arg(schema);
    }
    run(
        command,
        "pg_dump",
        "dumping contents of table",
        total,
        progress,
    )
    .await?;
    sync_file(output)?;
    Ok(std::fs::metadata(output)?.len())
}

/// Restores a custom-format dump into the target schema (`public` without one), which must
/// hold no table unless `force` (then it is dropped and made again). `--single-transaction`:
/// a restore that fails leaves the target as it was.
pub(super) async fn restore(
    place: Place<'_>,
    input: &Path,
    force: bool,
    progress: Progress<'_>,
) -> Result<(), BackupError> {
    let program = program("pg_restore")?;
    let schema = place.schema.unwrap_or("public");
    let contents = Contents::read(&program, place.url, input).await?;
    if let Some(other) = contents.schemas.iter().find(|s| s.as_str() != schema) {
        return Err(BackupError::NotABackup(
            input.to_path_buf(),
            format!("its tables are in schema {other:?}, the target is {schema:?}"),
        ));
    }
    let target = Database::connect(place.url).await?;
    let tables = count_tables(&target, Some(schema)).await?;
    if tables > 0 {
        if !force {
            return Err(BackupError::NotEmpty { tables });
        }
        let quoted = quote_identifier(schema);
        let mut replace = format!("DROP SCHEMA {quoted} CASCADE;");
        if !contents.creates_schema(schema) {
            replace.push_str(&format!(" CREATE SCHEMA {quoted};"));
        }
        target
            .execute_unprepared(&format!("BEGIN; {replace} COMMIT;"))
            .await?;
    }
    target.close().await?;
    let mut command = libpq_command(&program, place.url)?;
    command
        .args([
            "--verbose",
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",
            "--no-privileges",
        ])
        .arg(input);
    run(
        command,
        "pg_restore",
        "processing data for table",
        contents.tables,
        progress,
    )
    .await
}

/// What `pg_restore --list` says an archive holds.
struct Contents {
    /// Tables with data.
    tables: u64,
    /// The schemas of those tables.
    schemas: Vec<String>,
    /// The schemas the archive creates.
    created: Vec<String>,
}

impl Contents {
    async fn read(program: &Path, url: &str, input: &Path) -> Result<Contents, BackupError> {
        let mut command = libpq_command(program, url)?;
        let listed = command
            .arg("--list")
            .arg(input)
            .stdin(Stdio::null())
            .output()
            .await?;
        if !listed.status.success() {
            return Err(BackupError::NotABackup(
                input.to_path_buf(),
                String::from_utf8_lossy(&listed.stderr).trim().to_owned(),
            ));
        }
        let mut contents = Contents {
            tables: 0,
            schemas: Vec::new(),
            created: Vec::new(),
        };
        // Entries read `id; class oid TYPE schema name owner`, e.g.
        // `3350; 0 16390 TABLE DATA public person postgres`.
        for line in String::from_utf8_lossy(&listed.stdout).lines() {
            let Some((_, entry)) = line.split_once("; ") else {
                continue;
            };
            let words: Vec<&str> = entry.split_whitespace().collect();
            match words.get(2..5) {
                Some(["TABLE", "DATA", schema]) => {
                    contents.tables += 1;
                    if !contents.schemas.iter().any(|s| s == schema) {
                        contents.schemas.push((*schema).to_owned());
                    }
                }
                Some(["SCHEMA", "-", name]) => contents.created.push((*name).to_owned()),
                _ => {}
            }
        }
        if contents.tables == 0 {
            return Err(BackupError::NotABackup(
                input.to_path_buf(),
                "it holds no table".into(),
            ));
        }
        Ok(contents)
    }

    fn creates_schema(&self, schema: &str) -> bool {
        self.created.iter().any(|s| s == schema)
    }
}

fn program(name: &'static str) -> Result<std::path::PathBuf, BackupError> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    find_program(name, &path).ok_or(BackupError::ToolMissing(name))
}

/// A libpq tool aimed at `url`: the URL without its password on the command line, the password
/// in `PGPASSWORD`.
fn libpq_command(program: &Path, url: &str) -> Result<Command, BackupError> {
    let mut parsed = url::Url::parse(url)
        .map_err(|e| sea_orm::DbErr::Custom(format!("the database URL is not a URL: {e}")))?;
    let password = parsed.password().map(str::to_owned);
    // Setting no password on a URL that parsed cannot fail.
    let _ = parsed.set_password(None);
    let mut command = Command::new(program);
    command
        .arg("--dbname")
        .arg(parsed.as_str())
        .kill_on_drop(true);
    if let Some(password) = password {
        let decoded = percent_encoding::percent_decode_str(&password).decode_utf8_lossy();
        command.env("PGPASSWORD", decoded.as_ref());
    }
    Ok(command)
}

/// Runs a libpq tool with `--verbose`, counting the stderr lines that contain `marker` as
/// progress; answers its failure with the lines that were not progress.
async fn run(
    mut command: Command,
    name: &'static str,
    marker: &str,
    total: u64,
    progress: Progress<'_>,
) -> Result<(), BackupError> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut done = 0;
    let mut messages: Vec<String> = Vec::new();
    progress(Step {
        done,
        total,
        unit: Unit::Tables,
    });
    if let Some(stderr) = child.stderr.take() {
        let mut lines = BufReader::new(stderr).lines();
        while let Some(line) = lines.next_line().await? {
            if line.contains(marker) {
                done += 1;
                progress(Step {
                    done: done.min(total),
                    total,
                    unit: Unit::Tables,
                });
            } else if !line.contains(": last built-in OID") && messages.len() < 200 {
                messages.push(line);
            }
        }
    }
    let status = child.wait().await?;
    if status.success() {
        return Ok(());
    }
    let errors: Vec<&str> = messages
        .iter()
        .map(String::as_str)
        .filter(|l| l.contains("error") || l.contains("FATAL") || l.contains("could not"))
        .collect();
    let shown = if errors.is_empty() {
        messages.iter().rev().take(5).rev().cloned().collect()
    } else {
        errors.join("; ")
    };
    Err(BackupError::ToolFailed {
        program: name,
        status: status.to_string(),
        message: shown,
    })
}

/// Tables in `schema`, or in every schema of the database but the system's.
async fn count_tables(db: &DatabaseConnection, schema: Option<&str>) -> Result<u64, BackupError> {
    let statement = match schema {
        Some(schema) => Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT count(*) AS n FROM information_schema.tables \
             WHERE table_type = 'BASE TABLE' AND table_schema = $1",
            [schema.into()],
        ),
        None => Statement::from_string(
            DbBackend::Postgres,
            "SELECT count(*) AS n FROM information_schema.tables \
             WHERE table_type = 'BASE TABLE' \
             AND table_schema NOT IN ('pg_catalog', 'information_schema')",
        ),
    };
    let n = db
        .query_one_raw(statement)
        .await?
        .map(|row| row.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0);
    Ok(u64::try_from(n).unwrap_or(0))
}

fn quote_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
