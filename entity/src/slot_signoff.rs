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
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
