//! A complaint as the API shows it and the bodies that file and handle one.

use poem_openapi::{Enum, Object};
use uuid::Uuid;

use crate::http::nullable::Nullable;
use crate::http::text::Text;
use crate::http::timestamp::Timestamp;
use crate::quality::model::{self, Complaint};

/// How a complaint reached the organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(
    rename = "ComplaintChannel",
    rename_all = "snake_case",
    remote = "model::ComplaintChannel"
)]
pub enum ComplaintChannelView {
    /// By e-mail.
    Email,
    /// By phone.
    Phone,
    /// By letter.
    Letter,
    /// Through the public form.
    Form,
    /// In person.
    InPerson,
}

/// Where a complaint stands: `received` → `acknowledged` → `answered` → `closed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(
    rename = "ComplaintStatus",
    rename_all = "snake_case",
    remote = "model::ComplaintStatus"
)]
pub enum ComplaintStatusView {
    /// Filed; not acknowledged yet.
    Received,
    /// Its receipt was acknowledged to the complainant.
    Acknowledged,
    /// An answer was given.
    Answered,
    /// Closed with its outcome.
    Closed,
}

/// A complaint, as received by any channel.
///
/// - `channel`: How it came.
#[derive(Debug, Object)]
pub struct NewComplaintBody {
    pub channel: ComplaintChannelView,
    /// Who to answer and how: a name with an e-mail, a phone number or a postal address
    /// (1–320 characters).
    #[oai(validator(max_length = 320))]
    pub contact: Text,
    /// The complaint (1–10,000 characters).
    #[oai(validator(max_length = 10000))]
    pub text: Text,
    /// The session it concerns, if any (it must exist).
    pub session_id: Option<Uuid>,
    /// The training it concerns, if any (it must exist).
    pub training_id: Option<Uuid>,
    /// The club it concerns, if any (it must exist).
    pub club_id: Option<Uuid>,
}

/// The answer given to a complaint.
#[derive(Debug, Object)]
pub struct ComplaintAnswerBody {
    /// The answer (1–10,000 characters).
    #[oai(validator(max_length = 10000))]
    pub answer: Text,
}

/// How a complaint ends.
#[derive(Debug, Object)]
pub struct ComplaintClosureBody {
    /// Its outcome: what was decided or changed (1–10,000 characters).
    #[oai(validator(max_length = 10000))]
    pub outcome: Text,
}

/// A complaint of the register, each step with its date and who recorded it (`null` until it
/// is reached).
///
/// - `channel`: How it came.
/// - `status`: Where it stands.
#[derive(Debug, Object)]
pub struct ComplaintView {
    /// Identifier.
    pub id: Uuid,
    pub channel: ComplaintChannelView,
    /// Who to answer and how.
    pub contact: String,
    /// The complaint.
    pub text: String,
    /// The session it concerns.
    pub session_id: Nullable<Uuid>,
    /// The training it concerns.
    pub training_id: Nullable<Uuid>,
    /// The club it concerns.
    pub club_id: Nullable<Uuid>,
    pub status: ComplaintStatusView,
    /// When it was received (UTC).
    pub received_at: Timestamp,
    /// The person who filed it with an account (`null`: filed without one).
    pub filed_by: Nullable<Uuid>,
    /// When its receipt was acknowledged (UTC).
    pub acknowledged_at: Nullable<Timestamp>,
    /// Who acknowledged it.
    pub acknowledged_by: Nullable<Uuid>,
    /// When it was answered (UTC).
    pub answered_at: Nullable<Timestamp>,
    /// Who answered it.
    pub answered_by: Nullable<Uuid>,
    /// The answer given.
    pub answer: Nullable<String>,
    /// When it was closed (UTC).
    pub closed_at: Nullable<Timestamp>,
    /// Who closed it.
    pub closed_by: Nullable<Uuid>,
    /// Its outcome.
    pub outcome: Nullable<String>,
    /// Not acknowledged within the delay (`--complaint-acknowledge-days`, 7 by default).
    pub overdue: bool,
}

impl From<Complaint> for ComplaintView {
    fn from(c: Complaint) -> Self {
        Self {
            id: c.id,
            channel: c.channel.into(),
            contact: c.contact,
            text: c.text,
            session_id: Nullable(c.session_id),
            training_id: Nullable(c.training_id),
            club_id: Nullable(c.club_id),
            status: c.status.into(),
            received_at: c.received_at.into(),
            filed_by: Nullable(c.filed_by),
            acknowledged_at: Nullable(c.acknowledged.map(|d| d.at.into())),
            acknowledged_by: Nullable(c.acknowledged.map(|d| d.by)),
            answered_at: Nullable(c.answered.map(|d| d.at.into())),
            answered_by: Nullable(c.answered.map(|d| d.by)),
            answer: Nullable(c.answer),
            closed_at: Nullable(c.closed.map(|d| d.at.into())),
            closed_by: Nullable(c.closed.map(|d| d.by)),
            outcome: Nullable(c.outcome),
            overdue: c.overdue,
        }
    }
}
