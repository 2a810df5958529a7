//! A signature image (PNG, checked when stored), kept once per SHA-256 of its bytes. Not synced.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "signature")]
pub struct Model {
    /// Lower-case hex SHA-256 of `png`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub sha256: String,
    pub png: Vec<u8>,
    pub width: i32,
    pub height: i32,
    pub uploaded_by: Uuid,
    pub uploaded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
