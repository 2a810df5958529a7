//! A club métier: peers of one trade who meet regularly. Synced (its animators' and members'
//! devices).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "club")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub trade: crate::status::ClubTrade,
    pub description: String,
    pub membership_policy: crate::status::MembershipPolicy,
    pub calendar_visibility: crate::status::CalendarVisibility,
    pub status: crate::status::ClubStatus,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
