//! Certificats de réalisation: issued once per trainee of a closed session (on first download,
//! or for the whole session by an administrator), stored with their bytes and SHA-256 so every
//! later download is the same file.
//!
//! Issuing runs in two phases. **Render** reads (no transaction) and renders the PDF of every
//! certificate still missing; **record** inserts the rows in the caller's [`WriteTx`]. Rendering
//! takes milliseconds per page on a blocking thread, behind a semaphore shared by every request:
//! inside the write transaction it would hold SQLite's one writer (and the server's writer
//! gate) for the whole session's batch and stall every other write. The rows hold the PDF and
//! its hash, so they can only be written once it exists: render first, then one short
//! transaction that inserts every row of a session, all of them or none. A certificate that
//! another request recorded in between wins: the partial unique index (one valid certificate
//! per enrolment) refuses the second row, on both engines, and the winner is read back inside
//! the transaction, so concurrent first downloads still answer one certificate.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use rand::Rng;
use sea_orm::ConnectionTrait;
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::facts::{self, TraineeFacts};
use super::{DocumentsError, Result};
use crate::attendance::model::{Sheet, SheetRow};
use crate::attendance::service as attendance;
use crate::catalogue::model::SessionStatus;
use crate::catalogue::service as catalogue;
use crate::db::write::WriteTx;
use crate::documents::model::{Certificate, CertificateContent, Provider};
use crate::documents::render::{Job, Renderer, Template};
use crate::documents::{policy, store};
use crate::enrolment::service as enrolment;
use crate::principal::Principal;

