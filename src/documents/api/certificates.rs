//! Certificates: a session's (issue, list, ZIP), one certificate's stored file, revocation, and
//! the public verification by code.

use poem::web::Data;
use poem_openapi::param::Path;
use poem_openapi::payload::{Binary, Json};
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use super::{CertificateVerificationView, CertificateView, FileOk, ZipOk};
use crate::documents::service;
use crate::http::auth::{BearerAuth, Public};
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::json::JsonBody;
use crate::http::responses::ok_response;
use crate::http::tags::ApiTags;
use crate::http::text::Text;
use crate::state::AppState;

/// Revoking a certificate.
#[derive(Debug, Object)]
pub struct RevokeCertificateBody {
    /// The certificate to revoke.
    pub certificate_id: Uuid,
    /// Why (kept with the certificate; 1 to 2000 characters).
    #[oai(validator(max_length = 2000))]
    pub reason: Text,
}

ok_response!(
    CertificatesOk,
    Vec<CertificateView>,
    "The session's certificates, oldest first."
);
ok_response!(
    CertificateOk,
    CertificateView,
    "The certificate, now revoked."
);
ok_response!(
    VerificationOk,
    CertificateVerificationView,
    "What the certificate states, and whether it still stands."
);

#[derive(Default)]
pub struct CertificatesApi;

