//! A person's export and erasure, put together from what each context holds about them.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr};
use uuid::Uuid;

use crate::accounts::model::{Person, Pseudonym};
use crate::accounts::service::{self as accounts, AccountsError};
use crate::attendance::service::{self as attendance, PersonalMarks};
use crate::calendar::service as calendar;
use crate::clubs::service::{self as clubs, PersonalClubs};
use crate::db::write::WriteTx;
use crate::documents::service::{self as documents, Issuer, PersonalDocuments};
use crate::enrolment::service::{self as enrolment, PersonalEnrolments};
use crate::notifications::model::{Message, Preferences};
use crate::notifications::service as notifications;
use crate::principal::Principal;
use crate::privacy::policy::{self, ErasureDenied};
use crate::quality::service::{self as quality, AcknowledgeDelay, PersonalQuality};
use crate::refusal::{Kind, Refusal};
use crate::sync::model::Device;
use crate::sync::service as sync;
use crate::values::Erasure;

#[derive(Debug, thiserror::Error)]
pub enum PrivacyError {
    /// No such person, or one whose data the caller may not read.
    #[error("no such person")]
    NotFound,
    #[error("only administrators erase a person's personal data")]
    Forbidden,
    #[error("an administrator's own account is erased by another administrator")]
    OwnAccount,
    #[error("this person's personal data was already erased")]
    AlreadyErased,
    #[error("the person's records changed while their erasure was prepared: retry")]
    ChangedMeanwhile,
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl PrivacyError {
    /// Every code this context's errors answer with (the spec lists each one).
    pub const CODES: &[&str] = &[
        "privacy.not_found",
        "privacy.forbidden",
        "privacy.own_account",
        "privacy.already_erased",
        "privacy.changed_meanwhile",
    ];
}

impl Refusal for PrivacyError {
    fn code(&self) -> Option<&'static str> {
        Some(match self {
            Self::NotFound => "privacy.not_found",
            Self::Forbidden => "privacy.forbidden",
            Self::OwnAccount => "privacy.own_account",
            Self::AlreadyErased => "privacy.already_erased",
            Self::ChangedMeanwhile => "privacy.changed_meanwhile",
            Self::Db(_) => return None,
        })
    }

    fn kind(&self) -> Kind {
        match self {
            Self::NotFound => Kind::NotFound,
            Self::Forbidden => Kind::Forbidden,
            Self::OwnAccount | Self::AlreadyErased | Self::ChangedMeanwhile => Kind::Conflict,
            Self::Db(_) => Kind::Internal,
        }
    }

    fn db(&self) -> Option<&DbErr> {
        match self {
            Self::Db(error) => Some(error),
            _ => None,
        }
    }
}

impl From<AccountsError> for PrivacyError {
    fn from(error: AccountsError) -> Self {
        match error {
            AccountsError::Erased => Self::AlreadyErased,
            AccountsError::Db(db) => Self::Db(db),
            other => Self::Db(DbErr::Custom(other.to_string())),
        }
    }
}

crate::refusal::lower_faults!(
    PrivacyError:
    crate::documents::service::DocumentsError,
    crate::enrolment::service::EnrolmentError,
    crate::attendance::service::AttendanceError,
    crate::clubs::service::ClubsError,
    crate::quality::service::QualityError,
    crate::calendar::service::CalendarError,
    crate::sync::service::SyncError,
    crate::notifications::service::NotificationsError,
);

pub type Result<T> = std::result::Result<T, PrivacyError>;

/// Everything Passerelle holds about a person.
#[derive(Debug, Clone)]
pub struct PersonalData {
    pub person: Person,
    pub enrolments: PersonalEnrolments,
    pub marks: PersonalMarks,
    pub documents: PersonalDocuments,
    pub clubs: PersonalClubs,
    pub quality: PersonalQuality,
    pub devices: Vec<Device>,
    pub messages: Vec<Message>,
    pub preferences: Preferences,
}

