//! `/api/v1/surveys/…`: templates and results (administrators), the caller's invitations and
//! their answers, and funders' surveys through their secret link (no account).

use poem::web::{Accept, Data};
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use super::survey_views::{
    AnswerBody, InvitationView, QuestionView, SurveyKindView, SurveyResultsView, TemplateView,
    answers_of,
};
use crate::http::auth::{BearerAuth, Public};
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::formats::{Format, LIST_FORMATS, listed_response};
use crate::http::json::JsonBody;
use crate::http::pagination::{Cursor, Limit, PageView, page_request};
use crate::http::patch::Patch;
use crate::http::responses::{created_response, ok_response};
use crate::http::tags::ApiTags;
use crate::http::text::Text;
use crate::http::timestamp::Timestamp;
use crate::quality::model::surveys::{
    Funder, FunderInput, ResultsFilter, SurveyRules, TemplateInput,
};
use crate::quality::service::{self, QualityError};
use crate::state::AppState;

/// The survey rules the settings give.
pub fn rules(state: &AppState) -> SurveyRules {
    SurveyRules::of(&state.settings)
}

/// A survey template.
///
/// - `kind`: `hot` (trainees, when the session's last half-day ends), `cold` (trainees, some
///   weeks later), `debrief` (the session's trainers) or `funder` (funders, through a link).
#[derive(Debug, Object)]
pub struct TemplateBody {
    /// Its title, as respondents read it (1–200 characters).
    #[oai(validator(max_length = 200))]
    pub title: Text,
    pub kind: SurveyKindView,
    /// The training it is for; absent: every training without its own of this kind.
    pub training_id: Patch<Uuid>,
    /// Its questions, in order (1–50).
    #[oai(validator(max_items = 50))]
    pub questions: Vec<QuestionView>,
}

impl From<TemplateBody> for TemplateInput {
    fn from(b: TemplateBody) -> Self {
        Self {
            title: b.title.into_inner(),
            kind: b.kind.into(),
            training_id: b.training_id.get(),
            questions: b.questions.into_iter().map(Into::into).collect(),
        }
    }
}

/// Answers to save (each replaces its question's answer; one without a value clears it).
#[derive(Debug, Object)]
#[oai(rename = "SurveyAnswersBody")]
pub struct AnswersBody {
    /// The answers (at most 50).
    #[oai(validator(max_items = 50))]
    pub answers: Vec<AnswerBody>,
}

/// A funder to invite to a funders' survey.
#[derive(Debug, Object)]
pub struct FunderInvitationBody {
    /// A template of kind `funder`.
    pub template_id: Uuid,
    /// The year the survey is about (2000 to next year).
    #[oai(validator(minimum(value = "2000"), maximum(value = "2100")))]
    pub year: i32,
    /// The contact's name (1–200 characters).
    #[oai(validator(max_length = 200))]
    pub name: Text,
    /// The contact's e-mail.
    #[oai(validator(max_length = 254))]
    pub email: String,
    /// The funding body (1–200 characters).
    #[oai(validator(max_length = 200))]
    pub organisation: Text,
    /// The last instant answers are taken (UTC, in the future).
    pub deadline: Timestamp,
}

/// A funder's invitation and its secret link, shown once.
///
/// - `invitation`: the invitation.
#[derive(Debug, Object)]
pub struct FunderLinkView {
    pub invitation: InvitationView,
    /// The link's secret code (only its SHA-256 is kept: copy it now).
    pub code: String,
    /// The API path the funder answers at (`GET`, `PUT …/answers`, `POST …/submit`).
    pub path: String,
}

created_response!(
    TemplateCreated,
    TemplateView,
    "The template was created; `Location` is its URL."
);
ok_response!(TemplateOk, TemplateView, "The template.");
ok_response!(
    TemplatesOk,
    PageView<TemplateView>,
    "A page of templates, by id."
);
ok_response!(
    InvitationOk,
    InvitationView,
    "The invitation, with its answers."
);
ok_response!(
    InvitationsOk,
    PageView<InvitationView>,
    "A page of the caller's invitations, by id."
);
created_response!(
    FunderLinkCreated,
    FunderLinkView,
    "The funder's invitation was created; `Location` is the link's API path."
);
ok_response!(
    FunderInvitationsOk,
    PageView<InvitationView>,
    "A page of funders' invitations, by id (without their links)."
);
listed_response!(
    ResultsOk,
    ResultsContent,
    SurveyResultsView,
    "The response rate and aggregated answers.",
    "With `Accept: text/csv` (French dialect: UTF-8 BOM, `;`, decimal comma) or the XLSX \
     media type: the same results as a download, one row per question (with its rate), then \
     one per choice counted and per free text, with French headers."
);

#[derive(Default)]
pub struct SurveysApi;

