//! A room or place where sessions happen, or an online "room" with a join link. Synced table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "room")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub is_online: bool,
    pub address: Option<String>,
    pub city: Option<String>,
    /// The city lower-cased (Unicode) by the service, for case-insensitive search on both engines.
    pub city_key: Option<String>,
    pub country: Option<String>,
    pub join_url: Option<String>,
    /// Seats; `None` for an online room without limit.
    pub capacity: Option<i32>,
    pub accessibility: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
