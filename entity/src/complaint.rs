//! A complaint of the register (Qualiopi ind. 31): how it came, who to answer, its text, what it
//! concerns, and each of its states dated and by whom. Not synced. Its typed columns are here
//! (the register's own vocabulary).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "complaint")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub channel: ComplaintChannel,
    pub contact: String,
    pub text: String,
    pub session_id: Option<Uuid>,
    pub training_id: Option<Uuid>,
    pub club_id: Option<Uuid>,
    pub status: ComplaintStatus,
    pub received_at: DateTimeUtc,
    /// The person who filed it with an account (`None`: anonymous).
    pub filed_by: Option<Uuid>,
    pub acknowledged_at: Option<DateTimeUtc>,
    pub acknowledged_by: Option<Uuid>,
    pub answered_at: Option<DateTimeUtc>,
    pub answered_by: Option<Uuid>,
    pub answer: Option<String>,
    pub closed_at: Option<DateTimeUtc>,
    pub closed_by: Option<Uuid>,
    pub outcome: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// How a complaint reached the organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum ComplaintChannel {
    #[sea_orm(string_value = "email")]
    Email,
    #[sea_orm(string_value = "phone")]
    Phone,
    #[sea_orm(string_value = "letter")]
    Letter,
    #[sea_orm(string_value = "form")]
    Form,
    #[sea_orm(string_value = "in_person")]
    InPerson,
}

/// Where a complaint stands: received → acknowledged → answered → closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum ComplaintStatus {
    #[sea_orm(string_value = "received")]
    Received,
    #[sea_orm(string_value = "acknowledged")]
    Acknowledged,
    #[sea_orm(string_value = "answered")]
    Answered,
    #[sea_orm(string_value = "closed")]
    Closed,
}
