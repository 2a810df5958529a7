//! People (synced, guarded).

use sea_orm_migration::{prelude::*, schema::*};

use crate::sync_guard;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Person::Table)
                    .if_not_exists()
                    .col(pk_uuid(Person::Id))
                    .col(string(Person::Email))
                    .col(string_uniq(Person::EmailNormalized))
                    .col(string(Person::FirstName))
                    .col(string(Person::LastName))
                    .col(uuid_null(Person::OrganisationId))
                    .col(string_null(Person::PasswordHash))
                    .col(timestamp_with_time_zone(Person::CreatedAt))
                    .col(timestamp_with_time_zone(Person::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Person::DeactivatedAt))
                    .col(big_integer(Person::Version))
                    .foreign_key(
                        ForeignKey::create()
                            .name("person_organisation_fk")
                            .from(Person::Table, Person::OrganisationId)
                            .to(Organisation::Table, Organisation::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("person_by_organisation")
                    .table(Person::Table)
                    .col(Person::OrganisationId)
                    .to_owned(),
            )
            .await?;
        sync_guard::install(manager, "person").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sync_guard::remove(manager, "person").await?;
        manager
            .drop_table(Table::drop().table(Person::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Person {
    Table,
    Id,
    Email,
    EmailNormalized,
    FirstName,
    LastName,
    OrganisationId,
    PasswordHash,
    CreatedAt,
    UpdatedAt,
    DeactivatedAt,
    Version,
}

#[derive(DeriveIden)]
enum Organisation {
    Table,
    Id,
}
