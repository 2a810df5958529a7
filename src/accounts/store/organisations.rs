//! Organisations.

use entity::organisation;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, QueryFilter, Set,
};
use uuid::Uuid;

use crate::accounts::model::Organisation;
use crate::db::query;
use crate::db::write::WriteTx;
use crate::paging::{Page, PageRequest};

fn organisation_of(row: &organisation::Model) -> Organisation {
    Organisation {
        id: row.id,
        name: row.name.clone(),
        is_member: row.is_member,
        country: row.country.clone(),
        active: row.deactivated_at.is_none(),
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

pub async fn organisation_by_id(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<Organisation>, DbErr> {
    Ok(organisation::Entity::find_by_id(id)
        .one(db)
        .await?
        .as_ref()
        .map(organisation_of))
}

/// Organisations' names, by id (for other contexts' tables).
pub async fn organisation_names(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<std::collections::BTreeMap<Uuid, String>, DbErr> {
    Ok(
        query::by_ids::<organisation::Entity>(db, organisation::Column::Id, ids)
            .await?
            .into_iter()
            .map(|row| (row.id, row.name))
            .collect(),
    )
}

/// `only`: `None` = every organisation, `Some(ids)` = just those.
pub async fn list_organisations(
    db: &impl ConnectionTrait,
    only: Option<&[Uuid]>,
    page: &PageRequest,
) -> Result<Page<Organisation>, DbErr> {
    let mut select = organisation::Entity::find();
    if let Some(only) = only {
        select = select.filter(organisation::Column::Id.is_in(only.iter().copied()));
    }
    let rows = query::keyset_page(db, select, organisation::Column::Id, page, |o| o.id).await?;
    Ok(rows.map(|row| organisation_of(&row)))
}

/// An organisation to insert, validated.
#[derive(Debug, Clone)]
pub struct OrganisationRow {
    pub id: Uuid,
    pub name: String,
    pub is_member: bool,
    pub country: String,
}

pub async fn insert_organisation(
    tx: &mut WriteTx,
    new: OrganisationRow,
) -> Result<Organisation, DbErr> {
    let now = tx.now();
    let created = tx
        .insert(organisation::ActiveModel {
            id: Set(new.id),
            name: Set(new.name),
            is_member: Set(new.is_member),
            country: Set(new.country),
            created_at: Set(now),
            updated_at: Set(now),
            deactivated_at: Set(None),
            version: Set(0),
        })
        .await?;
    Ok(organisation_of(&created))
}

/// Changes to write to an organisation; `None` leaves a column as it is.
#[derive(Debug, Clone, Default)]
pub struct OrganisationUpdate {
    pub name: Option<String>,
    pub is_member: Option<bool>,
    pub country: Option<String>,
    pub active: Option<bool>,
}

/// Locks the organisation and applies the changes; `None` when there is no such organisation.
pub async fn update_organisation(
    tx: &mut WriteTx,
    id: Uuid,
    update: OrganisationUpdate,
) -> Result<Option<Organisation>, DbErr> {
    let Some(before) = tx.lock::<organisation::Entity>(id).await? else {
        return Ok(None);
    };
    let now = tx.now();
    let mut row = before.clone().into_active_model();
    if let Some(name) = update.name {
        row.name = Set(name);
    }
    if let Some(country) = update.country {
        row.country = Set(country);
    }
    if let Some(is_member) = update.is_member {
        row.is_member = Set(is_member);
    }
    match update.active {
        Some(false) if before.deactivated_at.is_none() => row.deactivated_at = Set(Some(now)),
        Some(true) => row.deactivated_at = Set(None),
        _ => {}
    }
    row.updated_at = Set(now);
    let after = tx.update(&before, row).await?;
    Ok(Some(organisation_of(&after)))
}
