//! Enrolments of people in sessions (synced, guarded). One active (confirmed or waitlisted)
//! enrolment per person and session, by a partial unique index (the same SQL on both engines).

use sea_orm_migration::{prelude::*, schema::*};

use crate::sync_guard;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Enrolment::Table)
                    .if_not_exists()
                    .col(pk_uuid(Enrolment::Id))
                    .col(uuid(Enrolment::SessionId))
                    .col(uuid(Enrolment::PersonId))
                    .col(uuid_null(Enrolment::OrganisationId))
                    .col(string_len(Enrolment::Status, 16))
                    .col(integer_null(Enrolment::WaitlistPosition))
                    .col(string_len(Enrolment::PriceKind, 16))
                    .col(big_integer(Enrolment::PriceCents))
                    .col(string_len(Enrolment::PriceCurrency, 3))
                    .col(string_len(Enrolment::TraineeType, 16))
                    .col(string_len(Enrolment::FundingSource, 16))
                    .col(big_integer_null(Enrolment::FundingAmountCents))
                    .col(text(Enrolment::Needs))
                    .col(uuid(Enrolment::EnrolledBy))
                    .col(timestamp_with_time_zone(Enrolment::EnrolledAt))
                    .col(timestamp_with_time_zone_null(Enrolment::ConfirmedAt))
                    .col(timestamp_with_time_zone_null(Enrolment::PromotedAt))
                    .col(uuid_null(Enrolment::PromotedBy))
                    .col(text_null(Enrolment::PromotionReason))
                    .col(timestamp_with_time_zone_null(Enrolment::CancelledAt))
                    .col(uuid_null(Enrolment::CancelledBy))
                    .col(text_null(Enrolment::CancelReason))
                    .col(boolean(Enrolment::LateCancellation).default(false))
                    .col(string_len_null(Enrolment::IdempotencyKey, 200))
                    .col(timestamp_with_time_zone(Enrolment::UpdatedAt))
                    .col(big_integer(Enrolment::Version))
                    .foreign_key(
                        ForeignKey::create()
                            .name("enrolment_session_fk")
                            .from(Enrolment::Table, Enrolment::SessionId)
                            .to(TrainingSession::Table, TrainingSession::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("enrolment_person_fk")
                            .from(Enrolment::Table, Enrolment::PersonId)
                            .to(Person::Table, Person::Id),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE UNIQUE INDEX enrolment_one_active ON enrolment (session_id, person_id) \
             WHERE status <> 'cancelled'",
        )
        .await?;
        for (name, columns, unique) in [
            (
                "enrolment_idempotency",
                "enrolled_by, idempotency_key",
                true,
            ),
            (
                "enrolment_waitlist",
                "session_id, status, waitlist_position",
                false,
            ),
            ("enrolment_by_person", "person_id", false),
            ("enrolment_by_organisation", "organisation_id", false),
        ] {
            let unique = if unique { "UNIQUE " } else { "" };
            db.execute_unprepared(&format!(
                "CREATE {unique}INDEX {name} ON enrolment ({columns})"
            ))
            .await?;
        }
        sync_guard::install(manager, "enrolment").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sync_guard::remove(manager, "enrolment").await?;
        manager
            .drop_table(Table::drop().table(Enrolment::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Enrolment {
    Table,
    Id,
    SessionId,
    PersonId,
    OrganisationId,
    Status,
    WaitlistPosition,
    PriceKind,
    PriceCents,
    PriceCurrency,
    TraineeType,
    FundingSource,
    FundingAmountCents,
    Needs,
    EnrolledBy,
    EnrolledAt,
    ConfirmedAt,
    PromotedAt,
    PromotedBy,
    PromotionReason,
    CancelledAt,
    CancelledBy,
    CancelReason,
    LateCancellation,
    IdempotencyKey,
    UpdatedAt,
    Version,
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
