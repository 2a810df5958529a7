//! Settings: defaults → command-line flags → `PASSERELLE_*` / `DATABASE_URL` environment.
//! Secrets are wrapped in [`Secret`], which never prints its value.

use std::fmt;
use std::net::SocketAddr;
use std::str::FromStr;

use clap::{Args, ValueEnum};

/// The public URL the committed spec names as its server (the `--public-url` default).
pub const DEFAULT_PUBLIC_URL: &str = "http://127.0.0.1:8080";

/// A secret string: usable, never shown by `Debug` or `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret value; call only where it is used, never to log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self(s.to_owned()))
    }
}

/// How logs are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// JSON when stdout is not a terminal, pretty otherwise.
    Auto,
    Json,
    Pretty,
}

/// Every setting of the service. Each flag has an environment twin, listed in the README.
#[derive(Clone, Debug, Args)]
pub struct Settings {
    /// Address and port to listen on.
    #[arg(
        long,
        env = "PASSERELLE_BIND",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub bind: SocketAddr,

    /// Database URL: `sqlite://path?mode=rwc` (embedded) or `postgres://user@host/db`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://./data/passerelle.db?mode=rwc",
        global = true
    )]
    pub database_url: Secret,

    /// Public base URL, used in feed UIDs and certificate verification links.
    #[arg(
        long,
        env = "PASSERELLE_PUBLIC_URL",
        default_value = "http://127.0.0.1:8080",
        global = true
    )]
    pub public_url: String,

    /// Maximum number of pooled database connections.
    #[arg(
        long,
        env = "PASSERELLE_DB_MAX_CONNECTIONS",
        default_value_t = 8,
        global = true
    )]
    pub db_max_connections: u32,

    /// Seconds to wait for a pooled connection before answering 503.
    #[arg(
        long,
        env = "PASSERELLE_DB_ACQUIRE_TIMEOUT_SECS",
        default_value_t = 10,
        global = true
    )]
    pub db_acquire_timeout_secs: u64,

    /// SQLite only: milliseconds a writer waits for the write lock.
    #[arg(
        long,
        env = "PASSERELLE_SQLITE_BUSY_TIMEOUT_MS",
        default_value_t = 5000,
        global = true
    )]
    pub sqlite_busy_timeout_ms: u64,

    /// Lifetime of a bearer token, in hours.
    #[arg(
        long,
        env = "PASSERELLE_TOKEN_TTL_HOURS",
        default_value_t = 720,
        global = true
    )]
    pub token_ttl_hours: i64,

    /// Largest accepted request body, in bytes.
    #[arg(
        long,
        env = "PASSERELLE_MAX_BODY_BYTES",
        default_value_t = 1_048_576,
        global = true
    )]
    pub max_body_bytes: usize,

    /// Largest file a club animator may upload as a meeting resource, in bytes.
    #[arg(
        long,
        env = "PASSERELLE_MAX_RESOURCE_BYTES",
        default_value_t = 10_485_760,
        global = true
    )]
    pub max_resource_bytes: usize,

    /// Failed logins allowed per account within the window before 429.
    #[arg(
        long,
        env = "PASSERELLE_LOGIN_FAILURES_PER_ACCOUNT",
        default_value_t = 5,
        global = true
    )]
    pub login_failures_per_account: u32,

    /// Failed logins allowed per client address within the window before 429.
    #[arg(
        long,
        env = "PASSERELLE_LOGIN_FAILURES_PER_ADDRESS",
        default_value_t = 20,
        global = true
    )]
    pub login_failures_per_address: u32,

    /// Length of the failed-login window, in seconds.
    #[arg(
        long,
        env = "PASSERELLE_LOGIN_WINDOW_SECS",
        default_value_t = 900,
        global = true
    )]
    pub login_window_secs: u64,

    /// Public submissions (complaints, reports) per client address within the window before
    /// 429; administrators recording a complaint are not counted.
    #[arg(
        long,
        env = "PASSERELLE_QUALITY_SUBMISSIONS_PER_ADDRESS",
        default_value_t = 10,
        global = true
    )]
    pub quality_submissions_per_address: u32,

    /// Length of the public submissions' window, in seconds.
    #[arg(
        long,
        env = "PASSERELLE_QUALITY_SUBMISSIONS_WINDOW_SECS",
        default_value_t = 3600,
        global = true
    )]
    pub quality_submissions_window_secs: u64,

    /// Enrolment requests one person may send within the window before 429
    /// `enrolment.rate_limited` (administrators are not counted).
    #[arg(
        long,
        env = "PASSERELLE_ENROLMENTS_PER_PERSON",
        default_value_t = 60,
        global = true
    )]
    pub enrolments_per_person: u32,

    /// Length of the enrolment requests' window, in seconds.
    #[arg(
        long,
        env = "PASSERELLE_ENROLMENTS_WINDOW_SECS",
        default_value_t = 600,
        global = true
    )]
    pub enrolments_window_secs: u64,

    /// Days within which a complaint must be acknowledged before it is listed as overdue.
    #[arg(
        long,
        env = "PASSERELLE_COMPLAINT_ACKNOWLEDGE_DAYS",
        default_value_t = 7,
        global = true
    )]
    pub complaint_acknowledge_days: u32,

    /// Weeks after a session's last half-day at which its cold survey opens for its trainees.
    #[arg(
        long,
        env = "PASSERELLE_COLD_SURVEY_WEEKS",
        default_value_t = 8,
        global = true
    )]
    pub cold_survey_weeks: u32,

    /// Days a trainee, trainer or funder has to answer a survey once it opens (its deadline).
    #[arg(
        long,
        env = "PASSERELLE_SURVEY_ANSWER_DAYS",
        default_value_t = 21,
        global = true
    )]
    pub survey_answer_days: u32,

    /// Percentage of a session's planned hours a trainee must attend to count as having
    /// completed the training in the published result indicators.
    #[arg(
        long,
        env = "PASSERELLE_COMPLETION_THRESHOLD_PERCENT",
        default_value_t = 80,
        value_parser = clap::value_parser!(u32).range(1..=100),
        global = true
    )]
    pub completion_threshold_percent: u32,

    /// Hours before a session's first half-day within which a cancellation is recorded as late.
    #[arg(
        long,
        env = "PASSERELLE_LATE_CANCELLATION_HOURS",
        default_value_t = 72,
        global = true
    )]
    pub late_cancellation_hours: i64,

    /// Minutes before a half-day starts from which its marks and check-ins are accepted (a mark
    /// earlier is refused with 409 `attendance.slot_not_started`).
    #[arg(
        long,
        env = "PASSERELLE_MARK_OPENS_BEFORE_MINUTES",
        default_value_t = 30,
        global = true
    )]
    pub mark_opens_before_minutes: i64,

    /// Minutes a declared signing time may fall outside its half-day before the checks flag it
    /// (`signed_outside_half_day`, `signing_time_unexplained`).
    #[arg(
        long,
        env = "PASSERELLE_SIGNING_TOLERANCE_MINUTES",
        default_value_t = 30,
        global = true
    )]
    pub signing_tolerance_minutes: i64,

    /// Minutes after its half-day ended past which a signature the server witnessed is late;
    /// several such of one trainee received together raise `received_together_long_after`.
    #[arg(
        long,
        env = "PASSERELLE_RECEIVED_LATE_AFTER_MINUTES",
        default_value_t = 720,
        global = true
    )]
    pub received_late_after_minutes: i64,

    /// Minutes within which late signatures of several half-days count as received together.
    #[arg(
        long,
        env = "PASSERELLE_RECEIVED_TOGETHER_MINUTES",
        default_value_t = 10,
        global = true
    )]
    pub received_together_minutes: i64,
    /// Whether a session's trainers may enrol someone once it has started (a late enrolment);
    /// administrators always may.
    #[arg(
        long,
        env = "PASSERELLE_TRAINERS_ENROL_LATE",
        default_value_t = false,
        action = clap::ArgAction::Set,
        global = true
    )]
    pub trainers_enrol_late: bool,

    /// Days sync tombstones are kept: a device offline longer gets `reset` (a full sync).
    #[arg(
        long,
        env = "PASSERELLE_SYNC_RETENTION_DAYS",
        default_value_t = 180,
        global = true
    )]
    pub sync_retention_days: i64,

    /// How long a push waits for a row another transaction holds before answering 503
    /// `sync.unavailable` (PostgreSQL `lock_timeout`; SQLite waits its busy timeout).
    #[arg(
        long,
        env = "PASSERELLE_SYNC_LOCK_TIMEOUT_MS",
        default_value_t = 10_000,
        global = true
    )]
    pub sync_lock_timeout_ms: u64,

    /// Where the rules of the trainings (règlement intérieur) are published; convocations link it.
    #[arg(long, env = "PASSERELLE_TRAINING_RULES_URL", global = true)]
    pub training_rules_url: Option<String>,

    /// How many PDF documents may render at once (each on a blocking thread); 0 = one per core.
    #[arg(
        long,
        env = "PASSERELLE_PDF_CONCURRENCY",
        default_value_t = 0,
        global = true
    )]
    pub pdf_concurrency: usize,

    /// Where the service keeps the files it builds (audit bundles under `bundles/`); created
    /// when first needed. Several instances must share it.
    #[arg(
        long,
        env = "PASSERELLE_DATA_DIR",
        default_value = "data",
        global = true
    )]
    pub data_dir: std::path::PathBuf,

    /// Memory for rendered public responses (catalogue lists and items), in MiB; 0 turns the
    /// cache off.
    #[arg(
        long,
        env = "PASSERELLE_RENDER_CACHE_MIB",
        default_value_t = 64,
        global = true
    )]
    pub render_cache_mib: u64,

    /// Log format.
    #[arg(long, env = "PASSERELLE_LOG_FORMAT", value_enum, default_value_t = LogFormat::Auto, global = true)]
    pub log_format: LogFormat,

    /// Browser origins allowed to call the API from their scripts (CORS), e.g.
    /// `https://app.example.org`; repeatable or comma-separated. None by default: other sites'
    /// scripts cannot read any answer.
    #[arg(
        long = "cors-origin",
        env = "PASSERELLE_CORS_ORIGINS",
        value_delimiter = ',',
        value_parser = parse_origin,
        global = true
    )]
    pub cors_origins: Vec<String>,

    /// Seconds that in-flight requests get to finish after SIGTERM/SIGINT.
    #[arg(
        long,
        env = "PASSERELLE_SHUTDOWN_GRACE_SECS",
        default_value_t = 30,
        global = true
    )]
    pub shutdown_grace_secs: u64,

    /// E-mail of an administrator created at start if no account has it.
    #[arg(long, env = "PASSERELLE_ADMIN_EMAIL", global = true)]
    pub admin_email: Option<String>,

    /// Password of that administrator (never overwrites an existing password).
    #[arg(
        long,
        env = "PASSERELLE_ADMIN_PASSWORD",
        hide_env_values = true,
        global = true
    )]
    pub admin_password: Option<Secret>,

    /// Password of every demo account; generated and printed once when unset.
    #[arg(
        long,
        env = "PASSERELLE_DEMO_PASSWORD",
        hide_env_values = true,
        global = true
    )]
    pub demo_password: Option<Secret>,

    /// Outgoing e-mail.
    #[command(flatten)]
    pub smtp: SmtpSettings,

    /// How long each kind of record is kept (`passerelle purge` applies it).
    #[command(flatten)]
    pub retention: RetentionSettings,
}

