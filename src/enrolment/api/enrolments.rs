//! `/api/v1/sessions/{id}/enrolments` and `/api/v1/enrolments`.

use chrono::Duration;
use poem::web::{Accept, Data};
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};
use uuid::Uuid;

use super::{EnrolmentStatusView, EnrolmentView, FundingSourceView, TraineeTypeView};
use crate::enrolment::model::{EnrolRequest, EnrolmentFilter, FundingSource, TraineeType};
use crate::enrolment::{policy, service};
use crate::http::auth::BearerAuth;
use crate::http::cancel::CancelRequest;
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::formats::{Format, LIST_FORMATS, listed_response};
use crate::http::json::JsonBody;
use crate::http::pagination::{Cursor, Limit, PageView, page_request};
use crate::http::patch::Patch;
use crate::http::responses::ok_response;
use crate::http::tags::ApiTags;
use crate::http::text::Text;
use crate::paging::every;
use crate::state::AppState;

/// An enrolment request; every field is optional.
///
/// - `trainee_type`: The trainee's situation for the BPF (default `employee`).
/// - `funding_source`: Who pays, for the BPF (default `employer`).
#[derive(Debug, Object)]
pub struct EnrolBody {
    /// The person to enrol: absent for oneself; an org manager may name a colleague of their
    /// organisation, an administrator anyone.
    pub person_id: Patch<Uuid>,
    pub trainee_type: Patch<TraineeTypeView>,
    pub funding_source: Patch<FundingSourceView>,
    /// Amount funded by `funding_source`, in cents, if known.
    #[oai(validator(minimum(value = "0"), maximum(value = "100000000")))]
    pub funding_amount_cents: Patch<i64>,
    /// Needs and expectations for the training (Qualiopi ind. 4).
    #[oai(validator(max_length = 4000))]
    pub needs: Patch<Text>,
    /// A late enrolment only (once the session has started): the first half-day the person
    /// will attend, one of the session's; by default the first half-day not yet ended.
    pub first_slot_id: Patch<Uuid>,
}

