//! How a session was closed (and reopened, if it was). Not synced.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "session_closure")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub session_id: Uuid,
    pub closed_by: Uuid,
    pub closed_at: DateTimeUtc,
    pub justification: Option<String>,
    /// JSON: the checks' flags when it was closed.
    pub flags: String,
    pub reopened_at: Option<DateTimeUtc>,
    pub reopened_by: Option<Uuid>,
    pub reopen_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
