//! A person: member, manager, trainer, animator or administrator. Synced table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "person")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The e-mail as the person typed it.
    pub email: String,
    /// Lower-cased e-mail; unique.
    #[sea_orm(unique)]
    pub email_normalized: String,
    pub first_name: String,
    pub last_name: String,
    pub organisation_id: Option<Uuid>,
    /// Argon2id PHC string; `None` until a password is set.
    pub password_hash: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub deactivated_at: Option<DateTimeUtc>,
    /// When the person's personal data was erased (the row stays, pseudonymised).
    pub erased_at: Option<DateTimeUtc>,
    /// Space version of the last write (set by the sync stamping helper only).
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organisation::Entity",
        from = "Column::OrganisationId",
        to = "super::organisation::Column::Id"
    )]
    Organisation,
    #[sea_orm(has_many = "super::person_role::Entity")]
    PersonRole,
}

impl Related<super::organisation::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organisation.def()
    }
}

impl Related<super::person_role::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PersonRole.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
