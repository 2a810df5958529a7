//! The sender: a task of the service process that drafts pending events into messages and
//! delivers due messages, woken by every commit that writes outbox events and at least every
//! second (retries fall due with time). Several instances may run it on one PostgreSQL database:
//! each claim skips rows another holds.

use std::sync::Arc;
use std::time::Duration;

use super::letters::Desk;
use super::service::{deliver_due, draft_pending};
use super::transport::{Mailer, MailerError};
use crate::calendar::service::Site;
use crate::quality::model::surveys::SurveyRules;
use crate::quality::service::{self as quality, QualityError, SurveyNotices};
use crate::state::AppState;
use sea_orm::{ConnectionTrait, DbBackend};

/// Events drafted per turn.
const DRAFTS_PER_PASS: usize = 50;
/// Messages claimed per turn.
const MESSAGES_PER_PASS: u64 = 100;
/// How often surveys due are opened for everyone.
const SURVEYS_EVERY: Duration = Duration::from_secs(60);
/// The advisory lock of the survey pass (PostgreSQL): one instance at a time.
const SURVEYS_LOCK: i64 = 0x7061_7373_7572;

/// What the sender needs, built once.
#[derive(Clone)]
pub struct Sender {
    state: AppState,
    desk: Desk,
    mailer: Arc<Mailer>,
}

impl Sender {
    pub fn new(state: &AppState) -> Result<Self, MailerError> {
        let mailer = Mailer::new(&state.settings.smtp)?;
        let desk = Desk {
            renderer: state.renderer.clone(),
            site: Site::new(&state.settings.public_url),
            from: mailer.from.clone(),
            signature: "L'équipe formation de la fédération".to_owned(),
            now: state.clock.now(),
        };
        Ok(Self {
            state: state.clone(),
            desk,
            mailer: Arc::new(mailer),
        })
    }

    /// One pass: pending events drafted and due messages delivered (when a relay is
    /// configured), in turns of a batch each — a backlog of events never holds back the
    /// messages already drafted — until neither finds work. Returns (events drafted, messages
    /// sent).
    pub async fn pass(&self) -> Result<(usize, usize), sea_orm::DbErr> {
        let writer = self.state.writer();
        let (mut drafted, mut sent) = (0, 0);
        loop {
            let done = draft_pending(&writer, &self.desk, DRAFTS_PER_PASS).await?;
            drafted += done;
            let delivered = match self.mailer.configured() {
                true => deliver_due(&writer, &self.mailer, MESSAGES_PER_PASS).await?,
                false => 0,
            };
            sent += delivered;
            if (done < DRAFTS_PER_PASS && delivered == 0) || self.state.is_shutting_down() {
                break;
            }
        }
        Ok((drafted, sent))
    }

    /// Opens the surveys due now for everyone and records the reminders due (see
    /// [`quality::open_and_remind`]); on PostgreSQL one instance at a time (a transaction-scoped
    /// advisory lock), on SQLite the writer gate.
    pub async fn surveys(&self) -> Result<SurveyNotices, QualityError> {
        let mut tx = self.state.begin().await?;
        if tx.conn().get_database_backend() == DbBackend::Postgres {
            tx.conn()
                .execute_unprepared(&format!("SELECT pg_advisory_xact_lock({SURVEYS_LOCK})"))
                .await?;
        }
        let rules = SurveyRules::of(&self.state.settings);
        let done = quality::open_and_remind(&mut tx, &rules).await?;
        tx.commit().await?;
        Ok(done)
    }

    /// Runs passes until the server shuts down: surveys once a minute, messages as soon as a
    /// commit writes events and at least every second.
    pub async fn run(self) {
        let mut surveys_due = tokio::time::Instant::now();
        while !self.state.is_shutting_down() {
            if tokio::time::Instant::now() >= surveys_due {
                surveys_due += SURVEYS_EVERY;
                if let Err(error) = self.surveys().await {
                    tracing::warn!(%error, "the survey opening pass failed");
                }
            }
            if let Err(error) = self.pass().await {
                tracing::warn!(%error, "the notifications sender failed a pass");
            }
            tokio::select! {
                () = self.state.watermarks.outbox_changed() => {}
                () = tokio::time::sleep(Duration::from_secs(1)) => {}
            }
        }
    }
}

/// Starts the sender task of a server; an unusable `--smtp-from` stops the start.
pub fn spawn(state: &AppState) -> Result<tokio::task::JoinHandle<()>, MailerError> {
    let sender = Sender::new(state)?;
    if !sender.mailer.configured() {
        tracing::info!(
            "no SMTP relay configured: messages stay queued (GET /api/v1/notifications)"
        );
    }
    Ok(tokio::spawn(sender.run()))
}
