//! The export's and the erasure's types: each record kind shown as its own context's API shows
//! it, so an export reads like the rest of the API.

use poem_openapi::{Enum, Object};

use crate::accounts::api::people::PersonView;
use crate::attendance::api::MarkView;
use crate::clubs::api::{MeetingMarkView, MembershipView, RsvpView};
use crate::documents::api::{AssessmentView, CertificateView};
use crate::enrolment::api::{AccommodationView, EnrolmentView, PositioningView};
use crate::http::nullable::Nullable;
use crate::http::timestamp::Timestamp;
use crate::notifications::api::{MessageView, PreferencesView};
use crate::privacy::service::{ErasureReport, PersonalData};
use crate::quality::api::{ComplaintView, InvitationView};
use crate::sync::api::DeviceView;
use crate::values::{Erasure, Treatment};

/// A mark at a half-day (`mark`), with a link to the signature image when the person signed.
#[derive(Debug, Object)]
pub struct PersonalMarkView {
    pub mark: MarkView,
    /// Where the signature image (PNG) is read, with the same bearer token; `null` unsigned.
    pub signature_url: Nullable<String>,
}

/// Everything Passerelle holds about a person (GDPR Art. 15 and 20), each record as the rest
/// of the API shows it: `person` is the account (identity, organisation, roles, whether it is
/// active or erased), `notification_preferences` the person's choices of optional e-mails.
#[derive(Debug, Object)]
pub struct PersonalDataView {
    /// When this export was made (UTC).
    pub exported_at: Timestamp,
    pub person: PersonView,
    /// Every enrolment, cancelled ones included, oldest first.
    pub enrolments: Vec<EnrolmentView>,
    /// The answers to positioning questionnaires.
    pub positioning_answers: Vec<PositioningView>,
    /// The accommodation requests (disability or other needs) and their handling.
    pub accommodation_requests: Vec<AccommodationView>,
    /// The marks at sessions' half-days, with links to the signature images.
    pub attendance_marks: Vec<PersonalMarkView>,
    /// The certificates of completion issued to the person, revoked ones included.
    pub certificates: Vec<CertificateView>,
    /// The assessments of learning recorded for the person's enrolments.
    pub assessments: Vec<AssessmentView>,
    /// The survey invitations with the answers given so far.
    pub surveys: Vec<InvitationView>,
    /// The complaints the person filed with their account.
    pub complaints: Vec<ComplaintView>,
    /// Memberships of clubs, requested, current or ended.
    pub club_memberships: Vec<MembershipView>,
    /// Answers to club meetings.
    pub meeting_rsvps: Vec<RsvpView>,
    /// Marks at club meetings.
    pub meeting_marks: Vec<MeetingMarkView>,
    /// The e-mails drafted or sent to the person, oldest first.
    pub messages: Vec<MessageView>,
    pub notification_preferences: PreferencesView,
    /// The devices the person registered for offline sync, newest first.
    pub devices: Vec<DeviceView>,
}

impl PersonalDataView {
    pub fn of(data: PersonalData, public_url: &str, now: chrono::DateTime<chrono::Utc>) -> Self {
        let base = public_url.trim_end_matches('/');
        let attendance_marks =
            data.marks
                .half_days
                .into_iter()
                .map(|mark| PersonalMarkView {
                    signature_url: Nullable(mark.signature_sha256.as_ref().map(|sha| {
                        format!("{base}/api/v1/slots/{}/signatures/{sha}", mark.slot_id)
                    })),
                    mark: mark.into(),
                })
                .collect();
        Self {
            exported_at: now.into(),
            person: data.person.into(),
            enrolments: data
                .enrolments
                .enrolments
                .into_iter()
                .map(Into::into)
                .collect(),
            positioning_answers: data
                .enrolments
                .positioning
                .into_iter()
                .map(Into::into)
                .collect(),
            accommodation_requests: data
                .enrolments
                .accommodations
                .into_iter()
                .map(Into::into)
                .collect(),
            attendance_marks,
            certificates: data
                .documents
                .certificates
                .into_iter()
                .map(|c| CertificateView::of(c, public_url))
                .collect(),
            assessments: data
                .documents
                .assessments
                .into_iter()
                .map(Into::into)
                .collect(),
            surveys: data
                .quality
                .surveys
                .into_iter()
                .map(|s| InvitationView::of(s, now))
                .collect(),
            complaints: data
                .quality
                .complaints
                .into_iter()
                .map(Into::into)
                .collect(),
            club_memberships: data.clubs.memberships.into_iter().map(Into::into).collect(),
            meeting_rsvps: data.clubs.rsvps.into_iter().map(Into::into).collect(),
            meeting_marks: data.marks.meetings.into_iter().map(Into::into).collect(),
            messages: data.messages.into_iter().map(Into::into).collect(),
            notification_preferences: data.preferences.into(),
            devices: data.devices.into_iter().map(Into::into).collect(),
        }
    }
}

/// What erasure did to a kind of record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum TreatmentView {
    /// Deleted.
    Removed,
    /// Kept, with what named the person replaced by the pseudonym or emptied.
    Pseudonymised,
    /// Kept as it is, the law requiring it (GDPR Art. 17(3)(b)); it names the person only by
    /// the pseudonym.
    Retained,
}

impl From<Treatment> for TreatmentView {
    fn from(t: Treatment) -> Self {
        match t {
            Treatment::Removed => Self::Removed,
            Treatment::Pseudonymised => Self::Pseudonymised,
            Treatment::Retained => Self::Retained,
        }
    }
}

/// One kind of record and what erasure did to it (`treatment`).
#[derive(Debug, Object)]
pub struct ErasedRecordsView {
    /// The kind of record (`person`, `enrolment`, `attendance_mark`, `certificate`,
    /// `notification`, …).
    pub record: String,
    pub treatment: TreatmentView,
    /// How many of the person's records of this kind.
    pub count: u64,
}

impl From<Erasure> for ErasedRecordsView {
    fn from(e: Erasure) -> Self {
        Self {
            record: e.record.to_owned(),
            treatment: e.treatment.into(),
            count: e.count,
        }
    }
}

/// What an erasure did: `person` is the person as they are now (names and e-mail are the
/// pseudonym, the account inactive).
#[derive(Debug, Object)]
pub struct ErasureView {
    pub person: PersonView,
    /// Per kind of record, what became of the person's records.
    pub records: Vec<ErasedRecordsView>,
}

impl From<ErasureReport> for ErasureView {
    fn from(r: ErasureReport) -> Self {
        Self {
            person: r.person.into(),
            records: r.erasures.into_iter().map(Into::into).collect(),
        }
    }
}
