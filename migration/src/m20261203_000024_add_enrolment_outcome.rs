//! What a closed session says of each enrolment: the minutes actually attended and the outcome
//! (`completed`, `partial`, `absent`); the enrolment's status becomes `completed`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        for column in [
            integer_null(Enrolment::AttendedMinutes),
            string_len_null(Enrolment::Outcome, 16),
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
        for column in [Enrolment::AttendedMinutes, Enrolment::Outcome] {
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
    AttendedMinutes,
    Outcome,
}