/// How long records are kept before `passerelle purge` removes them (GDPR Art. 5(1)(e)). The
/// defaults follow the French training rules as far as they are known: the attendance evidence
/// 3 years after the end of the session's year (the certificat de réalisation's commitment and
/// the Qualiopi cycle), supporting pieces — certificates, complaints — 6 years (OPCOs'
/// conventions); a longer duration may be stipulated by a funder's convention (10 years for EU
/// or ASP funding): set it here. The data protection officer validates the final choice.
#[derive(Clone, Debug, Args)]
pub struct RetentionSettings {
    /// Years after the end of a session's year that its marks, countersignatures and signature
    /// images are kept.
    #[arg(
        long,
        env = "PASSERELLE_RETAIN_ATTENDANCE_YEARS",
        default_value_t = 3,
        value_parser = clap::value_parser!(u32).range(1..=50),
        global = true
    )]
    pub retain_attendance_years: u32,

    /// Years after the end of its year of issue that a certificate is kept.
    #[arg(
        long,
        env = "PASSERELLE_RETAIN_CERTIFICATES_YEARS",
        default_value_t = 6,
        value_parser = clap::value_parser!(u32).range(1..=50),
        global = true
    )]
    pub retain_certificates_years: u32,

    /// Years after the end of its year of closure that a closed complaint is kept.
    #[arg(
        long,
        env = "PASSERELLE_RETAIN_COMPLAINTS_YEARS",
        default_value_t = 6,
        value_parser = clap::value_parser!(u32).range(1..=50),
        global = true
    )]
    pub retain_complaints_years: u32,

    /// Days a sent or dead e-mail is kept after it was drafted.
    #[arg(
        long,
        env = "PASSERELLE_RETAIN_MESSAGES_DAYS",
        default_value_t = 365,
        value_parser = clap::value_parser!(u32).range(1..=36500),
        global = true
    )]
    pub retain_messages_days: u32,

    /// Days an expired or revoked login token is kept (for the record of sessions).
    #[arg(
        long,
        env = "PASSERELLE_RETAIN_TOKENS_DAYS",
        default_value_t = 90,
        value_parser = clap::value_parser!(u32).range(1..=36500),
        global = true
    )]
    pub retain_tokens_days: u32,
}

