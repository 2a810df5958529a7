//! An accommodation a trainee asks for (Qualiopi ind. 26), and how the disability referent
//! handled it. Not synced.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "accommodation_request")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub enrolment_id: Uuid,
    /// What the trainee needs.
    pub need: String,
    pub requested_by: Uuid,
    pub requested_at: DateTimeUtc,
    /// How it was handled (the measures taken, or why none could be).
    pub response: Option<String>,
    pub handled_by: Option<Uuid>,
    pub handled_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
