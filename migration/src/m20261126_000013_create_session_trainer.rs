//! Trainers of a session.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SessionTrainer::Table)
                    .if_not_exists()
                    .col(uuid(SessionTrainer::SessionId))
                    .col(uuid(SessionTrainer::PersonId))
                    .primary_key(
                        Index::create()
                            .col(SessionTrainer::SessionId)
                            .col(SessionTrainer::PersonId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("session_trainer_session_fk")
                            .from(SessionTrainer::Table, SessionTrainer::SessionId)
                            .to(TrainingSession::Table, TrainingSession::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("session_trainer_person_fk")
                            .from(SessionTrainer::Table, SessionTrainer::PersonId)
                            .to(Person::Table, Person::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("session_trainer_by_person")
                    .table(SessionTrainer::Table)
                    .col(SessionTrainer::PersonId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SessionTrainer::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum SessionTrainer {
    Table,
    SessionId,
    PersonId,
}

#[derive(DeriveIden)]
enum TrainingSession {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Person {
    Table,
    Id,
}
