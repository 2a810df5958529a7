//! A training's positioning questionnaire (Qualiopi ind. 8): its questions as JSON.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "positioning_questionnaire")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub training_id: Uuid,
    pub questions: String,
    pub updated_by: Uuid,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
