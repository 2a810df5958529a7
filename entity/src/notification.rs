//! One e-mail to one person, rendered once (its bytes are what every attempt sends) and its
//! delivery state. Not synced.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notification")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The outbox event it comes from.
    pub event_id: Uuid,
    pub event_kind: String,
    pub subject_id: Uuid,
    /// The template it was rendered with.
    pub template: String,
    /// `legal`, `service`, `reminder` or `club_news` (the last two may be opted out of).
    pub category: String,
    pub person_id: Option<Uuid>,
    /// The address it goes to.
    pub recipient: String,
    #[sea_orm(column_type = "Text")]
    pub subject: String,
    /// `<id@host>`, the same on every attempt.
    pub message_id: String,
    /// The whole message (RFC 5322), as every attempt sends it.
    pub raw: Vec<u8>,
    /// Comma-separated names of the attached files.
    pub attachments: String,
    /// `queued`, `sending`, `failed` (will be retried), `sent` or `dead`.
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    /// While `sending`: until when the sender that claimed it holds it.
    pub claimed_until: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub last_error: Option<String>,
    /// SHA-256 (hex) of the unsubscribe token of an optional message.
    pub unsubscribe_hash: Option<String>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
