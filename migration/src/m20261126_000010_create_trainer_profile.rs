//! Trainer profiles (internal or subcontracted).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TrainerProfile::Table)
                    .if_not_exists()
                    .col(pk_uuid(TrainerProfile::PersonId))
                    .col(string_len(TrainerProfile::Kind, 16))
                    .col(string_null(TrainerProfile::Company))
                    .col(string_null(TrainerProfile::ContractReference))
                    .col(timestamp_with_time_zone(TrainerProfile::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("trainer_profile_person_fk")
                            .from(TrainerProfile::Table, TrainerProfile::PersonId)
                            .to(Person::Table, Person::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(TrainerProfile::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum TrainerProfile {
    Table,
    PersonId,
    Kind,
    Company,
    ContractReference,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Person {
    Table,
    Id,
}
