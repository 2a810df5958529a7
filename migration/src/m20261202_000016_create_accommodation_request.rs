//! Accommodation requests of enrolled trainees (Qualiopi ind. 26). Not synced: health-related
//! data stays on the server, seen only by the trainee, the requester, the disability referent and
//! administrators.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AccommodationRequest::Table)
                    .if_not_exists()
                    .col(pk_uuid(AccommodationRequest::Id))
                    .col(uuid(AccommodationRequest::EnrolmentId))
                    .col(text(AccommodationRequest::Need))
                    .col(uuid(AccommodationRequest::RequestedBy))
                    .col(timestamp_with_time_zone(AccommodationRequest::RequestedAt))
                    .col(text_null(AccommodationRequest::Response))
                    .col(uuid_null(AccommodationRequest::HandledBy))
                    .col(timestamp_with_time_zone_null(
                        AccommodationRequest::HandledAt,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .name("accommodation_request_enrolment_fk")
                            .from(
                                AccommodationRequest::Table,
                                AccommodationRequest::EnrolmentId,
                            )
                            .to(Enrolment::Table, Enrolment::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("accommodation_request_by_enrolment")
                    .table(AccommodationRequest::Table)
                    .col(AccommodationRequest::EnrolmentId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AccommodationRequest::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AccommodationRequest {
    Table,
    Id,
    EnrolmentId,
    Need,
    RequestedBy,
    RequestedAt,
    Response,
    HandledBy,
    HandledAt,
}

#[derive(DeriveIden)]
enum Enrolment {
    Table,
    Id,
}