/// Crockford's base32 alphabet: no I, L, O, U (nothing to misread).
const CODE_ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// `XXXX-XXXX-XXXX-XXXX`: 80 random bits.
fn new_code() -> String {
    let mut rng = rand::rng();
    (0..4)
        .map(|_| {
            (0..4)
                .map(|_| CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())] as char)
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// Codes are typed by people: case and spaces do not matter.
pub fn normalize_code(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The public URL where anyone checks a certificate.
pub fn verify_url(public_url: &str, code: &str) -> String {
    format!(
        "{}/api/v1/certificates/verify/{code}",
        public_url.trim_end_matches('/')
    )
}

/// What issuing certificates needs besides the database.
#[derive(Clone, Copy)]
pub struct Issuer<'a> {
    /// Renders the PDFs.
    pub renderer: &'a Arc<Renderer>,
    /// The instant of issue (the application's clock), printed as the day of issue.
    pub now: DateTime<Utc>,
    /// The server's public URL, printed with the verification code.
    pub public_url: &'a str,
}

/// A certificate rendered for a trainee who held none, waiting to be recorded.
pub struct Rendered {
    certificate: Certificate,
    pdf: Vec<u8>,
}

/// A trainee's certificate: stored already, or rendered now and to be recorded.
pub enum CertificateFile {
    Stored(Certificate, Vec<u8>),
    Rendered(Rendered),
}

/// The trainee's certificate: the stored one, or rendered now when the session is closed
/// (record it with [`record_certificate`]).
pub async fn certificate_pdf(
    db: &impl ConnectionTrait,
    issuer: Issuer<'_>,
    principal: &Principal,
    enrolment_id: Uuid,
) -> Result<CertificateFile> {
    let facts = facts::trainee_facts(db, principal, enrolment_id).await?;
    if let Some((certificate, pdf)) = store::valid_certificate(db, enrolment_id).await? {
        return Ok(CertificateFile::Stored(certificate, pdf));
    }
    facts.require_completed()?;
    let provider = facts::required_provider(db).await?;
    let sheet = attendance::build_sheet(db, &facts.session).await?;
    let rendered = render(issuer, principal, &provider, &sheet, &facts).await?;
    Ok(CertificateFile::Rendered(rendered))
}

/// Records a rendered certificate in the caller's transaction; when another request recorded
/// the enrolment's certificate first, answers that one.
pub async fn record_certificate(
    tx: &mut WriteTx,
    rendered: Rendered,
) -> Result<(Certificate, Vec<u8>)> {
    let Rendered { certificate, pdf } = rendered;
    if store::insert_certificate(tx.conn(), &certificate, pdf.clone()).await? {
        tx.emit([crate::db::outbox::Event::CertificateAvailable(
            certificate.id,
        )])
        .await?;
        return Ok((certificate, pdf));
    }
    store::valid_certificate(tx.conn(), certificate.enrolment_id)
        .await?
        .ok_or(DocumentsError::CertificateNotFound)
}

/// A closed session's certificates before they are recorded: per trainee holding a seat, in
/// the sheet's order, the stored certificate or the one rendered now.
pub struct SessionCertificates {
    planned: Vec<Planned>,
}

enum Planned {
    Stored(Certificate),
    Rendered(Rendered),
}

/// Renders the certificates a closed session's trainees do not hold yet (administrators);
/// record them with [`issue_session_certificates`].
pub async fn render_session_certificates(
    db: &impl ConnectionTrait,
    issuer: Issuer<'_>,
    principal: &Principal,
    session_id: Uuid,
) -> Result<SessionCertificates> {
    policy::require_administrator(
        principal,
        "only administrators issue a session's certificates",
    )?;
    let session = catalogue::session_details(db, session_id)
        .await?
        .ok_or(DocumentsError::SessionNotFound)?;
    if session.status != SessionStatus::Closed {
        return Err(DocumentsError::SessionNotClosed);
    }
    let sheet = attendance::build_sheet(db, &session).await?;
    let mut planned = Vec::with_capacity(sheet.rows.len());
    let mut provider = None;
    for row in &sheet.rows {
        if let Some((certificate, _)) = store::valid_certificate(db, row.enrolment_id).await? {
            planned.push(Planned::Stored(certificate));
            continue;
        }
        let provider = match &provider {
            Some(provider) => provider,
            None => provider.insert(facts::required_provider(db).await?),
        };
        let enrolment = enrolment::get_enrolment(db, principal, row.enrolment_id).await?;
        let facts = facts::facts_of(db, enrolment).await?;
        facts.require_completed()?;
        let rendered = render(issuer, principal, provider, &sheet, &facts).await?;
        planned.push(Planned::Rendered(rendered));
    }
    Ok(SessionCertificates { planned })
}

/// Records a session's rendered certificates in the caller's transaction — all of them or,
/// if one fails, none — and answers every valid certificate of its trainees.
pub async fn issue_session_certificates(
    tx: &mut WriteTx,
    certificates: SessionCertificates,
) -> Result<Vec<Certificate>> {
    let mut issued = Vec::with_capacity(certificates.planned.len());
    for planned in certificates.planned {
        issued.push(match planned {
            Planned::Stored(certificate) => certificate,
            Planned::Rendered(rendered) => record_certificate(tx, rendered).await?.0,
        });
    }
    Ok(issued)
}

/// The PDF of a certificate stating `content`, with its code and verification link.
pub(super) async fn render_pdf(
    issuer: Issuer<'_>,
    provider: &Provider,
    certificate_id: Uuid,
    code: &str,
    content: &CertificateContent,
) -> Result<Vec<u8>> {
    let (provider_data, images) = facts::provider_json(provider);
    let data = json!({
        "provider": provider_data,
        "issued": facts::issued_json(content.issued_on),
        "trainee": content.trainee,
        "employer": content.employer.clone().unwrap_or_else(|| "(sans employeur)".into()),
        "title": content.training_title,
        "first_day": facts::french_date(content.first_day),
        "last_day": facts::french_date(content.last_day),
        "duration": facts::french_duration(content.attended_minutes),
        "planned_duration": facts::french_duration(content.planned_minutes),
        "code": code,
        "verify_url": verify_url(issuer.public_url, code),
    });
    Ok(issuer
        .renderer
        .render(Job {
            template: Template::Certificate,
            data,
            images,
            ident: format!("certificate:{certificate_id}"),
        })
        .await?)
}

/// Renders the certificate of a trainee of a closed session who held a seat.
async fn render(
    issuer: Issuer<'_>,
    principal: &Principal,
    provider: &Provider,
    sheet: &Sheet,
    facts: &TraineeFacts,
) -> Result<Rendered> {
    let row: &SheetRow = sheet
        .rows
        .iter()
        .find(|r| r.enrolment_id == facts.enrolment.id)
        .ok_or(DocumentsError::NoSeat)?;
    let (first_day, last_day) = facts::trainee_days(facts);
    let issued_on = facts::issue_day(issuer.now, &facts.session.time_zone);
    let content = CertificateContent {
        schema: 1,
        trainee: facts.trainee.clone(),
        employer: facts.employer.clone(),
        training_title: facts.session.training.programme.title.clone(),
        first_day,
        last_day,
        attended_minutes: row.attended_minutes,
        planned_minutes: row.scheduled_minutes,
        provider_name: provider.identity.name.clone(),
        representative_name: provider.identity.representative_name.clone(),
        place: provider.identity.city.clone(),
        issued_on,
    };
    let code = new_code();
    let certificate_id = Uuid::now_v7();
    let pdf = render_pdf(issuer, provider, certificate_id, &code, &content).await?;
    let certificate = Certificate {
        id: certificate_id,
        code,
        enrolment_id: facts.enrolment.id,
        session_id: facts.session.id,
        person_id: facts.enrolment.person_id,
        content,
        sha256: hex::encode(Sha256::digest(&pdf)),
        issued_by: principal.person_id,
        issued_at: issuer.now,
        revocation: None,
    };
    Ok(Rendered { certificate, pdf })
}
