//! `/api/v1/meetings/{id}/attendance…`, `/minutes` and `/resources…`: what a meeting leaves.

use poem::web::Data;
use poem_openapi::param::Path;
use poem_openapi::payload::{Binary, Json};
use poem_openapi::types::multipart::Upload;
use poem_openapi::{ApiResponse, Multipart, Object, OpenApi};
use uuid::Uuid;

use super::{MeetingMarkView, MinutesVersionView, MinutesView, ResourceView};
use crate::attendance::api::MarkBody;
use crate::attendance::model::MarkInput;
use crate::attendance::service as attendance;
use crate::clubs::service::{self, NewResource};
use crate::http::auth::BearerAuth;
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::json::JsonBody;
use crate::http::patch::Patch;
use crate::http::png::Base64Png;
use crate::http::responses::{NoContent, created_response, ok_response};
use crate::http::tags::ApiTags;
use crate::http::text::Text;
use crate::state::AppState;

/// A new version of a meeting's minutes.
#[derive(Debug, Object)]
pub struct MinutesBody {
    /// The text (Markdown, 1–100,000 characters).
    #[oai(validator(max_length = 100000))]
    pub body: Text,
    /// The version the author edited: if another was posted since, 409 and nothing is lost.
    #[oai(validator(minimum(value = "0")))]
    pub based_on: Patch<i32>,
}

/// A link to post for a meeting.
#[derive(Debug, Object)]
pub struct LinkBody {
    /// Title (1–200 characters).
    #[oai(validator(max_length = 200))]
    pub title: Text,
    /// The link (http or https).
    #[oai(validator(max_length = 2000))]
    pub url: Text,
}

/// A file to post for a meeting (`multipart/form-data`; any other part is a 400).
#[derive(Debug, Multipart)]
#[oai(deny_unknown_fields)]
pub struct FileForm {
    /// Title (at most 200 characters; the file's name when absent).
    pub title: Option<String>,
    /// The file: PDF, PNG, JPEG, Office (docx, xlsx, pptx), OpenDocument (odt, ods, odp) or UTF-8
    /// text (txt, md, csv), recognised from its content and agreeing with its name's extension;
    /// a plain name (no path); at most the configured size.
    pub file: Upload,
}

