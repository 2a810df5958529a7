//! The change index: one row per (scope, entity), upserted in the writing transaction.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sync_change")]
pub struct Model {
    pub space_id: Uuid,
    /// `catalogue`, `session:<uuid>`, `person:<uuid>`, `organisation:<uuid>`…
    #[sea_orm(primary_key, auto_increment = false)]
    pub scope_key: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub entity_type: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub entity_id: Uuid,
    pub version: i64,
    /// The entity was deleted, or left this scope.
    pub deleted: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
