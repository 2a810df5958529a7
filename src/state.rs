//! The state shared by every request: database pool, settings, login policy, metrics.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use sea_orm::{DatabaseConnection, DbErr};

use crate::accounts::service::LoginPolicy;
use crate::clock::Clock;
use crate::config::Settings;
use crate::db::write::WriteTx;
use crate::http::metrics::Metrics;

/// Cheap to clone; every field is shared.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub login: Arc<LoginPolicy>,
    pub metrics: Metrics,
    /// The one source of "now" (manual in tests that move time).
    pub clock: Clock,
    shutting_down: Arc<AtomicBool>,
}

impl AppState {
    pub fn new(db: DatabaseConnection, settings: Settings) -> Result<Self, prometheus::Error> {
        Self::with_clock(db, settings, Clock::system())
    }

    pub fn with_clock(
        db: DatabaseConnection,
        settings: Settings,
        clock: Clock,
    ) -> Result<Self, prometheus::Error> {
        let login = LoginPolicy::new(
            settings.login_failures_per_account,
            settings.login_failures_per_address,
            Duration::from_secs(settings.login_window_secs),
            settings.token_ttl_hours,
        );
        Ok(Self {
            db,
            settings: Arc::new(settings),
            login: Arc::new(login),
            metrics: Metrics::new()?,
            clock,
            shutting_down: Arc::new(AtomicBool::new(false)),
        })
    }

    /// Begins a write transaction; hand `&mut` of it to the service calls of one operation,
    /// then commit it.
    pub async fn begin(&self) -> Result<WriteTx, DbErr> {
        WriteTx::begin(&self.db, &self.clock).await
    }

    /// Readiness turns false as soon as shutdown starts.
    pub fn begin_shutdown(&self) {
        self.shutting_down.store(true, Ordering::SeqCst);
    }

    pub fn is_shutting_down(&self) -> bool {
        self.shutting_down.load(Ordering::SeqCst)
    }
}
