//! A meeting's minutes (one row per version) and resources (links, or files whose bytes sit in
//! `resource_file` so that lists never read them). Not synced.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MeetingMinutes::Table)
                    .if_not_exists()
                    .col(pk_uuid(MeetingMinutes::Id))
                    .col(uuid(MeetingMinutes::MeetingId))
                    .col(integer(MeetingMinutes::Number))
                    .col(text(MeetingMinutes::Body))
                    .col(uuid(MeetingMinutes::AuthorId))
                    .col(timestamp_with_time_zone(MeetingMinutes::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("meeting_minutes_meeting_fk")
                            .from(MeetingMinutes::Table, MeetingMinutes::MeetingId)
                            .to(Meeting::Table, Meeting::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MeetingResource::Table)
                    .if_not_exists()
                    .col(pk_uuid(MeetingResource::Id))
                    .col(uuid(MeetingResource::MeetingId))
                    .col(uuid(MeetingResource::ClubId))
                    .col(string_len(MeetingResource::Kind, 8))
                    .col(string_len(MeetingResource::Title, 200))
                    .col(text_null(MeetingResource::Url))
                    .col(string_len_null(MeetingResource::FileName, 200))
                    .col(string_len_null(MeetingResource::ContentType, 100))
                    .col(big_integer_null(MeetingResource::SizeBytes))
                    .col(string_len_null(MeetingResource::Sha256, 64))
                    .col(uuid(MeetingResource::CreatedBy))
                    .col(timestamp_with_time_zone(MeetingResource::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("meeting_resource_meeting_fk")
                            .from(MeetingResource::Table, MeetingResource::MeetingId)
                            .to(Meeting::Table, Meeting::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ResourceFile::Table)
                    .if_not_exists()
                    .col(pk_uuid(ResourceFile::ResourceId))
                    .col(blob(ResourceFile::Bytes))
                    .foreign_key(
                        ForeignKey::create()
                            .name("resource_file_resource_fk")
                            .from(ResourceFile::Table, ResourceFile::ResourceId)
                            .to(MeetingResource::Table, MeetingResource::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        for sql in [
            "CREATE UNIQUE INDEX meeting_minutes_one ON meeting_minutes (meeting_id, number)",
            "CREATE INDEX meeting_resource_by_meeting ON meeting_resource (meeting_id)",
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ResourceFile::Table.into_iden(),
            MeetingResource::Table.into_iden(),
            MeetingMinutes::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum MeetingMinutes {
    Table,
    Id,
    MeetingId,
    Number,
    Body,
    AuthorId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum MeetingResource {
    Table,
    Id,
    MeetingId,
    ClubId,
    Kind,
    Title,
    Url,
    FileName,
    ContentType,
    SizeBytes,
    Sha256,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ResourceFile {
    Table,
    ResourceId,
    Bytes,
}

#[derive(DeriveIden)]
enum Meeting {
    Table,
    Id,
}
