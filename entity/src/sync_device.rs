//! A registered device of one person (an app install): its last processed mutation, its clock,
//! and its revocation.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sync_device")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub person_id: Uuid,
    /// What the person calls it ("Marie's tablet").
    pub name: String,
    /// `android`, `ios`, `web`… as the app says.
    pub platform: String,
    /// The highest mutation sequence number processed (gap-free from 1).
    pub last_seq: i64,
    pub created_at: DateTimeUtc,
    pub last_seen_at: Option<DateTimeUtc>,
    /// The device clock minus the server's, as last observed (milliseconds).
    pub clock_offset_ms: Option<i64>,
    /// When its clock was last found more than five minutes ahead.
    pub clock_skew_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
    pub revoked_by: Option<Uuid>,
    pub revoked_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
