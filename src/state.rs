//! The state shared by every request: database pool, settings, login policy, metrics.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use sea_orm::{DatabaseConnection, DbErr};

use crate::accounts::service::LoginPolicy;
use crate::clock::Clock;
use crate::config::Settings;
use crate::db::group::GroupCommit;
use crate::db::watermarks::Watermarks;
use crate::db::write::{WriteTx, Writer, WriterGate};
use crate::enrolment::service::{EnrolBatch, enrolment_writer};
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
    /// Per synced table, the version of its last write (advanced by every commit).
    pub watermarks: Arc<Watermarks>,
    /// One writer at a time on SQLite, queued in the process.
    pub writers: WriterGate,
    /// Enrolment requests that arrive together are decided in one transaction.
    pub enrolments: Arc<GroupCommit<EnrolBatch>>,
    /// Unknown certificate codes tried per client address (public verification).
    pub certificate_lookups: Arc<crate::accounts::limiter::FailureLimiter>,
    /// Public complaints and reports submitted per client address.
    pub quality_submissions: Arc<crate::accounts::limiter::FailureLimiter>,
    /// Enrolment requests sent per person (administrators are not counted).
    pub enrolment_requests: Arc<crate::accounts::limiter::FailureLimiter>,
    /// What the catalogue calls when a session gains seats (enrolment's waitlist promotion).
    pub seats_added: Arc<dyn crate::catalogue::service::SeatsAdded>,
    /// What the catalogue asks when half-days that may hold marks are removed or moved
    /// (attendance counts and archives them).
    pub slot_evidence: Arc<dyn crate::catalogue::service::SlotEvidence>,
    /// The PDF renderer (fonts and templates parsed once).
    pub renderer: Arc<crate::documents::render::Renderer>,
    /// Long jobs running in the background (audit bundles).
    pub background: Background,
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
        let metrics = Metrics::new()?;
        let watermarks = Arc::new(Watermarks::new());
        let writers = WriterGate::for_backend(db.get_database_backend());
        let enrolments = Arc::new(enrolment_writer(Writer {
            db: db.clone(),
            clock: clock.clone(),
            gate: writers.clone(),
            watermarks: watermarks.clone(),
        }));
        Ok(Self {
            seats_added: Arc::new(crate::enrolment::service::WaitlistPromotion),
            slot_evidence: Arc::new(crate::attendance::service::MarkArchive),
            writers,
            enrolments,
            certificate_lookups: Arc::new(crate::accounts::limiter::FailureLimiter::new(
                crate::documents::service::MAX_UNKNOWN_LOOKUPS,
                crate::documents::service::LOOKUP_WINDOW,
            )),
            quality_submissions: Arc::new(crate::accounts::limiter::FailureLimiter::new(
                settings.quality_submissions_per_address,
                Duration::from_secs(settings.quality_submissions_window_secs),
            )),
            enrolment_requests: Arc::new(crate::accounts::limiter::FailureLimiter::new(
                settings.enrolments_per_person,
                Duration::from_secs(settings.enrolments_window_secs),
            )),
            renderer: Arc::new(crate::documents::render::Renderer::new(
                match settings.pdf_concurrency {
                    0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
                    n => n,
                },
            )),
            background: Background::new(1),
            db,
            settings: Arc::new(settings),
            login: Arc::new(login),
            metrics,
            clock,
            watermarks,
            shutting_down: Arc::new(AtomicBool::new(false)),
        })
    }

    /// Begins a write transaction; hand `&mut` of it to the service calls of one operation,
    /// then commit it.
    pub async fn begin(&self) -> Result<WriteTx, DbErr> {
        self.writer().begin().await
    }

    /// What begins this server's write transactions.
    pub fn writer(&self) -> Writer {
        Writer {
            db: self.db.clone(),
            clock: self.clock.clone(),
            gate: self.writers.clone(),
            watermarks: self.watermarks.clone(),
        }
    }

    /// Every second, compares the database's space version with what this process wrote: a
    /// write by another process (the CLI, a second instance) then invalidates rendered responses
    /// within a second. Runs until the server shuts down.
    pub async fn watch_other_writers(self) {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        while !self.is_shutting_down() {
            tick.tick().await;
            match crate::db::space_version(&self.db).await {
                Ok(version) => self.watermarks.observe_space(version),
                Err(error) => tracing::warn!(%error, "cannot read the space version"),
            }
        }
    }

    /// Readiness turns false as soon as shutdown starts.
    pub fn begin_shutdown(&self) {
        self.shutting_down.store(true, Ordering::SeqCst);
    }

    pub fn is_shutting_down(&self) -> bool {
        self.shutting_down.load(Ordering::SeqCst)
    }
}

/// Long jobs this process runs in the background, at most `permits` at a time (each renders
/// many PDFs). [`Background::stop`] aborts them, as a crash would: their rows then say where
/// they stopped and the next start resumes them.
#[derive(Clone)]
pub struct Background {
    permits: Arc<tokio::sync::Semaphore>,
    tasks: Arc<std::sync::Mutex<tokio::task::JoinSet<()>>>,
}

impl Background {
    pub fn new(permits: usize) -> Self {
        Self {
            permits: Arc::new(tokio::sync::Semaphore::new(permits.max(1))),
            tasks: Arc::default(),
        }
    }

    /// Runs `job` once a permit is free.
    pub fn spawn(&self, job: impl std::future::Future<Output = ()> + Send + 'static) {
        let permits = self.permits.clone();
        let Ok(mut tasks) = self.tasks.lock() else {
            return;
        };
        while tasks.try_join_next().is_some() {}
        tasks.spawn(async move {
            let Ok(_permit) = permits.acquire_owned().await else {
                return;
            };
            job.await;
        });
    }

    /// Aborts every job.
    pub fn stop(&self) {
        if let Ok(mut tasks) = self.tasks.lock() {
            tasks.abort_all();
        }
    }
}
