//! HTTP endpoints of enrolment, their views and vocabulary. No SQL and no rules here.

use poem_openapi::{Enum, Object};
use uuid::Uuid;

use super::model::{self, Enrolment};
use crate::http::nullable::Nullable;
use crate::http::timestamp::Timestamp;

mod accommodations;
mod convocations;
mod enrolments;
mod positioning;

pub use accommodations::{AccommodationView, AccommodationsApi};
pub use convocations::ConvocationsApi;
pub use enrolments::EnrolmentsApi;
pub use positioning::{PositioningApi, PositioningView};

/// Enrolment's operations, in spec order.
pub type Apis = (
    EnrolmentsApi,
    PositioningApi,
    AccommodationsApi,
    ConvocationsApi,
);

/// Where an enrolment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(
    rename = "EnrolmentStatus",
    rename_all = "snake_case",
    remote = "model::EnrolmentStatus"
)]
pub enum EnrolmentStatusView {
    /// Holds a seat.
    Confirmed,
    /// Waits for a seat at `waitlist_position`.
    Waitlisted,
    /// Cancelled (who, when and why are kept).
    Cancelled,
    /// The session was closed while it held a seat: `outcome` and `attended_minutes` say how it
    /// went.
    Completed,
}

/// How the session went for the trainee, once it is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename = "EnrolmentOutcome", rename_all = "snake_case")]
pub enum OutcomeView {
    /// The session is not closed yet (or the enrolment never held a seat).
    Pending,
    /// Every scheduled minute attended.
    Completed,
    /// Part of it attended.
    Partial,
    /// Nothing attended.
    Absent,
}

impl From<Option<model::Attendance>> for OutcomeView {
    fn from(attendance: Option<model::Attendance>) -> Self {
        match attendance.map(|a| a.outcome) {
            None => Self::Pending,
            Some(model::Outcome::Completed) => Self::Completed,
            Some(model::Outcome::Partial) => Self::Partial,
            Some(model::Outcome::Absent) => Self::Absent,
        }
    }
}

/// Which of the training's prices the enrolment pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(
    rename = "PriceKind",
    rename_all = "snake_case",
    remote = "model::PriceKind"
)]
pub enum PriceKindView {
    /// The organisation is a member of the federation.
    Member,
    /// No organisation, or one that is not a member.
    NonMember,
}

/// The trainee's situation, as the yearly BPF counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(
    rename = "TraineeType",
    rename_all = "snake_case",
    remote = "model::TraineeType"
)]
pub enum TraineeTypeView {
    /// An employee (of the association or another employer).
    Employee,
    /// A job seeker.
    JobSeeker,
    /// A private individual paying for themself.
    Individual,
    /// Anyone else (volunteers, board members).
    Other,
}

/// Who pays, as the yearly BPF counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(
    rename = "FundingSource",
    rename_all = "snake_case",
    remote = "model::FundingSource"
)]
pub enum FundingSourceView {
    /// An OPCO (skills operator).
    Opco,
    /// The employer.
    Employer,
    /// The trainee.
    Individual,
    /// Public funds.
    Public,
    /// Anything else.
    Other,
}

