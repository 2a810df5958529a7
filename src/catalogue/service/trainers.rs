//! Trainers: internal or subcontracted, with competence records (Qualiopi ind. 21, 22, 27).

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{CatalogueError, Result, invalid, require_admin};
use crate::catalogue::model::{Competence, CompetenceInput, ProfileInput, Trainer, TrainerKind};
use crate::catalogue::{policy, store};
use crate::db::write::WriteTx;
use crate::paging::{Page, PageRequest};
use crate::principal::Principal;
use crate::validation::{FieldErrors, required_text};
use crate::values::{HttpUrl, Parse};

fn trimmed(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

pub async fn list_trainers(
    db: &impl ConnectionTrait,
    principal: &Principal,
    page: &PageRequest,
) -> Result<Page<Trainer>> {
    require_admin(principal)?;
    Ok(store::list_trainers(db, page).await?)
}

/// Administrators see any trainer; a trainer their own record; others get not found.
pub async fn get_trainer(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: Uuid,
) -> Result<Trainer> {
    if !policy::may_see_trainer(principal, id) {
        return Err(CatalogueError::TrainerNotFound);
    }
    store::trainer(db, id)
        .await?
        .ok_or(CatalogueError::TrainerNotFound)
}

/// Whether each of these trainers is internal or subcontracted, for those whose profile says
/// so (a trainer without a profile is absent: the yearly BPF reports them rather than assume).
/// No caller check: for other contexts' reports, whose callers decide what they show.
pub async fn trainer_kinds(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<std::collections::BTreeMap<Uuid, TrainerKind>> {
    Ok(store::profile_kinds(db, ids).await?)
}

/// Sets whether a trainer is internal or subcontracted; a subcontractor needs a company and a
/// contract reference (ind. 27).
pub async fn set_trainer_profile(
    tx: &mut WriteTx,
    principal: &Principal,
    id: Uuid,
    input: ProfileInput,
) -> Result<Trainer> {
    require_admin(principal)?;
    let company = trimmed(input.company);
    let contract = trimmed(input.contract_reference);
    let mut errors = FieldErrors::new();
    if input.kind == TrainerKind::External {
        errors.check(
            company.is_some(),
            "company",
            "an external trainer's company is required",
        );
        errors.check(
            contract.is_some(),
            "contract_reference",
            "an external trainer's contract reference is required",
        );
    }
    invalid(errors)?;
    store::trainer(tx.conn(), id)
        .await?
        .ok_or(CatalogueError::TrainerNotFound)?;
    let profile = ProfileInput {
        kind: input.kind,
        company,
        contract_reference: contract,
    };
    store::upsert_profile(tx, id, profile).await?;
    store::trainer(tx.conn(), id)
        .await?
        .ok_or(CatalogueError::TrainerNotFound)
}

/// Records a competence (diploma, certification, experience) with its evidence (ind. 21).
pub async fn add_competence(
    tx: &mut WriteTx,
    principal: &Principal,
    id: Uuid,
    input: CompetenceInput,
) -> Result<Competence> {
    require_admin(principal)?;
    let mut errors = FieldErrors::new();
    let title = required_text(&mut errors, "title", &input.title, 300);
    let evidence = trimmed(input.evidence_url);
    if let Some(url) = &evidence {
        errors.check(
            HttpUrl::parse(url).is_ok(),
            "evidence_url",
            "must be an http(s) link",
        );
    }
    errors.check(
        input.obtained_on <= tx.now().date_naive(),
        "obtained_on",
        "must not be in the future",
    );
    invalid(errors)?;
    store::trainer(tx.conn(), id)
        .await?
        .ok_or(CatalogueError::TrainerNotFound)?;
    let input = CompetenceInput {
        obtained_on: input.obtained_on,
        title,
        evidence_url: evidence,
    };
    Ok(store::insert_competence(tx, id, input).await?)
}
