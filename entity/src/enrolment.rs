//! A person's enrolment in a session: confirmed, waitlisted or cancelled. Synced table.

use sea_orm::entity::prelude::*;

use crate::status::{EnrolmentStatus, FundingSource, PriceKind, TraineeType};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "enrolment")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub session_id: Uuid,
    pub person_id: Uuid,
    /// The person's organisation when they enrolled (decides the price and who manages it).
    pub organisation_id: Option<Uuid>,
    pub status: EnrolmentStatus,
    /// 1 = next to get a seat; set only while waitlisted.
    pub waitlist_position: Option<i32>,
    pub price_kind: PriceKind,
    pub price_cents: i64,
    pub price_currency: String,
    pub trainee_type: TraineeType,
    pub funding_source: FundingSource,
    pub funding_amount_cents: Option<i64>,
    /// Needs and expectations stated at enrolment (Qualiopi ind. 4).
    pub needs: String,
    pub enrolled_by: Uuid,
    pub enrolled_at: DateTimeUtc,
    pub confirmed_at: Option<DateTimeUtc>,
    pub promoted_at: Option<DateTimeUtc>,
    pub promoted_by: Option<Uuid>,
    pub promotion_reason: Option<String>,
    pub cancelled_at: Option<DateTimeUtc>,
    pub cancelled_by: Option<Uuid>,
    pub cancel_reason: Option<String>,
    pub late_cancellation: bool,
    pub idempotency_key: Option<String>,
    /// When the trainee completed the positioning questionnaire (Qualiopi ind. 8).
    pub positioning_answered_at: Option<DateTimeUtc>,
    /// Set when the session is closed: minutes actually attended, and how it went.
    pub attended_minutes: Option<i32>,
    pub outcome: Option<crate::status::Outcome>,
    /// A late enrolment (made once the session had started): the first half-day the trainee can
    /// attend, and its start when they enrolled. Both null otherwise.
    pub late_first_slot_id: Option<Uuid>,
    pub late_first_slot_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
