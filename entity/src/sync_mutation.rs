//! Every mutation a device pushed, with its outcome: the idempotency store (a retry answers the
//! stored result), the audit log, and the quarantine of revoked devices.

use sea_orm::entity::prelude::*;

use crate::status::MutationStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sync_mutation")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub device_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i64,
    #[sea_orm(unique)]
    pub mutation_id: Uuid,
    /// `attendance.set@1`…
    pub name: String,
    /// The arguments as pushed (JSON).
    pub args: String,
    /// `applied`, `conflict`, `rejected`, `quarantined`, `accepted`, `discarded`.
    pub status: MutationStatus,
    /// The result answered to the device (JSON), returned verbatim on a retry.
    pub result: String,
    /// The device's hybrid logical clock for the mutation, as pushed.
    pub hlc: Option<i64>,
    /// The version of the row the device had seen when it made the change, as pushed.
    pub base_version: Option<i64>,
    /// The device's previous change of the same row, as pushed.
    pub prev_local_seq: Option<i64>,
    pub received_at: DateTimeUtc,
    /// A quarantined mutation's review.
    pub decided_at: Option<DateTimeUtc>,
    pub decided_by: Option<Uuid>,
    pub decision_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
