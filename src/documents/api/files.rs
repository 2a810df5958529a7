//! The documents as PDF files: a trainee's certificate, attestation, convocation, quote and
//! convention (`/api/v1/enrolments/{id}/…`) and a session's attendance sheet.

use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::param::Path;
use uuid::Uuid;

use super::FileOk;
use crate::attendance::model::Timing;
use crate::documents::service::{self, CertificateFile, ContractKind};
use crate::http::auth::BearerAuth;
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::tags::ApiTags;
use crate::state::AppState;

#[derive(Default)]
pub struct FilesApi;

#[OpenApi(tag = "ApiTags::Documents")]
impl FilesApi {
    /// A trainee's certificat de réalisation
    ///
    /// Following the ministry model: the provider and its legal representative, the trainee and
    /// their employer, the action's title and nature, its dates, the duration actually attended
    /// (from the marks, in hours and minutes), the retention commitment, place, date and
    /// signature, and a verification code with its public URL. Issued at the first download
    /// once the session is closed, then stored: every later download is the same file (its
    /// SHA-256 is in the certificate's record) until an administrator revokes it. For the
    /// trainee, their organisation's manager and administrators. 404
    /// `documents.enrolment_not_found` (unknown, or not the caller's to get); 409
    /// `documents.session_not_closed`, `documents.no_seat` (cancelled or waitlisted),
    /// `documents.provider_missing` (the provider's identity is not set).
    #[oai(
        path = "/api/v1/enrolments/:id/certificate",
        method = "get",
        operation_id = "get_certificate_pdf"
    )]
    async fn certificate(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Enrolment id.
        id: Path<Uuid>,
    ) -> ApiResult<FileOk, { AUTH | PARAMS | NOT_FOUND | CONFLICT }> {
        let found =
            service::certificate_pdf(&state.db, super::issuer(&state), &auth.0, id.0).await?;
        let (certificate, pdf) = match found {
            CertificateFile::Stored(certificate, pdf) => (certificate, pdf),
            CertificateFile::Rendered(rendered) => {
                let mut tx = state.begin().await?;
                let recorded = service::record_certificate(&mut tx, rendered).await?;
                tx.commit().await?;
                recorded
            }
        };
        let name = format!(
            "certificat-realisation-{}.pdf",
            service::file_name_part(&certificate.content.trainee)
        );
        Ok(FileOk::pdf(pdf, &name))
    }

    /// A trainee's attestation de fin de formation
    ///
    /// Article L. 6353-1: the objectives, the nature and duration of the action (planned and
    /// attended), and the result of the assessment of learning when the programme planned one
    /// (`non communiqué` until a trainer records it). Rendered at each request. For the
    /// trainee, their organisation's manager and administrators. 404
    /// `documents.enrolment_not_found`; 409 `documents.session_not_closed`, `documents.no_seat`,
    /// `documents.provider_missing`.
    #[oai(
        path = "/api/v1/enrolments/:id/attestation",
        method = "get",
        operation_id = "get_attestation_pdf"
    )]
    async fn attestation(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Enrolment id.
        id: Path<Uuid>,
    ) -> ApiResult<FileOk, { AUTH | PARAMS | NOT_FOUND | CONFLICT }> {
        let pdf =
            service::attestation_pdf(&state.db, &state.renderer, state.clock.now(), &auth.0, id.0)
                .await?;
        Ok(FileOk::pdf(pdf, "attestation-fin-de-formation.pdf"))
    }

    /// A trainee's convocation as a PDF
    ///
    /// The convocation as issued (`POST /api/v1/enrolments/{id}/convocation` records the date):
    /// place (address or online link), half-days in local time, referents, access and
    /// accessibility, rules. For whoever may see the enrolment. 404
    /// `documents.enrolment_not_found`, `documents.convocation_not_issued`; 409
    /// `documents.provider_missing`.
    #[oai(
        path = "/api/v1/enrolments/:id/convocation/pdf",
        method = "get",
        operation_id = "get_convocation_pdf"
    )]
    async fn convocation(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Enrolment id.
        id: Path<Uuid>,
    ) -> ApiResult<FileOk, { AUTH | PARAMS | NOT_FOUND | CONFLICT }> {
        let pdf = service::convocation_pdf(&state.db, &state.renderer, &auth.0, id.0).await?;
        Ok(FileOk::pdf(pdf, "convocation.pdf"))
    }

    /// An enrolment's quote
    ///
    /// The price of the trainee's place (member or non-member price as enrolled), its funding
    /// and the payment terms, valid 30 days. For the trainee, their organisation's manager and
    /// administrators. 404 `documents.enrolment_not_found`; 409 `documents.no_seat` (cancelled),
    /// `documents.provider_missing`.
    #[oai(
        path = "/api/v1/enrolments/:id/quote",
        method = "get",
        operation_id = "get_quote_pdf"
    )]
    async fn quote(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Enrolment id.
        id: Path<Uuid>,
    ) -> ApiResult<FileOk, { AUTH | PARAMS | NOT_FOUND | CONFLICT }> {
        let pdf = service::contract_pdf(
            &state.db,
            &state.renderer,
            state.clock.now(),
            &auth.0,
            id.0,
            ContractKind::Quote,
        )
        .await?;
        Ok(FileOk::pdf(pdf, "devis.pdf"))
    }

    /// An enrolment's convention de formation
    ///
    /// Articles L. 6353-1 to L. 6353-7: the parties (the employer, or the trainee paying for
    /// themselves — then a contrat with the 10-day withdrawal right), the action, its objectives,
    /// dates, hours and place, the price, funding and payment terms. For the trainee, their
    /// organisation's manager and administrators. 404 `documents.enrolment_not_found`; 409
    /// `documents.no_seat` (cancelled), `documents.provider_missing`.
    #[oai(
        path = "/api/v1/enrolments/:id/convention",
        method = "get",
        operation_id = "get_convention_pdf"
    )]
    async fn convention(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Enrolment id.
        id: Path<Uuid>,
    ) -> ApiResult<FileOk, { AUTH | PARAMS | NOT_FOUND | CONFLICT }> {
        let pdf = service::contract_pdf(
            &state.db,
            &state.renderer,
            state.clock.now(),
            &auth.0,
            id.0,
            ContractKind::Convention,
        )
        .await?;
        Ok(FileOk::pdf(pdf, "convention-de-formation.pdf"))
    }

    /// A session's feuille d'émargement
    ///
    /// The training's title and modules, each half-day with its local date and hours, each
    /// trainee's signature image (or present without signature, late, `absent`, `excusé`, `—`
    /// when nothing was recorded) and attended hours, the trainer's name and countersignature
    /// per half-day, and the results of the session's checks. For the session's trainers and
    /// administrators. 404 `documents.session_not_found`; 409 `documents.provider_missing`.
    #[oai(
        path = "/api/v1/sessions/:id/attendance-sheet",
        method = "get",
        operation_id = "get_attendance_sheet_pdf"
    )]
    async fn sheet(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Session id.
        id: Path<Uuid>,
    ) -> ApiResult<FileOk, { AUTH | PARAMS | NOT_FOUND | CONFLICT }> {
        let timing = Timing::of(&state.settings);
        let now = state.clock.now();
        let pdf =
            service::sheet_pdf(&state.db, &state.renderer, now, timing, &auth.0, id.0).await?;
        Ok(FileOk::pdf(pdf, "feuille-emargement.pdf"))
    }
}
