//! The quality registers administrators keep (issue 25): improvement actions (ind. 32) with the
//! history of their changes, the risk analysis (V10 ind. 32) and the watch register
//! (ind. 23–25). Not synced.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(QualityRisk::Table)
                    .if_not_exists()
                    .col(pk_uuid(QualityRisk::Id))
                    .col(text(QualityRisk::Description))
                    .col(integer(QualityRisk::Likelihood))
                    .col(integer(QualityRisk::Impact))
                    .col(text(QualityRisk::Mitigation))
                    .col(date(QualityRisk::AssessedOn))
                    .col(date(QualityRisk::ReviewOn))
                    .col(uuid(QualityRisk::CreatedBy))
                    .col(timestamp_with_time_zone(QualityRisk::CreatedAt))
                    .col(timestamp_with_time_zone(QualityRisk::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ImprovementAction::Table)
                    .if_not_exists()
                    .col(pk_uuid(ImprovementAction::Id))
                    .col(text(ImprovementAction::Description))
                    .col(string(ImprovementAction::Origin))
                    .col(uuid_null(ImprovementAction::OriginId))
                    .col(uuid(ImprovementAction::OwnerId))
                    .col(date(ImprovementAction::DueOn))
                    .col(string(ImprovementAction::Status))
                    .col(text_null(ImprovementAction::EffectObserved))
                    .col(text_null(ImprovementAction::AbandonReason))
                    .col(uuid(ImprovementAction::CreatedBy))
                    .col(timestamp_with_time_zone(ImprovementAction::CreatedAt))
                    .col(timestamp_with_time_zone(ImprovementAction::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("improvement_action_owner_fk")
                            .from(ImprovementAction::Table, ImprovementAction::OwnerId)
                            .to(Person::Table, Person::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ImprovementActionEvent::Table)
                    .if_not_exists()
                    .col(pk_uuid(ImprovementActionEvent::Id))
                    .col(uuid(ImprovementActionEvent::ActionId))
                    .col(timestamp_with_time_zone(ImprovementActionEvent::At))
                    .col(uuid(ImprovementActionEvent::By))
                    .col(string(ImprovementActionEvent::Change))
                    .col(string(ImprovementActionEvent::Status))
                    .col(text_null(ImprovementActionEvent::Note))
                    .foreign_key(
                        ForeignKey::create()
                            .name("improvement_action_event_action_fk")
                            .from(
                                ImprovementActionEvent::Table,
                                ImprovementActionEvent::ActionId,
                            )
                            .to(ImprovementAction::Table, ImprovementAction::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WatchEntry::Table)
                    .if_not_exists()
                    .col(pk_uuid(WatchEntry::Id))
                    .col(string(WatchEntry::Kind))
                    .col(text(WatchEntry::Source))
                    .col(date(WatchEntry::ObservedOn))
                    .col(text(WatchEntry::Summary))
                    .col(text(WatchEntry::Impact))
                    .col(text(WatchEntry::ActionTaken))
                    .col(uuid_null(WatchEntry::ActionId))
                    .col(uuid(WatchEntry::CreatedBy))
                    .col(timestamp_with_time_zone(WatchEntry::CreatedAt))
                    .col(timestamp_with_time_zone(WatchEntry::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("watch_entry_action_fk")
                            .from(WatchEntry::Table, WatchEntry::ActionId)
                            .to(ImprovementAction::Table, ImprovementAction::Id),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        for index in [
            "CREATE INDEX improvement_action_by_origin ON improvement_action (origin, origin_id)",
            "CREATE INDEX improvement_action_event_by_action \
             ON improvement_action_event (action_id, id)",
            "CREATE INDEX watch_entry_by_date ON watch_entry (observed_on)",
        ] {
            db.execute_unprepared(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(WatchEntry::Table).to_owned())
            .await?;
        manager
            .drop_table(
                Table::drop()
                    .table(ImprovementActionEvent::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(ImprovementAction::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(QualityRisk::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum QualityRisk {
    Table,
    Id,
    Description,
    Likelihood,
    Impact,
    Mitigation,
    AssessedOn,
    ReviewOn,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ImprovementAction {
    Table,
    Id,
    Description,
    Origin,
    OriginId,
    OwnerId,
    DueOn,
    Status,
    EffectObserved,
    AbandonReason,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ImprovementActionEvent {
    Table,
    Id,
    ActionId,
    At,
    By,
    Change,
    Status,
    Note,
}

#[derive(DeriveIden)]
enum WatchEntry {
    Table,
    Id,
    Kind,
    Source,
    ObservedOn,
    Summary,
    Impact,
    ActionTaken,
    ActionId,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Person {
    Table,
    Id,
}
