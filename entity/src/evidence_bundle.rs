//! An audit bundle job: its request, progress and outcome. Not synced.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "evidence_bundle")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub requested_by: Uuid,
    pub period_from: Date,
    pub period_to: Date,
    /// The seed the sample was drawn with (null when the sessions were chosen).
    pub seed: Option<i64>,
    /// JSON array of the sampled sessions' ids.
    #[sea_orm(column_type = "Text")]
    pub sessions: String,
    /// `queued`, `running`, `ready` or `failed`.
    pub status: String,
    /// JSON: the files to write, in order (planned when the job starts).
    #[sea_orm(column_type = "Text")]
    pub plan: String,
    /// Files of the plan written so far.
    pub done: i32,
    pub total: i32,
    /// What the job is doing, in French.
    pub step: String,
    /// How many times the job started (a restart resumes it; after three it fails).
    pub attempts: i32,
    pub bytes: Option<i64>,
    pub sha256: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub failure: Option<String>,
    pub created_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
