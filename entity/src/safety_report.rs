//! A report on the confidential channel (V10 ind. 12): violence, sexist or sexual violence,
//! harassment, discrimination. Only the SHA-256 of its receipt code is stored; who reported is
//! not recorded. Not synced. Its typed columns are here.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "safety_report")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub category: ReportCategory,
    pub text: String,
    /// How to reach the reporter, if they gave a way.
    pub contact: Option<String>,
    /// Lower-case hex SHA-256 of the receipt code.
    pub receipt_hash: String,
    pub status: ReportStep,
    pub received_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// What a report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum ReportCategory {
    #[sea_orm(string_value = "violence")]
    Violence,
    #[sea_orm(string_value = "sexist_or_sexual_violence")]
    SexistOrSexualViolence,
    #[sea_orm(string_value = "harassment")]
    Harassment,
    #[sea_orm(string_value = "discrimination")]
    Discrimination,
}

/// A report's handling steps, in order: received → acknowledged → in progress → closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum ReportStep {
    #[sea_orm(string_value = "received")]
    Received,
    #[sea_orm(string_value = "acknowledged")]
    Acknowledged,
    #[sea_orm(string_value = "in_progress")]
    InProgress,
    #[sea_orm(string_value = "closed")]
    Closed,
}
