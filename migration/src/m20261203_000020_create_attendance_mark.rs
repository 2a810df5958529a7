//! Attendance marks (synced, guarded): one row per (attended activity, person), whose id is the
//! UUIDv5 of that pair. Generic over what is attended: a training half-day (`slot`) today, a club
//! meeting later; `context_id` is the session (or club) whose devices see the mark.

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
                    .table(AttendanceMark::Table)
                    .if_not_exists()
                    .col(pk_uuid(AttendanceMark::Id))
                    .col(string_len(AttendanceMark::ActivityKind, 16))
                    .col(uuid(AttendanceMark::ActivityId))
                    .col(uuid(AttendanceMark::ContextId))
                    .col(uuid(AttendanceMark::PersonId))
                    .col(string_len(AttendanceMark::Status, 16))
                    .col(integer_null(AttendanceMark::LateMinutes))
                    .col(string_len_null(AttendanceMark::SignatureSha256, 64))
                    .col(timestamp_with_time_zone_null(AttendanceMark::SignedAt))
                    .col(uuid(AttendanceMark::RecordedBy))
                    .col(string_len(AttendanceMark::RecordedAs, 16))
                    .col(uuid_null(AttendanceMark::DeviceId))
                    .col(timestamp_with_time_zone(AttendanceMark::UpdatedAt))
                    .col(big_integer(AttendanceMark::Version))
                    .foreign_key(
                        ForeignKey::create()
                            .name("attendance_mark_person_fk")
                            .from(AttendanceMark::Table, AttendanceMark::PersonId)
                            .to(Person::Table, Person::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("attendance_mark_signature_fk")
                            .from(AttendanceMark::Table, AttendanceMark::SignatureSha256)
                            .to(Signature::Table, Signature::Sha256),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        for (name, columns, unique) in [
            ("attendance_mark_one", "activity_id, person_id", true),
            ("attendance_mark_by_context", "context_id", false),
            ("attendance_mark_by_person", "person_id", false),
        ] {
            let unique = if unique { "UNIQUE " } else { "" };
            db.execute_unprepared(&format!(
                "CREATE {unique}INDEX {name} ON attendance_mark ({columns})"
            ))
            .await?;
        }
        sync_guard::install(manager, "attendance_mark").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sync_guard::remove(manager, "attendance_mark").await?;
        manager
            .drop_table(Table::drop().table(AttendanceMark::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AttendanceMark {
    Table,
    Id,
    ActivityKind,
    ActivityId,
    ContextId,
    PersonId,
    Status,
    LateMinutes,
    SignatureSha256,
    SignedAt,
    RecordedBy,
    RecordedAs,
    DeviceId,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum Person {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Signature {
    Table,
    Sha256,
}
