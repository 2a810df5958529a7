//! An issued certificat de réalisation: what it states (JSON), its PDF bytes and their SHA-256,
//! its public verification code, and its revocation. Not synced.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "certificate")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub code: String,
    pub enrolment_id: Uuid,
    pub session_id: Uuid,
    pub person_id: Uuid,
    pub content: String,
    pub pdf: Vec<u8>,
    pub sha256: String,
    pub issued_by: Uuid,
    pub issued_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
    pub revoked_by: Option<Uuid>,
    pub revoke_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
