//! What the documents' endpoints answer and accept.

use chrono::NaiveDate;
use poem_openapi::payload::Binary;
use poem_openapi::{ApiResponse, Enum, Object};
use uuid::Uuid;

use crate::documents::model::{
    Assessment, AssessmentResult, Certificate, ObjectiveResult, Provider,
};
use crate::documents::service::{french_duration, verify_url};
use crate::http::nullable::Nullable;
use crate::http::timestamp::Timestamp;

/// A document as a file.
#[derive(ApiResponse)]
pub enum FileOk {
    /// The document, a PDF/A-2b file (`Content-Disposition` names it; `Cache-Control: private,
    /// no-store`: it holds personal data).
    #[oai(status = 200, content_type = "application/pdf")]
    Pdf(
        Binary<Vec<u8>>,
        #[oai(header = "Content-Disposition")] String,
        #[oai(header = "Cache-Control")] String,
    ),
}

impl FileOk {
    pub fn pdf(bytes: Vec<u8>, file_name: &str) -> Self {
        Self::Pdf(
            Binary(bytes),
            format!("attachment; filename=\"{file_name}\""),
            "private, no-store".into(),
        )
    }
}

/// A ZIP archive.
#[derive(ApiResponse)]
pub enum ZipOk {
    /// The archive: one PDF per valid certificate, named after the trainee and the code.
    #[oai(status = 200, content_type = "application/zip")]
    Zip(
        Binary<Vec<u8>>,
        #[oai(header = "Content-Disposition")] String,
        #[oai(header = "Cache-Control")] String,
    ),
}

/// An issued certificate of completion (certificat de réalisation), as administrators see it.
#[derive(Debug, Object)]
pub struct CertificateView {
    /// Certificate id.
    pub id: Uuid,
    /// The verification code printed on it (`XXXX-XXXX-XXXX-XXXX`).
    pub code: String,
    /// Where anyone checks it.
    pub verify_url: String,
    /// The trainee's enrolment.
    pub enrolment_id: Uuid,
    /// The session.
    pub session_id: Uuid,
    /// The trainee.
    pub person_id: Uuid,
    /// The trainee's name as printed.
    pub trainee: String,
    /// The employer's name as printed, if the trainee had one.
    pub employer: Nullable<String>,
    /// The training's title as printed.
    pub training_title: String,
    /// First day of the session (local date).
    pub first_day: NaiveDate,
    /// Last day of the session (local date).
    pub last_day: NaiveDate,
    /// Minutes the trainee actually attended (from the marks).
    pub attended_minutes: i32,
    /// Minutes the session planned.
    pub planned_minutes: i32,
    /// The attended duration as printed, e.g. `7 h 30`.
    pub duration: String,
    /// Lower-case hex SHA-256 of the PDF's bytes: every download is this file.
    pub sha256: String,
    /// When it was issued (UTC).
    pub issued_at: Timestamp,
    /// Who issued it (the first person to download it, or the administrator who issued the
    /// session's certificates).
    pub issued_by: Uuid,
    /// When it was revoked, if it was.
    pub revoked_at: Nullable<Timestamp>,
    /// Why it was revoked.
    pub revoke_reason: Nullable<String>,
}

impl CertificateView {
    pub fn of(c: Certificate, public_url: &str) -> Self {
        Self {
            verify_url: verify_url(public_url, &c.code),
            id: c.id,
            code: c.code,
            enrolment_id: c.enrolment_id,
            session_id: c.session_id,
            person_id: c.person_id,
            duration: french_duration(c.content.attended_minutes),
            trainee: c.content.trainee,
            employer: Nullable(c.content.employer),
            training_title: c.content.training_title,
            first_day: c.content.first_day,
            last_day: c.content.last_day,
            attended_minutes: c.content.attended_minutes,
            planned_minutes: c.content.planned_minutes,
            sha256: c.sha256,
            issued_at: c.issued_at.into(),
            issued_by: c.issued_by,
            revoked_at: Nullable(c.revocation.as_ref().map(|r| r.at.into())),
            revoke_reason: Nullable(c.revocation.map(|r| r.reason)),
        }
    }
}

/// Whether a certificate still stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum CertificateStatus {
    /// Issued and not revoked.
    Valid,
    /// Revoked by the provider: it no longer attests anything.
    Revoked,
}

/// What a certificate states, for anyone holding its code.
///
/// - `status`: `valid`, or `revoked` (the certificate no longer attests anything).
#[derive(Debug, Object)]
pub struct CertificateVerificationView {
    /// The code, normalized (upper case, no spaces).
    pub code: String,
    pub status: CertificateStatus,
    /// The trainee's name.
    pub trainee: String,
    /// The employer's name, if any.
    pub employer: Nullable<String>,
    /// The training's title.
    pub training_title: String,
    /// Nature of the action.
    pub nature: String,
    /// First day (local date).
    pub first_day: NaiveDate,
    /// Last day (local date).
    pub last_day: NaiveDate,
    /// Minutes actually attended.
    pub attended_minutes: i32,
    /// The attended duration as printed, e.g. `7 h 30`.
    pub duration: String,
    /// The training provider.
    pub provider_name: String,
    /// The provider's legal representative who signed it.
    pub representative_name: String,
    /// The day it was issued (local date).
    pub issued_on: NaiveDate,
    /// SHA-256 of the issued PDF: a copy with another hash was altered.
    pub sha256: String,
    /// When it was revoked, if it was.
    pub revoked_at: Nullable<Timestamp>,
}

