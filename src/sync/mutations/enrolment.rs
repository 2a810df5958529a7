//! `enrolment.request@1` and `enrolment.cancel@1`: intents the server decides again against
//! the session as it is now (seats, deadline), exactly as the online requests do.

use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{Applying, Context, Done, args, choice, refusal};
use crate::db::write::WriteTx;
use crate::enrolment::model::{EnrolRequest, Enrolment};
use crate::enrolment::service;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestArgs {
    session_id: Uuid,
    trainee_type: String,
    funding_source: String,
    #[serde(default)]
    funding_amount_cents: Option<i64>,
    #[serde(default)]
    needs: String,
}

pub fn request<'a>(tx: &'a mut WriteTx, ctx: &'a Context<'a>, raw: Value) -> Applying<'a> {
    Box::pin(async move {
        let a: RequestArgs = args(raw)?;
        let request = EnrolRequest {
            session_id: a.session_id,
            person_id: None,
            trainee_type: choice("trainee_type", &a.trainee_type)?,
            funding_source: choice("funding_source", &a.funding_source)?,
            funding_amount_cents: a.funding_amount_cents,
            needs: a.needs,
            // The mutation id: the same intent pushed again (another device, a restore) gives
            // the same enrolment.
            idempotency_key: Some(format!("sync:{}", ctx.mutation_id)),
        };
        let prepared = service::prepare_enrolment(request).map_err(refusal)?;
        let enrolled = service::enrol(tx, ctx.principal, prepared)
            .await
            .map_err(refusal)?;
        let e = enrolled.enrolment;
        Ok(Done::applied("enrolment", e.id, Some(state(&e))))
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CancelArgs {
    enrolment_id: Uuid,
    reason: String,
}

pub fn cancel<'a>(tx: &'a mut WriteTx, ctx: &'a Context<'a>, raw: Value) -> Applying<'a> {
    Box::pin(async move {
        let a: CancelArgs = args(raw)?;
        let late = chrono::Duration::hours(ctx.settings.late_cancellation_hours);
        let e = service::cancel(tx, ctx.principal, a.enrolment_id, &a.reason, late)
            .await
            .map_err(refusal)?;
        Ok(Done::applied("enrolment", e.id, Some(state(&e))))
    })
}

fn state(e: &Enrolment) -> Value {
    use sea_orm::ActiveEnum;
    json!({
        "id": e.id,
        "session_id": e.session_id,
        "person_id": e.person_id,
        "status": e.status.to_value(),
        "waitlist_position": e.waitlist_position,
    })
}
