//! `meeting.rsvp@1`: a member answers a club meeting (the place is checked again now).

use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{Applying, Context, Done, args, choice, refusal};
use crate::clubs::service;
use crate::db::write::WriteTx;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RsvpArgs {
    meeting_id: Uuid,
    /// `yes`, `no` or `maybe`.
    answer: String,
}

pub fn rsvp<'a>(tx: &'a mut WriteTx, ctx: &'a Context<'a>, raw: Value) -> Applying<'a> {
    Box::pin(async move {
        use sea_orm::ActiveEnum;
        let a: RsvpArgs = args(raw)?;
        let answer = choice("answer", &a.answer)?;
        let (rsvp, _) = service::rsvp(tx, ctx.principal, a.meeting_id, answer)
            .await
            .map_err(refusal)?;
        let state = json!({
            "id": rsvp.id,
            "meeting_id": rsvp.meeting_id,
            "person_id": rsvp.person_id,
            "answer": rsvp.answer.to_value(),
        });
        Ok(Done::applied("meeting_rsvp", rsvp.id, Some(state)))
    })
}
