//! The SMTP side: the relay (lettre, STARTTLS / TLS / plain, pooled connections), the sender
//! address, the pace (messages per minute) and the retry policy.

use std::time::Duration;

use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, Tokio1Executor};
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::config::{SmtpSecurity, SmtpSettings};

/// The longest wait between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(6 * 3600);

/// Delivers messages, or keeps them queued when no relay is configured.
pub struct Mailer {
    pub transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    pub from: Mailbox,
    pub max_attempts: u32,
    retry: Duration,
    /// How long a claimed message stays with the sender that claimed it.
    pub claim: chrono::Duration,
    /// The least time between two messages (from the rate per minute).
    spacing: Duration,
    next_slot: Mutex<Instant>,
}

/// Why the settings do not describe a usable relay.
#[derive(Debug, thiserror::Error)]
pub enum MailerError {
    #[error("--smtp-from is not an address: {0}")]
    From(#[from] lettre::address::AddressError),
    #[error("the SMTP relay: {0}")]
    Relay(#[from] lettre::transport::smtp::Error),
}

/// The sender address of the settings.
pub fn from_of(settings: &SmtpSettings) -> Result<Mailbox, MailerError> {
    Ok(settings.smtp_from.parse::<Mailbox>()?)
}

impl Mailer {
    pub fn new(settings: &SmtpSettings) -> Result<Self, MailerError> {
        let transport = match &settings.smtp_host {
            Some(host) => {
                let (builder, port) = match settings.smtp_security {
                    SmtpSecurity::None => (
                        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host.as_str()),
                        25,
                    ),
                    SmtpSecurity::Starttls => (
                        AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)?,
                        587,
                    ),
                    SmtpSecurity::Tls => (AsyncSmtpTransport::<Tokio1Executor>::relay(host)?, 465),
                };
                let mut builder = builder
                    .port(settings.smtp_port.unwrap_or(port))
                    .timeout(Some(Duration::from_secs(30)));
                if let Some(user) = &settings.smtp_user {
                    let password = settings
                        .smtp_password
                        .as_ref()
                        .map(|p| p.expose().to_owned())
                        .unwrap_or_default();
                    builder = builder.credentials(Credentials::new(user.clone(), password));
                }
                Some(builder.build())
            }
            None => None,
        };
        let spacing = match settings.smtp_rate_per_minute {
            0 => Duration::ZERO,
            rate => Duration::from_secs(60) / rate,
        };
        Ok(Self {
            transport,
            from: from_of(settings)?,
            max_attempts: settings.smtp_max_attempts.max(1),
            retry: Duration::from_secs(settings.smtp_retry_secs),
            claim: chrono::Duration::seconds(
                i64::try_from(settings.smtp_claim_secs.max(1)).unwrap_or(300),
            ),
            spacing,
            next_slot: Mutex::new(Instant::now()),
        })
    }

    /// Whether a relay is configured (without one, messages wait in the queue).
    pub fn configured(&self) -> bool {
        self.transport.is_some()
    }

    /// The wait before attempt `attempts + 1`: the first retry's delay, doubled each time,
    /// at most six hours.
    pub fn backoff(&self, attempts: u32) -> chrono::Duration {
        let factor = 2u32.saturating_pow(attempts.saturating_sub(1).min(20));
        let wait = self.retry.saturating_mul(factor).min(MAX_BACKOFF);
        chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(6))
    }

    /// Waits for the next slot of the rate limit.
    pub async fn pace(&self) {
        if self.spacing.is_zero() {
            return;
        }
        let mut next = self.next_slot.lock().await;
        let now = Instant::now();
        if *next > now {
            tokio::time::sleep_until(*next).await;
        }
        *next = Instant::now().max(*next) + self.spacing;
    }
}