#[OpenApi(tag = "ApiTags::Documents")]
impl CertificatesApi {
    /// Issue a session's certificates
    ///
    /// Issues the certificat de réalisation of every trainee of the closed session who does not
    /// hold a valid one yet, and answers every valid certificate of the session. Idempotent.
    /// Administrators. 403 `documents.forbidden`; 404 `documents.session_not_found`; 409
    /// `documents.session_not_closed`, `documents.provider_missing`.
    #[oai(
        path = "/api/v1/sessions/:id/certificates",
        method = "post",
        operation_id = "issue_session_certificates"
    )]
    async fn issue(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Session id.
        id: Path<Uuid>,
    ) -> ApiResult<CertificatesOk, { AUTH | PARAMS | FORBIDDEN | NOT_FOUND | CONFLICT }> {
        let issued = issue_missing(&state, &auth.0, id.0).await?;
        Ok(CertificatesOk::Ok(Json(self.views(&state, issued))))
    }

    /// A session's certificates
    ///
    /// Every certificate issued for the session, revoked ones included. Administrators. 403
    /// `documents.forbidden`; 404 `documents.session_not_found`.
    #[oai(
        path = "/api/v1/sessions/:id/certificates",
        method = "get",
        operation_id = "list_session_certificates"
    )]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Session id.
        id: Path<Uuid>,
    ) -> ApiResult<CertificatesOk, { AUTH | PARAMS | FORBIDDEN | NOT_FOUND }> {
        let all = service::session_certificates(&state.db, &auth.0, id.0).await?;
        Ok(CertificatesOk::Ok(Json(self.views(&state, all))))
    }

    /// A session's certificates as one ZIP
    ///
    /// Issues the missing ones first, then answers every valid certificate of the closed
    /// session, one PDF each. Administrators. 403 `documents.forbidden`; 404
    /// `documents.session_not_found`; 409 `documents.session_not_closed`,
    /// `documents.provider_missing`.
    #[oai(
        path = "/api/v1/sessions/:id/certificates/archive",
        method = "get",
        operation_id = "download_session_certificates"
    )]
    async fn archive(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Session id.
        id: Path<Uuid>,
    ) -> ApiResult<ZipOk, { AUTH | PARAMS | FORBIDDEN | NOT_FOUND | CONFLICT }> {
        issue_missing(&state, &auth.0, id.0).await?;
        let zip = service::certificates_archive(&state.db, &auth.0, id.0).await?;
        Ok(ZipOk::Zip(
            Binary(zip),
            format!("attachment; filename=\"certificats-{}.zip\"", id.0),
            "private, no-store".into(),
        ))
    }

    /// A certificate's file
    ///
    /// The stored PDF, also once revoked. For administrators, the trainee and their
    /// organisation's manager. 404 `documents.certificate_not_found`.
    #[oai(
        path = "/api/v1/certificates/:id",
        method = "get",
        operation_id = "get_certificate_file"
    )]
    async fn file(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Certificate id.
        id: Path<Uuid>,
    ) -> ApiResult<FileOk, { AUTH | PARAMS | NOT_FOUND }> {
        let (certificate, pdf) = service::certificate_by_id(&state.db, &auth.0, id.0).await?;
        Ok(FileOk::pdf(
            pdf,
            &format!("certificat-realisation-{}.pdf", certificate.code),
        ))
    }

    /// Revoke a certificate
    ///
    /// The certificate then verifies as `revoked`; the trainee's next download issues a new one
    /// (with a new code) from the attendance as it stands. Administrators. 403
    /// `documents.forbidden`; 404 `documents.certificate_not_found`; 409
    /// `documents.already_revoked`; 422 `documents.invalid` (empty reason).
    #[oai(
        path = "/api/v1/certificate-revocations",
        method = "post",
        operation_id = "revoke_certificate"
    )]
    async fn revoke(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: JsonBody<RevokeCertificateBody>,
    ) -> ApiResult<CertificateOk, { AUTH | BODY | FORBIDDEN | NOT_FOUND | CONFLICT }> {
        let body = body.0;
        let mut tx = state.begin().await?;
        let revoked = service::revoke_certificate(
            &mut tx,
            &auth.0,
            body.certificate_id,
            body.reason.as_str(),
        )
        .await?;
        tx.commit().await?;
        Ok(CertificateOk::Ok(Json(CertificateView::of(
            revoked,
            &state.settings.public_url,
        ))))
    }

    /// Verify a certificate
    ///
    /// Public: anyone holding the code printed on a certificate (case and spaces do not matter)
    /// sees what it states and whether it still stands (`revoked`). 404
    /// `documents.certificate_not_found` for a code that was never issued; after 20 unknown codes
    /// from one address within 15 minutes, 429 `documents.too_many_lookups` with `Retry-After`
    /// (known codes never count).
    #[oai(
        path = "/api/v1/certificates/verify/:code",
        method = "get",
        operation_id = "verify_certificate"
    )]
    async fn verify(
        &self,
        state: Data<&AppState>,
        _public: Public,
        req: &poem::Request,
        /// The verification code, e.g. `7K3Q-M2XP-9RTA-H4VD`.
        #[oai(validator(max_length = 64))]
        code: Path<String>,
    ) -> ApiResult<VerificationOk, { PARAMS | NOT_FOUND | TOO_MANY }> {
        let client = crate::http::auth::client_address(req);
        let lookups = &state.certificate_lookups;
        let certificate = service::verify_certificate(
            &state.db,
            &code.0,
            || lookups.check(&client),
            || lookups.fail(&client),
        )
        .await?;
        Ok(VerificationOk::Ok(Json(certificate.into())))
    }
}

impl CertificatesApi {
    fn views(
        &self,
        state: &AppState,
        all: Vec<crate::documents::model::Certificate>,
    ) -> Vec<CertificateView> {
        all.into_iter()
            .map(|c| CertificateView::of(c, &state.settings.public_url))
            .collect()
    }
}

/// Renders the certificates a closed session's trainees do not hold yet, outside any
/// transaction, then records them in one: all of them, or none (see the service's
/// `certificates` module for why rendering stays out of the transaction). Answers every valid
/// certificate of the session's trainees.
async fn issue_missing(
    state: &AppState,
    principal: &crate::principal::Principal,
    session_id: Uuid,
) -> Result<Vec<crate::documents::model::Certificate>, service::DocumentsError> {
    let rendered = service::render_session_certificates(
        &state.db,
        super::issuer(state),
        principal,
        session_id,
    )
    .await?;
    let mut tx = state.begin().await?;
    let issued = service::issue_session_certificates(&mut tx, rendered).await?;
    tx.commit().await?;
    Ok(issued)
}