/// A person's enrolment in a session.
///
/// - `status`: Confirmed (a seat), waitlisted (at `waitlist_position`), cancelled, or completed
///   (the session was closed).
/// - `outcome`: How the session went (`pending` until it is closed).
/// - `price_kind`: Member or non-member price, decided when they enrolled.
/// - `trainee_type`: The trainee's situation (BPF).
/// - `funding_source`: Who pays (BPF).
#[derive(Debug, Object)]
pub struct EnrolmentView {
    /// Identifier.
    pub id: Uuid,
    /// The session.
    pub session_id: Uuid,
    /// The person enrolled.
    pub person_id: Uuid,
    /// Their organisation when they enrolled.
    pub organisation_id: Nullable<Uuid>,
    pub status: EnrolmentStatusView,
    /// 1 = next to get a seat; `null` unless waitlisted.
    pub waitlist_position: Nullable<i32>,
    pub price_kind: PriceKindView,
    /// Price in cents, fixed at enrolment (a later price change does not alter it).
    pub price_cents: i64,
    /// ISO 4217 currency of the price.
    pub price_currency: String,
    pub trainee_type: TraineeTypeView,
    pub funding_source: FundingSourceView,
    /// Amount funded by `funding_source`, in cents, if known.
    pub funding_amount_cents: Nullable<i64>,
    /// Needs and expectations stated at enrolment (Qualiopi ind. 4).
    pub needs: String,
    /// Who enrolled them (themself, their org manager or an administrator).
    pub enrolled_by: Uuid,
    /// When they enrolled (UTC).
    pub enrolled_at: Timestamp,
    /// When they got a seat (UTC), if they have one or had one.
    pub confirmed_at: Nullable<Timestamp>,
    /// When they were moved from the waitlist to a seat (UTC), if they were.
    pub promoted_at: Nullable<Timestamp>,
    /// Whose action freed that seat.
    pub promoted_by: Nullable<Uuid>,
    /// Why a seat was free (a cancellation, a raised capacity).
    pub promotion_reason: Nullable<String>,
    /// When it was cancelled (UTC), if it was.
    pub cancelled_at: Nullable<Timestamp>,
    /// Who cancelled it.
    pub cancelled_by: Nullable<Uuid>,
    /// Why it was cancelled.
    pub cancel_reason: Nullable<String>,
    /// Cancelled within the late-cancellation delay before the first half-day.
    pub late_cancellation: bool,
    /// When the trainee completed the positioning questionnaire (Qualiopi ind. 8), if they did.
    pub positioning_answered_at: Nullable<Timestamp>,
    /// Minutes actually attended, from the attendance marks, once the session is closed.
    pub attended_minutes: Nullable<i32>,
    /// Enrolled once the session had started: only the half-days from `late_first_slot_id` on
    /// are scheduled for them (the sheet, the closing and the certificate count those).
    pub late: bool,
    /// A late enrolment's first half-day (`null` otherwise).
    pub late_first_slot_id: Nullable<Uuid>,
    pub outcome: OutcomeView,
    /// When it last changed (UTC).
    pub updated_at: Timestamp,
}

impl From<Enrolment> for EnrolmentView {
    fn from(e: Enrolment) -> Self {
        let promotion = e.promotion.as_ref();
        let cancellation = e.cancellation.as_ref();
        Self {
            id: e.id,
            session_id: e.session_id,
            person_id: e.person_id,
            organisation_id: Nullable(e.organisation_id),
            status: e.status.into(),
            waitlist_position: Nullable(e.waitlist_position),
            price_kind: e.price_kind.into(),
            price_cents: e.price_cents,
            price_currency: e.price_currency.clone(),
            trainee_type: e.trainee_type.into(),
            funding_source: e.funding_source.into(),
            funding_amount_cents: Nullable(e.funding_amount_cents),
            needs: e.needs.clone(),
            enrolled_by: e.enrolled_by,
            enrolled_at: e.enrolled_at.into(),
            confirmed_at: Nullable(e.confirmed_at.map(Into::into)),
            promoted_at: Nullable(promotion.map(|p| p.at.into())),
            promoted_by: Nullable(promotion.map(|p| p.by)),
            promotion_reason: Nullable(promotion.map(|p| p.reason.clone())),
            cancelled_at: Nullable(cancellation.map(|c| c.at.into())),
            cancelled_by: Nullable(cancellation.map(|c| c.by)),
            cancel_reason: Nullable(cancellation.map(|c| c.reason.clone())),
            late_cancellation: cancellation.is_some_and(|c| c.late),
            positioning_answered_at: Nullable(e.positioning_answered_at.map(Into::into)),
            attended_minutes: Nullable(e.attendance.map(|a| a.minutes)),
            late: e.late_start.is_some(),
            late_first_slot_id: Nullable(e.late_start.map(|l| l.slot_id)),
            outcome: e.attendance.into(),
            updated_at: e.updated_at.into(),
        }
    }
}
