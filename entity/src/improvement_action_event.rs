//! One change of an improvement action: when, by whom, what, and the status it left. Only ever
//! appended to. Not synced.

use sea_orm::entity::prelude::*;

use crate::improvement_action::ActionStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "improvement_action_event")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub action_id: Uuid,
    pub at: DateTimeUtc,
    pub by: Uuid,
    /// `created`, `changed`, `in_progress`, `done` or `abandoned`.
    pub change: String,
    pub status: ActionStatus,
    pub note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
