//! An improvement action (Qualiopi ind. 32): what is done, why (its origin and, when known, the
//! originating record), by whom and by when, and how it went. Not synced. Its typed columns are
//! declared here, beside the table.

use sea_orm::entity::prelude::*;

/// Where an improvement action comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum ActionOrigin {
    #[sea_orm(string_value = "complaint")]
    Complaint,
    #[sea_orm(string_value = "survey_result")]
    SurveyResult,
    #[sea_orm(string_value = "trainer_debrief")]
    TrainerDebrief,
    #[sea_orm(string_value = "audit")]
    Audit,
    #[sea_orm(string_value = "risk")]
    Risk,
    #[sea_orm(string_value = "other")]
    Other,
}

/// Where an improvement action stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum ActionStatus {
    #[sea_orm(string_value = "planned")]
    Planned,
    #[sea_orm(string_value = "in_progress")]
    InProgress,
    #[sea_orm(string_value = "done")]
    Done,
    #[sea_orm(string_value = "abandoned")]
    Abandoned,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "improvement_action")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub description: String,
    pub origin: ActionOrigin,
    /// The originating record (a risk, a complaint, a session…), when known.
    pub origin_id: Option<Uuid>,
    pub owner_id: Uuid,
    pub due_on: Date,
    pub status: ActionStatus,
    pub effect_observed: Option<String>,
    pub abandon_reason: Option<String>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