/// A person's data, for the person or an administrator (anyone else: not found).
pub async fn export(
    db: &impl ConnectionTrait,
    principal: &Principal,
    person_id: Uuid,
    delay: AcknowledgeDelay,
    now: DateTime<Utc>,
) -> Result<PersonalData> {
    if !policy::may_export(principal, person_id) {
        return Err(PrivacyError::NotFound);
    }
    let (person, _) = accounts::person_and_membership(db, person_id)
        .await?
        .ok_or(PrivacyError::NotFound)?;
    let enrolments = enrolment::personal_data(db, person_id).await?;
    let enrolment_ids: Vec<Uuid> = enrolments.enrolments.iter().map(|e| e.id).collect();
    let (messages, preferences) = notifications::personal_data(db, person_id).await?;
    Ok(PersonalData {
        person,
        marks: attendance::personal_data(db, person_id).await?,
        documents: documents::personal_data(db, person_id, &enrolment_ids).await?,
        clubs: clubs::personal_data(db, person_id).await?,
        quality: quality::personal_data(db, person_id, delay, now).await?,
        devices: sync::devices_of_person(db, person_id).await?,
        enrolments,
        messages,
        preferences,
    })
}

/// An erasure checked and its slow part done (the certificates rendered again under the
/// pseudonym), waiting for its transaction.
#[derive(Debug)]
pub struct PreparedErasure {
    person_id: Uuid,
    certificates: Vec<documents::Repapered>,
}

/// Checks that the caller may erase the person (administrators; not their own account; the
/// person exists and is not erased yet) and renders their certificates under the pseudonym.
/// No write.
pub async fn prepare_erasure(
    db: &impl ConnectionTrait,
    principal: &Principal,
    issuer: Issuer<'_>,
    person_id: Uuid,
) -> Result<PreparedErasure> {
    policy::may_erase(principal, person_id).map_err(|denied| match denied {
        ErasureDenied::NotAdministrator => PrivacyError::Forbidden,
        ErasureDenied::OwnAccount => PrivacyError::OwnAccount,
    })?;
    let (person, _) = accounts::person_and_membership(db, person_id)
        .await?
        .ok_or(PrivacyError::NotFound)?;
    if person.erased_at.is_some() {
        return Err(PrivacyError::AlreadyErased);
    }
    let name = Pseudonym::of(person_id).full_name();
    let certificates = documents::repaper_certificates(db, issuer, person_id, &name).await?;
    Ok(PreparedErasure {
        person_id,
        certificates,
    })
}

/// What an erasure did.
#[derive(Debug, Clone)]
pub struct ErasureReport {
    /// The person as they are now: their pseudonym.
    pub person: Person,
    /// Per kind of record, what became of it.
    pub erasures: Vec<Erasure>,
}

/// Erases the person in the caller's transaction: their identity becomes the pseudonym, what
/// the law keeps stays under it, the rest goes (each context says which is which).
pub async fn erase(
    tx: &mut WriteTx,
    principal: &Principal,
    prepared: PreparedErasure,
) -> Result<ErasureReport> {
    let PreparedErasure {
        person_id,
        certificates,
    } = prepared;
    let (person, pseudonym) = accounts::erase_person(tx, person_id)
        .await?
        .ok_or(PrivacyError::NotFound)?;
    let mut erasures = vec![Erasure::new(
        "person",
        crate::values::Treatment::Pseudonymised,
        1,
    )];
    erasures.extend(enrolment::erase_personal_data(tx, person_id).await?);
    erasures.extend(attendance::erase_personal_data(tx, person_id).await?);
    erasures.extend(
        documents::erase_personal_data(tx, person_id, certificates)
            .await?
            .ok_or(PrivacyError::ChangedMeanwhile)?,
    );
    erasures.extend(clubs::erase_personal_data(tx, person_id).await?);
    erasures.extend(quality::erase_personal_data(tx, person_id, &pseudonym.full_name()).await?);
    erasures.extend(calendar::erase_personal_data(tx.conn(), person_id).await?);
    let now = tx.now();
    erasures.extend(
        sync::revoke_devices_of_erased(tx.conn(), person_id, principal.person_id, now).await?,
    );
    erasures.extend(notifications::erase_personal_data(tx.conn(), person_id).await?);
    let audited = crate::db::audit::scrub_about(tx.conn(), person_id).await?;
    erasures.push(Erasure::new(
        "audit_entry",
        crate::values::Treatment::Pseudonymised,
        audited as usize,
    ));
    Ok(ErasureReport { person, erasures })
}
