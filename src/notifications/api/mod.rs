//! `/api/v1/notifications…`: the messages administrators follow and retry, each person's own
//! messages and preferences, and the one-click unsubscribe link of optional messages.

mod views;

use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use uuid::Uuid;

use self::views::{CategoryView, DeliveryView, UnsubscribedView};
pub use self::views::{MessageView, PreferencesView};
use crate::http::auth::{BearerAuth, Public};
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::json::JsonBody;
use crate::http::pagination::{Cursor, Limit, PageView, page_request};
use crate::http::responses::ok_response;
use crate::http::tags::ApiTags;
use crate::notifications::model::MessageFilter;
use crate::notifications::service;
use crate::state::AppState;

ok_response!(
    MessagesOk,
    PageView<MessageView>,
    "A page of messages, oldest first."
);
ok_response!(MessageOk, MessageView, "The message and its delivery.");
ok_response!(PreferencesOk, PreferencesView, "The caller's preferences.");
ok_response!(UnsubscribedOk, UnsubscribedView, "What the link stops.");

#[derive(Default)]
pub struct NotificationsApi;

#[OpenApi(tag = "ApiTags::Notifications")]
impl NotificationsApi {
    /// List messages
    ///
    /// Administrators: every e-mail drafted from an event, with its delivery (`queued`,
    /// `sending`, `failed` with its last error and next attempt, `sent`, `dead`), filtered by
    /// status, person, event or the row the event happened to. Without an SMTP relay
    /// configured, messages stay `queued` and are read here. 404 `notifications.not_found` for
    /// anyone else.
    #[oai(
        path = "/api/v1/notifications",
        method = "get",
        operation_id = "list_notifications"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Only messages at this status.
        status: Query<Option<DeliveryView>>,
        /// Only messages to this person.
        person_id: Query<Option<Uuid>>,
        /// Only messages of this event kind (e.g. `convocation_issued`).
        event: Query<Option<String>>,
        /// Only messages about this row (an enrolment, a session, a meeting…).
        subject_id: Query<Option<Uuid>>,
        /// Page size (1–200, default 50).
        limit: Query<Option<Limit>>,
        /// Cursor from the previous page's `next_cursor`.
        cursor: Query<Option<Cursor>>,
    ) -> ApiResult<MessagesOk, { AUTH | PARAMS | NOT_FOUND }> {
        let filter = MessageFilter {
            status: status.0.map(Into::into),
            person_id: person_id.0,
            event: event.0,
            subject_id: subject_id.0,
        };
        let page = page_request(limit, cursor);
        let found = service::list_messages(&state.db, &auth.0, &filter, &page).await?;
        Ok(MessagesOk::Ok(Json(PageView::of(found))))
    }

    /// Get a message
    ///
    /// For an administrator or the message's recipient; 404 `notifications.not_found` for
    /// anyone else or an unknown message.
    #[oai(
        path = "/api/v1/notifications/:id",
        method = "get",
        operation_id = "get_notification"
    )]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Message id.
        id: Path<Uuid>,
    ) -> ApiResult<MessageOk, { AUTH | PARAMS | NOT_FOUND }> {
        let found = service::get_message(&state.db, &auth.0, id.0).await?;
        Ok(MessageOk::Ok(Json(found.into())))
    }

    /// Retry a dead message
    ///
    /// Administrators, once the cause is fixed (a full mailbox, a relay refusing): the message
    /// goes back to `queued` with its attempts reset, and the sender sends the same bytes (the
    /// same `Message-ID`). 409 `notifications.not_dead` for a message that is not dead; 404
    /// `notifications.not_found` for anyone but an administrator.
    #[oai(
        path = "/api/v1/notifications/:id/retry",
        method = "post",
        operation_id = "retry_notification"
    )]
    async fn retry(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Message id.
        id: Path<Uuid>,
    ) -> ApiResult<MessageOk, { AUTH | PARAMS | NOT_FOUND | CONFLICT }> {
        let mut tx = state.begin().await?;
        let found = service::retry_message(&mut tx, &auth.0, id.0).await?;
        tx.commit().await?;
        Ok(MessageOk::Ok(Json(found.into())))
    }

    /// My messages
    ///
    /// The e-mails sent (or waiting to be sent) to the caller, oldest first.
    #[oai(
        path = "/api/v1/me/notifications",
        method = "get",
        operation_id = "list_my_notifications"
    )]
    async fn mine(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// Page size (1–200, default 50).
        limit: Query<Option<Limit>>,
        /// Cursor from the previous page's `next_cursor`.
        cursor: Query<Option<Cursor>>,
    ) -> ApiResult<MessagesOk, { AUTH | PARAMS }> {
        let page = page_request(limit, cursor);
        let found = service::my_messages(&state.db, &auth.0, &page).await?;
        Ok(MessagesOk::Ok(Json(PageView::of(found))))
    }

    /// My notification preferences
    ///
    /// Which optional messages the caller receives (both by default). Convocations,
    /// certificates and answers to what the caller did are always sent.
    #[oai(
        path = "/api/v1/me/notification-preferences",
        method = "get",
        operation_id = "get_my_notification_preferences"
    )]
    async fn preferences(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
    ) -> ApiResult<PreferencesOk, { AUTH }> {
        let found = service::my_preferences(&state.db, &auth.0).await?;
        Ok(PreferencesOk::Ok(Json(found.into())))
    }

    /// Set my notification preferences
    ///
    /// Opt in or out of reminders and club news; applies to messages drafted from now on.
    #[oai(
        path = "/api/v1/me/notification-preferences",
        method = "put",
        operation_id = "set_my_notification_preferences"
    )]
    async fn set_preferences(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: JsonBody<PreferencesView>,
    ) -> ApiResult<PreferencesOk, { AUTH | BODY }> {
        let mut tx = state.begin().await?;
        let saved = service::set_my_preferences(&mut tx, &auth.0, body.0.into()).await?;
        tx.commit().await?;
        Ok(PreferencesOk::Ok(Json(saved.into())))
    }

    /// Read an unsubscribe link
    ///
    /// Public: what the `List-Unsubscribe` link of an optional message would stop, without
    /// changing anything (mail scanners follow links with GET). 404
    /// `notifications.unknown_link` for a token no message carries.
    #[oai(
        path = "/api/v1/unsubscribe/:token",
        method = "get",
        operation_id = "read_unsubscribe_link"
    )]
    async fn read_unsubscribe(
        &self,
        state: Data<&AppState>,
        _public: Public,
        /// The token of the link (from the message's `List-Unsubscribe` header).
        #[oai(validator(max_length = 128))]
        token: Path<String>,
    ) -> ApiResult<UnsubscribedOk, { PARAMS | NOT_FOUND }> {
        let category = service::unsubscribe_target(&state.db, &token.0).await?;
        Ok(UnsubscribedOk::Ok(Json(UnsubscribedView {
            category: CategoryView::from(category),
            unsubscribed: false,
        })))
    }

    /// Unsubscribe in one click
    ///
    /// Public (RFC 8058 one-click, the `List-Unsubscribe-Post` of optional messages): opts the
    /// message's recipient out of its category (reminders or club news); again changes
    /// nothing. Legal and service messages carry no link. 404 `notifications.unknown_link` for
    /// a token no message carries.
    #[oai(
        path = "/api/v1/unsubscribe/:token",
        method = "post",
        operation_id = "unsubscribe"
    )]
    async fn unsubscribe(
        &self,
        state: Data<&AppState>,
        _public: Public,
        /// The token of the link (from the message's `List-Unsubscribe` header).
        #[oai(validator(max_length = 128))]
        token: Path<String>,
    ) -> ApiResult<UnsubscribedOk, { PARAMS | NOT_FOUND }> {
        let mut tx = state.begin().await?;
        let category = service::unsubscribe(&mut tx, &token.0).await?;
        tx.commit().await?;
        Ok(UnsubscribedOk::Ok(Json(UnsubscribedView {
            category: category.into(),
            unsubscribed: true,
        })))
    }
}
