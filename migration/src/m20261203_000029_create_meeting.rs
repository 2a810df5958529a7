//! Club meetings and RSVPs (both synced, guarded). An RSVP is one row per (meeting, person), its
//! id the UUIDv5 of the pair. Attendance at meetings lives in `attendance_mark`
//! (`activity_kind = 'meeting'`).

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
                    .table(Meeting::Table)
                    .if_not_exists()
                    .col(pk_uuid(Meeting::Id))
                    .col(uuid(Meeting::ClubId))
                    .col(string_len(Meeting::Title, 200))
                    .col(text(Meeting::Agenda))
                    .col(timestamp_with_time_zone(Meeting::StartsAt))
                    .col(timestamp_with_time_zone(Meeting::EndsAt))
                    .col(string_len(Meeting::TimeZone, 64))
                    .col(text_null(Meeting::Place))
                    .col(text_null(Meeting::OnlineUrl))
                    .col(integer_null(Meeting::Capacity))
                    .col(string_len(Meeting::Status, 16))
                    .col(text_null(Meeting::CancelReason))
                    .col(boolean(Meeting::QualityScope).default(false))
                    .col(integer(Meeting::Sequence).default(0))
                    .col(uuid(Meeting::CreatedBy))
                    .col(timestamp_with_time_zone(Meeting::CreatedAt))
                    .col(timestamp_with_time_zone(Meeting::UpdatedAt))
                    .col(big_integer(Meeting::Version))
                    .foreign_key(
                        ForeignKey::create()
                            .name("meeting_club_fk")
                            .from(Meeting::Table, Meeting::ClubId)
                            .to(Club::Table, Club::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MeetingRsvp::Table)
                    .if_not_exists()
                    .col(pk_uuid(MeetingRsvp::Id))
                    .col(uuid(MeetingRsvp::MeetingId))
                    .col(uuid(MeetingRsvp::ClubId))
                    .col(uuid(MeetingRsvp::PersonId))
                    .col(string_len(MeetingRsvp::Answer, 8))
                    .col(timestamp_with_time_zone(MeetingRsvp::UpdatedAt))
                    .col(big_integer(MeetingRsvp::Version))
                    .foreign_key(
                        ForeignKey::create()
                            .name("meeting_rsvp_meeting_fk")
                            .from(MeetingRsvp::Table, MeetingRsvp::MeetingId)
                            .to(Meeting::Table, Meeting::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("meeting_rsvp_person_fk")
                            .from(MeetingRsvp::Table, MeetingRsvp::PersonId)
                            .to(Person::Table, Person::Id),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        for sql in [
            "CREATE INDEX meeting_by_club ON meeting (club_id, starts_at)",
            "CREATE UNIQUE INDEX meeting_rsvp_one ON meeting_rsvp (meeting_id, person_id)",
            "CREATE INDEX meeting_rsvp_by_person ON meeting_rsvp (person_id)",
        ] {
            db.execute_unprepared(sql).await?;
        }
        sync_guard::install(manager, "meeting").await?;
        sync_guard::install(manager, "meeting_rsvp").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sync_guard::remove(manager, "meeting_rsvp").await?;
        sync_guard::remove(manager, "meeting").await?;
        manager
            .drop_table(Table::drop().table(MeetingRsvp::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Meeting::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Meeting {
    Table,
    Id,
    ClubId,
    Title,
    Agenda,
    StartsAt,
    EndsAt,
    TimeZone,
    Place,
    OnlineUrl,
    Capacity,
    Status,
    CancelReason,
    QualityScope,
    Sequence,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum MeetingRsvp {
    Table,
    Id,
    MeetingId,
    ClubId,
    PersonId,
    Answer,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum Club {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Person {
    Table,
    Id,
}
