//! Documents: the provider's identity printed on every document (one row, set by an
//! administrator), issued certificates of completion (bytes and hash kept, revocable; one
//! unrevoked certificate per enrolment, by a partial unique index) and the assessment results
//! the attestations print. None of them is synced.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ProviderProfile::Table)
                    .if_not_exists()
                    .col(integer(ProviderProfile::Id).primary_key())
                    .col(text(ProviderProfile::Identity))
                    .col(blob_null(ProviderProfile::LogoPng))
                    .col(blob_null(ProviderProfile::SignaturePng))
                    .col(uuid(ProviderProfile::UpdatedBy))
                    .col(timestamp_with_time_zone(ProviderProfile::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Certificate::Table)
                    .if_not_exists()
                    .col(pk_uuid(Certificate::Id))
                    .col(string_len_uniq(Certificate::Code, 32))
                    .col(uuid(Certificate::EnrolmentId))
                    .col(uuid(Certificate::SessionId))
                    .col(uuid(Certificate::PersonId))
                    .col(text(Certificate::Content))
                    .col(blob(Certificate::Pdf))
                    .col(string_len(Certificate::Sha256, 64))
                    .col(uuid(Certificate::IssuedBy))
                    .col(timestamp_with_time_zone(Certificate::IssuedAt))
                    .col(timestamp_with_time_zone_null(Certificate::RevokedAt))
                    .col(uuid_null(Certificate::RevokedBy))
                    .col(text_null(Certificate::RevokeReason))
                    .foreign_key(
                        ForeignKey::create()
                            .name("certificate_enrolment_fk")
                            .from(Certificate::Table, Certificate::EnrolmentId)
                            .to(Enrolment::Table, Enrolment::Id),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE UNIQUE INDEX certificate_one_valid ON certificate (enrolment_id) \
             WHERE revoked_at IS NULL",
        )
        .await?;
        db.execute_unprepared("CREATE INDEX certificate_session ON certificate (session_id)")
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Assessment::Table)
                    .if_not_exists()
                    .col(uuid(Assessment::EnrolmentId).primary_key())
                    .col(string_len(Assessment::Result, 24))
                    .col(text(Assessment::Comment))
                    .col(uuid(Assessment::AssessedBy))
                    .col(timestamp_with_time_zone(Assessment::AssessedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("assessment_enrolment_fk")
                            .from(Assessment::Table, Assessment::EnrolmentId)
                            .to(Enrolment::Table, Enrolment::Id),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Assessment::Table.into_iden(),
            Certificate::Table.into_iden(),
            ProviderProfile::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum ProviderProfile {
    Table,
    Id,
    Identity,
    LogoPng,
    SignaturePng,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Certificate {
    Table,
    Id,
    Code,
    EnrolmentId,
    SessionId,
    PersonId,
    Content,
    Pdf,
    Sha256,
    IssuedBy,
    IssuedAt,
    RevokedAt,
    RevokedBy,
    RevokeReason,
}

#[derive(DeriveIden)]
enum Assessment {
    Table,
    EnrolmentId,
    Result,
    Comment,
    AssessedBy,
    AssessedAt,
}

#[derive(DeriveIden)]
enum Enrolment {
    Table,
    Id,
}
