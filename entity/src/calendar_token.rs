//! A person's calendar token, and its SHA-256 (what a feed's URL is looked up by). Not synced.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "calendar_token")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub person_id: Uuid,
    /// Lower-case hex SHA-256 of the token.
    pub token_hash: String,
    /// The token itself, so its owner can read the URL again; null for a token made before it
    /// was kept.
    pub token: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
