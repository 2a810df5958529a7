//! Who may see and change which organisation.

use chrono::Utc;
use entity::organisation;
use sea_orm::{DatabaseConnection, IntoActiveModel, Set};
use uuid::Uuid;

use crate::accounts::model::{NewOrganisation, Organisation, OrganisationChanges, Principal};
use crate::accounts::store;
use crate::db::write::WriteTx;
use crate::validation::{FieldErrors, required_text};

use super::{AccountsError, Result};

fn may_see_organisation(principal: &Principal, id: Uuid) -> bool {
    principal.is_admin() || principal.organisation_id == Some(id)
}

fn validate_country(errors: &mut FieldErrors, country: &str) -> String {
    let country = country.trim().to_uppercase();
    errors.check(
        country.len() == 2 && country.chars().all(|c| c.is_ascii_uppercase()),
        "country",
        "must be an ISO 3166-1 alpha-2 code such as FR or TG",
    );
    country
}

pub async fn get_organisation(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
) -> Result<Organisation> {
    if !may_see_organisation(principal, id) {
        return Err(AccountsError::OrganisationNotFound);
    }
    store::organisation_by_id(db, id)
        .await?
        .map(Organisation::from)
        .ok_or(AccountsError::OrganisationNotFound)
}

/// Administrators list all organisations; everyone else sees their own.
pub async fn list_organisations(
    db: &DatabaseConnection,
    principal: &Principal,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Organisation>> {
    let only = if principal.is_admin() {
        None
    } else {
        match principal.organisation_id {
            Some(org) => Some(org),
            None => return Ok(Vec::new()),
        }
    };
    let rows = store::list_organisations(db, only, after, limit).await?;
    Ok(rows.into_iter().map(Organisation::from).collect())
}

fn require_admin(principal: &Principal) -> Result<()> {
    if principal.is_admin() {
        Ok(())
    } else {
        Err(AccountsError::Forbidden(
            "only administrators manage organisations",
        ))
    }
}

pub async fn create_organisation(
    db: &DatabaseConnection,
    principal: &Principal,
    new: NewOrganisation,
) -> Result<Organisation> {
    require_admin(principal)?;
    insert_organisation(db, new, Uuid::now_v7()).await
}

/// Inserts an organisation with a given id, without authorization checks (demo data).
pub async fn insert_organisation(
    db: &DatabaseConnection,
    new: NewOrganisation,
    id: Uuid,
) -> Result<Organisation> {
    let mut errors = FieldErrors::new();
    let name = required_text(&mut errors, "name", &new.name, 200);
    let country = validate_country(&mut errors, &new.country);
    errors.into_result().map_err(AccountsError::Invalid)?;
    let now = Utc::now();
    let mut tx = WriteTx::begin(db).await?;
    let created = tx
        .insert(organisation::ActiveModel {
            id: Set(id),
            name: Set(name),
            is_member: Set(new.is_member),
            country: Set(country),
            created_at: Set(now),
            updated_at: Set(now),
            deactivated_at: Set(None),
            version: Set(0),
        })
        .await?;
    tx.commit().await?;
    Ok(created.into())
}

pub async fn update_organisation(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
    changes: OrganisationChanges,
) -> Result<Organisation> {
    if !may_see_organisation(principal, id) {
        return Err(AccountsError::OrganisationNotFound);
    }
    require_admin(principal)?;
    let mut errors = FieldErrors::new();
    let name = changes
        .name
        .as_deref()
        .map(|n| required_text(&mut errors, "name", n, 200));
    let country = changes
        .country
        .as_deref()
        .map(|c| validate_country(&mut errors, c));
    errors.into_result().map_err(AccountsError::Invalid)?;
    let mut tx = WriteTx::begin(db).await?;
    let before = tx
        .lock::<organisation::Entity>(id)
        .await?
        .ok_or(AccountsError::OrganisationNotFound)?;
    let now = Utc::now();
    let mut row = before.clone().into_active_model();
    if let Some(name) = name {
        row.name = Set(name);
    }
    if let Some(country) = country {
        row.country = Set(country);
    }
    if let Some(is_member) = changes.is_member {
        row.is_member = Set(is_member);
    }
    match changes.active {
        Some(false) if before.deactivated_at.is_none() => row.deactivated_at = Set(Some(now)),
        Some(true) => row.deactivated_at = Set(None),
        _ => {}
    }
    row.updated_at = Set(now);
    let after = tx.update(&before, row).await?;
    tx.commit().await?;
    Ok(after.into())
}
