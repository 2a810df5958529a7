//! Certificats de réalisation: issued once per trainee of a closed session (on first download,
//! or for the whole session by an administrator), stored with their bytes and SHA-256 so every
//! later download is the same file, verifiable by anyone through their code, revocable by an
//! administrator with a reason (a new one may then be issued).

use rand::Rng;
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::facts::{self, TraineeFacts};
use super::{DocumentsError, Result};
use crate::attendance::service as attendance;
use crate::catalogue::model::SessionStatus;
use crate::catalogue::service as catalogue;
use crate::documents::model::{Certificate, CertificateContent, Revocation};
use crate::documents::render::{Job, Template};
use crate::documents::{policy, store};
use crate::enrolment::service as enrolment;
use crate::principal::Principal;
use crate::state::AppState;

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

/// The trainee's certificate: the stored one, or issued now when the session is closed.
pub async fn certificate_pdf(
    state: &AppState,
    principal: &Principal,
    enrolment_id: Uuid,
) -> Result<(Certificate, Vec<u8>)> {
    let facts = facts::trainee_facts(state, principal, enrolment_id).await?;
    if let Some(stored) = store::valid_certificate(&state.db, enrolment_id).await? {
        return Ok(stored);
    }
    issue(state, principal, &facts).await
}

/// Issues the certificates a closed session's trainees do not hold yet; answers every valid one.
pub async fn issue_session_certificates(
    state: &AppState,
    principal: &Principal,
    session_id: Uuid,
) -> Result<Vec<Certificate>> {
    policy::require_administrator(
        principal,
        "only administrators issue a session's certificates",
    )?;
    let session = catalogue::session_details(&state.db, session_id)
        .await?
        .ok_or(DocumentsError::SessionNotFound)?;
    if session.status != SessionStatus::Closed {
        return Err(DocumentsError::SessionNotClosed);
    }
    let sheet = attendance::build_sheet(&state.db, &session).await?;
    let mut issued = Vec::new();
    for row in sheet.rows {
        if let Some((certificate, _)) =
            store::valid_certificate(&state.db, row.enrolment_id).await?
        {
            issued.push(certificate);
            continue;
        }
        let enrolment = enrolment::get_enrolment(&state.db, principal, row.enrolment_id).await?;
        let facts = facts::facts_of(state, enrolment).await?;
        issued.push(issue(state, principal, &facts).await?.0);
    }
    Ok(issued)
}

async fn issue(
    state: &AppState,
    principal: &Principal,
    facts: &TraineeFacts,
) -> Result<(Certificate, Vec<u8>)> {
    facts.require_completed()?;
    let provider = facts::required_provider(state).await?;
    let sheet = attendance::build_sheet(&state.db, &facts.session).await?;
    let row = sheet
        .rows
        .iter()
        .find(|r| r.enrolment_id == facts.enrolment.id)
        .ok_or(DocumentsError::NoSeat)?;
    let now = state.clock.now();
    let (first_day, last_day) = facts::days_of(&facts.session);
    let issued_on = facts::issue_day(now, &facts.session.time_zone);
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
    let (provider_data, images) = facts::provider_json(&provider);
    let data = json!({
        "provider": provider_data,
        "issued": facts::issued_json(issued_on),
        "trainee": content.trainee,
        "employer": content.employer.clone().unwrap_or_else(|| "(sans employeur)".into()),
        "title": content.training_title,
        "first_day": facts::french_date(first_day),
        "last_day": facts::french_date(last_day),
        "duration": facts::french_duration(content.attended_minutes),
        "planned_duration": facts::french_duration(content.planned_minutes),
        "code": code,
        "verify_url": verify_url(&state.settings.public_url, &code),
    });
    let certificate_id = Uuid::now_v7();
    let pdf = state
        .renderer
        .render(Job {
            template: Template::Certificate,
            data,
            images,
            ident: format!("certificate:{certificate_id}"),
        })
        .await?;
    let certificate = Certificate {
        id: certificate_id,
        code,
        enrolment_id: facts.enrolment.id,
        session_id: facts.session.id,
        person_id: facts.enrolment.person_id,
        content,
        sha256: hex::encode(Sha256::digest(&pdf)),
        issued_by: principal.person_id,
        issued_at: now,
        revocation: None,
    };
    let tx = state.begin().await?;
    let inserted = store::insert_certificate(tx.conn(), &certificate, pdf.clone()).await?;
    tx.commit().await?;
    if inserted {
        return Ok((certificate, pdf));
    }
    // Another request issued it first: that one is the certificate.
    store::valid_certificate(&state.db, facts.enrolment.id)
        .await?
        .ok_or(DocumentsError::CertificateNotFound)
}

