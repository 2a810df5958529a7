//! `/api/v1/meetings/{id}/resources…`: the links and files posted for a meeting.

use poem::web::Data;
use poem_openapi::param::Path;
use poem_openapi::payload::{Binary, Json};
use poem_openapi::types::multipart::Upload;
use poem_openapi::{ApiResponse, Multipart, Object, OpenApi};
use uuid::Uuid;

use super::ResourceView;
use crate::clubs::service::{self, NewResource};
use crate::http::auth::BearerAuth;
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::json::JsonBody;
use crate::http::responses::{NoContent, created_response, ok_response};
use crate::http::tags::ApiTags;
use crate::http::text::Text;
use crate::state::AppState;

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

/// The links and files of meetings.
#[derive(Default)]
pub struct MeetingResourcesApi;

#[OpenApi(tag = "ApiTags::Clubs")]
impl MeetingResourcesApi {
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
