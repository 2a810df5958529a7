//! sea-orm queries of the accounts context: rows in, domain types out. People and organisations
//! are synced: they are written only through [`WriteTx`].

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use entity::{auth_token, organisation, person, person_role};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, Set,
};
use uuid::Uuid;

use super::model::{Organisation, PeopleFilter, Person, Role};
use crate::db::query;
use crate::db::write::WriteTx;
use crate::paging::{Page, PageRequest};

// ---- people -------------------------------------------------------------------------------

/// A person's row as the service needs it to decide (login, visibility, changes).
#[derive(Debug, Clone)]
pub struct PersonRecord {
    pub person: Person,
    pub email_normalized: String,
    pub password_hash: Option<String>,
    row: person::Model,
}

fn record(row: person::Model, roles: BTreeSet<Role>) -> PersonRecord {
    PersonRecord {
        person: person_of(&row, roles),
        email_normalized: row.email_normalized.clone(),
        password_hash: row.password_hash.clone(),
        row,
    }
}

fn person_of(row: &person::Model, roles: BTreeSet<Role>) -> Person {
    Person {
        id: row.id,
        email: row.email.clone(),
        first_name: row.first_name.clone(),
        last_name: row.last_name.clone(),
        organisation_id: row.organisation_id,
        roles,
        active: row.deactivated_at.is_none(),
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

async fn with_roles(
    db: &impl ConnectionTrait,
    row: Option<person::Model>,
) -> Result<Option<PersonRecord>, DbErr> {
    match row {
        None => Ok(None),
        Some(row) => {
            let roles = roles_of(db, row.id).await?;
            Ok(Some(record(row, roles)))
        }
    }
}

pub async fn person_by_email(
    db: &impl ConnectionTrait,
    normalized: &str,
) -> Result<Option<PersonRecord>, DbErr> {
    let row = person::Entity::find()
        .filter(person::Column::EmailNormalized.eq(normalized))
        .one(db)
        .await?;
    with_roles(db, row).await
}

pub async fn email_taken(db: &impl ConnectionTrait, normalized: &str) -> Result<bool, DbErr> {
    Ok(person::Entity::find()
        .filter(person::Column::EmailNormalized.eq(normalized))
        .one(db)
        .await?
        .is_some())
}

pub async fn person_by_id(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<PersonRecord>, DbErr> {
    let row = person::Entity::find_by_id(id).one(db).await?;
    with_roles(db, row).await
}

/// Reads a person and locks the row until commit.
pub async fn lock_person(tx: &WriteTx, id: Uuid) -> Result<Option<PersonRecord>, DbErr> {
    let row = tx.lock::<person::Entity>(id).await?;
    with_roles(tx.conn(), row).await
}

async fn roles_of(db: &impl ConnectionTrait, person_id: Uuid) -> Result<BTreeSet<Role>, DbErr> {
    Ok(roles_of_many(db, &[person_id])
        .await?
        .remove(&person_id)
        .unwrap_or_default())
}

async fn roles_of_many(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<BTreeMap<Uuid, BTreeSet<Role>>, DbErr> {
    let rows = query::by_ids::<person_role::Entity>(db, person_role::Column::PersonId, ids).await?;
    let mut roles: BTreeMap<Uuid, BTreeSet<Role>> = BTreeMap::new();
    for row in rows {
        let role = Role::parse(&row.role)
            .ok_or_else(|| DbErr::Type(format!("unknown role {:?} in person_role", row.role)))?;
        roles.entry(row.person_id).or_default().insert(role);
    }
    Ok(roles)
}

pub async fn list_people(
    db: &impl ConnectionTrait,
    filter: &PeopleFilter,
    page: &PageRequest,
) -> Result<Page<Person>, DbErr> {
    if filter.nobody {
        return Ok(Page::empty());
    }
    let mut select = person::Entity::find();
    if let Some(org) = filter.organisation_id {
        select = select.filter(person::Column::OrganisationId.eq(org));
    }
    if let Some(role) = filter.role {
        select = select.filter(
            person::Column::Id.in_subquery(
                Query::select()
                    .column(person_role::Column::PersonId)
                    .from(person_role::Entity)
                    .and_where(person_role::Column::Role.eq(role.as_str()))
                    .to_owned(),
            ),
        );
    }
    let rows = query::keyset_page(db, select, person::Column::Id, page, |p| p.id).await?;
    let ids: Vec<Uuid> = rows.items.iter().map(|p| p.id).collect();
    let mut roles = roles_of_many(db, &ids).await?;
    Ok(rows.map(|row| {
        let r = roles.remove(&row.id).unwrap_or_default();
        person_of(&row, r)
    }))
}

/// A person to insert, validated.
#[derive(Debug, Clone)]
pub struct PersonRow {
    pub id: Uuid,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub organisation_id: Option<Uuid>,
    pub password_hash: Option<String>,
    pub roles: BTreeSet<Role>,
}

pub async fn insert_person(tx: &mut WriteTx, new: PersonRow) -> Result<Person, DbErr> {
    let now = tx.now();
    let row = person::ActiveModel {
        id: Set(new.id),
        email_normalized: Set(crate::values::normalize_email(&new.email)),
        email: Set(new.email),
        first_name: Set(new.first_name),
        last_name: Set(new.last_name),
        organisation_id: Set(new.organisation_id),
        password_hash: Set(new.password_hash),
        created_at: Set(now),
        updated_at: Set(now),
        deactivated_at: Set(None),
        version: Set(0),
    };
    let created = tx.insert(row).await?;
    replace_roles(tx, created.id, &new.roles).await?;
    Ok(person_of(&created, new.roles))
}

/// Changes to write to a person; `None` leaves a column as it is.
#[derive(Debug, Clone, Default)]
pub struct PersonUpdate {
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub organisation_id: Option<Option<Uuid>>,
    pub password_hash: Option<String>,
    pub active: Option<bool>,
    pub roles: Option<BTreeSet<Role>>,
}

pub async fn update_person(
    tx: &mut WriteTx,
    before: &PersonRecord,
    update: PersonUpdate,
) -> Result<Person, DbErr> {
    let now = tx.now();
    let mut row = before.row.clone().into_active_model();
    if let Some(email) = update.email {
        row.email_normalized = Set(crate::values::normalize_email(&email));
        row.email = Set(email);
    }
    if let Some(first) = update.first_name {
        row.first_name = Set(first);
    }
    if let Some(last) = update.last_name {
        row.last_name = Set(last);
    }
    if let Some(org) = update.organisation_id {
        row.organisation_id = Set(org);
    }
    if let Some(hash) = update.password_hash {
        row.password_hash = Set(Some(hash));
    }
    match update.active {
        Some(false) if before.row.deactivated_at.is_none() => row.deactivated_at = Set(Some(now)),
        Some(true) => row.deactivated_at = Set(None),
        _ => {}
    }
    row.updated_at = Set(now);
    let after = tx.update(&before.row, row).await?;
    let roles = match update.roles {
        Some(roles) => {
            replace_roles(tx, after.id, &roles).await?;
            roles
        }
        None => before.person.roles.clone(),
    };
    Ok(person_of(&after, roles))
}

async fn replace_roles(
    tx: &mut WriteTx,
    person_id: Uuid,
    roles: &BTreeSet<Role>,
) -> Result<(), DbErr> {
    person_role::Entity::delete_many()
        .filter(person_role::Column::PersonId.eq(person_id))
        .exec(tx.conn())
        .await?;
    let rows: Vec<_> = roles
        .iter()
        .map(|role| person_role::ActiveModel {
            person_id: Set(person_id),
            role: Set(role.as_str().to_owned()),
        })
        .collect();
    if !rows.is_empty() {
        person_role::Entity::insert_many(rows)
            .exec(tx.conn())
            .await?;
    }
    Ok(())
}

// ---- organisations ----------------------------------------------------------------------

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

// ---- tokens -------------------------------------------------------------------------------

pub async fn insert_token(
    db: &impl ConnectionTrait,
    person_id: Uuid,
    token_hash: String,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), DbErr> {
    auth_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        person_id: Set(person_id),
        token_hash: Set(token_hash),
        created_at: Set(now),
        expires_at: Set(expires_at),
        revoked_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The id of the live token with this hash and its active owner.
pub async fn live_token(
    db: &impl ConnectionTrait,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<(Uuid, PersonRecord)>, DbErr> {
    let found = auth_token::Entity::find()
        .find_also_related(person::Entity)
        .filter(auth_token::Column::TokenHash.eq(token_hash))
        .filter(auth_token::Column::RevokedAt.is_null())
        .filter(auth_token::Column::ExpiresAt.gt(now))
        .filter(person::Column::DeactivatedAt.is_null())
        .one(db)
        .await?;
    let Some((token, Some(person))) = found else {
        return Ok(None);
    };
    Ok(with_roles(db, Some(person)).await?.map(|p| (token.id, p)))
}

pub async fn revoke_token(
    db: &impl ConnectionTrait,
    token_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    auth_token::Entity::update_many()
        .col_expr(auth_token::Column::RevokedAt, Expr::value(now))
        .filter(auth_token::Column::Id.eq(token_id))
        .filter(auth_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Revokes every live token of a person, except `keep`.
pub async fn revoke_tokens_of(
    db: &impl ConnectionTrait,
    person_id: Uuid,
    keep: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut update = auth_token::Entity::update_many()
        .col_expr(auth_token::Column::RevokedAt, Expr::value(now))
        .filter(auth_token::Column::PersonId.eq(person_id))
        .filter(auth_token::Column::RevokedAt.is_null());
    if let Some(keep) = keep {
        update = update.filter(auth_token::Column::Id.ne(keep));
    }
    update.exec(db).await?;
    Ok(())
}
