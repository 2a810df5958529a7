//! Roles of a person (part of the person aggregate).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PersonRole::Table)
                    .if_not_exists()
                    .col(uuid(PersonRole::PersonId))
                    .col(string_len(PersonRole::Role, 32))
                    .primary_key(
                        Index::create()
                            .col(PersonRole::PersonId)
                            .col(PersonRole::Role),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("person_role_person_fk")
                            .from(PersonRole::Table, PersonRole::PersonId)
                            .to(Person::Table, Person::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("person_role_by_role")
                    .table(PersonRole::Table)
                    .col(PersonRole::Role)
                    .col(PersonRole::PersonId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PersonRole::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum PersonRole {
    Table,
    PersonId,
    Role,
}

#[derive(DeriveIden)]
enum Person {
    Table,
    Id,
}
