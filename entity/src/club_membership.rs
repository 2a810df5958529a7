//! A person's membership of a club (one row per pair, its id the UUIDv5 of the pair): member or
//! animator, and where it stands. Synced.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "club_membership")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub club_id: Uuid,
    pub person_id: Uuid,
    pub role: crate::status::ClubRole,
    pub status: crate::status::MembershipStatus,
    /// What the person wrote when asking to join.
    pub message: Option<String>,
    pub requested_at: DateTimeUtc,
    pub decided_at: Option<DateTimeUtc>,
    pub decided_by: Option<Uuid>,
    /// Why a request was declined or a member removed.
    pub reason: Option<String>,
    pub updated_at: DateTimeUtc,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
