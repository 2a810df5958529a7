//! One person's attendance at one attended activity (a half-day, later a club meeting): one row
//! per pair, its id the UUIDv5 of the pair. Synced table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attendance_mark")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub activity_kind: crate::status::ActivityKind,
    /// The slot (or meeting) attended.
    pub activity_id: Uuid,
    /// The session (or club) whose devices see the mark.
    pub context_id: Uuid,
    pub person_id: Uuid,
    pub status: crate::status::MarkStatus,
    /// For `late`: minutes missed at the start.
    pub late_minutes: Option<i32>,
    pub signature_sha256: Option<String>,
    pub signed_at: Option<DateTimeUtc>,
    pub recorded_by: Uuid,
    pub recorded_as: crate::status::RecordedAs,
    pub device_id: Option<Uuid>,
    /// The writer's hybrid logical clock (48 bits of milliseconds, 16 of counter); the server's
    /// time for online writes. Orders concurrent edits, never the cursor.
    pub hlc: Option<i64>,
    /// The device's mutation sequence number that wrote it (a device's own later edit is no
    /// conflict).
    pub device_seq: Option<i64>,
    pub updated_at: DateTimeUtc,
    /// When the server received the mark's signature (or, unsigned, its state): the request's
    /// instant online, the push's for a device. A correction keeps the trainee's.
    pub received_at: Option<DateTimeUtc>,
    /// For a device's write: its clock when it recorded the mark (the mutation's clock).
    pub device_recorded_at: Option<DateTimeUtc>,
    /// For a device's write: its clock minus the server's at the push, when the device said.
    pub clock_offset_ms: Option<i64>,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
