//! A dated version of a published training: what the catalogue said from `effective_from`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "training_version")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub training_id: Uuid,
    /// 1, 2, 3… per training.
    pub number: i32,
    pub effective_from: DateTimeUtc,
    #[sea_orm(column_type = "Text")]
    pub programme: String,
    pub published_by: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
