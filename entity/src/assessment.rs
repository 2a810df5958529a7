//! A trainee's assessment result (Qualiopi ind. 11), printed on their attestation de fin de
//! formation: the overall result and, as a JSON list, the result against each objective of the
//! programme (index, wording, result, comment). Not synced.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "assessment")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub enrolment_id: Uuid,
    pub result: String,
    pub comment: String,
    pub objectives: String,
    pub assessed_by: Uuid,
    pub assessed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
