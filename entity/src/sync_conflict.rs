//! A conflict the server resolved: the winning and the losing value, the rule that decided, and
//! who is to look at it. Synced table (the context's devices and both people's see it).

use sea_orm::entity::prelude::*;

use crate::status::{ConflictContext, ConflictResolution, ConflictStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sync_conflict")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// `session` or `club`: whose devices see it.
    pub context_kind: ConflictContext,
    pub context_id: Uuid,
    pub entity_type: String,
    pub entity_id: Uuid,
    /// `signed_evidence`, `earliest_signature`, `authority`, `later_clock`, `device_id`,
    /// `set_beats_clear`.
    pub rule: String,
    /// `server_won` or `client_won`.
    pub resolution: ConflictResolution,
    /// The kept value (JSON).
    pub winner: String,
    /// The value that lost (JSON), kept.
    pub loser: String,
    pub winner_by: Uuid,
    pub loser_by: Uuid,
    pub loser_device_id: Option<Uuid>,
    pub loser_mutation_id: Option<Uuid>,
    /// `open`, `acknowledged` or `resolved`.
    pub status: ConflictStatus,
    pub created_at: DateTimeUtc,
    pub resolved_by: Option<Uuid>,
    pub resolved_at: Option<DateTimeUtc>,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
