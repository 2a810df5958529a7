//! The storage ceiling of the benchmark (performance.md): the same driver, pool and pragmas as
//! the service ([`passerelle::db::connect`]) committing single rows in the service's transaction
//! shape (the writer gate and `BEGIN IMMEDIATE` on SQLite, READ COMMITTED on PostgreSQL), from
//! `connections` concurrent writers. A write endpoint's throughput is quoted as a ratio to this figure.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbErr, SqliteTransactionMode, Statement,
    TransactionOptions, TransactionTrait,
};

/// What [`storage_ceiling`] measured.
#[derive(Debug, Clone, Copy)]
pub struct Ceiling {
    pub commits: u64,
    pub seconds: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

impl Ceiling {
    pub fn per_second(&self) -> f64 {
        self.commits as f64 / self.seconds
    }
}

/// Single-row commits for `seconds` from `connections` writers, into a scratch table that is
/// dropped afterwards.
pub async fn storage_ceiling(
    db: &DatabaseConnection,
    connections: usize,
    seconds: f64,
) -> Result<Ceiling, DbErr> {
    let backend = db.get_database_backend();
    let sql = |s: &str| Statement::from_string(backend, s.to_owned());
    db.execute_raw(sql("DROP TABLE IF EXISTS bench_storage_ceiling"))
        .await?;
    db.execute_raw(sql(
        "CREATE TABLE bench_storage_ceiling (id BIGINT PRIMARY KEY, writer BIGINT NOT NULL, payload TEXT NOT NULL)",
    ))
    .await?;
    let gate = passerelle::db::write::WriterGate::for_backend(backend);
    let next = Arc::new(AtomicU64::new(1));
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let started = Instant::now();
    let writers: Vec<_> = (0..connections.max(1))
        .map(|writer| {
            let (db, next, gate) = (db.clone(), next.clone(), gate.clone());
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                while Instant::now() < deadline {
                    let begun = Instant::now();
                    let _turn = gate.turn().await;
                    let txn = db
                        .begin_with_options(TransactionOptions {
                            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                            ..Default::default()
                        })
                        .await?;
                    let id = next.fetch_add(1, Ordering::Relaxed) as i64;
                    txn.execute_raw(Statement::from_sql_and_values(
                        backend,
                        match backend {
                            sea_orm::DbBackend::Postgres => {
                                "INSERT INTO bench_storage_ceiling (id, writer, payload) VALUES ($1, $2, $3)"
                            }
                            _ => "INSERT INTO bench_storage_ceiling (id, writer, payload) VALUES (?, ?, ?)",
                        },
                        [id.into(), (writer as i64).into(), "a row the size of an enrolment".into()],
                    ))
                    .await?;
                    txn.commit().await?;
                    latencies.push(begun.elapsed().as_secs_f64() * 1000.0);
                }
                Ok::<_, DbErr>(latencies)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for writer in writers {
        latencies.extend(writer.await.map_err(|e| DbErr::Custom(e.to_string()))??);
    }
    let seconds = started.elapsed().as_secs_f64();
    db.execute_raw(sql("DROP TABLE bench_storage_ceiling"))
        .await?;
    latencies.sort_by(f64::total_cmp);
    let at = |p: f64| {
        latencies
            .get(((latencies.len().saturating_sub(1)) as f64 * p).round() as usize)
            .copied()
            .unwrap_or(0.0)
    };
    Ok(Ceiling {
        commits: latencies.len() as u64,
        seconds,
        p50_ms: at(0.50),
        p99_ms: at(0.99),
    })
}
