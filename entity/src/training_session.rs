//! A dated run of a training. Synced table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "training_session")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub training_id: Uuid,
    pub room_id: Uuid,
    /// IANA time zone, e.g. `Europe/Paris`.
    pub time_zone: String,
    pub capacity: i32,
    /// Confirmed enrolments; changed only by atomic conditional updates.
    pub seats_taken: i32,
    pub enrolment_deadline: Option<DateTimeUtc>,
    /// `draft`, `published`, `closed` or `cancelled`.
    pub status: crate::status::SessionStatus,
    pub cancel_reason: Option<String>,
    /// In the public catalogue: the session is published and so is its training. Kept by the
    /// service whenever either status changes.
    pub listed: bool,
    pub qualiopi_scope: bool,
    pub bpf_scope: bool,
    /// Why the slots' total differs from the training's duration, when it does.
    pub duration_note: Option<String>,
    /// Start of the first slot and end of the last (UTC), for date filters.
    pub starts_at: Option<DateTimeUtc>,
    pub ends_at: Option<DateTimeUtc>,
    pub planned_minutes: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
