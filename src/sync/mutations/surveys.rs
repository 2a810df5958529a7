//! `survey.answer@1` (one question's answer, saved to the draft; `null` clears it) and
//! `survey.submit@1` (the answers become final). They take the online path, so two devices'
//! answers merge per question before the deadline; after it, or once submitted, the mutation
//! is rejected (`refused`, `quality.survey_closed` / `quality.survey_submitted`) and its
//! content stays in the device's stored mutation for the administrator.

use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{Applying, Context, Done, args, refusal};
use crate::db::write::WriteTx;
use crate::quality::model::surveys::{Answers, SurveyRules};
use crate::quality::service::{self, Survey};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswerArgs {
    invitation_id: Uuid,
    /// The question's key.
    question: String,
    /// An integer (scales), a string (a choice, a text), a list of strings (choices) or `null`.
    value: Value,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SubmitArgs {
    invitation_id: Uuid,
}

fn done(survey: Survey) -> Done {
    let i = survey.invitation;
    let state = json!({
        "id": i.id,
        "template_id": i.template_id,
        "answers": i.answers,
        "submitted_at": i.submitted_at,
        "deadline": i.deadline,
        "version": i.version,
    });
    Done::applied("survey_invitation", i.id, Some(state))
}

pub fn answer<'a>(tx: &'a mut WriteTx, ctx: &'a Context<'a>, raw: Value) -> Applying<'a> {
    Box::pin(async move {
        let a: AnswerArgs = args(raw)?;
        let rules = SurveyRules::of(ctx.settings);
        let changes = Answers::from([(a.question, a.value)]);
        let survey = service::answer(tx, ctx.principal, &rules, a.invitation_id, changes, false)
            .await
            .map_err(refusal)?;
        Ok(done(survey))
    })
}

pub fn submit<'a>(tx: &'a mut WriteTx, ctx: &'a Context<'a>, raw: Value) -> Applying<'a> {
    Box::pin(async move {
        let a: SubmitArgs = args(raw)?;
        let rules = SurveyRules::of(ctx.settings);
        let survey = service::answer(
            tx,
            ctx.principal,
            &rules,
            a.invitation_id,
            Answers::new(),
            true,
        )
        .await
        .map_err(refusal)?;
        Ok(done(survey))
    })
}
