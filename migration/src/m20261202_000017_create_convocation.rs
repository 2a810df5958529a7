//! The convocation of a confirmed trainee (Qualiopi ind. 9): what it said when it was issued.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Convocation::Table)
                    .if_not_exists()
                    .col(pk_uuid(Convocation::EnrolmentId))
                    .col(text(Convocation::Content))
                    .col(uuid(Convocation::IssuedBy))
                    .col(timestamp_with_time_zone(Convocation::IssuedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("convocation_enrolment_fk")
                            .from(Convocation::Table, Convocation::EnrolmentId)
                            .to(Enrolment::Table, Enrolment::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Convocation::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Convocation {
    Table,
    EnrolmentId,
    Content,
    IssuedBy,
    IssuedAt,
}

#[derive(DeriveIden)]
enum Enrolment {
    Table,
    Id,
}
