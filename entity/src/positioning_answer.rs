//! A trainee's answers to the positioning questionnaire, as JSON.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "positioning_answer")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub enrolment_id: Uuid,
    pub answers: String,
    pub answered_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
