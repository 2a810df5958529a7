//! Clubs and their memberships (both synced, guarded). A membership is one row per (club,
//! person), its id the UUIDv5 of the pair; animators are memberships with the `animator` role.

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
                    .table(Club::Table)
                    .if_not_exists()
                    .col(pk_uuid(Club::Id))
                    .col(string_len(Club::Name, 200))
                    .col(string_len(Club::Trade, 32))
                    .col(text(Club::Description))
                    .col(string_len(Club::MembershipPolicy, 32))
                    .col(string_len(Club::CalendarVisibility, 16))
                    .col(string_len(Club::Status, 16))
                    .col(timestamp_with_time_zone(Club::CreatedAt))
                    .col(timestamp_with_time_zone(Club::UpdatedAt))
                    .col(big_integer(Club::Version))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ClubMembership::Table)
                    .if_not_exists()
                    .col(pk_uuid(ClubMembership::Id))
                    .col(uuid(ClubMembership::ClubId))
                    .col(uuid(ClubMembership::PersonId))
                    .col(string_len(ClubMembership::Role, 16))
                    .col(string_len(ClubMembership::Status, 16))
                    .col(text_null(ClubMembership::Message))
                    .col(timestamp_with_time_zone(ClubMembership::RequestedAt))
                    .col(timestamp_with_time_zone_null(ClubMembership::DecidedAt))
                    .col(uuid_null(ClubMembership::DecidedBy))
                    .col(text_null(ClubMembership::Reason))
                    .col(timestamp_with_time_zone(ClubMembership::UpdatedAt))
                    .col(big_integer(ClubMembership::Version))
                    .foreign_key(
                        ForeignKey::create()
                            .name("club_membership_club_fk")
                            .from(ClubMembership::Table, ClubMembership::ClubId)
                            .to(Club::Table, Club::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("club_membership_person_fk")
                            .from(ClubMembership::Table, ClubMembership::PersonId)
                            .to(Person::Table, Person::Id),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE UNIQUE INDEX club_membership_one ON club_membership (club_id, person_id)",
        )
        .await?;
        db.execute_unprepared(
            "CREATE INDEX club_membership_by_person ON club_membership (person_id)",
        )
        .await?;
        sync_guard::install(manager, "club").await?;
        sync_guard::install(manager, "club_membership").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sync_guard::remove(manager, "club_membership").await?;
        sync_guard::remove(manager, "club").await?;
        manager
            .drop_table(Table::drop().table(ClubMembership::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Club::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Club {
    Table,
    Id,
    Name,
    Trade,
    Description,
    MembershipPolicy,
    CalendarVisibility,
    Status,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum ClubMembership {
    Table,
    Id,
    ClubId,
    PersonId,
    Role,
    Status,
    Message,
    RequestedAt,
    DecidedAt,
    DecidedBy,
    Reason,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum Person {
    Table,
    Id,
}
