//! A training (the programme in the catalogue). Synced table (catalogue scope when published).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "training")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// `draft`, `published` or `archived`.
    pub status: crate::status::TrainingStatus,
    pub title: String,
    /// JSON array of theme codes, e.g. `["management"]`; filtered with LIKE.
    pub themes: String,
    /// The whole programme as JSON (the catalogue's `Programme`).
    #[sea_orm(column_type = "Text")]
    pub programme: String,
    /// Number of the current published version (0 before the first publication).
    pub current_version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
