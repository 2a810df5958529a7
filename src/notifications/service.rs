//! The notifications' work: drafting pending events into messages, delivering due messages,
//! and what administrators and people do with them (list, retry, preferences, unsubscribe).

use std::time::Duration;

use entity::notification;
use lettre::message::Mailbox;
use lettre::{Address, AsyncTransport};
use sea_orm::{ConnectionTrait, DbErr, Set};
use sha2::{Digest, Sha256};
use uuid::Uuid;

pub use super::errors::NotificationsError;
use super::letters::{Desk, Draft, drafts};
use super::model::{Category, Delivery, Message, MessageFilter, Preferences};
use super::render::{Envelope, compose, one_line};
use super::store::{self, Outcome};
use super::transport::Mailer;
use crate::db::outbox::Event;
use crate::db::write::{WriteTx, Writer};
use crate::paging::{Page, PageRequest};
use crate::principal::Principal;

pub type Result<T> = std::result::Result<T, NotificationsError>;

/// After this many failed drafts, an event is set aside with its error.
pub const MAX_DRAFT_ATTEMPTS: i32 = 5;

/// Drafts up to `limit` pending events. Each is drafted from a read (its PDF rendered, its
/// letters written) outside any write transaction, then written in a short one: its messages
/// with the event marked done — or nothing, if another sender drafted it meanwhile (the claim
/// skips an event another holds or finished). A draft that fails is tried again on a later pass
/// and set aside with its error after [`MAX_DRAFT_ATTEMPTS`]. Returns how many events were
/// handled.
pub async fn draft_pending(
    writer: &Writer,
    desk: &Desk,
    limit: usize,
) -> std::result::Result<usize, DbErr> {
    let mut handled = 0;
    let mut tried = std::collections::HashSet::new();
    while handled < limit {
        let pending: Vec<store::EventRow> = store::pending_events(&writer.db, 100)
            .await?
            .into_iter()
            .filter(|row| !tried.contains(&row.id))
            .collect();
        if pending.is_empty() {
            break;
        }
        for row in pending.into_iter().take(limit - handled) {
            tried.insert(row.id);
            handled += 1;
            let desk = Desk {
                now: writer.clock.now(),
                ..desk.clone()
            };
            let found = match Event::from_parts(&row.kind, row.subject_id) {
                Some(event) => drafts(&writer.db, &desk, event).await,
                None => Err(anyhow::anyhow!("unknown event {}", row.kind)),
            };
            let mut tx = writer.begin().await?;
            let Some(current) = store::claim_event(&tx, row.id).await? else {
                continue;
            };
            match found {
                Ok(found) => {
                    write_messages(&mut tx, &desk, &current, found).await?;
                    store::record_draft(&tx, current.id, true, None).await?;
                }
                Err(error) => {
                    let error = format!("{error:#}");
                    tracing::warn!(event = %row.kind, subject = %row.subject_id, %error, "cannot draft the messages of an event");
                    let set_aside = current.attempts + 1 >= MAX_DRAFT_ATTEMPTS;
                    store::record_draft(&tx, current.id, set_aside, Some(error)).await?;
                }
            }
            tx.commit().await?;
        }
    }
    Ok(handled)
}

/// A random unsubscribe token and its SHA-256 (hex), which is what is stored.
fn unsubscribe_token() -> (String, String) {
    let token = hex::encode(rand::random::<[u8; 24]>());
    let hash = hash_token(&token);
    (token, hash)
}

fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Renders and writes the drafts a person's preferences allow.
async fn write_messages(
    tx: &mut WriteTx,
    desk: &Desk,
    event: &store::EventRow,
    found: Vec<Draft>,
) -> std::result::Result<(), DbErr> {
    let now = tx.now();
    let mut rows = Vec::with_capacity(found.len());
    for draft in found {
        if draft.category.optional()
            && let Some(person) = draft.person_id
            && !store::preferences(tx.conn(), person)
                .await?
                .allows(draft.category)
        {
            continue;
        }
        let Ok(address) = draft.email.trim().parse::<Address>() else {
            tracing::warn!(event = %event.kind, "a recipient's address is not valid; no message");
            continue;
        };
        let id = Uuid::now_v7();
        let message_id = format!("<{id}@{}>", message_host(&desk.site.host));
        let (unsubscribe, hash) = match draft.category.optional() {
            true => {
                let (token, hash) = unsubscribe_token();
                let url = format!("{}/api/v1/unsubscribe/{token}", desk.site.public_url);
                (Some(url), Some(hash))
            }
            false => (None, None),
        };
        let mut letter = draft.letter.clone();
        letter.unsubscribe = unsubscribe.clone();
        let rendered = draft
            .kind
            .render(&letter)
            .map_err(|e| DbErr::Custom(format!("template {}: {e}", draft.kind.as_str())))?;
        let envelope = Envelope {
            from: &desk.from,
            to: Mailbox::new(Some(one_line(&draft.name)), address.clone()),
            message_id: &message_id,
            date: now,
            unsubscribe: unsubscribe.as_deref(),
        };
        let raw = compose(envelope, &rendered, &draft.files)
            .map_err(|e| DbErr::Custom(format!("message {}: {e}", draft.kind.as_str())))?;
        rows.push(notification::ActiveModel {
            id: Set(id),
            event_id: Set(event.id),
            event_kind: Set(event.kind.clone()),
            subject_id: Set(event.subject_id),
            template: Set(draft.kind.as_str().to_owned()),
            category: Set(draft.category.as_str().to_owned()),
            person_id: Set(draft.person_id),
            recipient: Set(address.to_string()),
            subject: Set(rendered.subject),
            message_id: Set(message_id),
            raw: Set(raw),
            attachments: Set(draft
                .files
                .iter()
                .map(|f| f.name.as_str())
                .collect::<Vec<_>>()
                .join(",")),
            status: Set(Delivery::Queued.as_str().to_owned()),
            attempts: Set(0),
            next_attempt_at: Set(now),
            claimed_until: Set(None),
            last_error: Set(None),
            unsubscribe_hash: Set(hash),
            created_at: Set(now),
            sent_at: Set(None),
        });
    }
    store::insert_messages(tx, rows).await
}

/// The right-hand side of a `Message-ID`: the public host without its port.
fn message_host(host: &str) -> &str {
    let host = host.rsplit_once(':').map_or(host, |(name, _)| name);
    if host.is_empty() {
        "passerelle.invalid"
    } else {
        host
    }
}

/// Delivers up to `limit` due messages through `mailer`, at its pace; how many were sent.
pub async fn deliver_due(
    writer: &Writer,
    mailer: &Mailer,
    limit: u64,
) -> std::result::Result<usize, DbErr> {
    let claim = {
        let tx = writer.begin().await?;
        let until = tx.now() + mailer.claim;
        let rows = store::claim_messages(&tx, limit, until).await?;
        tx.commit().await?;
        rows
    };
    let mut sent = 0;
    for row in claim {
        mailer.pace().await;
        let outcome = match send(mailer, &row).await {
            Ok(()) => {
                sent += 1;
                Outcome::Sent
            }
            Err(error) => {
                let attempts = u32::try_from(row.attempts + 1).unwrap_or(u32::MAX);
                tracing::warn!(message = %row.id, attempts, %error, "a message was not delivered");
                if attempts >= mailer.max_attempts {
                    Outcome::Dead(error)
                } else {
                    Outcome::Retry(writer.clock.now() + mailer.backoff(attempts), error)
                }
            }
        };
        let tx = writer.begin().await?;
        store::record_attempt(&tx, row.id, outcome).await?;
        tx.commit().await?;
    }
    Ok(sent)
}

async fn send(mailer: &Mailer, row: &store::Row) -> std::result::Result<(), String> {
    let to: Address = row
        .recipient
        .parse()
        .map_err(|e| format!("recipient: {e}"))?;
    let envelope = lettre::address::Envelope::new(Some(mailer.from.email.clone()), vec![to])
        .map_err(|e| format!("envelope: {e}"))?;
    let transport = mailer
        .transport
        .as_ref()
        .ok_or("no SMTP relay is configured")?;
    match tokio::time::timeout(
        Duration::from_secs(60),
        transport.send_raw(&envelope, &row.raw),
    )
    .await
    {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(error)) => Err(error.to_string()),
        Err(_) => Err("the SMTP relay did not answer within 60 s".into()),
    }
}

fn require_admin(principal: &Principal) -> Result<()> {
    if principal.is_admin() {
        Ok(())
    } else {
        Err(NotificationsError::NotFound)
    }
}

/// A page of messages (administrators; others get 404).
pub async fn list_messages(
    db: &impl ConnectionTrait,
    principal: &Principal,
    filter: &MessageFilter,
    page: &PageRequest,
) -> Result<Page<Message>> {
    require_admin(principal)?;
    Ok(store::messages(db, filter, page)
        .await?
        .map(store::message_of))
}

