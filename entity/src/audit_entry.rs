//! One administrator's write: who, which operation, when, the object before and after (JSON).
//! Not synced; the API never changes it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_entry")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub at: DateTimeUtc,
    pub actor_id: Uuid,
    /// The operation id of the spec (`update_session`, …).
    pub operation: String,
    pub method: String,
    pub path: String,
    /// The answer's status (2xx: only writes that took effect are recorded).
    pub status: i32,
    /// The request's JSON body, secrets replaced by `[redacted]`.
    pub request: Option<String>,
    /// The object as a GET answered just before the write, when there is one.
    pub before: Option<String>,
    /// The write's JSON answer.
    pub after: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
