//! Funders' surveys: a funder has no account; the administrator creates an invitation for the
//! funder's contact and copies its secret link (shown once, only its SHA-256 kept). Whoever holds
//! the link answers; a wrong link is 404, like a missing one.

use chrono::Datelike;
use sea_orm::ConnectionTrait;

use super::answering::{Survey, with_templates, write};
use crate::db::write::WriteTx;
use crate::paging::{Page, PageRequest};
use crate::principal::Principal;
use crate::quality::model::surveys::{Answers, FunderInput, Invitation, SurveyKind};
use crate::quality::service::secrets::{MAX_CODE_CHARS, code_hash, fresh_code};
use crate::quality::service::{QualityError, Result};
use crate::quality::{policy, store};
use crate::validation::{FieldErrors, required_text};
use crate::values::Email;

/// Prefix of a funder's link code.
const LINK_PREFIX: &str = "fsv_";

fn administer(principal: &Principal) -> Result<()> {
    if policy::may_administer(principal) {
        Ok(())
    } else {
        Err(QualityError::Forbidden(
            "only administrators keep the surveys",
        ))
    }
}

/// Creates a funder's invitation; answers it with the secret code of its link (shown once).
pub async fn create_funder_invitation(
    tx: &mut WriteTx,
    principal: &Principal,
    mut input: FunderInput,
) -> Result<(Invitation, String)> {
    administer(principal)?;
    let mut errors = FieldErrors::default();
    input.funder.name = required_text(&mut errors, "name", &input.funder.name, 200);
    input.funder.organisation =
        required_text(&mut errors, "organisation", &input.funder.organisation, 200);
    if let Some(email) = errors.parse::<Email>("email", &input.funder.email) {
        input.funder.email = email.into_inner();
    }
    let now = tx.now();
    errors.check(
        (2000..=now.year() + 1).contains(&input.year),
        "year",
        "a year from 2000 to next year",
    );
    errors.check(input.deadline > now, "deadline", "a deadline in the future");
    match store::template(tx.conn(), input.template_id).await? {
        Some(t) if t.kind == SurveyKind::Funder => {}
        Some(_) => errors.add("template_id", "a funders' survey template (kind `funder`)"),
        None => errors.add("template_id", "no such template"),
    }
    errors.into_result().map_err(QualityError::Invalid)?;
    let code = fresh_code(LINK_PREFIX);
    let invitation = store::insert_funder(tx, &input, code_hash(&code)).await?;
    Ok((invitation, code))
}

/// Funders' invitations (without their links), by id.
pub async fn list_funder_invitations(
    db: &impl ConnectionTrait,
    principal: &Principal,
    year: Option<i32>,
    page: &PageRequest,
) -> Result<Page<Survey>> {
    administer(principal)?;
    with_templates(db, store::funder_invitations(db, year, page).await?).await
}

fn hash_of(code: &str) -> Result<String> {
    if code.chars().count() > MAX_CODE_CHARS {
        return Err(QualityError::InvitationNotFound);
    }
    Ok(code_hash(code))
}

/// The survey behind a funder's link.
pub async fn funder_survey(db: &impl ConnectionTrait, code: &str) -> Result<Survey> {
    let row = store::invitation_by_secret(db, &hash_of(code)?)
        .await?
        .ok_or(QualityError::InvitationNotFound)?;
    let invitation = store::invitation_of(row)?;
    let template = store::template(db, invitation.template_id)
        .await?
        .ok_or(QualityError::TemplateNotFound)?;
    Ok(Survey {
        invitation,
        template,
    })
}

/// Saves (and, when `submit`, submits) a funder's answers through their link.
pub async fn answer_as_funder(
    tx: &mut WriteTx,
    code: &str,
    changes: Answers,
    submit: bool,
) -> Result<Survey> {
    let found = store::invitation_by_secret(tx.conn(), &hash_of(code)?)
        .await?
        .ok_or(QualityError::InvitationNotFound)?;
    let row = store::lock_invitation(tx, found.id)
        .await?
        .ok_or(QualityError::InvitationNotFound)?;
    write(tx, row, changes, submit).await
}
