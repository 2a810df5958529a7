//! The complaints register (Qualiopi ind. 31) and the confidential reports channel (V10 ind. 12):
//! `complaint` (its four states, each dated and by whom), `safety_report` (only the SHA-256 of
//! its receipt code) and `safety_report_step` (each handling step with its note). Not synced:
//! no device reads them.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Complaint::Table)
                    .if_not_exists()
                    .col(pk_uuid(Complaint::Id))
                    .col(string_len(Complaint::Channel, 16))
                    .col(string_len(Complaint::Contact, 320))
                    .col(text(Complaint::Text))
                    .col(uuid_null(Complaint::SessionId))
                    .col(uuid_null(Complaint::TrainingId))
                    .col(uuid_null(Complaint::ClubId))
                    .col(string_len(Complaint::Status, 16))
                    .col(timestamp_with_time_zone(Complaint::ReceivedAt))
                    .col(uuid_null(Complaint::FiledBy))
                    .col(timestamp_with_time_zone_null(Complaint::AcknowledgedAt))
                    .col(uuid_null(Complaint::AcknowledgedBy))
                    .col(timestamp_with_time_zone_null(Complaint::AnsweredAt))
                    .col(uuid_null(Complaint::AnsweredBy))
                    .col(text_null(Complaint::Answer))
                    .col(timestamp_with_time_zone_null(Complaint::ClosedAt))
                    .col(uuid_null(Complaint::ClosedBy))
                    .col(text_null(Complaint::Outcome))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SafetyReport::Table)
                    .if_not_exists()
                    .col(pk_uuid(SafetyReport::Id))
                    .col(string_len(SafetyReport::Category, 32))
                    .col(text(SafetyReport::Text))
                    .col(string_len_null(SafetyReport::Contact, 320))
                    .col(string_len(SafetyReport::ReceiptHash, 64))
                    .col(string_len(SafetyReport::Status, 16))
                    .col(timestamp_with_time_zone(SafetyReport::ReceivedAt))
                    .col(timestamp_with_time_zone(SafetyReport::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SafetyReportStep::Table)
                    .if_not_exists()
                    .col(pk_uuid(SafetyReportStep::Id))
                    .col(uuid(SafetyReportStep::ReportId))
                    .col(string_len(SafetyReportStep::Step, 16))
                    .col(text_null(SafetyReportStep::Note))
                    .col(uuid_null(SafetyReportStep::RecordedBy))
                    .col(timestamp_with_time_zone(SafetyReportStep::RecordedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("safety_report_step_report_fk")
                            .from(SafetyReportStep::Table, SafetyReportStep::ReportId)
                            .to(SafetyReport::Table, SafetyReport::Id),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE INDEX complaint_by_status ON complaint (status, received_at)",
        )
        .await?;
        db.execute_unprepared("CREATE INDEX complaint_by_filer ON complaint (filed_by)")
            .await?;
        db.execute_unprepared(
            "CREATE UNIQUE INDEX safety_report_receipt ON safety_report (receipt_hash)",
        )
        .await?;
        db.execute_unprepared(
            "CREATE INDEX safety_report_step_by_report ON safety_report_step (report_id)",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SafetyReportStep::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(SafetyReport::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Complaint::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Complaint {
    Table,
    Id,
    Channel,
    Contact,
    Text,
    SessionId,
    TrainingId,
    ClubId,
    Status,
    ReceivedAt,
    FiledBy,
    AcknowledgedAt,
    AcknowledgedBy,
    AnsweredAt,
    AnsweredBy,
    Answer,
    ClosedAt,
    ClosedBy,
    Outcome,
}

#[derive(DeriveIden)]
enum SafetyReport {
    Table,
    Id,
    Category,
    Text,
    Contact,
    ReceiptHash,
    Status,
    ReceivedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SafetyReportStep {
    Table,
    Id,
    ReportId,
    Step,
    Note,
    RecordedBy,
    RecordedAt,
}
