//! Positioning (Qualiopi ind. 8): a questionnaire per training, one set of answers per enrolment,
//! and on the (synced) enrolment the moment it was completed, so rosters show completion.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PositioningQuestionnaire::Table)
                    .if_not_exists()
                    .col(pk_uuid(PositioningQuestionnaire::TrainingId))
                    .col(text(PositioningQuestionnaire::Questions))
                    .col(uuid(PositioningQuestionnaire::UpdatedBy))
                    .col(timestamp_with_time_zone(
                        PositioningQuestionnaire::UpdatedAt,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .name("positioning_questionnaire_training_fk")
                            .from(
                                PositioningQuestionnaire::Table,
                                PositioningQuestionnaire::TrainingId,
                            )
                            .to(Training::Table, Training::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PositioningAnswer::Table)
                    .if_not_exists()
                    .col(pk_uuid(PositioningAnswer::EnrolmentId))
                    .col(text(PositioningAnswer::Answers))
                    .col(timestamp_with_time_zone(PositioningAnswer::AnsweredAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("positioning_answer_enrolment_fk")
                            .from(PositioningAnswer::Table, PositioningAnswer::EnrolmentId)
                            .to(Enrolment::Table, Enrolment::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Enrolment::Table)
                    .add_column(timestamp_with_time_zone_null(
                        Enrolment::PositioningAnsweredAt,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Enrolment::Table)
                    .drop_column(Enrolment::PositioningAnsweredAt)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(PositioningAnswer::Table).to_owned())
            .await?;
        manager
            .drop_table(
                Table::drop()
                    .table(PositioningQuestionnaire::Table)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum PositioningQuestionnaire {
    Table,
    TrainingId,
    Questions,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PositioningAnswer {
    Table,
    EnrolmentId,
    Answers,
    AnsweredAt,
}

#[derive(DeriveIden)]
enum Enrolment {
    Table,
    Id,
    PositioningAnsweredAt,
}

#[derive(DeriveIden)]
enum Training {
    Table,
    Id,
}
