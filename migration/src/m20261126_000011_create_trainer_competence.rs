//! Trainer competence records (Qualiopi ind. 21–22).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TrainerCompetence::Table)
                    .if_not_exists()
                    .col(pk_uuid(TrainerCompetence::Id))
                    .col(uuid(TrainerCompetence::PersonId))
                    .col(date(TrainerCompetence::ObtainedOn))
                    .col(string(TrainerCompetence::Title))
                    .col(string_null(TrainerCompetence::EvidenceUrl))
                    .col(timestamp_with_time_zone(TrainerCompetence::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("trainer_competence_person_fk")
                            .from(TrainerCompetence::Table, TrainerCompetence::PersonId)
                            .to(Person::Table, Person::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("trainer_competence_by_person")
                    .table(TrainerCompetence::Table)
                    .col(TrainerCompetence::PersonId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(TrainerCompetence::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum TrainerCompetence {
    Table,
    Id,
    PersonId,
    ObtainedOn,
    Title,
    EvidenceUrl,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Person {
    Table,
    Id,
}
