//! `/api/v1/devices`: registering, listing and revoking the devices that sync.

use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use uuid::Uuid;

use super::{DeviceView, NewDeviceBody, ReasonBody};
use crate::http::auth::BearerAuth;
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::json::JsonBody;
use crate::http::responses::{created_response, ok_response};
use crate::http::tags::ApiTags;
use crate::state::AppState;
use crate::sync::model::NewDevice;
use crate::sync::service;

created_response!(
    DeviceCreated,
    DeviceView,
    "The device is registered; `Location` is its URL. Keep its id: every pull and push names it."
);
ok_response!(DeviceOk, DeviceView, "The device.");
ok_response!(DevicesOk, Vec<DeviceView>, "The devices, newest first.");

#[derive(Default)]
pub struct DevicesApi;

#[OpenApi(tag = "ApiTags::Sync")]
impl DevicesApi {
    /// Register a device
    ///
    /// For the signed-in person (a trainer's tablet, a member's phone): the app does it once
    /// per install, before its first pull. 422 `sync.invalid` (name or platform).
    #[oai(
        path = "/api/v1/devices",
        method = "post",
        operation_id = "register_device"
    )]
    async fn register(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: JsonBody<NewDeviceBody>,
    ) -> ApiResult<DeviceCreated, { AUTH | BODY }> {
        let new = NewDevice {
            name: body.0.name.into_inner(),
            platform: body.0.platform.into_inner(),
        };
        let device = service::register_device(&state.db, &state.clock, &auth.0, new).await?;
        let location = format!("/api/v1/devices/{}", device.id);
        Ok(DeviceCreated::Created(Json(device.into()), location))
    }

    /// List devices
    ///
    /// A person sees their own devices; administrators see every device, or one person's
    /// with `person_id`.
    #[oai(
        path = "/api/v1/devices",
        method = "get",
        operation_id = "list_devices"
    )]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Administrators: only this person's devices.
        person_id: Query<Option<Uuid>>,
    ) -> ApiResult<DevicesOk, { AUTH | PARAMS }> {
        let devices = service::devices(&state.db, &auth.0, person_id.0).await?;
        Ok(DevicesOk::Ok(Json(
            devices.into_iter().map(Into::into).collect(),
        )))
    }

    /// A device
    ///
    /// Its owner and administrators. 404 `sync.device_not_found`.
    #[oai(
        path = "/api/v1/devices/:id",
        method = "get",
        operation_id = "get_device"
    )]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The device.
        id: Path<Uuid>,
    ) -> ApiResult<DeviceOk, { AUTH | PARAMS | NOT_FOUND }> {
        let device = service::device(&state.db, &auth.0, id.0).await?;
        Ok(DeviceOk::Ok(Json(device.into())))
    }

    /// Revoke a device
    ///
    /// Its owner (a lost phone) or an administrator, with a reason. From then on its pulls and
    /// pushes answer 403 `sync.device_revoked`; what it pushes is kept in the quarantine for an
    /// administrator. Revoking twice keeps the first revocation. 404 `sync.device_not_found`;
    /// 422 `sync.invalid` (an empty reason).
    #[oai(
        path = "/api/v1/devices/:id/revoke",
        method = "post",
        operation_id = "revoke_device"
    )]
    async fn revoke(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The device.
        id: Path<Uuid>,
        body: JsonBody<ReasonBody>,
    ) -> ApiResult<DeviceOk, { AUTH | PARAMS | BODY | NOT_FOUND }> {
        let device = service::revoke_device(
            &state.db,
            &state.clock,
            &auth.0,
            id.0,
            body.0.reason.as_str(),
        )
        .await?;
        Ok(DeviceOk::Ok(Json(device.into())))
    }
}
