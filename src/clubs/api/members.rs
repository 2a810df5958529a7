//! `/api/v1/clubs/{id}/members…`, `/join` and `/leave`: who belongs to a club.

use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};
use uuid::Uuid;

use super::{MemberView, MembershipStatusView, MembershipView};
use crate::clubs::service::{self, Decision};
use crate::http::auth::BearerAuth;
use crate::http::cancel::CancelRequest;
use crate::http::error::ApiResult;
use crate::http::error::status::*;
use crate::http::json::JsonBody;
use crate::http::pagination::PageView;
use crate::http::patch::Patch;
use crate::http::responses::ok_response;
use crate::http::tags::ApiTags;
use crate::http::text::Text;
use crate::paging::Page;
use crate::state::AppState;

/// Asking to join a club.
#[derive(Debug, Object)]
pub struct JoinBody {
    /// A word for the animators (an on-request club), at most 2,000 characters.
    #[oai(validator(max_length = 2000))]
    pub message: Patch<Text>,
}

/// A person an animator adds to the club.
#[derive(Debug, Object)]
pub struct AddMemberBody {
    /// The person to add.
    pub person_id: Uuid,
}

/// What joining did.
#[derive(ApiResponse)]
pub enum JoinAnswer {
    /// Joined (`status` `active`) or asked to (`pending`); `Location` is the members list.
    #[oai(status = 201)]
    Created(Json<MembershipView>, #[oai(header = "Location")] String),
    /// Already a member, or already waiting: the membership, unchanged.
    #[oai(status = 200)]
    Unchanged(Json<MembershipView>),
}

ok_response!(MembershipOk, MembershipView, "The membership.");
ok_response!(
    MembersOk,
    PageView<MemberView>,
    "The club's people, oldest request first."
);

#[derive(Default)]
pub struct MembersApi;

#[OpenApi(tag = "ApiTags::Clubs")]
impl MembersApi {
    /// Join a club
    ///
    /// The caller joins: at once if the club is open, or open to the federation's members and
    /// their organisation is one; otherwise the request waits for an animator (`pending`).
    /// Joining again while a member or waiting changes nothing (200). 403
    /// `clubs.federation_members_only`; 404 `clubs.club_not_found`; 409 `clubs.club_archived`,
    /// `clubs.membership_removed` (an animator may add them again).
    #[oai(
        path = "/api/v1/clubs/:id/join",
        method = "post",
        operation_id = "join_club"
    )]
    async fn join(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The club.
        id: Path<Uuid>,
        body: JsonBody<JoinBody>,
    ) -> ApiResult<JoinAnswer, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND | CONFLICT }> {
        let message = body.0.message.get().map(Text::into_inner);
        let mut tx = state.begin().await?;
        let joined = service::join(&mut tx, &auth.0, id.0, message).await?;
        tx.commit().await?;
        let view = MembershipView::from(joined.membership);
        Ok(if joined.changed {
            JoinAnswer::Created(Json(view), format!("/api/v1/clubs/{}/members", id.0))
        } else {
            JoinAnswer::Unchanged(Json(view))
        })
    }

    /// Leave a club
    ///
    /// The caller leaves (or withdraws their request). 404 `clubs.club_not_found`,
    /// `clubs.member_not_found`; 409 `clubs.animator_cannot_leave` (an administrator changes
    /// the animators).
    #[oai(
        path = "/api/v1/clubs/:id/leave",
        method = "post",
        operation_id = "leave_club"
    )]
    async fn leave(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The club.
        id: Path<Uuid>,
    ) -> ApiResult<MembershipOk, { AUTH | PARAMS | NOT_FOUND | CONFLICT }> {
        let mut tx = state.begin().await?;
        let membership = service::leave(&mut tx, &auth.0, id.0).await?;
        tx.commit().await?;
        Ok(MembershipOk::Ok(Json(membership.into())))
    }

    /// A club's members
    ///
    /// For its members and animators (404 `clubs.club_not_found` for anyone else): the active
    /// members and animators, names and organisations, no e-mails. Animators and
    /// administrators also see requests and past members, and may filter by `status`.
    #[oai(
        path = "/api/v1/clubs/:id/members",
        method = "get",
        operation_id = "list_club_members"
    )]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The club.
        id: Path<Uuid>,
        /// Only memberships in this status.
        status: Query<Option<MembershipStatusView>>,
    ) -> ApiResult<MembersOk, { AUTH | PARAMS | NOT_FOUND }> {
        let members = service::members(&state.db, &auth.0, id.0, status.0.map(Into::into)).await?;
        Ok(MembersOk::Ok(Json(PageView::of(Page {
            items: members,
            next: None,
        }))))
    }

    /// Add a person to a club
    ///
    /// The club's animators and administrators add someone directly, whatever its policy (a
    /// removed member included). 403 `clubs.forbidden`; 404 `clubs.club_not_found`,
    /// `clubs.person_not_found`; 409 `clubs.club_archived`.
    #[oai(
        path = "/api/v1/clubs/:id/members",
        method = "post",
        operation_id = "add_club_member"
    )]
    async fn add(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The club.
        id: Path<Uuid>,
        body: JsonBody<AddMemberBody>,
    ) -> ApiResult<MembershipOk, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND | CONFLICT }> {
        let person = body.0.person_id;
        decide(&state, &auth, id.0, person, Decision::Add, None).await
    }

    /// Approve a request to join
    ///
    /// The club's animators and administrators. 403 `clubs.forbidden` (an animator of another
    /// club); 404 `clubs.club_not_found`, `clubs.member_not_found`; 409 `clubs.not_pending`,
    /// `clubs.club_archived`.
    #[oai(
        path = "/api/v1/clubs/:id/members/:person_id/approve",
        method = "post",
        operation_id = "approve_club_member"
    )]
    async fn approve(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The club.
        id: Path<Uuid>,
        /// The person who asked.
        person_id: Path<Uuid>,
    ) -> ApiResult<MembershipOk, { AUTH | PARAMS | FORBIDDEN | NOT_FOUND | CONFLICT }> {
        decide(&state, &auth, id.0, person_id.0, Decision::Approve, None).await
    }

    /// Decline a request to join
    ///
    /// The club's animators and administrators, with a reason the person sees. 403
    /// `clubs.forbidden`; 404 `clubs.club_not_found`, `clubs.member_not_found`; 409
    /// `clubs.not_pending`; 422 `clubs.invalid`.
    #[oai(
        path = "/api/v1/clubs/:id/members/:person_id/decline",
        method = "post",
        operation_id = "decline_club_member"
    )]
    async fn decline(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The club.
        id: Path<Uuid>,
        /// The person who asked.
        person_id: Path<Uuid>,
        body: JsonBody<CancelRequest>,
    ) -> ApiResult<MembershipOk, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND | CONFLICT }> {
        let reason = body.0.reason.into_inner();
        decide(
            &state,
            &auth,
            id.0,
            person_id.0,
            Decision::Decline,
            Some(&reason),
        )
        .await
    }

    /// Remove a member
    ///
    /// The club's animators and administrators, with a reason; the person may be added again
    /// by an animator. 403 `clubs.forbidden`; 404 `clubs.club_not_found`,
    /// `clubs.member_not_found`; 409 `clubs.is_animator` (an administrator changes the
    /// animators); 422 `clubs.invalid`.
    #[oai(
        path = "/api/v1/clubs/:id/members/:person_id/remove",
        method = "post",
        operation_id = "remove_club_member"
    )]
    async fn remove(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        /// The club.
        id: Path<Uuid>,
        /// The member.
        person_id: Path<Uuid>,
        body: JsonBody<CancelRequest>,
    ) -> ApiResult<MembershipOk, { AUTH | PARAMS | BODY | FORBIDDEN | NOT_FOUND | CONFLICT }> {
        let reason = body.0.reason.into_inner();
        decide(
            &state,
            &auth,
            id.0,
            person_id.0,
            Decision::Remove,
            Some(&reason),
        )
        .await
    }
}

async fn decide<const S: u32>(
    state: &AppState,
    auth: &BearerAuth,
    club_id: Uuid,
    person_id: Uuid,
    decision: Decision,
    reason: Option<&str>,
) -> ApiResult<MembershipOk, S> {
    let mut tx = state.begin().await?;
    let membership =
        service::decide(&mut tx, &auth.0, club_id, person_id, decision, reason).await?;
    tx.commit().await?;
    Ok(MembershipOk::Ok(Json(membership.into())))
}