impl Default for RetentionSettings {
    fn default() -> Self {
        Self {
            retain_attendance_years: 3,
            retain_certificates_years: 6,
            retain_complaints_years: 6,
            retain_messages_days: 365,
            retain_tokens_days: 90,
        }
    }
}

/// How the SMTP connection is secured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SmtpSecurity {
    /// Plain text (a relay on the same host or a test server).
    None,
    /// Plain connection upgraded with STARTTLS (port 587).
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
}

/// Outgoing e-mail: the SMTP relay, the sender address, the pace and the retries. Without a
/// host, messages are queued and wait (administrators see them in `/api/v1/notifications`).
#[derive(Clone, Debug, Args)]
pub struct SmtpSettings {
    /// SMTP relay host; unset = messages stay queued.
    #[arg(long, env = "PASSERELLE_SMTP_HOST", global = true)]
    pub smtp_host: Option<String>,

    /// SMTP port (default: 25 for `none`, 587 for `starttls`, 465 for `tls`).
    #[arg(long, env = "PASSERELLE_SMTP_PORT", global = true)]
    pub smtp_port: Option<u16>,

    /// Connection security.
    #[arg(long, env = "PASSERELLE_SMTP_SECURITY", value_enum, default_value_t = SmtpSecurity::Starttls, global = true)]
    pub smtp_security: SmtpSecurity,

