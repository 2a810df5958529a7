//! What a pushed mutation was based on: the version of the row the device had seen
//! (`base_version`) and the device's previous change of the same row (`prev_local_seq`). Kept
//! with every stored mutation, so a quarantined one is applied on acceptance by the same rules
//! as a push.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        for column in [
            big_integer_null(SyncMutation::BaseVersion),
            big_integer_null(SyncMutation::PrevLocalSeq),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(SyncMutation::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [SyncMutation::BaseVersion, SyncMutation::PrevLocalSeq] {
            manager
                .alter_table(
                    Table::alter()
                        .table(SyncMutation::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum SyncMutation {
    Table,
    BaseVersion,
    PrevLocalSeq,
}
