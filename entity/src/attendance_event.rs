//! One entry of the attendance history (a mark set, a slot countersigned or reopened, a session
//! closed or reopened). Rows are only ever added. Not synced.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attendance_event")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The session (or club) concerned.
    pub context_id: Uuid,
    /// `mark`, `slot` or `session`.
    pub subject: String,
    pub subject_id: Uuid,
    pub action: String,
    pub by: Uuid,
    pub at: DateTimeUtc,
    /// JSON of the subject before and after, when it has a state.
    pub before: Option<String>,
    pub after: Option<String>,
    pub reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