/// Every certificate of a session, revoked ones included (administrators).
pub async fn session_certificates(
    state: &AppState,
    principal: &Principal,
    session_id: Uuid,
) -> Result<Vec<Certificate>> {
    policy::require_administrator(
        principal,
        "only administrators list a session's certificates",
    )?;
    catalogue::session_details(&state.db, session_id)
        .await?
        .ok_or(DocumentsError::SessionNotFound)?;
    Ok(store::certificates_of_session(&state.db, session_id).await?)
}

/// One certificate with its bytes: administrators, the trainee, their organisation's manager.
pub async fn certificate_by_id(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
) -> Result<(Certificate, Vec<u8>)> {
    let (certificate, pdf) = store::certificate_by_id(&state.db, id)
        .await?
        .ok_or(DocumentsError::CertificateNotFound)?;
    if !policy::may_administer(principal) {
        let enrolment = enrolment::get_enrolment(&state.db, principal, certificate.enrolment_id)
            .await
            .map_err(|_| DocumentsError::CertificateNotFound)?;
        if !policy::may_get_trainee_document(
            principal,
            enrolment.person_id,
            enrolment.organisation_id,
        ) {
            return Err(DocumentsError::CertificateNotFound);
        }
    }
    Ok((certificate, pdf))
}

/// Revokes a certificate (administrators); its code then verifies as revoked.
pub async fn revoke_certificate(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    reason: &str,
) -> Result<Certificate> {
    policy::require_administrator(principal, "only administrators revoke certificates")?;
    let mut errors = crate::validation::FieldErrors::new();
    let reason = crate::validation::required_text(&mut errors, "reason", reason, 2000);
    errors.into_result().map_err(DocumentsError::Invalid)?;
    let tx = state.begin().await?;
    let (certificate, _) = store::certificate_by_id(tx.conn(), id)
        .await?
        .ok_or(DocumentsError::CertificateNotFound)?;
    let revocation = Revocation {
        at: tx.now(),
        by: principal.person_id,
        reason,
    };
    if !store::revoke_certificate(tx.conn(), id, &revocation).await? {
        return Err(DocumentsError::AlreadyRevoked);
    }
    tx.commit().await?;
    Ok(Certificate {
        revocation: Some(revocation),
        ..certificate
    })
}

/// Unknown codes one client address may try within [`LOOKUP_WINDOW`] before it waits.
pub const MAX_UNKNOWN_LOOKUPS: u32 = 20;
/// The window of [`MAX_UNKNOWN_LOOKUPS`].
pub const LOOKUP_WINDOW: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// What a certificate states, for anyone holding its code. Only unknown codes count against
/// the caller's address (`client`), so checking real certificates is never slowed down, while
/// guessing codes stops after [`MAX_UNKNOWN_LOOKUPS`].
pub async fn verify_certificate(state: &AppState, code: &str, client: &str) -> Result<Certificate> {
    state
        .certificate_lookups
        .check(client)
        .map_err(|retry_after_secs| DocumentsError::TooManyLookups { retry_after_secs })?;
    let code = normalize_code(code);
    let found = if code.len() > 32 {
        None
    } else {
        store::certificate_by_code(&state.db, &code).await?
    };
    found.ok_or_else(|| {
        state.certificate_lookups.fail(client);
        DocumentsError::CertificateNotFound
    })
}

/// A ZIP of a closed session's valid certificates (issuing the missing ones first).
pub async fn certificates_archive(
    state: &AppState,
    principal: &Principal,
    session_id: Uuid,
) -> Result<Vec<u8>> {
    issue_session_certificates(state, principal, session_id).await?;
    let certificates = store::valid_certificates_of_session(&state.db, session_id).await?;
    tokio::task::spawn_blocking(move || zip_of(&certificates))
        .await
        .map_err(|e| DocumentsError::Archive(e.to_string()))?
}

fn zip_of(certificates: &[(Certificate, Vec<u8>)]) -> Result<Vec<u8>> {
    use std::io::Write;
    let archive = |e: zip::result::ZipError| DocumentsError::Archive(e.to_string());
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (certificate, pdf) in certificates {
        let name = format!(
            "certificat-{}-{}.pdf",
            file_name_part(&certificate.content.trainee),
            certificate.code
        );
        writer.start_file(name, options).map_err(archive)?;
        writer
            .write_all(pdf)
            .map_err(|e| DocumentsError::Archive(e.to_string()))?;
    }
    let cursor = writer.finish().map_err(archive)?;
    Ok(cursor.into_inner())
}

/// A name reduced to what every file system accepts.
pub fn file_name_part(name: &str) -> String {
    let part: String = name
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .take(60)
        .collect();
    part.trim_matches('-').to_owned()
}
