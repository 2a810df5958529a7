//! One entry of the follow-up log of a trainee's absences (Qualiopi ind. 12). Not synced.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "absence_followup")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub session_id: Uuid,
    pub person_id: Uuid,
    pub by: Uuid,
    pub at: DateTimeUtc,
    pub note: String,
    /// Set when the trainee leaves the training: why, from the closed list.
    pub drop_out_cause: Option<crate::status::DropOutCause>,
    /// The drop-out's note (required for `other`).
    pub drop_out_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
