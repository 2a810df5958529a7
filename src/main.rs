//! The `passerelle` binary: `serve` (default), `migrate`, `openapi`, `demo-data`, `backup`,
//! `restore`, `admin create-user`, `sync-gc`, `sync-new-epoch`, `evidence`, `notifications`.

// The demo and benchmark datasets and the storage-ceiling probe are tools of this binary (and
// of the tests, which include the demo module), not of the library.
mod bench;
mod cli;
mod demo;

use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use passerelle::accounts::model::{NewPerson, Role};
use passerelle::accounts::{service, token};
use passerelle::clock::Clock;
use passerelle::config::{LogFormat, Secret, Settings};
use passerelle::db::write;
use passerelle::principal::Principal;
use passerelle::state::AppState;
use passerelle::{bootstrap, build_app, db};
use poem::Server;
use poem::listener::TcpListener;
use uuid::Uuid;

#[derive(Debug, Parser)]
#[command(
    name = "passerelle",
    version,
    about = "Qualiopi trainings and peer clubs for a federation of NGOs"
)]
struct Cli {
    #[command(flatten)]
    settings: Settings,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the HTTP service (the default).
    Serve {
        /// Load the demo dataset first and print its accounts.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the OpenAPI spec (JSON) on standard output.
    Openapi,
    /// Load the demo dataset (idempotent) and print its accounts.
    DemoData,
    /// Load the deterministic benchmark dataset (`--scale 10` is the x10 dataset).
    BenchData {
        /// 1 = 200 organisations, 2,000 people, 30 trainings, 500 sessions; 10 = ten times that.
        #[arg(long, default_value_t = 1)]
        scale: u32,
    },
    /// Measure the storage ceiling: single-row commits with the service's driver, pragmas and
    /// transaction shape (benchmark only; uses a scratch table it drops).
    BenchStorage {
        /// Concurrent writers.
        #[arg(long, default_value_t = 16)]
        connections: usize,
        /// How long to write.
        #[arg(long, default_value_t = 5.0)]
        seconds: f64,
    },
    /// Copy the database to a file, consistently, while the service runs (SQLite: `VACUUM
    /// INTO`; PostgreSQL: `pg_dump --format=custom`, found on PATH).
    Backup {
        /// Destination file; must not exist.
        #[arg(long)]
        output: std::path::PathBuf,
    },
    /// Remove the records past their retention period (`--retain-*`), printing how many of
    /// each kind; `--dry-run` prints it and removes nothing.
    Purge {
        /// Count what would be removed; remove nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Restore a backup into an empty database (stop the service first), apply the pending
    /// migrations and give the sync space a new epoch (devices sync in full).
    Restore {
        /// A file written by `passerelle backup` on the same engine.
        #[arg(long)]
        input: std::path::PathBuf,
        /// Replace everything in a database that is not empty.
        #[arg(long)]
        force: bool,
    },
    /// Collect sync tombstones older than the retention now (the server does it every hour).
    SyncGc,
    /// Give the sync space a new epoch: every device syncs in full at its next pull. Run it
    /// after restoring a backup.
    SyncNewEpoch,
    /// Administration tasks.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Qualiopi evidence: the audit bundle.
    #[command(subcommand)]
    Evidence(cli::evidence::EvidenceCommand),
    /// E-mail notifications: check the SMTP settings.
    #[command(subcommand)]
    Notifications(cli::notifications::NotificationsCommand),
}

#[derive(Debug, Subcommand)]
enum AdminCommand {
    /// Create a person; prints a generated password unless one is given.
    CreateUser {
        #[arg(long)]
        email: String,
        #[arg(long)]
        first_name: String,
        #[arg(long)]
        last_name: String,
        /// Role to grant (repeatable): member, org_manager, trainer, animator, admin.
        #[arg(long = "role", value_parser = parse_role, default_value = "member")]
        roles: Vec<Role>,
        /// Organisation id.
        #[arg(long)]
        organisation_id: Option<Uuid>,
        /// Password; generated and printed when absent.
        #[arg(long, env = "PASSERELLE_NEW_USER_PASSWORD", hide_env_values = true)]
        password: Option<Secret>,
    },
}

fn parse_role(value: &str) -> Result<Role, String> {
    Role::parse(value).ok_or_else(|| format!("unknown role {value:?}"))
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logs(cli.settings.log_format);
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(error = %format!("{error:#}"), "passerelle stopped");
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = cli.settings;
    match cli.command.unwrap_or(Command::Serve { demo: false }) {
        Command::Openapi => {
            print!("{}", passerelle::openapi_json());
            Ok(())
        }
        Command::Migrate => {
            db::connect(&settings).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::DemoData => {
            let db = db::connect(&settings).await?;
            let report = demo::load(&db, &settings).await?;
            print!("{}", demo::render(&report, &settings));
            Ok(())
        }
        Command::BenchStorage {
            connections,
            seconds,
        } => {
            let db = db::connect(&settings).await?;
            let ceiling = bench::storage_ceiling(&db, connections, seconds).await?;
            println!(
                "{:.0} {:.2} {:.2} {}",
                ceiling.per_second(),
                ceiling.p50_ms,
                ceiling.p99_ms,
                ceiling.commits
            );
            Ok(())
        }
        Command::BenchData { scale } => {
            let db = db::connect(&settings).await?;
            demo::load(&db, &settings).await?;
            let started = std::time::Instant::now();
            let report = demo::scale::load(&db, scale).await?;
            // The synthetic people are told nothing (their events would keep the sender busy
            // through every scenario).
            db::outbox::set_aside_pending(&db, chrono::Utc::now()).await?;
            println!(
                "bench data x{scale}: {} organisations, {} people, {} trainings, {} sessions ({:.1} s)",
                report.organisations,
                report.people,
                report.trainings,
                report.sessions,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::SyncGc => {
            let db = db::connect(&settings).await?;
            let done = passerelle::sync::service::collect(
                &db,
                &Clock::system(),
                settings.sync_retention_days,
            )
            .await?;
            println!(
                "sync GC: {} tombstones purged; cursors at or below version {} now reset",
                done.purged, done.gc_version
            );
            Ok(())
        }
        Command::SyncNewEpoch => {
            let db = db::connect(&settings).await?;
            let epoch = passerelle::sync::service::new_epoch(&db).await?;
            println!("sync epoch is now {epoch}: every device will sync in full");
            Ok(())
        }
        Command::Evidence(command) => cli::evidence::run(settings, command).await,
        Command::Notifications(command) => cli::notifications::run(settings, command).await,
        Command::Backup { output } => cli::backup::backup(settings, &output).await,
        Command::Purge { dry_run } => cli::purge::run(settings, dry_run).await,
        Command::Restore { input, force } => cli::backup::restore(settings, &input, force).await,
        Command::Admin(AdminCommand::CreateUser {
            email,
            first_name,
            last_name,
            roles,
            organisation_id,
            password,
        }) => {
            let db = db::connect(&settings).await?;
            let (password, generated) = match password {
                Some(p) => (p.expose().to_owned(), false),
                None => (token::random_password(), true),
            };
            let new = NewPerson {
                email,
                first_name,
                last_name,
                organisation_id,
                roles: roles.into_iter().collect::<BTreeSet<_>>(),
                password: Some(password.clone()),
            };
            let prepared = service::prepare_person(&Principal::system(), new).await?;
            let person = write::run(&db, &Clock::system(), async |tx| {
                service::create_person(tx, prepared).await
            })
            .await?;
            println!("created {} ({})", person.email, person.id);
            if generated {
                println!("password: {password}");
            }
            Ok(())
        }
        Command::Serve { demo } => serve(settings, demo).await,
    }
}

async fn serve(settings: Settings, load_demo: bool) -> anyhow::Result<()> {
    let db = db::connect(&settings).await?;
    bootstrap::ensure_admin(&db, &Clock::system(), &settings).await?;
    if load_demo {
        let report = demo::load(&db, &settings).await?;
        print!("{}", demo::render(&report, &settings));
    }
    let state = AppState::new(db.clone(), settings.clone())?;
    let app = build_app(state.clone());
    tokio::spawn(state.clone().watch_other_writers());
    passerelle::notifications::jobs::spawn(&state)?;
    let resumed = passerelle::resume_background(&state).await?;
    if resumed > 0 {
        tracing::info!(resumed, "resumed unfinished background jobs");
    }
    tokio::spawn(passerelle::sync::service::collect_every_hour(
        state.db.clone(),
        state.clock.clone(),
        settings.sync_retention_days,
    ));
    tracing::info!(bind = %settings.bind, "listening");
    println!(
        "Passerelle listening on http://{} (Swagger UI at /docs)",
        settings.bind
    );
    let grace = Duration::from_secs(settings.shutdown_grace_secs);
    let on_signal = state.clone();
    Server::new(TcpListener::bind(settings.bind))
        .run_with_graceful_shutdown(
            app,
            async move {
                shutdown_signal().await;
                tracing::info!("shutdown requested; finishing in-flight requests");
                on_signal.begin_shutdown();
            },
            Some(grace),
        )
        .await?;
    db.close().await?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

fn init_logs(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let json = match format {
        LogFormat::Json => true,
        LogFormat::Pretty => false,
        LogFormat::Auto => !std::io::stdout().is_terminal(),
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().flatten_event(true).init();
    } else {
        builder.init();
    }
}
