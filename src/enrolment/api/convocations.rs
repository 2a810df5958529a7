//! Convocations (Qualiopi ind. 9): `/api/v1/enrolments/{id}/convocation`.

use chrono::NaiveDate;
use poem::web::Data;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use crate::enrolment::model::{Convocation, ConvocationContact};
use crate::enrolment::service;
use crate::http::auth::BearerAuth;
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::nullable::Nullable;
use crate::http::responses::{created_response, ok_response};
use crate::http::tags::ApiTags;
use crate::http::timestamp::Timestamp;
use crate::state::AppState;

/// A person to contact about the session.
#[derive(Debug, Object)]
pub struct ConvocationContactView {
    /// Name.
    pub name: String,
    /// E-mail.
    pub email: String,
    /// Telephone, if any.
    pub phone: Nullable<String>,
}

impl From<&ConvocationContact> for ConvocationContactView {
    fn from(c: &ConvocationContact) -> Self {
        Self {
            name: c.name.clone(),
            email: c.email.clone(),
            phone: Nullable(c.phone.clone()),
        }
    }
}

/// A half-day the trainee is convoked to, in the session's local time and in UTC.
#[derive(Debug, Object)]
pub struct ConvocationHalfDayView {
    /// Local date.
    pub date: NaiveDate,
    /// Local start, `HH:MM`.
    pub start: String,
    /// Local end, `HH:MM`.
    pub end: String,
    /// Start (UTC).
    pub starts_at: Timestamp,
    /// End (UTC).
    pub ends_at: Timestamp,
}

/// A confirmed trainee's convocation, as issued.
///
/// - `contact`: Who to contact about the session.
/// - `disability_referent`: The disability referent (accommodations, Qualiopi ind. 26).
#[derive(Debug, Object)]
pub struct ConvocationView {
    /// The enrolment convoked.
    pub enrolment_id: Uuid,
    /// Title of the training.
    pub training_title: String,
    /// IANA time zone of the half-days' local times.
    pub time_zone: String,
    /// Online rather than in a place.
    pub online: bool,
    /// Name of the place or online room.
    pub place_name: String,
    /// Street address.
    pub address: Nullable<String>,
    /// City.
    pub city: Nullable<String>,
    /// Country, ISO 3166-1 alpha-2.
    pub country: Nullable<String>,
    /// An online room's link (given to convoked trainees).
    pub join_url: Nullable<String>,
    /// The half-days, in time order.
    pub half_days: Vec<ConvocationHalfDayView>,
    pub contact: ConvocationContactView,
    pub disability_referent: ConvocationContactView,
    /// Accessibility and access: the place's, then the training's.
    pub access: String,
    /// Where the rules of the training (règlement intérieur) are published, if configured.
    pub rules_url: Nullable<String>,
    /// Who issued it.
    pub issued_by: Uuid,
    /// When it was issued (UTC): the moment it was sent.
    pub issued_at: Timestamp,
}

impl From<Convocation> for ConvocationView {
    fn from(c: Convocation) -> Self {
        let content = &c.content;
        Self {
            enrolment_id: c.enrolment_id,
            training_title: content.training_title.clone(),
            time_zone: content.time_zone.clone(),
            online: content.place.online,
            place_name: content.place.name.clone(),
            address: Nullable(content.place.address.clone()),
            city: Nullable(content.place.city.clone()),
            country: Nullable(content.place.country.clone()),
            join_url: Nullable(content.place.join_url.clone()),
            half_days: content
                .half_days
                .iter()
                .map(|h| ConvocationHalfDayView {
                    date: h.date,
                    start: h.start.clone(),
                    end: h.end.clone(),
                    starts_at: h.starts_at.into(),
                    ends_at: h.ends_at.into(),
                })
                .collect(),
            contact: (&content.contact).into(),
            disability_referent: (&content.disability_referent).into(),
            access: content.access.clone(),
            rules_url: Nullable(content.rules_url.clone()),
            issued_by: c.issued_by,
            issued_at: c.issued_at.into(),
        }
    }
}

created_response!(
    ConvocationIssued,
    ConvocationView,
    "The convocation was issued (and its issue recorded); `Location` is its URL."
);
ok_response!(
    ConvocationOk,
    ConvocationView,
    "The convocation as last issued."
);

#[derive(Default)]
pub struct ConvocationsApi;

#[OpenApi(tag = "ApiTags::Enrolments")]
impl ConvocationsApi {
    /// Issue a convocation
    ///
    /// Administrators, for a confirmed enrolment (409 `enrolment.not_confirmed` otherwise): the
    /// place, the half-days, the contacts, the disability referent, access and the rules, as they
    /// stand now, with the moment of issue. Issuing again replaces it. 403 `enrolment.forbidden`
    /// for anyone else.
    #[oai(
        path = "/api/v1/enrolments/:id/convocation",
        method = "post",
        operation_id = "issue_convocation"
    )]
    async fn issue(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Enrolment id.
        id: Path<Uuid>,
    ) -> ApiResult<ConvocationIssued, { AUTH | PARAMS | FORBIDDEN | NOT_FOUND | CONFLICT }> {
        let rules = state.settings.training_rules_url.clone();
        let mut tx = state.begin().await?;
        let issued = service::issue_convocation(&mut tx, &auth.0, id.0, rules).await?;
        tx.commit().await?;
        let location = format!("/api/v1/enrolments/{}/convocation", id.0);
        Ok(ConvocationIssued::Created(Json(issued.into()), location))
    }

    /// An enrolment's convocation
    ///
    /// For whoever may see the enrolment; 404 `enrolment.convocation_not_found` before one is
    /// issued.
    #[oai(
        path = "/api/v1/enrolments/:id/convocation",
        method = "get",
        operation_id = "get_convocation"
    )]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Enrolment id.
        id: Path<Uuid>,
    ) -> ApiResult<ConvocationOk, { AUTH | PARAMS | NOT_FOUND }> {
        let convocation = service::convocation(&state.db, &auth.0, id.0).await?;
        Ok(ConvocationOk::Ok(Json(convocation.into())))
    }
}
