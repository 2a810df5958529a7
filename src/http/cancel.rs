//! The body of every cancellation (a session, an enrolment): a reason, kept for the evidence.

use poem_openapi::Object;

use super::text::Text;

/// Why something is cancelled (a session, an enrolment).
#[derive(Debug, Object)]
pub struct CancelRequest {
    /// The reason, kept for the evidence.
    #[oai(validator(min_length = 1, max_length = 2000))]
    pub reason: Text,
}
