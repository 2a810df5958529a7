//! The state shared by every request: database pool, settings, login policy, metrics.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use sea_orm::DatabaseConnection;

use crate::accounts::service::LoginPolicy;
use crate::config::Settings;
use crate::http::allow::AllowIndex;
use crate::http::metrics::Metrics;

/// Cheap to clone; every field is shared.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub login: Arc<LoginPolicy>,
    pub metrics: Metrics,
    /// The methods of each path, for the `Allow` header of a 405.
    pub allow: Arc<AllowIndex>,
    shutting_down: Arc<AtomicBool>,
}

impl AppState {
    pub fn new(db: DatabaseConnection, settings: Settings) -> Result<Self, prometheus::Error> {
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
            allow: Arc::new(AllowIndex::from_spec(
                &serde_json::from_str(&crate::openapi_json()).unwrap_or_default(),
                &["/metrics", "/openapi.json", "/docs"],
            )),
            shutting_down: Arc::new(AtomicBool::new(false)),
        })
    }

    /// Readiness turns false as soon as shutdown starts.
    pub fn begin_shutdown(&self) {
        self.shutting_down.store(true, Ordering::SeqCst);
    }

    pub fn is_shutting_down(&self) -> bool {
        self.shutting_down.load(Ordering::SeqCst)
    }
}