/// What recording a member did.
#[derive(ApiResponse)]
pub enum MeetingMarkAnswer {
    /// The first mark of this member for this meeting; `Location` is the meeting's attendance.
    #[oai(status = 201)]
    Created(Json<MeetingMarkView>, #[oai(header = "Location")] String),
    /// The mark was changed (the change is kept in its history).
    #[oai(status = 200)]
    Updated(Json<MeetingMarkView>),
}

/// A stored file.
#[derive(ApiResponse)]
pub enum FileAnswer {
    /// The file's bytes; `Content-Disposition` names it, `X-Content-Type` gives its recognised
    /// type, `X-Content-Type-Options: nosniff` keeps browsers from guessing another.
    #[oai(status = 200, content_type = "application/octet-stream")]
    File(
        Binary<Vec<u8>>,
        #[oai(header = "Content-Disposition")] String,
        #[oai(header = "X-Content-Type")] String,
        #[oai(header = "X-Content-Type-Options")] String,
    ),
}

ok_response!(MarksOk, Vec<MeetingMarkView>, "The meeting's marks.");
ok_response!(
    MinutesOk,
    MinutesView,
    "The minutes and every earlier version."
);
created_response!(
    MinutesCreated,
    MinutesVersionView,
    "The new version; `Location` is the minutes."
);
ok_response!(
    ResourcesOk,
    Vec<ResourceView>,
    "The meeting's resources, oldest first."
);
created_response!(
    ResourceCreated,
    ResourceView,
    "The resource; `Location` is the list."
);

#[derive(Default)]
pub struct MeetingRecordsApi;

#[OpenApi(tag = "ApiTags::Clubs")]
impl MeetingRecordsApi {
    /// Record a member at a meeting
    ///
    /// The club's animators and administrators record an active member (signature optional),
    /// from 30 minutes before the meeting; the first person recorded present makes it `held`.
    /// Same marks, signatures and history as training half-days; outside the Qualiopi and BPF
    /// scope unless the meeting is flagged. 403 `clubs.forbidden`; 404
    /// `clubs.meeting_not_found`, `clubs.member_not_found`; 409 `clubs.meeting_cancelled`,
    /// `clubs.meeting_not_started`; 422 `attendance.invalid`, `attendance.signature_not_png`,
    /// `attendance.signature_too_large`, `attendance.signature_corrupt`,
    /// `attendance.signature_dimensions`, `attendance.signature_blank`.
    #[oai(
        path = "/api/v1/meetings/:id/attendance/:person_id",
        method = "put",
        operation_id = "set_meeting_mark"
    )]
    async fn set_mark(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The meeting.
        id: Path<Uuid>,
        /// The member.
        person_id: Path<Uuid>,
        body: JsonBody<MarkBody>,
    ) -> ApiResult<MeetingMarkAnswer, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND | CONFLICT }>
    {
        let b = body.0;
        let input = MarkInput {
            status: b.status.into(),
            late_minutes: b.late_minutes.get(),
            signature_png: b.signature_png.get().map(Base64Png::into_inner),
            signed_at: b.signed_at.get().map(|t| t.0),
            device_id: b.device_id.get(),
        };
        let prepared = attendance::prepare_mark(input).map_err(service::ClubsError::from)?;
        let mut tx = state.begin().await?;
        let set = service::set_meeting_mark(&mut tx, &auth.0, id.0, person_id.0, prepared).await?;
        tx.commit().await?;
        let view = MeetingMarkView::from(set.mark);
        Ok(if set.created {
            let location = format!("/api/v1/meetings/{}/attendance", id.0);
            MeetingMarkAnswer::Created(Json(view), location)
        } else {
            MeetingMarkAnswer::Updated(Json(view))
        })
    }

    /// Who came to a meeting
    ///
    /// The club's animators and administrators see every mark; a member sees their own. 404
    /// `clubs.meeting_not_found`.
    #[oai(
        path = "/api/v1/meetings/:id/attendance",
        method = "get",
        operation_id = "list_meeting_marks"
    )]
    async fn marks(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The meeting.
        id: Path<Uuid>,
    ) -> ApiResult<MarksOk, { AUTH | PARAMS | NOT_FOUND }> {
        let marks = service::meeting_marks(&state.db, &auth.0, id.0).await?;
        Ok(MarksOk::Ok(Json(
            marks.into_iter().map(Into::into).collect(),
        )))
    }

    /// Post the minutes of a meeting
    ///
    /// The club's animators and administrators; each text is a new version, earlier ones are
    /// kept. 403 `clubs.forbidden`; 404 `clubs.meeting_not_found`; 409
    /// `clubs.meeting_cancelled`, `clubs.minutes_changed` (`based_on` is not the latest
    /// version); 422 `clubs.invalid`.
    #[oai(
        path = "/api/v1/meetings/:id/minutes",
        method = "put",
        operation_id = "post_meeting_minutes"
    )]
    async fn post_minutes(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The meeting.
        id: Path<Uuid>,
        body: JsonBody<MinutesBody>,
    ) -> ApiResult<MinutesCreated, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND | CONFLICT }>
    {
        let b = body.0;
        let mut tx = state.begin().await?;
        let minutes =
            service::post_minutes(&mut tx, &auth.0, id.0, b.body.as_str(), b.based_on.get())
                .await?;
        tx.commit().await?;
        let location = format!("/api/v1/meetings/{}/minutes", id.0);
        Ok(MinutesCreated::Created(Json(minutes.into()), location))
    }

    /// The minutes of a meeting
    ///
    /// Its club's members and animators: the current version and every earlier one. 404
    /// `clubs.meeting_not_found`, `clubs.minutes_not_found` (none posted yet).
    #[oai(
        path = "/api/v1/meetings/:id/minutes",
        method = "get",
        operation_id = "get_meeting_minutes"
    )]
    async fn minutes(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The meeting.
        id: Path<Uuid>,
    ) -> ApiResult<MinutesOk, { AUTH | PARAMS | NOT_FOUND }> {
        let versions = service::minutes(&state.db, &auth.0, id.0).await?;
        let current = versions
            .last()
            .cloned()
            .ok_or(service::ClubsError::MinutesNotFound)?;
        Ok(MinutesOk::Ok(Json(MinutesView {
            meeting_id: id.0,
            current: current.into(),
            versions: versions.into_iter().map(Into::into).collect(),
        })))
    }

    /// A meeting's resources
    ///
    /// Its club's members and animators. 404 `clubs.meeting_not_found`.
    #[oai(
        path = "/api/v1/meetings/:id/resources",
        method = "get",
        operation_id = "list_meeting_resources"
    )]
    async fn resources(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The meeting.
        id: Path<Uuid>,
    ) -> ApiResult<ResourcesOk, { AUTH | PARAMS | NOT_FOUND }> {
        let resources = service::resources(&state.db, &auth.0, id.0).await?;
        Ok(ResourcesOk::Ok(Json(
            resources.into_iter().map(Into::into).collect(),
        )))
    }

    /// Post a link for a meeting
    ///
    /// The club's animators and administrators. 403 `clubs.forbidden`; 404
    /// `clubs.meeting_not_found`; 422 `clubs.invalid`.
    #[oai(
        path = "/api/v1/meetings/:id/resources",
        method = "post",
        operation_id = "add_meeting_link"
    )]
    async fn add_link(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The meeting.
        id: Path<Uuid>,
        body: JsonBody<LinkBody>,
    ) -> ApiResult<ResourceCreated, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND }> {
        let b = body.0;
        let new = NewResource::Link {
            title: b.title.into_inner(),
            url: b.url.into_inner(),
        };
        post(&state, &auth, id.0, new).await
    }

    /// Upload a file for a meeting
    ///
    /// The club's animators and administrators, as `multipart/form-data` (`file`, optional
    /// `title`). The type is recognised from the content, never from what the client claims.
    /// 403 `clubs.forbidden`; 404 `clubs.meeting_not_found`; 413 `clubs.file_too_large` (see
    /// `PASSERELLE_MAX_RESOURCE_BYTES`); 422 `clubs.file_type_not_allowed` (content of another
    /// type, or not agreeing with the name's extension), `clubs.bad_file_name` (a path, `..`, a
    /// hidden or reserved name), `clubs.invalid`.
    #[oai(
        path = "/api/v1/meetings/:id/resources/files",
        method = "post",
        operation_id = "upload_meeting_file"
    )]
    async fn upload(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The meeting.
        id: Path<Uuid>,
        form: FileForm,
    ) -> ApiResult<ResourceCreated, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND }> {
        let file_name = form.file.file_name().unwrap_or_default().to_owned();
        let bytes = form.file.into_vec().await.map_err(|_| {
            crate::http::error::ApiError::bad_request(
                "request.malformed",
                "the file could not be read",
            )
        })?;
        let new = NewResource::File {
            title: form.title.unwrap_or_default(),
            file_name,
            bytes,
        };
        post(&state, &auth, id.0, new).await
    }

    /// Download a meeting's file
    ///
    /// Its club's members and animators. 404 `clubs.meeting_not_found`,
    /// `clubs.resource_not_found`.
    #[oai(
        path = "/api/v1/meetings/:id/resources/:resource_id/file",
        method = "get",
        operation_id = "download_meeting_file"
    )]
    async fn download(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The meeting.
        id: Path<Uuid>,
        /// The resource.
        resource_id: Path<Uuid>,
    ) -> ApiResult<FileAnswer, { AUTH | PARAMS | NOT_FOUND }> {
        let (resource, bytes) =
            service::resource_file(&state.db, &auth.0, id.0, resource_id.0).await?;
        let name = resource.file_name.unwrap_or_else(|| "file".to_owned());
        let media_type = resource
            .content_type
            .unwrap_or_else(|| "application/octet-stream".to_owned());
        Ok(FileAnswer::File(
            Binary(bytes),
            content_disposition(&name),
            media_type,
            "nosniff".to_owned(),
        ))
    }

    /// Remove a meeting's resource
    ///
    /// The club's animators and administrators. 403 `clubs.forbidden`; 404
    /// `clubs.meeting_not_found`, `clubs.resource_not_found`.
    #[oai(
        path = "/api/v1/meetings/:id/resources/:resource_id",
        method = "delete",
        operation_id = "delete_meeting_resource"
    )]
    async fn delete(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The meeting.
        id: Path<Uuid>,
        /// The resource.
        resource_id: Path<Uuid>,
    ) -> ApiResult<NoContent, { AUTH | PARAMS | FORBIDDEN | NOT_FOUND }> {
        let mut tx = state.begin().await?;
        service::delete_resource(&mut tx, &auth.0, id.0, resource_id.0).await?;
        tx.commit().await?;
        Ok(NoContent::Done)
    }
}

async fn post<const S: u32>(
    state: &AppState,
    auth: &BearerAuth,
    meeting_id: Uuid,
    new: NewResource,
) -> ApiResult<ResourceCreated, S> {
    let prepared = service::prepare_resource(new, state.settings.max_resource_bytes)?;
    let mut tx = state.begin().await?;
    let resource = service::post_resource(&mut tx, &auth.0, meeting_id, prepared).await?;
    tx.commit().await?;
    let location = format!("/api/v1/meetings/{meeting_id}/resources");
    Ok(ResourceCreated::Created(Json(resource.into()), location))
}

/// `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266): an ASCII fallback and the exact
/// name percent-encoded, so that any name is a valid header.
fn content_disposition(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}