impl From<Certificate> for CertificateVerificationView {
    fn from(c: Certificate) -> Self {
        Self {
            code: c.code,
            status: if c.revocation.is_some() {
                CertificateStatus::Revoked
            } else {
                CertificateStatus::Valid
            },
            trainee: c.content.trainee,
            employer: Nullable(c.content.employer),
            training_title: c.content.training_title,
            nature: "action de formation".into(),
            first_day: c.content.first_day,
            last_day: c.content.last_day,
            attended_minutes: c.content.attended_minutes,
            duration: french_duration(c.content.attended_minutes),
            provider_name: c.content.provider_name,
            representative_name: c.content.representative_name,
            issued_on: c.content.issued_on,
            sha256: c.sha256,
            revoked_at: Nullable(c.revocation.map(|r| r.at.into())),
        }
    }
}

/// The result of a trainee's assessment of learning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename = "AssessmentResult", rename_all = "snake_case")]
pub enum AssessmentResultView {
    /// The objectives are reached.
    Acquired,
    /// Some of them.
    PartiallyAcquired,
    /// None of them.
    NotAcquired,
}

impl From<AssessmentResultView> for AssessmentResult {
    fn from(r: AssessmentResultView) -> Self {
        match r {
            AssessmentResultView::Acquired => Self::Acquired,
            AssessmentResultView::PartiallyAcquired => Self::PartiallyAcquired,
            AssessmentResultView::NotAcquired => Self::NotAcquired,
        }
    }
}

impl From<AssessmentResult> for AssessmentResultView {
    fn from(r: AssessmentResult) -> Self {
        match r {
            AssessmentResult::Acquired => Self::Acquired,
            AssessmentResult::PartiallyAcquired => Self::PartiallyAcquired,
            AssessmentResult::NotAcquired => Self::NotAcquired,
        }
    }
}

/// A trainee's recorded assessment (Qualiopi ind. 11).
///
/// - `result`: the overall result: `acquired`, `partially_acquired` or `not_acquired`.
#[derive(Debug, Object)]
pub struct AssessmentView {
    /// The trainee's enrolment.
    pub enrolment_id: Uuid,
    pub result: AssessmentResultView,
    /// The assessor's remarks (printed on the attestation).
    pub comment: String,
    /// The result against each objective of the programme, in the programme's order (empty for
    /// an assessment recorded before results were given per objective).
    pub objectives: Vec<ObjectiveAssessmentView>,
    /// Who recorded it.
    pub assessed_by: Uuid,
    /// When (UTC).
    pub assessed_at: Timestamp,
}

impl From<Assessment> for AssessmentView {
    fn from(a: Assessment) -> Self {
        Self {
            enrolment_id: a.enrolment_id,
            result: a.result.into(),
            comment: a.comment,
            objectives: a.objectives.into_iter().map(Into::into).collect(),
            assessed_by: a.assessed_by,
            assessed_at: a.assessed_at.into(),
        }
    }
}

/// The result against one objective of the programme.
///
/// - `result`: `acquired`, `partially_acquired` or `not_acquired`.
#[derive(Debug, Object)]
pub struct ObjectiveAssessmentView {
    /// The objective's index in the programme's `objectives` (0 for the first).
    pub objective: i32,
    /// The objective's wording, as the programme stated it when the assessment was recorded.
    pub wording: String,
    pub result: AssessmentResultView,
    /// The assessor's remarks on this objective (empty: none).
    pub comment: String,
}

impl From<ObjectiveResult> for ObjectiveAssessmentView {
    fn from(o: ObjectiveResult) -> Self {
        Self {
            objective: i32::try_from(o.objective).unwrap_or(i32::MAX),
            wording: o.wording,
            result: o.result.into(),
            comment: o.comment,
        }
    }
}

/// The training provider as every document names it.
#[derive(Debug, Object)]
pub struct ProviderView {
    /// The provider's name.
    pub name: String,
    /// Postal address.
    pub address: String,
    /// Where documents are signed ("Fait à …").
    pub city: String,
    /// SIRET (14 digits).
    pub siret: String,
    /// Numéro de déclaration d'activité.
    pub declaration_number: String,
    /// The legal representative who signs certificates.
    pub representative_name: String,
    /// Their title.
    pub representative_title: String,
    /// Contact e-mail printed on the letterhead (empty: none).
    pub email: String,
    /// Contact telephone (empty: none).
    pub phone: String,
    /// Payment terms printed on quotes and conventions (empty: "on receipt of the invoice").
    pub payment_terms: String,
    /// Whether a logo is set (printed on the letterhead).
    pub has_logo: bool,
    /// Whether the representative's signature image is set (printed under each signature).
    pub has_signature: bool,
    /// Who last set it.
    pub updated_by: Uuid,
    /// When (UTC).
    pub updated_at: Timestamp,
}

impl From<Provider> for ProviderView {
    fn from(p: Provider) -> Self {
        let i = p.identity;
        Self {
            name: i.name,
            address: i.address,
            city: i.city,
            siret: i.siret,
            declaration_number: i.declaration_number,
            representative_name: i.representative_name,
            representative_title: i.representative_title,
            email: i.email,
            phone: i.phone,
            payment_terms: i.payment_terms,
            has_logo: p.logo_png.is_some(),
            has_signature: p.signature_png.is_some(),
            updated_by: p.updated_by,
            updated_at: p.updated_at.into(),
        }
    }
}