/// What an enrolment request did.
#[derive(ApiResponse)]
pub enum EnrolAnswer {
    /// Enrolled: `status` is `confirmed` (a seat) or `waitlisted` (with its position); `Location`
    /// is the enrolment's URL.
    #[oai(status = 201)]
    Created(Json<EnrolmentView>, #[oai(header = "Location")] String),
    /// A retry with an `Idempotency-Key` already used for this session and person: the
    /// enrolment that request made, and nothing new.
    #[oai(status = 200)]
    Replayed(Json<EnrolmentView>),
}

ok_response!(EnrolmentOk, EnrolmentView, "The enrolment.");
listed_response!(
    EnrolmentsOk,
    EnrolmentsContent,
    PageView<EnrolmentView>,
    "A page of enrolments."
);

#[derive(Default)]
pub struct EnrolmentsApi;

#[OpenApi(tag = "ApiTags::Enrolments")]
impl EnrolmentsApi {
    /// Enrol in a session
    ///
    /// Enrols the caller, or (`person_id`) a colleague for an org manager, anyone for an
    /// administrator, in a published session. Confirmed while a seat is free, else waitlisted at
    /// the end of the line (first come, first served). The price is the member price when the
    /// person's organisation is a member of the federation, else the non-member price, and is
    /// stored with the enrolment.
    ///
    /// Once the first half-day has started, members and org managers can no longer enrol (409
    /// `enrolment.session_started`), but an administrator — and the session's trainers where
    /// the server allows it (`PASSERELLE_TRAINERS_ENROL_LATE`; otherwise 403
    /// `enrolment.forbidden`) — enrols anyone *late*: confirmed on a free seat (409
    /// `enrolment.session_full` when none is left: nobody waits for a running session), from the
    /// half-day named in `first_slot_id` or else the first one not yet ended (409
    /// `enrolment.session_over` when every half-day has ended). The enrolment records that
    /// half-day (`late`, `late_first_slot_id`); the attendance sheet, the closing and the
    /// certificate schedule only the half-days from it on.
    ///
    /// 404 `enrolment.session_not_found` for an unknown or unpublished session,
    /// `enrolment.person_not_found` for a person the caller may not enrol; 409
    /// `enrolment.session_not_open` (closed or cancelled), `enrolment.deadline_passed`,
    /// `enrolment.already_enrolled`, `enrolment.person_inactive`; 422
    /// `enrolment.idempotency_key_reused` when the key was used for another session or person,
    /// `enrolment.invalid` (`first_slot_id` before the start, or not a half-day of the session);
    /// 429 `enrolment.rate_limited` with `Retry-After` once the caller has sent
    /// `--enrolments-per-person` enrolment requests within `--enrolments-window-secs`
    /// (administrators are not counted).
    #[oai(
        path = "/api/v1/sessions/:id/enrolments",
        method = "post",
        operation_id = "enrol"
    )]
    async fn enrol(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Session id.
        id: Path<Uuid>,
        /// A key of the client's choosing (1–200 characters): retrying with the same key gives
        /// the same enrolment instead of a second one.
        #[oai(name = "Idempotency-Key", validator(min_length = 1, max_length = 200))]
        idempotency_key: Header<Option<String>>,
        body: JsonBody<EnrolBody>,
    ) -> ApiResult<
        EnrolAnswer,
        { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND | CONFLICT | TOO_MANY },
    > {
        if policy::requests_limited(&auth.0) {
            state
                .enrolment_requests
                .admit(&auth.0.person_id.to_string())
                .map_err(|retry_after_secs| service::EnrolmentError::RateLimited {
                    retry_after_secs,
                })?;
        }
        let b = body.0;
        let late = service::LateRules {
            first_slot_id: b.first_slot_id.get(),
            trainers_may_enrol_late: state.settings.trainers_enrol_late,
        };
        let request = EnrolRequest {
            session_id: id.0,
            person_id: b.person_id.get(),
            trainee_type: b
                .trainee_type
                .get()
                .map_or(TraineeType::Employee, Into::into),
            funding_source: b
                .funding_source
                .get()
                .map_or(FundingSource::Employer, Into::into),
            funding_amount_cents: b.funding_amount_cents.get(),
            needs: b.needs.get().map(Text::into_inner).unwrap_or_default(),
            idempotency_key: idempotency_key.0,
        };
        let prepared = service::prepare_enrolment(request)?.with_late_rules(late);
        let enrolled = state
            .enrolments
            .submit(service::EnrolJob {
                principal: auth.0,
                prepared,
            })
            .await?;
        let view = EnrolmentView::from(enrolled.enrolment);
        Ok(if enrolled.replayed {
            EnrolAnswer::Replayed(Json(view))
        } else {
            let location = format!("/api/v1/enrolments/{}", view.id);
            EnrolAnswer::Created(Json(view), location)
        })
    }

    /// List enrolments
    ///
    /// A person sees their own; an org manager those of their organisation; a trainer the
    /// rosters of the sessions they teach; an administrator every enrolment.
    #[oai(
        path = "/api/v1/enrolments",
        method = "get",
        operation_id = "list_enrolments"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Only enrolments in this session.
        session_id: Query<Option<Uuid>>,
        /// Only this person's enrolments.
        person_id: Query<Option<Uuid>>,
        /// Only enrolments of this organisation's people.
        organisation_id: Query<Option<Uuid>>,
        /// Only enrolments in this status.
        status: Query<Option<EnrolmentStatusView>>,
        /// Page size (1–200, default 50).
        limit: Query<Option<Limit>>,
        /// Cursor from the previous page's `next_cursor`.
        cursor: Query<Option<Cursor>>,
        accept: Accept,
    ) -> ApiResult<EnrolmentsOk, { AUTH | PARAMS }> {
        let filter = EnrolmentFilter {
            session_id: session_id.0,
            person_id: person_id.0,
            organisation_id: organisation_id.0,
            status: status.0.map(Into::into),
            scope: None,
        };
        let format = Format::chosen(&accept, LIST_FORMATS);
        if format != Format::Json {
            let all =
                every!(|page| service::list_enrolments(&state.db, &auth.0, filter.clone(), page));
            return Ok(EnrolmentsOk::sheet(
                &service::enrolments_table(&all),
                format,
                "inscriptions",
            )?);
        }
        let page = page_request(limit, cursor);
        let found = service::list_enrolments(&state.db, &auth.0, filter, &page).await?;
        Ok(EnrolmentsOk::page(PageView::of(found)))
    }

    /// An enrolment
    ///
    /// For the person, their org manager, the session's trainers and administrators; 404 for
    /// anyone else.
    #[oai(
        path = "/api/v1/enrolments/:id",
        method = "get",
        operation_id = "get_enrolment"
    )]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Enrolment id.
        id: Path<Uuid>,
    ) -> ApiResult<EnrolmentOk, { AUTH | PARAMS | NOT_FOUND }> {
        let enrolment = service::get_enrolment(&state.db, &auth.0, id.0).await?;
        Ok(EnrolmentOk::Ok(Json(enrolment.into())))
    }

    /// Cancel an enrolment
    ///
    /// By the person, their org manager or an administrator, with a reason. A confirmed
    /// enrolment's seat goes at once to the first person waiting (recorded on their enrolment:
    /// when, whose action, why); a waitlisted one leaves the line and those behind move up.
    /// Within the late-cancellation delay before the first half-day it is recorded as late. 409
    /// `enrolment.already_cancelled`, `enrolment.already_completed` (the session is closed).
    #[oai(
        path = "/api/v1/enrolments/:id/cancel",
        method = "post",
        operation_id = "cancel_enrolment"
    )]
    async fn cancel(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Enrolment id.
        id: Path<Uuid>,
        body: JsonBody<CancelRequest>,
    ) -> ApiResult<EnrolmentOk, { AUTH | PARAMS | BODY | NOT_FOUND | CONFLICT }> {
        let late = Duration::hours(state.settings.late_cancellation_hours);
        let mut tx = state.begin().await?;
        let enrolment =
            service::cancel(&mut tx, &auth.0, id.0, body.0.reason.as_str(), late).await?;
        tx.commit().await?;
        Ok(EnrolmentOk::Ok(Json(enrolment.into())))
    }
}
