//! A late enrolment (made once the session had started) records the first half-day the trainee
//! can attend — its id, and its start when they enrolled, should that half-day later be removed —
//! so that their sheet schedules only the half-days from it on. Both null for an enrolment made
//! before the start.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        for column in [
            uuid_null(Enrolment::LateFirstSlotId),
            timestamp_with_time_zone_null(Enrolment::LateFirstSlotAt),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Enrolment::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Enrolment::LateFirstSlotId, Enrolment::LateFirstSlotAt] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Enrolment::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Enrolment {
    Table,
    LateFirstSlotId,
    LateFirstSlotAt,
}
