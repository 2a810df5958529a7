//! The complaints register (Qualiopi ind. 31): received → acknowledged → answered → closed, each
//! step dated and by whom.

use chrono::{DateTime, Utc};
use uuid::Uuid;

pub use entity::complaint::{ComplaintChannel, ComplaintStatus};

/// Longest contact, in characters (an address, a phone number, an e-mail).
pub const MAX_CONTACT_CHARS: usize = 320;
/// Longest complaint text, answer or outcome, in characters.
pub const MAX_COMPLAINT_TEXT_CHARS: usize = 10_000;

/// A complaint as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewComplaint {
    pub channel: ComplaintChannel,
    /// Who to answer and how.
    pub contact: String,
    pub text: String,
    pub session_id: Option<Uuid>,
    pub training_id: Option<Uuid>,
    pub club_id: Option<Uuid>,
}

/// A step recorded on a complaint: when and by whom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Done {
    pub at: DateTime<Utc>,
    pub by: Uuid,
}

/// A complaint of the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Complaint {
    pub id: Uuid,
    pub channel: ComplaintChannel,
    pub contact: String,
    pub text: String,
    pub session_id: Option<Uuid>,
    pub training_id: Option<Uuid>,
    pub club_id: Option<Uuid>,
    pub status: ComplaintStatus,
    pub received_at: DateTime<Utc>,
    /// The person who filed it with an account (`None`: without one).
    pub filed_by: Option<Uuid>,
    pub acknowledged: Option<Done>,
    pub answered: Option<Done>,
    pub answer: Option<String>,
    pub closed: Option<Done>,
    pub outcome: Option<String>,
    /// Still not acknowledged once the delay passed.
    pub overdue: bool,
}

/// Which complaints a list shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ComplaintFilter {
    pub status: Option<ComplaintStatus>,
    /// Only those not acknowledged within the delay.
    pub overdue: bool,
}
