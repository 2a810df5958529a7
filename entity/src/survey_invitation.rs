//! One respondent's invitation to a survey, with its answers (a JSON object by question key; a
//! draft until `submitted_at`). A trainee's or trainer's is synced to them (its id the UUIDv5
//! of the kind, session and person); a funder's has no person, only the SHA-256 of its link.

use sea_orm::entity::prelude::*;

use crate::survey_template::SurveyKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "survey_invitation")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub template_id: Uuid,
    pub kind: SurveyKind,
    pub session_id: Option<Uuid>,
    pub training_id: Option<Uuid>,
    pub year: Option<i32>,
    pub person_id: Option<Uuid>,
    pub funder_name: Option<String>,
    pub funder_email: Option<String>,
    pub funder_organisation: Option<String>,
    pub secret_hash: Option<String>,
    pub opens_at: DateTimeUtc,
    pub deadline: DateTimeUtc,
    pub answers: String,
    pub submitted_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