    /// SMTP user (authentication when set).
    #[arg(long, env = "PASSERELLE_SMTP_USER", global = true)]
    pub smtp_user: Option<String>,

    /// SMTP password.
    #[arg(
        long,
        env = "PASSERELLE_SMTP_PASSWORD",
        hide_env_values = true,
        global = true
    )]
    pub smtp_password: Option<Secret>,

    /// The `From` of every message (`Name <address>` or an address).
    #[arg(
        long,
        env = "PASSERELLE_SMTP_FROM",
        default_value = "Passerelle <formation@passerelle.invalid>",
        global = true
    )]
    pub smtp_from: String,

    /// At most this many messages per minute (0 = no limit).
    #[arg(
        long,
        env = "PASSERELLE_SMTP_RATE_PER_MINUTE",
        default_value_t = 600,
        global = true
    )]
    pub smtp_rate_per_minute: u32,

    /// Attempts before a message goes dead (an administrator may retry it).
    #[arg(
        long,
        env = "PASSERELLE_SMTP_MAX_ATTEMPTS",
        default_value_t = 6,
        global = true
    )]
    pub smtp_max_attempts: u32,

    /// The first retry's delay in seconds; each next one doubles it (capped at 6 hours).
    #[arg(
        long,
        env = "PASSERELLE_SMTP_RETRY_SECS",
        default_value_t = 60,
        global = true
    )]
    pub smtp_retry_secs: u64,

    /// Seconds before a message claimed by a sender that died is claimed again.
    #[arg(
        long,
        env = "PASSERELLE_SMTP_CLAIM_SECS",
        default_value_t = 300,
        global = true
    )]
    pub smtp_claim_secs: u64,
}