#[OpenApi(tag = "ApiTags::Surveys")]
impl SurveysApi {
    /// Create a survey template
    ///
    /// Administrators. The latest template of a kind attached to a training is used for its
    /// sessions; else the latest federation-wide one of that kind. 403 `quality.forbidden`;
    /// 422 `quality.invalid` (naming each bad question field).
    #[oai(
        path = "/api/v1/surveys/templates",
        method = "post",
        operation_id = "create_survey_template"
    )]
    async fn create_template(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: JsonBody<TemplateBody>,
    ) -> ApiResult<TemplateCreated, { AUTH | BODY | FORBIDDEN }> {
        let mut tx = state.begin().await?;
        let template = service::create_template(&mut tx, &auth.0, body.0.into()).await?;
        tx.commit().await?;
        let location = format!("/api/v1/surveys/templates/{}", template.id);
        Ok(TemplateCreated::Created(Json(template.into()), location))
    }

    /// List survey templates
    ///
    /// Administrators. 403 `quality.forbidden`.
    #[oai(
        path = "/api/v1/surveys/templates",
        method = "get",
        operation_id = "list_survey_templates"
    )]
    async fn list_templates(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Only templates of this kind.
        kind: Query<Option<SurveyKindView>>,
        /// Only the templates of this training.
        training_id: Query<Option<Uuid>>,
        /// Page size (1–200, default 50).
        limit: Query<Option<Limit>>,
        /// Cursor from the previous page's `next_cursor`.
        cursor: Query<Option<Cursor>>,
    ) -> ApiResult<TemplatesOk, { AUTH | PARAMS | FORBIDDEN }> {
        let page = page_request(limit, cursor);
        let found = service::list_templates(
            &state.db,
            &auth.0,
            kind.0.map(Into::into),
            training_id.0,
            &page,
        )
        .await?;
        Ok(TemplatesOk::Ok(Json(PageView::map(found, Into::into))))
    }

    /// A survey template
    ///
    /// Administrators. 403 `quality.forbidden`; 404 `quality.template_not_found`.
    #[oai(
        path = "/api/v1/surveys/templates/:id",
        method = "get",
        operation_id = "get_survey_template"
    )]
    async fn get_template(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The template.
        id: Path<Uuid>,
    ) -> ApiResult<TemplateOk, { AUTH | PARAMS | FORBIDDEN | NOT_FOUND }> {
        let template = service::get_template(&state.db, &auth.0, id.0).await?;
        Ok(TemplateOk::Ok(Json(template.into())))
    }

    /// Replace a survey template
    ///
    /// Administrators, while no invitation holds answers to it (then 409
    /// `quality.template_in_use`: create a new template instead). 403 `quality.forbidden`; 404
    /// `quality.template_not_found`; 422 `quality.invalid`.
    #[oai(
        path = "/api/v1/surveys/templates/:id",
        method = "put",
        operation_id = "replace_survey_template"
    )]
    async fn replace_template(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The template.
        id: Path<Uuid>,
        body: JsonBody<TemplateBody>,
    ) -> ApiResult<TemplateOk, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND | CONFLICT }> {
        let mut tx = state.begin().await?;
        let template = service::update_template(&mut tx, &auth.0, id.0, body.0.into()).await?;
        tx.commit().await?;
        Ok(TemplateOk::Ok(Json(template.into())))
    }

    /// My survey invitations
    ///
    /// The caller's invitations: a trainee's hot survey of each session whose last half-day has
    /// ended, the cold one `--cold-survey-weeks` later, a trainer's debrief of each session they
    /// taught — each from the moment it opens, with its deadline and the answers so far.
    #[oai(
        path = "/api/v1/surveys/invitations",
        method = "get",
        operation_id = "list_my_survey_invitations"
    )]
    async fn my_invitations(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Page size (1–200, default 50).
        limit: Query<Option<Limit>>,
        /// Cursor from the previous page's `next_cursor`.
        cursor: Query<Option<Cursor>>,
    ) -> ApiResult<InvitationsOk, { AUTH | PARAMS }> {
        let page = page_request(limit, cursor);
        let mut tx = state.begin().await?;
        let found = service::my_invitations(&mut tx, &auth.0, &rules(&state), &page).await?;
        let now = tx.now();
        tx.commit().await?;
        Ok(InvitationsOk::Ok(Json(PageView::map(found, |s| {
            InvitationView::of(s, now)
        }))))
    }

    /// A survey invitation
    ///
    /// Its respondent and administrators; 404 `quality.invitation_not_found` for everyone else.
    #[oai(
        path = "/api/v1/surveys/invitations/:id",
        method = "get",
        operation_id = "get_survey_invitation"
    )]
    async fn invitation(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The invitation.
        id: Path<Uuid>,
    ) -> ApiResult<InvitationOk, { AUTH | PARAMS | NOT_FOUND }> {
        let survey = service::get_invitation(&state.db, &auth.0, id.0).await?;
        Ok(InvitationOk::Ok(Json(InvitationView::of(
            survey,
            state.clock.now(),
        ))))
    }

    /// Save answers to a survey
    ///
    /// The respondent's draft: each answer replaces its question's, one without a value clears
    /// it. 404 `quality.invitation_not_found` (not the caller's); 409 `quality.survey_submitted`,
    /// `quality.survey_closed` (deadline passed); 422 `quality.invalid` (naming `answers.<key>`).
    #[oai(
        path = "/api/v1/surveys/invitations/:id/answers",
        method = "put",
        operation_id = "save_survey_answers"
    )]
    async fn save(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The invitation.
        id: Path<Uuid>,
        body: JsonBody<AnswersBody>,
    ) -> ApiResult<InvitationOk, { AUTH | PARAMS | BODY | NOT_FOUND | CONFLICT }> {
        self.respondent_write(&state, &auth.0, id.0, body.0, false)
            .await
    }

    /// Submit a survey
    ///
    /// Once: the answers become final (with those given in the body, if any). 404
    /// `quality.invitation_not_found`; 409 `quality.survey_submitted` (already),
    /// `quality.survey_closed` (deadline passed); 422 `quality.invalid` (a required question
    /// without an answer, named `answers.<key>`).
    #[oai(
        path = "/api/v1/surveys/invitations/:id/submit",
        method = "post",
        operation_id = "submit_survey"
    )]
    async fn submit(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The invitation.
        id: Path<Uuid>,
        body: JsonBody<AnswersBody>,
    ) -> ApiResult<InvitationOk, { AUTH | PARAMS | BODY | NOT_FOUND | CONFLICT }> {
        self.respondent_write(&state, &auth.0, id.0, body.0, true)
            .await
    }

    /// Invite a funder
    ///
    /// Administrators: a funders' survey invitation for a contact without an account; the
    /// answer holds its secret link, shown once (the notifications mail it). 403
    /// `quality.forbidden`; 422 `quality.invalid`.
    #[oai(
        path = "/api/v1/surveys/funder-invitations",
        method = "post",
        operation_id = "create_funder_invitation"
    )]
    async fn invite_funder(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: JsonBody<FunderInvitationBody>,
    ) -> ApiResult<FunderLinkCreated, { AUTH | BODY | FORBIDDEN }> {
        let b = body.0;
        let input = FunderInput {
            template_id: b.template_id,
            year: b.year,
            funder: Funder {
                name: b.name.into_inner(),
                email: b.email,
                organisation: b.organisation.into_inner(),
            },
            deadline: b.deadline.0,
        };
        let mut tx = state.begin().await?;
        let (invitation, code) = service::create_funder_invitation(&mut tx, &auth.0, input).await?;
        let survey = service::funder_survey(tx.conn(), &code).await?;
        let now = tx.now();
        tx.commit().await?;
        debug_assert_eq!(survey.invitation.id, invitation.id);
        let path = format!("/api/v1/surveys/funder/{code}");
        Ok(FunderLinkCreated::Created(
            Json(FunderLinkView {
                invitation: InvitationView::of(survey, now),
                code,
                path: path.clone(),
            }),
            path,
        ))
    }

    /// List funders' invitations
    ///
    /// Administrators, without their links. 403 `quality.forbidden`.
    #[oai(
        path = "/api/v1/surveys/funder-invitations",
        method = "get",
        operation_id = "list_funder_invitations"
    )]
    async fn funder_invitations(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Only the invitations about this year (2000–2100).
        #[oai(validator(minimum(value = "2000"), maximum(value = "2100")))]
        year: Query<Option<i32>>,
        /// Page size (1–200, default 50).
        limit: Query<Option<Limit>>,
        /// Cursor from the previous page's `next_cursor`.
        cursor: Query<Option<Cursor>>,
    ) -> ApiResult<FunderInvitationsOk, { AUTH | PARAMS | FORBIDDEN }> {
        let page = page_request(limit, cursor);
        let found = service::list_funder_invitations(&state.db, &auth.0, year.0, &page).await?;
        let now = state.clock.now();
        Ok(FunderInvitationsOk::Ok(Json(PageView::map(found, |s| {
            InvitationView::of(s, now)
        }))))
    }

    /// Survey results
    ///
    /// Administrators: how many were invited and submitted, and the submitted answers
    /// aggregated per question (counts per choice or scale value, a scale's mean, the free
    /// texts) — for one session, one training, one year (the year the sessions ended), or one
    /// kind; without a kind, the sessions' surveys (hot, cold, debrief); `kind=funder` for the
    /// funders' (by `year`). 403 `quality.forbidden`.
    #[oai(
        path = "/api/v1/surveys/results",
        method = "get",
        operation_id = "get_survey_results"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn results(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Only this kind of survey.
        kind: Query<Option<SurveyKindView>>,
        /// Only this session's.
        session_id: Query<Option<Uuid>>,
        /// Only this training's sessions'.
        training_id: Query<Option<Uuid>>,
        /// Only sessions that ended in this year (for funders: the year surveyed; 2000–2100).
        #[oai(validator(minimum(value = "2000"), maximum(value = "2100")))]
        year: Query<Option<i32>>,
        accept: Accept,
    ) -> ApiResult<ResultsOk, { AUTH | PARAMS | FORBIDDEN }> {
        let filter = ResultsFilter {
            kind: kind.0.map(Into::into),
            session_id: session_id.0,
            training_id: training_id.0,
            year: year.0,
        };
        let format = Format::chosen(&accept, LIST_FORMATS);
        let results = service::survey_results(
            &state.db,
            &auth.0,
            &rules(&state),
            filter,
            state.clock.now(),
        )
        .await?;
        if format != Format::Json {
            return Ok(ResultsOk::sheet(
                &service::survey_results_table(&results),
                format,
                "resultats-enquetes",
            )?);
        }
        Ok(ResultsOk::page(results.into()))
    }

    /// A funder's survey
    ///
    /// Through the secret link: no account. 404 `quality.invitation_not_found` (a wrong link).
    #[oai(
        path = "/api/v1/surveys/funder/:code",
        method = "get",
        operation_id = "get_funder_survey"
    )]
    async fn funder_survey(
        &self,
        _public: Public,
        state: Data<&AppState>,
        /// The link's secret code.
        code: Path<String>,
    ) -> ApiResult<InvitationOk, { PARAMS | NOT_FOUND }> {
        let survey = service::funder_survey(&state.db, &code.0).await?;
        Ok(InvitationOk::Ok(Json(InvitationView::of(
            survey,
            state.clock.now(),
        ))))
    }

    /// Save a funder's answers
    ///
    /// Through the secret link. 404 `quality.invitation_not_found`; 409
    /// `quality.survey_submitted`, `quality.survey_closed`; 422 `quality.invalid`.
    #[oai(
        path = "/api/v1/surveys/funder/:code/answers",
        method = "put",
        operation_id = "save_funder_answers"
    )]
    async fn funder_save(
        &self,
        _public: Public,
        state: Data<&AppState>,
        /// The link's secret code.
        code: Path<String>,
        body: JsonBody<AnswersBody>,
    ) -> ApiResult<InvitationOk, { PARAMS | BODY | NOT_FOUND | CONFLICT }> {
        self.funder_write(&state, &code.0, body.0, false).await
    }

    /// Submit a funder's survey
    ///
    /// Through the secret link, once. 404 `quality.invitation_not_found`; 409
    /// `quality.survey_submitted`, `quality.survey_closed`; 422 `quality.invalid`.
    #[oai(
        path = "/api/v1/surveys/funder/:code/submit",
        method = "post",
        operation_id = "submit_funder_survey"
    )]
    async fn funder_submit(
        &self,
        _public: Public,
        state: Data<&AppState>,
        /// The link's secret code.
        code: Path<String>,
        body: JsonBody<AnswersBody>,
    ) -> ApiResult<InvitationOk, { PARAMS | BODY | NOT_FOUND | CONFLICT }> {
        self.funder_write(&state, &code.0, body.0, true).await
    }
}

impl SurveysApi {
    /// Saves (and, when `submit`, submits) the caller's answers to their invitation.
    async fn respondent_write<const S: u32>(
        &self,
        state: &AppState,
        principal: &crate::principal::Principal,
        id: Uuid,
        body: AnswersBody,
        submit: bool,
    ) -> ApiResult<InvitationOk, S> {
        let answers = answers_of(body.answers).map_err(QualityError::Invalid)?;
        let mut tx = state.begin().await?;
        let survey =
            service::answer(&mut tx, principal, &rules(state), id, answers, submit).await?;
        let now = tx.now();
        tx.commit().await?;
        Ok(InvitationOk::Ok(Json(InvitationView::of(survey, now))))
    }

    async fn funder_write<const S: u32>(
        &self,
        state: &AppState,
        code: &str,
        body: AnswersBody,
        submit: bool,
    ) -> ApiResult<InvitationOk, S> {
        let answers = answers_of(body.answers).map_err(QualityError::Invalid)?;
        let mut tx = state.begin().await?;
        let survey = service::answer_as_funder(&mut tx, code, answers, submit).await?;
        let now = tx.now();
        tx.commit().await?;
        Ok(InvitationOk::Ok(Json(InvitationView::of(survey, now))))
    }
}
