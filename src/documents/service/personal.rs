//! A person's documents, for the personal-data export and erasure (GDPR Art. 15, 17, 20). No
//! policy here: the privacy context decides who may ask.
//!
//! Certificates are evidence the law keeps (Art. 17(3)(b)); an erased person's are kept, their
//! codes still verify, and they state the person's pseudonym: each is rendered again under it
//! *before* the erasure's transaction (rendering takes a core for a while), then swapped in by
//! it if the certificate did not change meanwhile.

use sea_orm::ConnectionTrait;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::certificates::{Issuer, render_pdf};
use super::{Result, facts};
use crate::db::write::WriteTx;
use crate::documents::model::{Assessment, Certificate, CertificateContent};
use crate::documents::store;
use crate::values::{Erasure, Treatment};

/// Everything documents holds about a person.
#[derive(Debug, Clone)]
pub struct PersonalDocuments {
    /// Every certificate, revoked ones included, oldest first.
    pub certificates: Vec<Certificate>,
    pub assessments: Vec<Assessment>,
}

pub async fn personal_data(
    db: &impl ConnectionTrait,
    person_id: Uuid,
    enrolment_ids: &[Uuid],
) -> Result<PersonalDocuments> {
    Ok(PersonalDocuments {
        certificates: store::certificates_of_person(db, person_id).await?,
        assessments: store::assessments_of_enrolments(db, enrolment_ids).await?,
    })
}

/// A certificate rendered again under the person's pseudonym, waiting for the erasure.
#[derive(Debug)]
pub struct Repapered {
    id: Uuid,
    was: String,
    content: CertificateContent,
    pdf: Vec<u8>,
}

/// The person's certificates rendered again, each stating `name` as the trainee. No write.
pub async fn repaper_certificates(
    db: &impl ConnectionTrait,
    issuer: Issuer<'_>,
    person_id: Uuid,
    name: &str,
) -> Result<Vec<Repapered>> {
    let certificates = store::certificates_of_person(db, person_id).await?;
    if certificates.is_empty() {
        return Ok(Vec::new());
    }
    let provider = facts::required_provider(db).await?;
    let mut repapered = Vec::with_capacity(certificates.len());
    for certificate in certificates {
        let content = CertificateContent {
            trainee: name.to_owned(),
            ..certificate.content
        };
        let pdf = render_pdf(
            issuer,
            &provider,
            certificate.id,
            &certificate.code,
            &content,
        )
        .await?;
        repapered.push(Repapered {
            id: certificate.id,
            was: certificate.sha256,
            content,
            pdf,
        });
    }
    Ok(repapered)
}

/// Swaps in the certificates rendered under the pseudonym; `Ok(None)` when the person's
/// certificates changed since they were rendered (the caller rolls back and prepares again).
pub async fn erase_personal_data(
    tx: &mut WriteTx,
    person_id: Uuid,
    repapered: Vec<Repapered>,
) -> Result<Option<Vec<Erasure>>> {
    let current = store::certificates_of_person(tx.conn(), person_id).await?;
    if current.len() != repapered.len() {
        return Ok(None);
    }
    let count = repapered.len();
    for r in repapered {
        let sha256 = hex::encode(Sha256::digest(&r.pdf));
        if !store::replace_certificate_file(tx.conn(), r.id, &r.was, &r.content, r.pdf, sha256)
            .await?
        {
            return Ok(None);
        }
    }
    Ok(Some(vec![Erasure::new(
        "certificate",
        Treatment::Pseudonymised,
        count,
    )]))
}

/// Removes the certificates issued before `before` (counts them when `dry_run`): their codes
/// then verify as unknown.
pub async fn purge_certificates(
    db: &impl ConnectionTrait,
    before: chrono::DateTime<chrono::Utc>,
    dry_run: bool,
) -> Result<crate::values::Purged> {
    let count = store::purge_certificates(db, before, dry_run).await?;
    Ok(crate::values::Purged::new("certificate", count))
}
