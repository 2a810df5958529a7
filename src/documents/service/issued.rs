//! Issued certificates: a session's list and ZIP, one certificate's stored file, revocation by
//! an administrator with a reason (a new one may then be issued), and the public verification
//! by code.

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::certificates::normalize_code;
use super::{DocumentsError, Result};
use crate::catalogue::service as catalogue;
use crate::db::write::WriteTx;
use crate::documents::model::{Certificate, Revocation};
use crate::documents::{policy, store};
use crate::enrolment::service::{self as enrolment, EnrolmentError};
use crate::principal::Principal;

/// Every certificate of a session, revoked ones included (administrators).
pub async fn session_certificates(
    db: &impl ConnectionTrait,
    principal: &Principal,
    session_id: Uuid,
) -> Result<Vec<Certificate>> {
    policy::require_administrator(
        principal,
        "only administrators list a session's certificates",
    )?;
    catalogue::session_details(db, session_id)
        .await?
        .ok_or(DocumentsError::SessionNotFound)?;
    Ok(store::certificates_of_session(db, session_id).await?)
}

/// One certificate with its bytes: administrators, the trainee, their organisation's manager.
pub async fn certificate_by_id(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: Uuid,
) -> Result<(Certificate, Vec<u8>)> {
    let (certificate, pdf) = store::certificate_by_id(db, id)
        .await?
        .ok_or(DocumentsError::CertificateNotFound)?;
    if !policy::may_administer(principal) {
        let enrolment =
            match enrolment::get_enrolment(db, principal, certificate.enrolment_id).await {
                Ok(enrolment) => enrolment,
                // The certificate of an enrolment the caller may not see is not found.
                Err(EnrolmentError::NotFound) => return Err(DocumentsError::CertificateNotFound),
                Err(other) => return Err(other.into()),
            };
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

/// Revokes a certificate (administrators), in the caller's transaction; its code then
/// verifies as revoked.
pub async fn revoke_certificate(
    tx: &mut WriteTx,
    principal: &Principal,
    id: Uuid,
    reason: &str,
) -> Result<Certificate> {
    policy::require_administrator(principal, "only administrators revoke certificates")?;
    let mut errors = crate::validation::FieldErrors::new();
    let reason = crate::validation::required_text(&mut errors, "reason", reason, 2000);
    errors.into_result().map_err(DocumentsError::Invalid)?;
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
/// the caller's address, so checking real certificates is never slowed down, while guessing
/// codes stops after [`MAX_UNKNOWN_LOOKUPS`]: `wait` asks the server's limiter whether the
/// address may look up now (`Err(retry_after_secs)` if not), `count_unknown` counts one
/// unknown code against it.
pub async fn verify_certificate(
    db: &impl ConnectionTrait,
    code: &str,
    wait: impl FnOnce() -> std::result::Result<(), u64>,
    count_unknown: impl FnOnce(),
) -> Result<Certificate> {
    wait().map_err(|retry_after_secs| DocumentsError::TooManyLookups { retry_after_secs })?;
    let code = normalize_code(code);
    let found = if code.len() > 32 {
        None
    } else {
        store::certificate_by_code(db, &code).await?
    };
    found.ok_or_else(|| {
        count_unknown();
        DocumentsError::CertificateNotFound
    })
}

/// A ZIP of a session's valid certificates (administrators; issue the missing ones first).
pub async fn certificates_archive(
    db: &impl ConnectionTrait,
    principal: &Principal,
    session_id: Uuid,
) -> Result<Vec<u8>> {
    policy::require_administrator(
        principal,
        "only administrators download a session's certificates",
    )?;
    let certificates = store::valid_certificates_of_session(db, session_id).await?;
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
