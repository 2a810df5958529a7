//! Something that happened and may make messages, written in the transaction that made it
//! happen (`crate::db::outbox` in the service). Not synced.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox_event")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// What happened, e.g. `enrolment_confirmed`.
    pub kind: String,
    /// The row it happened to (an enrolment, a session, a meeting…).
    pub subject_id: Uuid,
    pub created_at: DateTimeUtc,
    /// Times the sender tried to turn it into messages.
    pub attempts: i32,
    #[sea_orm(column_type = "Text", nullable)]
    pub last_error: Option<String>,
    /// When its messages were written (null while pending).
    pub done_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