impl Default for SmtpSettings {
    fn default() -> Self {
        Self {
            smtp_host: None,
            smtp_port: None,
            smtp_security: SmtpSecurity::Starttls,
            smtp_user: None,
            smtp_password: None,
            smtp_from: "Passerelle <formation@passerelle.invalid>".into(),
            smtp_rate_per_minute: 600,
            smtp_max_attempts: 6,
            smtp_retry_secs: 60,
            smtp_claim_secs: 300,
        }
    }
}

/// A browser origin: `scheme://host[:port]`, nothing after.
fn parse_origin(value: &str) -> Result<String, String> {
    let parsed = url::Url::parse(value).map_err(|e| format!("{value:?} is not an origin: {e}"))?;
    let origin = parsed.origin().ascii_serialization();
    if !matches!(parsed.scheme(), "http" | "https") || origin != value {
        return Err(format!(
            "{value:?} is not an origin; write it as scheme://host[:port], e.g. {origin}"
        ));
    }
    Ok(origin)
}

impl Settings {
    /// Defaults for tests and tools: an SQLite database at `database_url`.
    pub fn for_database(database_url: &str) -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_url: Secret::new(database_url),
            public_url: DEFAULT_PUBLIC_URL.into(),
            db_max_connections: 8,
            db_acquire_timeout_secs: 10,
            sqlite_busy_timeout_ms: 5000,
            token_ttl_hours: 720,
            max_body_bytes: 1_048_576,
            max_resource_bytes: 10_485_760,
            login_failures_per_account: 5,
            login_failures_per_address: 20,
            login_window_secs: 900,
            quality_submissions_per_address: 10,
            quality_submissions_window_secs: 3600,
            enrolments_per_person: 60,
            enrolments_window_secs: 600,
            complaint_acknowledge_days: 7,
            cold_survey_weeks: 8,
            survey_answer_days: 21,
            completion_threshold_percent: 80,
            render_cache_mib: 64,
            pdf_concurrency: 0,
            data_dir: std::path::PathBuf::from("data"),
            late_cancellation_hours: 72,
            mark_opens_before_minutes: 30,
            signing_tolerance_minutes: 30,
            received_late_after_minutes: 720,
            received_together_minutes: 10,
            trainers_enrol_late: false,
            sync_retention_days: 180,
            sync_lock_timeout_ms: 10_000,
            training_rules_url: None,
            log_format: LogFormat::Auto,
            cors_origins: Vec::new(),
            shutdown_grace_secs: 30,
            admin_email: None,
            admin_password: None,
            demo_password: None,
            smtp: SmtpSettings::default(),
            retention: RetentionSettings::default(),
        }
    }

    /// Whether the database is SQLite (embedded) rather than PostgreSQL.
    pub fn is_sqlite(&self) -> bool {
        self.database_url.expose().starts_with("sqlite:")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cors_origin_is_a_scheme_a_host_and_a_port_nothing_more() {
        assert_eq!(
            parse_origin("https://app.example.org").as_deref(),
            Ok("https://app.example.org")
        );
        assert_eq!(
            parse_origin("http://localhost:5173").as_deref(),
            Ok("http://localhost:5173")
        );
        for wrong in [
            "https://app.example.org/",
            "https://app.example.org/path",
            "app.example.org",
            "ftp://files.example.org",
            "*",
        ] {
            assert!(parse_origin(wrong).is_err(), "{wrong} accepted");
        }
    }

    #[test]
    fn debug_output_never_shows_secrets() {
        let mut settings = Settings::for_database("postgres://app:db-password-123@db/passerelle");
        settings.admin_password = Some(Secret::new("admin-password-456"));
        settings.demo_password = Some(Secret::new("demo-password-789"));

        let printed = format!("{settings:?}");

        for secret in ["db-password-123", "admin-password-456", "demo-password-789"] {
            assert!(!printed.contains(secret), "{secret} leaked in {printed}");
        }
        assert!(printed.contains("[redacted]"));
    }
}
