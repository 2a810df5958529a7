//! The follow-up of trainees' absences (Qualiopi ind. 12): each entry of the log (who, when,
//! what was done), and the drop-out reason when the trainee leaves. Not synced.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AbsenceFollowup::Table)
                    .if_not_exists()
                    .col(pk_uuid(AbsenceFollowup::Id))
                    .col(uuid(AbsenceFollowup::SessionId))
                    .col(uuid(AbsenceFollowup::PersonId))
                    .col(uuid(AbsenceFollowup::By))
                    .col(timestamp_with_time_zone(AbsenceFollowup::At))
                    .col(text(AbsenceFollowup::Note))
                    .col(text_null(AbsenceFollowup::DropOutReason))
                    .foreign_key(
                        ForeignKey::create()
                            .name("absence_followup_session_fk")
                            .from(AbsenceFollowup::Table, AbsenceFollowup::SessionId)
                            .to(TrainingSession::Table, TrainingSession::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE INDEX absence_followup_by_session ON absence_followup (session_id, id)",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AbsenceFollowup::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AbsenceFollowup {
    Table,
    Id,
    SessionId,
    PersonId,
    By,
    At,
    Note,
    DropOutReason,
}

#[derive(DeriveIden)]
enum TrainingSession {
    Table,
    Id,
}
