//! Enrolments as the service hands them out.

use chrono::{DateTime, Utc};
use uuid::Uuid;

pub use entity::status::{EnrolmentStatus, FundingSource, Outcome, PriceKind, TraineeType};

/// A person's enrolment in a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment {
    pub id: Uuid,
    pub session_id: Uuid,
    pub person_id: Uuid,
    /// The person's organisation when they enrolled.
    pub organisation_id: Option<Uuid>,
    pub status: EnrolmentStatus,
    /// 1 = next to get a seat; only while waitlisted.
    pub waitlist_position: Option<i32>,
    pub price_kind: PriceKind,
    pub price_cents: i64,
    pub price_currency: String,
    pub trainee_type: TraineeType,
    pub funding_source: FundingSource,
    pub funding_amount_cents: Option<i64>,
    pub needs: String,
    pub enrolled_by: Uuid,
    pub enrolled_at: DateTime<Utc>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub promotion: Option<Promotion>,
    pub cancellation: Option<Cancellation>,
    /// When the trainee completed the positioning questionnaire.
    pub positioning_answered_at: Option<DateTime<Utc>>,
    /// What the closed session says of it.
    pub attendance: Option<Attendance>,
    /// A late enrolment (made once the session had started): the first half-day they can attend.
    pub late_start: Option<LateStart>,
    pub updated_at: DateTime<Utc>,
}

/// The first half-day a late trainee can attend: its id, and its start when they enrolled (the
/// sheet schedules the half-days from it on; from that instant should it be removed later).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LateStart {
    pub slot_id: Uuid,
    pub starts_at: DateTime<Utc>,
}

impl LateStart {
    /// Whether a half-day starting at `starts_at` is one the trainee could attend, `first_start`
    /// being where their first half-day stands now (`None` if it was removed).
    pub fn schedules(&self, first_start: Option<DateTime<Utc>>, starts_at: DateTime<Utc>) -> bool {
        starts_at >= first_start.unwrap_or(self.starts_at)
    }
}

/// How a waitlisted enrolment got its seat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Promotion {
    pub at: DateTime<Utc>,
    /// Whose action freed the seat.
    pub by: Uuid,
    pub reason: String,
}

/// Who cancelled, when and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cancellation {
    pub at: DateTime<Utc>,
    pub by: Uuid,
    pub reason: String,
    /// Within the late-cancellation delay before the first half-day.
    pub late: bool,
}

/// What a caller asks when enrolling someone.
#[derive(Debug, Clone)]
pub struct EnrolRequest {
    pub session_id: Uuid,
    /// The person to enrol (the caller when `None`).
    pub person_id: Option<Uuid>,
    pub trainee_type: TraineeType,
    pub funding_source: FundingSource,
    pub funding_amount_cents: Option<i64>,
    pub needs: String,
    /// A client's retry key: the same key from the same caller gives the same enrolment.
    pub idempotency_key: Option<String>,
}

/// What [`crate::enrolment::service::enrol`] did.
#[derive(Debug, Clone)]
pub struct Enrolled {
    pub enrolment: Enrolment,
    /// An earlier request with the same `Idempotency-Key` made it; nothing was written now.
    pub replayed: bool,
}

/// Filters of the enrolment list.
#[derive(Debug, Clone, Default)]
pub struct EnrolmentFilter {
    pub session_id: Option<Uuid>,
    pub person_id: Option<Uuid>,
    pub organisation_id: Option<Uuid>,
    pub status: Option<EnrolmentStatus>,
    /// Set by the policy: what the caller may see.
    pub scope: Option<Visible>,
}

/// The enrolments a caller who is not an administrator may see: their own, their organisation's
/// (org managers) and the rosters of the sessions they teach (trainers).
#[derive(Debug, Clone, Default)]
pub struct Visible {
    pub person_id: Uuid,
    pub organisation_id: Option<Uuid>,
    pub taught_by: Option<Uuid>,
}

/// An accommodation a trainee asked for (Qualiopi ind. 26).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accommodation {
    pub id: Uuid,
    pub enrolment_id: Uuid,
    pub need: String,
    pub requested_by: Uuid,
    pub requested_at: DateTime<Utc>,
    pub handling: Option<Handling>,
}

/// How the disability referent handled a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handling {
    pub response: String,
    pub by: Uuid,
    pub at: DateTime<Utc>,
}

/// A confirmed trainee's convocation (Qualiopi ind. 9), as issued. Its content is stored as this
/// shape's JSON (`schema` 1), so it keeps saying what it said when issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Convocation {
    pub enrolment_id: Uuid,
    pub content: ConvocationContent,
    pub issued_by: Uuid,
    pub issued_at: DateTime<Utc>,
}

/// What a convocation tells the trainee.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ConvocationContent {
    pub schema: u32,
    pub training_title: String,
    pub time_zone: String,
    pub place: ConvocationPlace,
    pub half_days: Vec<ConvocationHalfDay>,
    pub contact: ConvocationContact,
    pub disability_referent: ConvocationContact,
    /// How to reach the place and its accessibility, and the training's accessibility.
    pub access: String,
    /// Where the rules of the training (règlement intérieur) are published, if configured.
    pub rules_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ConvocationPlace {
    pub online: bool,
    pub name: String,
    pub address: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    /// An online room's link: the convoked trainee gets it.
    pub join_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ConvocationHalfDay {
    pub date: chrono::NaiveDate,
    pub start: String,
    pub end: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ConvocationContact {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
}

/// A question of a positioning questionnaire (Qualiopi ind. 8), stored as JSON.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Question {
    /// The question's key, unique in its questionnaire; answers name it.
    pub key: String,
    pub kind: QuestionKind,
    pub prompt: String,
    /// The choices of a single- or multiple-choice question.
    pub options: Vec<String>,
    /// The bounds of a scale question.
    pub scale_min: Option<i32>,
    pub scale_max: Option<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    SingleChoice,
    MultipleChoice,
    Scale,
    FreeText,
}

/// A training's positioning questionnaire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Questionnaire {
    pub training_id: Uuid,
    pub questions: Vec<Question>,
    pub updated_at: DateTime<Utc>,
}

/// An answer to one question: `choices` for choice questions, `value` for a scale, `text` for
/// free text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Answer {
    pub key: String,
    pub choices: Vec<String>,
    pub value: Option<i32>,
    pub text: Option<String>,
}

/// A trainee's answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Positioning {
    pub enrolment_id: Uuid,
    pub answers: Vec<Answer>,
    pub answered_at: DateTime<Utc>,
}

/// What a closed session says of one enrolment: minutes actually attended (from the marks) and
/// the outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attendance {
    pub minutes: i32,
    pub outcome: Outcome,
}
