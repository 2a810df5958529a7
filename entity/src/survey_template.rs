//! A survey's template: its title, kind, the training it belongs to (`None`: federation-wide)
//! and its questions (a JSON list the quality context reads and writes). Not synced.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "survey_template")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub title: String,
    pub kind: SurveyKind,
    pub training_id: Option<Uuid>,
    pub questions: String,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// When a survey is asked, and of whom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum SurveyKind {
    /// Trainees, when the session's last half-day ends.
    #[sea_orm(string_value = "hot")]
    Hot,
    /// Trainees, some weeks after the session.
    #[sea_orm(string_value = "cold")]
    Cold,
    /// The session's trainers, when it ends.
    #[sea_orm(string_value = "debrief")]
    Debrief,
    /// Funders without an account, yearly, through a secret link.
    #[sea_orm(string_value = "funder")]
    Funder,
}
