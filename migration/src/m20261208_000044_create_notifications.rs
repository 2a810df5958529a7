//! Notifications: the outbox of events (written in the transaction that caused them), the
//! messages they became (rendered once, sent by the sender task, retried, dead-lettered) and
//! each person's opt-outs.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OutboxEvent::Table)
                    .col(uuid(OutboxEvent::Id).primary_key())
                    .col(string(OutboxEvent::Kind))
                    .col(uuid(OutboxEvent::SubjectId))
                    .col(timestamp_with_time_zone(OutboxEvent::CreatedAt))
                    .col(integer(OutboxEvent::Attempts).default(0))
                    .col(text_null(OutboxEvent::LastError))
                    .col(timestamp_with_time_zone_null(OutboxEvent::DoneAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("outbox_event_pending")
                    .table(OutboxEvent::Table)
                    .col(OutboxEvent::DoneAt)
                    .col(OutboxEvent::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Notification::Table)
                    .col(uuid(Notification::Id).primary_key())
                    .col(uuid(Notification::EventId))
                    .col(string(Notification::EventKind))
                    .col(uuid(Notification::SubjectId))
                    .col(string(Notification::Template))
                    .col(string(Notification::Category))
                    .col(uuid_null(Notification::PersonId))
                    .col(string(Notification::Recipient))
                    .col(text(Notification::Subject))
                    .col(string(Notification::MessageId))
                    .col(blob(Notification::Raw))
                    .col(string(Notification::Attachments).default(""))
                    .col(string(Notification::Status))
                    .col(integer(Notification::Attempts).default(0))
                    .col(timestamp_with_time_zone(Notification::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(Notification::ClaimedUntil))
                    .col(text_null(Notification::LastError))
                    .col(string_null(Notification::UnsubscribeHash))
                    .col(timestamp_with_time_zone(Notification::CreatedAt))
                    .col(timestamp_with_time_zone_null(Notification::SentAt))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "notification_due",
                vec![Notification::Status, Notification::NextAttemptAt],
            ),
            (
                "notification_person",
                vec![Notification::PersonId, Notification::CreatedAt],
            ),
            ("notification_event", vec![Notification::EventId]),
            (
                "notification_unsubscribe",
                vec![Notification::UnsubscribeHash],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(Notification::Table);
            for col in cols {
                index.col(col);
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(NotificationPreference::Table)
                    .col(uuid(NotificationPreference::PersonId).primary_key())
                    .col(boolean(NotificationPreference::Reminders).default(true))
                    .col(boolean(NotificationPreference::ClubNews).default(true))
                    .col(timestamp_with_time_zone(NotificationPreference::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(NotificationPreference::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(Notification::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(OutboxEvent::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum OutboxEvent {
    Table,
    Id,
    Kind,
    SubjectId,
    CreatedAt,
    Attempts,
    LastError,
    DoneAt,
}

#[derive(DeriveIden)]
enum Notification {
    Table,
    Id,
    EventId,
    EventKind,
    SubjectId,
    Template,
    Category,
    PersonId,
    Recipient,
    Subject,
    MessageId,
    Raw,
    Attachments,
    Status,
    Attempts,
    NextAttemptAt,
    ClaimedUntil,
    LastError,
    UnsubscribeHash,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum NotificationPreference {
    Table,
    PersonId,
    Reminders,
    ClubNews,
    UpdatedAt,
}
