//! `/api/v1/people/{id}/export` and `/api/v1/people/{id}/erasure`.

mod views;

use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use uuid::Uuid;

pub use self::views::*;
use crate::http::auth::BearerAuth;
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::responses::ok_response;
use crate::http::tags::ApiTags;
use crate::privacy::service;
use crate::quality::service::AcknowledgeDelay;
use crate::state::AppState;

ok_response!(
    PersonalDataOk,
    PersonalDataView,
    "Everything held about the person."
);
ok_response!(
    ErasedOk,
    ErasureView,
    "The person was erased; what became of each kind of record."
);

#[derive(Default)]
pub struct PrivacyApi;

#[OpenApi(prefix_path = "/api/v1/people", tag = "ApiTags::PersonalData")]
impl PrivacyApi {
    /// Export a person's data
    ///
    /// Everything Passerelle holds about the person, in one JSON document (GDPR Art. 15 and
    /// 20): the account, enrolments, positioning answers, accommodation requests, attendance
    /// marks with links to the signature images, certificates, assessments, survey answers,
    /// complaints filed, club memberships, answers and marks, e-mails, notification
    /// preferences and sync devices. The person themself or an administrator; 404
    /// `privacy.not_found` for anyone else and for an unknown id.
    #[oai(
        path = "/:id/export",
        method = "get",
        operation_id = "export_personal_data"
    )]
    async fn export(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Person id.
        id: Path<Uuid>,
    ) -> ApiResult<PersonalDataOk, { AUTH | PARAMS | NOT_FOUND }> {
        let now = state.clock.now();
        let delay = AcknowledgeDelay::days(state.settings.complaint_acknowledge_days);
        let data = service::export(&state.db, &auth.0, id.0, delay, now).await?;
        let view = PersonalDataView::of(data, &state.settings.public_url, now);
        Ok(PersonalDataOk::Ok(Json(view)))
    }

    /// Erase a person's data
    ///
    /// Administrators, on the person's request (GDPR Art. 17). The person's names and e-mail
    /// become a pseudonym (`Personne effacée XXXXXXXX`), their password is forgotten, their
    /// tokens, devices and calendar link stop; what the law requires to keep stays under the
    /// pseudonym — enrolments (the BPF counts them, with what the person wrote emptied),
    /// attendance marks with their signatures, certificates (rendered again under the
    /// pseudonym; their codes still verify), submitted surveys (anonymous) and complaints filed
    /// — and the rest goes: positioning answers, accommodation requests, club memberships and
    /// answers, meeting marks, e-mails, preferences. Devices pull the pseudonym. Cannot be
    /// undone. 403 `privacy.forbidden` for anyone but an administrator; 404
    /// `privacy.not_found`; 409 `privacy.own_account` for the caller's own account,
    /// `privacy.already_erased` when done already, `privacy.changed_meanwhile` when a
    /// certificate was issued during the erasure (retry).
    #[oai(
        path = "/:id/erasure",
        method = "post",
        operation_id = "erase_personal_data"
    )]
    async fn erase(
        &self,
        req: &poem::Request,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Person id.
        id: Path<Uuid>,
    ) -> ApiResult<ErasedOk, { AUTH | PARAMS | FORBIDDEN | NOT_FOUND | CONFLICT }> {
        let issuer = crate::documents::service::Issuer {
            renderer: &state.renderer,
            now: state.clock.now(),
            public_url: &state.settings.public_url,
        };
        let prepared = service::prepare_erasure(&state.db, &auth.0, issuer, id.0).await?;
        let mut tx = state.begin().await?;
        let report = service::erase(&mut tx, &auth.0, prepared).await?;
        tx.commit().await?;
        // The audit log records the erasure, not the identity it removed.
        crate::http::audit::forget_bodies(req);
        Ok(ErasedOk::Ok(Json(report.into())))
    }
}
