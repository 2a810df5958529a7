//! A confirmed trainee's convocation (Qualiopi ind. 9) as issued: its content is a JSON snapshot
//! (place, half-days, contacts, access), so it says later what it said then. Not synced.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "convocation")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub enrolment_id: Uuid,
    pub content: String,
    pub issued_by: Uuid,
    pub issued_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
