//! What the documents context stores and states.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

/// The training provider as every document names it.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct ProviderIdentity {
    pub name: String,
    /// Postal address, on one or more lines.
    pub address: String,
    /// Where documents are signed ("Fait à …").
    pub city: String,
    pub siret: String,
    /// Numéro de déclaration d'activité.
    pub declaration_number: String,
    pub representative_name: String,
    pub representative_title: String,
    pub email: String,
    pub phone: String,
    /// Payment terms printed on quotes and conventions.
    pub payment_terms: String,
}

/// The provider's identity with its images.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provider {
    pub identity: ProviderIdentity,
    pub logo_png: Option<Vec<u8>>,
    pub signature_png: Option<Vec<u8>>,
    pub updated_by: Uuid,
    pub updated_at: DateTime<Utc>,
}

/// What a certificate states, as issued (stored as JSON, `schema` 1).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CertificateContent {
    pub schema: u32,
    pub trainee: String,
    pub employer: Option<String>,
    pub training_title: String,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub attended_minutes: i32,
    pub planned_minutes: i32,
    pub provider_name: String,
    pub representative_name: String,
    pub place: String,
    pub issued_on: NaiveDate,
}

/// An issued certificate of completion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    pub id: Uuid,
    pub code: String,
    pub enrolment_id: Uuid,
    pub session_id: Uuid,
    pub person_id: Uuid,
    pub content: CertificateContent,
    pub sha256: String,
    pub issued_by: Uuid,
    pub issued_at: DateTime<Utc>,
    pub revocation: Option<Revocation>,
}

/// Why and when a certificate was revoked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revocation {
    pub at: DateTime<Utc>,
    pub by: Uuid,
    pub reason: String,
}

/// The result of a trainee's assessment of learning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssessmentResult {
    Acquired,
    PartiallyAcquired,
    NotAcquired,
}

impl AssessmentResult {
    pub const ALL: [Self; 3] = [Self::Acquired, Self::PartiallyAcquired, Self::NotAcquired];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Acquired => "acquired",
            Self::PartiallyAcquired => "partially_acquired",
            Self::NotAcquired => "not_acquired",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == value)
    }

    /// As the attestation prints it.
    pub fn french(self) -> &'static str {
        match self {
            Self::Acquired => "acquis",
            Self::PartiallyAcquired => "partiellement acquis",
            Self::NotAcquired => "non acquis",
        }
    }
}

/// A trainee's recorded assessment: the overall result and, one per objective of the
/// programme, the result against that objective.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub enrolment_id: Uuid,
    pub result: AssessmentResult,
    pub comment: String,
    /// In the programme's order, one per objective.
    pub objectives: Vec<ObjectiveResult>,
    pub assessed_by: Uuid,
    pub assessed_at: DateTime<Utc>,
}

/// The result against one objective of the programme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectiveResult {
    /// The objective's index in the programme's list (0-based).
    pub objective: usize,
    /// The objective's wording when it was assessed (a later edit of the programme does not
    /// relabel a result).
    pub wording: String,
    pub result: AssessmentResult,
    pub comment: String,
}

/// What an assessor sends: the overall result and, when the programme states objectives, one
/// result per objective.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentInput {
    pub result: AssessmentResult,
    pub comment: String,
    /// `None` when the body carries no `objectives`.
    pub objectives: Option<Vec<ObjectiveInput>>,
}

/// One objective's result as sent: `objective` is the index the client names, checked against
/// the programme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectiveInput {
    pub objective: i64,
    pub result: AssessmentResult,
    pub comment: String,
}
