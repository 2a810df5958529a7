//! A club meeting. Synced (the club's devices).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub club_id: Uuid,
    pub title: String,
    pub agenda: String,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    /// IANA time zone the meeting's local hours are in.
    pub time_zone: String,
    pub place: Option<String>,
    /// The online link: members only.
    pub online_url: Option<String>,
    pub capacity: Option<i32>,
    pub status: crate::status::MeetingStatus,
    pub cancel_reason: Option<String>,
    /// Counted in the Qualiopi evidence and the BPF (an administrator's decision; off by default).
    pub quality_scope: bool,
    /// iCalendar SEQUENCE: bumped when the time or place changes, or it is cancelled.
    pub sequence: i32,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
