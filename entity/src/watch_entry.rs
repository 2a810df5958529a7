//! An entry of the watch register (Qualiopi ind. 23–25). Not synced. Its kind is declared here,
//! beside the table.

use sea_orm::entity::prelude::*;

/// What a watch entry watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum WatchKind {
    /// Legal and regulatory (ind. 23).
    #[sea_orm(string_value = "regulatory")]
    Regulatory,
    /// Trades and jobs (ind. 24).
    #[sea_orm(string_value = "trade")]
    Trade,
    /// Pedagogy and technology (ind. 25).
    #[sea_orm(string_value = "pedagogical")]
    Pedagogical,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "watch_entry")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: WatchKind,
    pub source: String,
    pub observed_on: Date,
    pub summary: String,
    pub impact: String,
    pub action_taken: String,
    pub action_id: Option<Uuid>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
