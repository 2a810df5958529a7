//! Dated versions of published trainings.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TrainingVersion::Table)
                    .if_not_exists()
                    .col(pk_uuid(TrainingVersion::Id))
                    .col(uuid(TrainingVersion::TrainingId))
                    .col(integer(TrainingVersion::Number))
                    .col(timestamp_with_time_zone(TrainingVersion::EffectiveFrom))
                    .col(text(TrainingVersion::Programme))
                    .col(uuid(TrainingVersion::PublishedBy))
                    .foreign_key(
                        ForeignKey::create()
                            .name("training_version_training_fk")
                            .from(TrainingVersion::Table, TrainingVersion::TrainingId)
                            .to(Training::Table, Training::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("training_version_number")
                    .table(TrainingVersion::Table)
                    .col(TrainingVersion::TrainingId)
                    .col(TrainingVersion::Number)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(TrainingVersion::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum TrainingVersion {
    Table,
    Id,
    TrainingId,
    Number,
    EffectiveFrom,
    Programme,
    PublishedBy,
}

#[derive(DeriveIden)]
enum Training {
    Table,
    Id,
}
