//! A half-day of a session: the unit of attendance. Synced table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "slot")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub session_id: Uuid,
    /// Local date in the session's time zone.
    pub local_date: Date,
    /// `morning` or `afternoon`.
    pub period: crate::status::Period,
    /// Local wall-clock start and end, `HH:MM`.
    pub local_start: String,
    pub local_end: String,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub minutes: i32,
    /// Revision for calendars (iCalendar SEQUENCE): raised when its time, place or status
    /// changes.
    pub sequence: i32,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
