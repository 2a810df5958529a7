//! Organisations: validation and life cycle.

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{AccountsError, Result, invalid};
use crate::accounts::model::{NewOrganisation, Organisation, OrganisationChanges};
use crate::accounts::policy;
use crate::accounts::store::{self, OrganisationRow, OrganisationUpdate};
use crate::db::write::WriteTx;
use crate::paging::{Page, PageRequest};
use crate::principal::Principal;
use crate::validation::{FieldErrors, required_text};
use crate::values::Country;

fn denied(denied: policy::Denied) -> AccountsError {
    AccountsError::denied(denied, AccountsError::OrganisationNotFound)
}

pub async fn get_organisation(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: Uuid,
) -> Result<Organisation> {
    if !policy::may_see_organisation(principal, id) {
        return Err(AccountsError::OrganisationNotFound);
    }
    store::organisation_by_id(db, id)
        .await?
        .ok_or(AccountsError::OrganisationNotFound)
}

/// Organisations' names by id, in one query, for other contexts' tables (an attendance export
/// names each trainee's organisation); the caller's policy decides who sees them.
pub async fn organisation_names(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<std::collections::BTreeMap<Uuid, String>> {
    Ok(store::organisation_names(db, ids).await?)
}

/// Administrators list all organisations; everyone else sees their own.
pub async fn list_organisations(
    db: &impl ConnectionTrait,
    principal: &Principal,
    page: &PageRequest,
) -> Result<Page<Organisation>> {
    let only = policy::organisation_scope(principal);
    Ok(store::list_organisations(db, only.as_deref(), page).await?)
}

/// Creates an organisation (administrators).
pub async fn create_organisation(
    tx: &mut WriteTx,
    principal: &Principal,
    new: NewOrganisation,
) -> Result<Organisation> {
    create_organisation_with_id(tx, principal, Uuid::now_v7(), new).await
}

/// Creates an organisation with a given id (demo data keeps its ids stable).
pub async fn create_organisation_with_id(
    tx: &mut WriteTx,
    principal: &Principal,
    id: Uuid,
    new: NewOrganisation,
) -> Result<Organisation> {
    policy::may_manage_organisations(principal).map_err(denied)?;
    let mut errors = FieldErrors::new();
    let name = required_text(&mut errors, "name", &new.name, 200);
    let country = errors.parse::<Country>("country", &new.country);
    invalid(errors)?;
    let row = OrganisationRow {
        id,
        name,
        is_member: new.is_member,
        country: country.map(Country::into_inner).unwrap_or_default(),
    };
    Ok(store::insert_organisation(tx, row).await?)
}

/// Changes an organisation (administrators; others get not found for another organisation).
pub async fn update_organisation(
    tx: &mut WriteTx,
    principal: &Principal,
    id: Uuid,
    changes: OrganisationChanges,
) -> Result<Organisation> {
    if !policy::may_see_organisation(principal, id) {
        return Err(AccountsError::OrganisationNotFound);
    }
    policy::may_manage_organisations(principal).map_err(denied)?;
    let mut errors = FieldErrors::new();
    let name = changes
        .name
        .as_deref()
        .map(|n| required_text(&mut errors, "name", n, 200));
    let country = changes
        .country
        .as_deref()
        .and_then(|c| errors.parse::<Country>("country", c));
    invalid(errors)?;
    let update = OrganisationUpdate {
        name,
        is_member: changes.is_member,
        country: country.map(Country::into_inner),
        active: changes.active,
    };
    store::update_organisation(tx, id, update)
        .await?
        .ok_or(AccountsError::OrganisationNotFound)
}