/// The caller's own messages.
pub async fn my_messages(
    db: &impl ConnectionTrait,
    principal: &Principal,
    page: &PageRequest,
) -> Result<Page<Message>> {
    let filter = MessageFilter {
        person_id: Some(principal.person_id),
        ..MessageFilter::default()
    };
    Ok(store::messages(db, &filter, page)
        .await?
        .map(store::message_of))
}

/// One message, for an administrator or its recipient.
pub async fn get_message(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: Uuid,
) -> Result<Message> {
    store::message(db, id)
        .await?
        .filter(|row| principal.is_admin() || row.person_id == Some(principal.person_id))
        .map(store::message_of)
        .ok_or(NotificationsError::NotFound)
}

/// Puts a dead message back in the queue (administrators).
pub async fn retry_message(tx: &mut WriteTx, principal: &Principal, id: Uuid) -> Result<Message> {
    require_admin(principal)?;
    store::message(tx.conn(), id)
        .await?
        .ok_or(NotificationsError::NotFound)?;
    if !store::requeue(tx, id).await? {
        return Err(NotificationsError::NotDead);
    }
    get_message(tx.conn(), principal, id).await
}

pub async fn my_preferences(
    db: &impl ConnectionTrait,
    principal: &Principal,
) -> Result<Preferences> {
    Ok(store::preferences(db, principal.person_id).await?)
}

pub async fn set_my_preferences(
    tx: &mut WriteTx,
    principal: &Principal,
    preferences: Preferences,
) -> Result<Preferences> {
    store::set_preferences(tx, principal.person_id, preferences).await?;
    Ok(preferences)
}

/// What an unsubscribe link stops: the category of the message that carried it.
pub async fn unsubscribe_target(db: &impl ConnectionTrait, token: &str) -> Result<Category> {
    let row = store::by_unsubscribe_hash(db, &hash_token(token))
        .await?
        .ok_or(NotificationsError::UnknownLink)?;
    Category::parse(&row.category)
        .filter(|c| c.optional())
        .ok_or(NotificationsError::UnknownLink)
}

/// Opts the link's person out of the link's category (RFC 8058 one-click); the same answer
/// when it is done already.
pub async fn unsubscribe(tx: &mut WriteTx, token: &str) -> Result<Category> {
    let row = store::by_unsubscribe_hash(tx.conn(), &hash_token(token))
        .await?
        .ok_or(NotificationsError::UnknownLink)?;
    let category = Category::parse(&row.category)
        .filter(|c| c.optional())
        .ok_or(NotificationsError::UnknownLink)?;
    let person = row.person_id.ok_or(NotificationsError::UnknownLink)?;
    let mut preferences = store::preferences(tx.conn(), person).await?;
    match category {
        Category::Reminder => preferences.reminders = false,
        Category::ClubNews => preferences.club_news = false,
        Category::Legal | Category::Service => return Err(NotificationsError::UnknownLink),
    }
    store::set_preferences(tx, person, preferences).await?;
    Ok(category)
}

/// A person's messages and preferences, for the personal-data export. No policy here: the
/// privacy context decides who may ask.
pub async fn personal_data(
    db: &impl ConnectionTrait,
    person_id: Uuid,
) -> Result<(Vec<Message>, Preferences)> {
    let messages = store::messages_of_person(db, person_id)
        .await?
        .into_iter()
        .map(store::message_of)
        .collect();
    Ok((messages, store::preferences(db, person_id).await?))
}

/// Forgets every message to a person — drafted, queued or sent: their bytes name them — and
/// their preferences. An erased person is inactive, so nothing new is drafted for them.
pub async fn erase_personal_data(
    db: &impl ConnectionTrait,
    person_id: Uuid,
) -> Result<Vec<crate::values::Erasure>> {
    use crate::values::{Erasure, Treatment};
    let (messages, preferences) = store::delete_personal_rows(db, person_id).await?;
    Ok(vec![
        Erasure::new("notification", Treatment::Removed, messages as usize),
        Erasure::new(
            "notification_preference",
            Treatment::Removed,
            preferences as usize,
        ),
    ])
}

/// Removes the messages sent or dead and drafted before `before` (counts them when
/// `dry_run`); queued and failing ones stay whatever their age.
pub async fn purge_messages(
    db: &impl ConnectionTrait,
    before: chrono::DateTime<chrono::Utc>,
    dry_run: bool,
) -> Result<crate::values::Purged> {
    let count = store::purge_messages(db, before, dry_run).await?;
    Ok(crate::values::Purged::new("notification", count))
}
