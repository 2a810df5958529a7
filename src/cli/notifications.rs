//! `passerelle notifications send-test --to <address>`: checks the SMTP settings by sending
//! one message now, outside the queue, and says what the relay answered.

use clap::Subcommand;
use lettre::message::Mailbox;
use lettre::{Address, AsyncTransport};
use passerelle::config::Settings;
use passerelle::notifications::render::{Envelope, Kind, Letter, compose};
use passerelle::notifications::transport::Mailer;

#[derive(Debug, Subcommand)]
pub enum NotificationsCommand {
    /// Send one test message now through the configured relay.
    SendTest {
        /// The address to send it to.
        #[arg(long)]
        to: String,
    },
}

pub async fn run(settings: Settings, command: NotificationsCommand) -> anyhow::Result<()> {
    let NotificationsCommand::SendTest { to } = command;
    let mailer = Mailer::new(&settings.smtp)?;
    let Some(transport) = &mailer.transport else {
        anyhow::bail!("no SMTP relay is configured: set --smtp-host (PASSERELLE_SMTP_HOST)");
    };
    let address: Address = to
        .parse()
        .map_err(|e| anyhow::anyhow!("--to is not an address: {e}"))?;
    let letter = Letter {
        name: address.to_string(),
        title: settings.public_url.clone(),
        signature: "Passerelle".into(),
        ..Letter::default()
    };
    let rendered = Kind::Test.render(&letter)?;
    let host = passerelle::calendar::events::Site::new(&settings.public_url).host;
    let message_id = format!(
        "<test-{}@{}>",
        uuid::Uuid::now_v7(),
        host.split(':').next().unwrap_or("passerelle.invalid")
    );
    let envelope = Envelope {
        from: &mailer.from,
        to: Mailbox::new(None, address.clone()),
        message_id: &message_id,
        date: chrono::Utc::now(),
        unsubscribe: None,
    };
    let raw = compose(envelope, &rendered, &[])?;
    let smtp_envelope =
        lettre::address::Envelope::new(Some(mailer.from.email.clone()), vec![address.clone()])?;
    let answer = transport.send_raw(&smtp_envelope, &raw).await?;
    let said: Vec<String> = answer.message().map(str::to_owned).collect();
    println!(
        "sent to {address} through {} ({}): {} {}",
        settings.smtp.smtp_host.as_deref().unwrap_or_default(),
        message_id,
        answer.code(),
        said.join(" ")
    );
    Ok(())
}
