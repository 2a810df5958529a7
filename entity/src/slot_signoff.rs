//! A trainer's countersignature of a half-day; its id is the slot's. Synced table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "slot_signoff")]
pub struct Model {
    /// The slot's id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub session_id: Uuid,
    pub trainer_id: Uuid,
    pub signature_sha256: String,
    pub signed_at: DateTimeUtc,
    /// Set while an administrator has reopened the slot (its marks may change again).
    pub reopened_at: Option<DateTimeUtc>,
    pub reopened_by: Option<Uuid>,
    pub reopen_reason: Option<String>,
    /// When the server received the countersignature (the push's instant for a device).
    pub received_at: Option<DateTimeUtc>,
    /// For a device's countersignature: its clock when it recorded it.
    pub device_recorded_at: Option<DateTimeUtc>,
    /// For a device's countersignature: its clock minus the server's at the push.
    pub clock_offset_ms: Option<i64>,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
