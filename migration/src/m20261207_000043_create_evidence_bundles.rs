//! Audit bundles: a job per request (period, sampled sessions and the seed that chose them),
//! its progress (the plan of files, how many are written, the current step) and its outcome
//! (the ZIP's size and SHA-256, or why it failed). Interrupted jobs are resumed at startup.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(EvidenceBundle::Table)
                    .col(uuid(EvidenceBundle::Id).primary_key())
                    .col(uuid(EvidenceBundle::RequestedBy))
                    .col(date(EvidenceBundle::PeriodFrom))
                    .col(date(EvidenceBundle::PeriodTo))
                    .col(big_integer_null(EvidenceBundle::Seed))
                    .col(text(EvidenceBundle::Sessions))
                    .col(string(EvidenceBundle::Status))
                    .col(text(EvidenceBundle::Plan).default("[]"))
                    .col(integer(EvidenceBundle::Done).default(0))
                    .col(integer(EvidenceBundle::Total).default(0))
                    .col(string(EvidenceBundle::Step).default(""))
                    .col(integer(EvidenceBundle::Attempts).default(0))
                    .col(big_integer_null(EvidenceBundle::Bytes))
                    .col(string_null(EvidenceBundle::Sha256))
                    .col(text_null(EvidenceBundle::Failure))
                    .col(timestamp_with_time_zone(EvidenceBundle::CreatedAt))
                    .col(timestamp_with_time_zone_null(EvidenceBundle::FinishedAt))
                    .col(timestamp_with_time_zone(EvidenceBundle::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("evidence_bundle_status")
                    .table(EvidenceBundle::Table)
                    .col(EvidenceBundle::Status)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(EvidenceBundle::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum EvidenceBundle {
    Table,
    Id,
    RequestedBy,
    PeriodFrom,
    PeriodTo,
    Seed,
    Sessions,
    Status,
    Plan,
    Done,
    Total,
    Step,
    Attempts,
    Bytes,
    Sha256,
    Failure,
    CreatedAt,
    FinishedAt,
    UpdatedAt,
}
