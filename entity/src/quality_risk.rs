//! A dated entry of the risk analysis on training quality (Qualiopi V10 ind. 32). Not synced.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "quality_risk")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub description: String,
    /// 1–4.
    pub likelihood: i32,
    /// 1–4.
    pub impact: i32,
    pub mitigation: String,
    pub assessed_on: Date,
    pub review_on: Date,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
